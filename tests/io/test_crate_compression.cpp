// Crate compression building blocks (docs/crate-format.md §5.1-5.3, §21).
// Expected byte strings below are derived by hand from the document, never
// by running the encoder; each carries its derivation.
#include <catch2/catch.hpp>
#include <lz4.h>

#include <climits>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/crate/Compression.h"

using namespace usdkit::crate;
using Catch::Matchers::Contains;

namespace {

std::vector<std::byte> bytes(std::initializer_list<unsigned> list) {
  std::vector<std::byte> out;
  for (unsigned b : list) out.push_back(static_cast<std::byte>(b));
  return out;
}

std::vector<std::byte> bytesOf(std::string_view text) {
  std::vector<std::byte> out;
  for (char c : text) out.push_back(static_cast<std::byte>(c));
  return out;
}

std::vector<std::byte> concat(std::initializer_list<std::vector<std::byte>> parts) {
  std::vector<std::byte> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A raw LZ4 block from the system library, independent of compressTfc.
std::vector<std::byte> rawLz4(const std::vector<std::byte>& in) {
  std::vector<std::byte> out(static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(in.size()))));
  const int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()), reinterpret_cast<char*>(out.data()),
                                     static_cast<int>(in.size()), static_cast<int>(out.size()));
  REQUIRE(n > 0);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::vector<std::byte> int32LE(std::int32_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  return bytes({u & 0xFF, (u >> 8) & 0xFF, (u >> 16) & 0xFF, u >> 24});
}

std::string errorOf(const usdkit::Status& s) { return s ? std::string() : s.error().message; }
template <class T>
std::string errorOf(const usdkit::Expected<T>& e) {
  return e ? std::string() : e.error().message;
}

template <class T>
void requireRoundTrip(const std::vector<T>& values) {
  INFO("count " << values.size());
  const auto encoded = encodeIntegers<T>(values);
  CHECK(encoded.size() <= encodedBufferSize<T>(values.size()));
  CHECK(encoded.size() >= minEncodedSize<T>(values.size()));
  auto decoded = decodeIntegers<T>(encoded, values.size());
  REQUIRE(decoded.ok());
  CHECK(*decoded == values);

  const auto block = encodeIntBlock<T>(values);
  CHECK(block.size() - 8 <= compressedIntegersBound<T>(values.size()));
  auto fromBlock = decodeIntBlock<T>(block, values.size());
  REQUIRE(fromBlock.ok());
  CHECK(fromBlock->byteSize == block.size());
  CHECK(fromBlock->values == values);
}

// Deltas that hit every code for width T: common, small, medium, large.
template <class T>
std::vector<T> everyCodeValues() {
  using S = std::make_signed_t<T>;
  using Small = std::conditional_t<sizeof(T) == 4, std::int8_t, std::int16_t>;
  using Medium = std::conditional_t<sizeof(T) == 4, std::int16_t, std::int32_t>;
  const std::vector<S> deltas = {
      1,  1,  1,  -1, 1, std::numeric_limits<Small>::max(), std::numeric_limits<Small>::min(),
      static_cast<S>(std::numeric_limits<Small>::max()) + 1, static_cast<S>(std::numeric_limits<Small>::min()) - 1,
      std::numeric_limits<Medium>::max(), std::numeric_limits<Medium>::min(),
      static_cast<S>(std::numeric_limits<Medium>::max()) + 1, static_cast<S>(std::numeric_limits<Medium>::min()) - 1,
      std::numeric_limits<S>::max(), std::numeric_limits<S>::min(), 0, 1, -1, 1};
  std::vector<T> values;
  std::make_unsigned_t<T> running = 0;
  for (S d : deltas) {
    running += static_cast<std::make_unsigned_t<T>>(d);
    values.push_back(static_cast<T>(running));
  }
  return values;
}

template <class T>
void roundTripSuite() {
  using L = std::numeric_limits<T>;
  requireRoundTrip<T>({});
  requireRoundTrip<T>({T(0)});
  requireRoundTrip<T>({T(42)});
  requireRoundTrip<T>({L::max()});
  requireRoundTrip<T>({L::min()});
  requireRoundTrip<T>(std::vector<T>(1000, T(7)));          // one common delta after the first
  requireRoundTrip<T>({L::min(), L::max(), L::min(), L::max(), T(0), L::max(), L::min()});
  requireRoundTrip<T>(everyCodeValues<T>());
  std::vector<T> ramp;
  for (int i = 0; i < 1003; ++i) ramp.push_back(static_cast<T>(i * 3));  // 1003: not a multiple of 4
  requireRoundTrip<T>(ramp);

  std::mt19937_64 rng(12345);
  for (std::size_t n : {2u, 3u, 4u, 5u, 17u, 255u, 4096u}) {
    std::vector<T> full, small, mixed;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t r = rng();
      full.push_back(static_cast<T>(r));
      small.push_back(static_cast<T>(r % 300));
      const unsigned shift = static_cast<unsigned>(r % (8 * sizeof(T)));
      mixed.push_back(static_cast<T>(r >> shift));
    }
    requireRoundTrip<T>(full);
    requireRoundTrip<T>(small);
    requireRoundTrip<T>(mixed);
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Size formulas

TEST_CASE("crate compression: size formulas", "[crate-compression]") {
  // W + ceil(n/4) + n*W (§5.2), 0 for n = 0.
  CHECK(encodedBufferSize<std::int32_t>(0) == 0);
  CHECK(encodedBufferSize<std::int32_t>(1) == 4 + 1 + 4);
  CHECK(encodedBufferSize<std::uint32_t>(6) == 4 + 2 + 24);
  CHECK(encodedBufferSize<std::int64_t>(5) == 8 + 2 + 40);
  CHECK(encodedBufferSize<std::uint64_t>(8) == 8 + 2 + 64);
  CHECK(encodedBufferSize<std::int64_t>(std::numeric_limits<std::size_t>::max()) ==
        std::numeric_limits<std::size_t>::max());  // saturates, never wraps
  CHECK(minEncodedSize<std::int32_t>(0) == 0);
  CHECK(minEncodedSize<std::int32_t>(5) == 4 + 2);
  CHECK(minEncodedSize<std::uint64_t>(4) == 8 + 1);

  // compressBound(n) + 1 = n + n/255 + 16 + 1 for one chunk (§5.1).
  CHECK(tfcCompressedBound(0) == 17);
  CHECK(tfcCompressedBound(10) == 27);
  CHECK(tfcCompressedBound(1000) == 1000 + 3 + 16 + 1);
  // compressBound(0x7E000000) = 2113929216 + 8289918 + 16 = 2122219150.
  CHECK(tfcCompressedBound(0x7E000000) == 2122219151u);
  // Two chunks: 1 + (2122219150 + 4) + (compressBound(1) = 17, + 4).
  CHECK(tfcCompressedBound(0x7E000001) == 1u + 2122219154u + 21u);
  CHECK(tfcCompressedBound(kTfcMaxInputSize + 1) == 0);
  // encodedBufferSize(6) = 30 -> 30 + 0 + 16 + 1.
  CHECK(compressedIntegersBound<std::int32_t>(6) == 47);
  CHECK(compressedIntegersBound<std::int32_t>(0) == 17);

  CHECK(tfcMaxDecodedSize(0) == 0);
  CHECK(tfcMaxDecodedSize(10) == 2550);
  CHECK(tfcMaxDecodedSize(std::numeric_limits<std::size_t>::max()) == kTfcMaxInputSize);
}

// ---------------------------------------------------------------------------
// TFC streams

TEST_CASE("crate compression: TFC single-chunk layout", "[crate-compression]") {
  // Empty input: 0x00 chunk marker + an LZ4 block holding one token with 0
  // literals (0x00) -> "00 00" as §5.1 states.
  CHECK(compressTfc({}) == bytes({0x00, 0x00}));

  // "hello": LZ4 does not search for matches below 13 input bytes, so the
  // block is one literal-only sequence: token 0x50 (5 literals, no match)
  // followed by the 5 bytes.
  CHECK(compressTfc(bytesOf("hello")) == bytes({0x00, 0x50, 'h', 'e', 'l', 'l', 'o'}));

  std::vector<std::byte> out(5);
  auto n = decompressTfc(bytes({0x00, 0x50, 'h', 'e', 'l', 'l', 'o'}), out);
  REQUIRE(n.ok());
  CHECK(*n == 5);
  CHECK(out == bytesOf("hello"));
}

TEST_CASE("crate compression: TFC round trips", "[crate-compression]") {
  std::mt19937 rng(7);
  for (std::size_t size : {0u, 1u, 12u, 13u, 100u, 65536u, 300000u}) {
    std::vector<std::byte> random(size), repetitive(size);
    for (std::size_t i = 0; i < size; ++i) {
      random[i] = static_cast<std::byte>(rng());
      repetitive[i] = static_cast<std::byte>("abcabcabd"[i % 9]);
    }
    for (const auto* input : {&random, &repetitive}) {
      const auto stream = compressTfc(*input);
      CHECK(stream.size() <= tfcCompressedBound(size));
      CHECK(stream.at(0) == std::byte{0});
      std::vector<std::byte> out(size);
      CHECK(errorOf(decompressTfcExact(stream, out)).empty());
      CHECK(out == *input);
    }
  }
}

TEST_CASE("crate compression: decoded size bound holds for highly compressible data", "[crate-compression]") {
  // Zeros are LZ4's best case (long matches, ~250:1); the allocation bound
  // readers rely on must still hold.
  const std::vector<std::byte> zeros(4'000'000);
  const auto stream = compressTfc(zeros);
  INFO("stream size " << stream.size());
  CHECK(zeros.size() <= tfcMaxDecodedSize(stream.size()));
  CHECK(zeros.size() > tfcMaxDecodedSize(stream.size()) / 2);  // and it is not a loose bound
  std::vector<std::byte> out(zeros.size());
  CHECK(errorOf(decompressTfcExact(stream, out)).empty());
}

TEST_CASE("crate compression: TFC decodes raw LZ4 blocks", "[crate-compression]") {
  std::vector<std::byte> input;
  for (int i = 0; i < 10000; ++i) input.push_back(static_cast<std::byte>((i * i) % 251));
  const auto stream = concat({bytes({0x00}), rawLz4(input)});  // single-chunk marker added here
  std::vector<std::byte> out(input.size());
  auto n = decompressTfc(stream, out);
  REQUIRE(n.ok());
  CHECK(*n == input.size());
  CHECK(out == input);

  // Hand-written literal-only block with a length extension: 20 literals =
  // token nibble 15 plus extension byte 5.
  const auto literals = bytesOf("0123456789abcdefghij");
  const auto handmade = concat({bytes({0x00, 0xF0, 0x05}), literals});
  std::vector<std::byte> out20(20);
  CHECK(errorOf(decompressTfcExact(handmade, out20)).empty());
  CHECK(out20 == literals);
}

TEST_CASE("crate compression: multi-chunk TFC streams with small chunks", "[crate-compression]") {
  // OpenUSD's reader accepts any chunk count >= 1 and appends whatever each
  // chunk yields (it never checks that non-final chunks hold exactly
  // 0x7E000000 bytes), so we accept small chunks too.
  std::vector<std::byte> big;
  for (int i = 0; i < 5000; ++i) big.push_back(static_cast<std::byte>(i % 7));
  const auto chunk3 = rawLz4(big);
  const auto stream = concat({bytes({0x03}),                                         // 3 chunks
                              int32LE(4), bytes({0x30, 'a', 'b', 'c'}),              // "abc"
                              int32LE(1), bytes({0x00}),                             // empty chunk
                              int32LE(static_cast<std::int32_t>(chunk3.size())), chunk3});
  std::vector<std::byte> out(3 + big.size());
  auto n = decompressTfc(stream, out);
  REQUIRE(n.ok());
  CHECK(*n == out.size());
  CHECK(out == concat({bytesOf("abc"), big}));

  // One chunk, announced as multi-chunk (never written, but accepted).
  std::vector<std::byte> out2(2);
  CHECK(errorOf(decompressTfcExact(concat({bytes({0x01}), int32LE(3), bytes({0x20, 'x', 'y'})}), out2)).empty());
  CHECK(out2 == bytesOf("xy"));

  // Output space is shared by the chunks: "abc" + "xy" needs 5 bytes.
  const auto two = concat({bytes({0x02}), int32LE(4), bytes({0x30, 'a', 'b', 'c'}), int32LE(3), bytes({0x20, 'x', 'y'})});
  std::vector<std::byte> out4(4);
  CHECK_THAT(errorOf(decompressTfc(two, out4)), Contains("LZ4 chunk 2 of 2 at offset 9") && Contains("1 bytes"));
  std::vector<std::byte> out5(5);
  CHECK(*decompressTfc(two, out5) == 5);
}

TEST_CASE("crate compression: hostile TFC streams", "[crate-compression]") {
  std::vector<std::byte> out(64);
  const auto abc = bytes({0x30, 'a', 'b', 'c'});

  CHECK_THAT(errorOf(decompressTfc({}, out)), Contains("offset 0") && Contains("empty"));
  CHECK_THAT(errorOf(decompressTfc(bytes({0x00}), out)), Contains("offset 1"));
  // Counts beyond 127 (negative in OpenUSD's signed char).
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0x80}), int32LE(4), abc}), out)), Contains("chunk count 128"));
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0xFF}), int32LE(4), abc}), out)), Contains("chunk count 255"));
  // Count says 2, only one chunk present.
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0x02}), int32LE(4), abc}), out)),
             Contains("LZ4 chunk 2 of 2 at offset 9: stream ends after 0 bytes"));
  // Size field cut short.
  CHECK_THAT(errorOf(decompressTfc(bytes({0x01, 0x04, 0x00}), out)), Contains("stream ends after 2 bytes"));
  // Oversized, negative and zero chunk sizes.
  const auto oversized = concat({bytes({0x02}), int32LE(4), abc, int32LE(999999), bytes({0x10, 'z'})});
  CHECK(errorOf(decompressTfc(oversized, out)) ==
        "LZ4 chunk 2 of 2 at offset 9: compressed size 999999 exceeds the remaining 2 bytes");
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0x01}), int32LE(-1), abc}), out)),
             Contains("compressed size -1 is not positive"));
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0x01}), int32LE(INT_MIN), abc}), out)),
             Contains("is not positive"));
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0x01}), int32LE(0), abc}), out)), Contains("compressed size 0"));
  // Trailing bytes after the last chunk.
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0x01}), int32LE(4), abc, bytes({0xAA})}), out)),
             Contains("offset 9: 1 trailing bytes"));
  // Malformed LZ4: literal "a" then a match whose offset 5 reaches before
  // the start of the output.
  CHECK_THAT(errorOf(decompressTfc(bytes({0x00, 0x10, 'a', 0x05, 0x00, 0x00}), out)),
             Contains("LZ4 block at offset 1"));
  // A literal run longer than the block.
  CHECK_THAT(errorOf(decompressTfc(bytes({0x00, 0x50, 'a', 'b'}), out)), Contains("malformed"));
  // Output buffer smaller than the data.
  std::vector<std::byte> tiny(2);
  CHECK_THAT(errorOf(decompressTfc(concat({bytes({0x00}), abc}), tiny)), Contains("2 bytes of output space"));
  // Exact decoding rejects a short result.
  std::vector<std::byte> four(4);
  CHECK_THAT(errorOf(decompressTfcExact(concat({bytes({0x00}), abc}), four)),
             Contains("decompresses to 3 bytes, expected 4"));
}

// ---------------------------------------------------------------------------
// Integer coding

TEST_CASE("crate compression: integer coding worked examples", "[crate-compression]") {
  SECTION("doc example, int32") {
    // §5.2: [5,6,7,7,300,301] -> deltas [5,1,1,0,293,1], common 1.
    // codes: 5 small(1), 1 common(0), 1 common(0), 0 small(1) -> 0b01'00'00'01 = 0x41;
    //        293 medium(2), 1 common(0) -> 0x02.
    // values: int8 5, int8 0, int16 293 = 0x0125.
    const std::vector<std::int32_t> values = {5, 6, 7, 7, 300, 301};
    const auto expected = bytes({0x01, 0x00, 0x00, 0x00, 0x41, 0x02, 0x05, 0x00, 0x25, 0x01});
    CHECK(encodeIntegers<std::int32_t>(values) == expected);
    CHECK(*decodeIntegers<std::int32_t>(expected, 6) == values);

    // TFC of those 10 bytes: under 13 bytes -> literal-only block, token 0xA0.
    const auto stream = concat({bytes({0x00, 0xA0}), expected});
    CHECK(compressIntegers<std::int32_t>(values) == stream);
    CHECK(*decompressIntegers<std::int32_t>(stream, 6) == values);
    // §5.3 wrapper: uint64 byteCount 12, then the stream.
    const auto block = concat({bytes({0x0C, 0, 0, 0, 0, 0, 0, 0}), stream});
    CHECK(encodeIntBlock<std::int32_t>(values) == block);
    // The block may be followed by other data; byteSize says where it ends.
    auto decoded = decodeIntBlock<std::int32_t>(concat({block, bytes({0xEE, 0xEE})}), 6);
    REQUIRE(decoded.ok());
    CHECK(decoded->byteSize == 20);
    CHECK(decoded->values == values);
  }
  SECTION("every 32-bit code in one code byte, plus a second code byte") {
    // [100, 100, 1100, 71100, 71100] -> deltas [100, 0, 1000, 70000, 0]; common 0 (twice).
    // codes: 100 small(1), 0 common(0), 1000 medium(2), 70000 large(3)
    //        -> 1 | 0<<2 | 2<<4 | 3<<6 = 0xE1; then 0 common -> 0x00.
    // values: int8 100 = 0x64, int16 1000 = E8 03, int32 70000 = 0x00011170.
    const std::vector<std::uint32_t> values = {100, 100, 1100, 71100, 71100};
    const auto expected =
        bytes({0x00, 0x00, 0x00, 0x00, 0xE1, 0x00, 0x64, 0xE8, 0x03, 0x70, 0x11, 0x01, 0x00});
    CHECK(encodeIntegers<std::uint32_t>(values) == expected);
    CHECK(*decodeIntegers<std::uint32_t>(expected, 5) == values);
  }
  SECTION("int32 extremes and the tie-break") {
    // [INT_MIN, INT_MAX] -> deltas [INT_MIN, INT_MAX - INT_MIN = -1 (wrapped)].
    // Both occur once: the tie goes to the larger, -1 = FF FF FF FF.
    // codes: INT_MIN large(3), -1 common(0) -> 0x03; value int32 INT_MIN = 00 00 00 80.
    const std::vector<std::int32_t> values = {INT_MIN, INT_MAX};
    const auto expected = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0x00, 0x00, 0x00, 0x80});
    CHECK(encodeIntegers<std::int32_t>(values) == expected);
    CHECK(*decodeIntegers<std::int32_t>(expected, 2) == values);
    // [1, 3] -> deltas [1, 2], tie -> common 2; codes: 1 small(1), 2 common(0) -> 0x01; value int8 1.
    CHECK(encodeIntegers<std::int32_t>(std::vector<std::int32_t>{1, 3}) ==
          bytes({0x02, 0x00, 0x00, 0x00, 0x01, 0x01}));
    // A single value is its own common delta: common 7, code 0, no values.
    CHECK(encodeIntegers<std::int32_t>(std::vector<std::int32_t>{7}) == bytes({0x07, 0x00, 0x00, 0x00, 0x00}));
  }
  SECTION("64-bit: every code") {
    // [300, 300, 70300, 70300 + 2^32, same] -> deltas [300, 0, 70000, 2^32, 0]; common 0.
    // 64-bit classes: small int16, medium int32, large int64.
    // codes: 300 small(1), 0 common, 70000 medium(2), 2^32 large(3) -> 0xE1; 0 common -> 0x00.
    // values: int16 300 = 2C 01; int32 70000 = 70 11 01 00; int64 2^32 = 00 00 00 00 01 00 00 00.
    const std::vector<std::int64_t> values = {300, 300, 70300, 70300 + (std::int64_t{1} << 32),
                                              70300 + (std::int64_t{1} << 32)};
    const auto expected = bytes({0, 0, 0, 0, 0, 0, 0, 0, 0xE1, 0x00, 0x2C, 0x01, 0x70, 0x11, 0x01, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00});
    CHECK(encodeIntegers<std::int64_t>(values) == expected);
    CHECK(*decodeIntegers<std::int64_t>(expected, 5) == values);
  }
  SECTION("uint64 extremes") {
    // [2^64-1, 0, 1] as signed [-1, 0, 1] -> deltas [-1, 1, 1]; common 1.
    // codes: -1 small(1), 1 common, 1 common -> 0x01; value int16 -1 = FF FF.
    const std::vector<std::uint64_t> values = {UINT64_MAX, 0, 1};
    const auto expected = bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xFF, 0xFF});
    CHECK(encodeIntegers<std::uint64_t>(values) == expected);
    CHECK(*decodeIntegers<std::uint64_t>(expected, 3) == values);
  }
}

TEST_CASE("crate compression: integer round trips", "[crate-compression]") {
  roundTripSuite<std::int32_t>();
  roundTripSuite<std::uint32_t>();
  roundTripSuite<std::int64_t>();
  roundTripSuite<std::uint64_t>();
}

TEST_CASE("crate compression: hostile integer encodings", "[crate-compression]") {
  const auto doc = bytes({0x01, 0x00, 0x00, 0x00, 0x41, 0x02, 0x05, 0x00, 0x25, 0x01});  // 6 ints

  // Counts the data cannot hold are rejected before allocating.
  CHECK_THAT(errorOf(decodeIntegers<std::int32_t>(doc, std::numeric_limits<std::size_t>::max())),
             Contains("offset 0") && Contains("only 10 are given"));
  CHECK_THAT(errorOf(decodeIntegers<std::int64_t>(doc, std::size_t{1} << 62)), Contains("only 10 are given"));
  CHECK_THAT(errorOf(decodeIntegers<std::int32_t>(bytes({1, 0, 0}), 1)), Contains("need at least 5 bytes"));
  // Count 0 must have an empty encoding.
  CHECK(errorOf(decodeIntegers<std::int32_t>({}, 0)).empty());
  CHECK_THAT(errorOf(decodeIntegers<std::int32_t>(doc, 0)), Contains("empty integer list"));
  // Codes demanding more value bytes than exist: integer 4 is medium (2 bytes)
  // at offset 8 but the buffer is cut there.
  CHECK(errorOf(decodeIntegers<std::int32_t>(std::span(doc).first(9), 6)) ==
        "integer coding at offset 8: integer 4 (code 2) needs 2 value bytes but only 1 remain");
  // All codes "large" (0xFF) with almost no value bytes.
  CHECK_THAT(errorOf(decodeIntegers<std::int32_t>(bytes({0, 0, 0, 0, 0xFF, 1, 2}), 4)),
             Contains("integer 0 (code 3) needs 4 value bytes but only 2 remain"));
  // Fewer integers than the data describes: trailing value bytes.
  CHECK_THAT(errorOf(decodeIntegers<std::int32_t>(concat({doc, bytes({0x00})}), 6)),
             Contains("offset 10: 1 trailing bytes"));
  // Count 4 instead of 6: one code byte, values start at offset 5 and the
  // four codes consume 2 of the 5 value bytes.
  CHECK_THAT(errorOf(decodeIntegers<std::int32_t>(doc, 4)), Contains("offset 7: 3 trailing bytes"));
  // (Count 5 decodes without error: the sixth code is 0 = common, which needs
  // no bytes, so the data is also a valid encoding of the first five values.)
  CHECK(*decodeIntegers<std::int32_t>(doc, 5) == std::vector<std::int32_t>{5, 6, 7, 7, 300});
  // Unused code bits that are set: 2 integers use bits 0-3 of the code byte.
  CHECK_THAT(errorOf(decodeIntegers<std::int32_t>(bytes({1, 0, 0, 0, 0x10}), 2)),
             Contains("offset 4: unused code bits"));
  // decodeIntegersInto applies the same checks.
  std::vector<std::int32_t> six(6), three(3);
  CHECK(errorOf(decodeIntegersInto<std::int32_t>(doc, std::span(six))).empty());
  CHECK(six == std::vector<std::int32_t>{5, 6, 7, 7, 300, 301});
  // 3 integers: code byte 0x41 has bits 6-7 (unused for 3) set.
  CHECK_THAT(errorOf(decodeIntegersInto<std::int32_t>(doc, std::span(three))), Contains("offset 4: unused code bits"));
}

TEST_CASE("crate compression: hostile compressed integers and blocks", "[crate-compression]") {
  const std::vector<std::int32_t> values = {5, 6, 7, 7, 300, 301};
  const auto stream = compressIntegers<std::int32_t>(values);  // 12 bytes
  const auto block = encodeIntBlock<std::int32_t>(values);     // 20 bytes

  // A huge count against a 12-byte stream (max 3060 decoded bytes): rejected
  // up front, nothing sized by the count.
  CHECK_THAT(errorOf(decompressIntegers<std::int32_t>(stream, std::size_t{1} << 40)),
             Contains("decodes to at most 3060"));
  CHECK_THAT(errorOf(decompressIntegers<std::uint64_t>(stream, std::numeric_limits<std::size_t>::max())),
             Contains("compressed integers at offset 0"));
  // Wrong counts surface as integer-coding errors inside the decoded data.
  CHECK(errorOf(decompressIntegers<std::int32_t>(stream, 3)) ==
        "decompressed integer data: integer coding at offset 4: unused code bits of the last code byte are not "
        "zero (3 integers use only the low 6 bits)");
  CHECK_THAT(errorOf(decompressIntegers<std::int32_t>(stream, 4)), Contains("trailing"));
  // The stream decodes to 10 bytes, more than any encoding of 0 integers
  // (0 bytes; the working buffer has one byte of slack).
  CHECK_THAT(errorOf(decompressIntegers<std::int32_t>(stream, 0)), Contains("more than the 1 bytes"));
  CHECK_THAT(errorOf(decompressIntegers<std::int32_t>({}, 0)), Contains("empty"));
  // An empty list is stored as the TFC stream of 0 bytes: 00 00.
  CHECK(decompressIntegers<std::int64_t>(bytes({0x00, 0x00}), 0)->empty());

  // Block header problems, offsets relative to the block start.
  CHECK_THAT(errorOf(decodeIntBlock<std::int32_t>(std::span(block).first(7), 6)),
             Contains("fewer than the 8-byte byte count"));
  CHECK(errorOf(decodeIntBlock<std::int32_t>(std::span(block).first(19), 6)) ==
        "integer block at offset 0: byte count 12 exceeds the remaining 11 bytes");
  // byteCount larger than any valid stream for 6 ints (47 bytes), but present.
  auto padded = concat({bytes({48, 0, 0, 0, 0, 0, 0, 0}), std::vector<std::byte>(48)});
  CHECK_THAT(errorOf(decodeIntBlock<std::int32_t>(padded, 6)), Contains("largest compressed size"));
  CHECK_THAT(errorOf(decodeIntBlock<std::int32_t>(bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}), 6)),
             Contains("exceeds the remaining 0 bytes"));
  // Stream errors inside a block report offsets within the block (stream at 8).
  auto badChunks = concat({bytes({6, 0, 0, 0, 0, 0, 0, 0}), bytes({0x01}), int32LE(1000), bytes({0x00})});
  CHECK(errorOf(decodeIntBlock<std::int32_t>(badChunks, 6)) ==
        "LZ4 chunk 1 of 1 at offset 9: compressed size 1000 exceeds the remaining 1 bytes");
  auto badCount = concat({bytes({2, 0, 0, 0, 0, 0, 0, 0}), bytes({0xFF, 0x00})});
  CHECK_THAT(errorOf(decodeIntBlock<std::int32_t>(badCount, 6)), Contains("at offset 8: chunk count 255"));
}

TEST_CASE("crate compression: mutated inputs never crash", "[crate-compression]") {
  // Random corruption of valid data must end in a value or an Error; run
  // under ASan/UBSan this also proves no out-of-bounds access.
  std::mt19937_64 rng(99);
  std::vector<std::uint32_t> values;
  for (int i = 0; i < 200; ++i) values.push_back(static_cast<std::uint32_t>(rng() % 1000) * (i % 3 == 0 ? 70000u : 1u));
  const auto block = encodeIntBlock<std::uint32_t>(values);
  const auto encoded = encodeIntegers<std::uint32_t>(values);
  int failures = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    auto b = block;
    auto e = encoded;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      b[rng() % b.size()] ^= static_cast<std::byte>(1u << (rng() % 8));
      e[rng() % e.size()] ^= static_cast<std::byte>(1u << (rng() % 8));
    }
    const std::size_t cutB = rng() % 4 == 0 ? rng() % b.size() : b.size();
    const std::size_t cutE = rng() % 4 == 0 ? rng() % e.size() : e.size();
    const std::size_t count = rng() % 8 == 0 ? rng() % 100000 : values.size();
    auto r1 = decodeIntBlock<std::uint32_t>(std::span(b).first(cutB), count);
    auto r2 = decodeIntegers<std::uint32_t>(std::span(e).first(cutE), count);
    auto r3 = decodeIntBlock<std::uint64_t>(std::span(b).first(cutB), count / 2);
    std::vector<std::byte> out(1000);
    auto r4 = decompressTfc(std::span(b).subspan(8, cutB > 8 ? cutB - 8 : 0), out);
    if (r1) CHECK(r1->values.size() == count);
    if (r2) CHECK(r2->size() == count);
    failures += !r1 + !r2 + !r3 + !r4;
  }
  CHECK(failures > 0);
}
