#include "io/crate/Compression.h"

#include <lz4.h>

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace usdkit::crate {

namespace {

static_assert(kTfcMaxChunkSize == LZ4_MAX_INPUT_SIZE, "TFC chunks are LZ4's maximum block input");
static_assert(lz4CompressBound(kTfcMaxChunkSize) <= INT_MAX, "LZ4 block sizes must fit its int API");

// Errors carry the buffer-relative position first so callers can prefix the
// file name (and translate the offset) without reparsing the text.
Error errorAt(std::string_view what, std::size_t offset, const std::string& problem) {
  return Error{std::string(what) + " at offset " + std::to_string(offset) + ": " + problem};
}

// Callers wrap lower-level errors with their own context ("decoded integer
// data: ...") so a message still says which buffer the offset refers to.
Error withContext(std::string_view context, Error inner) {
  return Error{std::string(context) + ": " + std::move(inner.message)};
}

// Little-endian loads and stores, independent of the host byte order (the
// format is little-endian by definition, §1).
template <class U>
U loadLE(const std::byte* p) noexcept {
  static_assert(std::is_unsigned_v<U>);
  U value = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) value |= static_cast<U>(std::to_integer<U>(p[i]) << (8 * i));
  return value;
}

template <class U>
void storeLE(std::byte* p, U value) noexcept {
  static_assert(std::is_unsigned_v<U>);
  for (std::size_t i = 0; i < sizeof(U); ++i) p[i] = static_cast<std::byte>(static_cast<unsigned>(value >> (8 * i)) & 0xFFu);
}

// ---------------------------------------------------------------------------
// LZ4 blocks

// One LZ4 block of at most kTfcMaxChunkSize input bytes; `dst` has room for
// lz4CompressBound(src.size()) bytes, so LZ4 cannot run out of space.
std::size_t compressBlock(std::span<const std::byte> src, std::span<std::byte> dst) {
  // LZ4 accepts a null source for size 0, but a valid pointer costs nothing
  // and keeps sanitizers and older liblz4 versions quiet.
  const char empty = 0;
  const char* srcPtr = src.empty() ? &empty : reinterpret_cast<const char*>(src.data());
  const int n = LZ4_compress_default(srcPtr, reinterpret_cast<char*>(dst.data()), static_cast<int>(src.size()),
                                     static_cast<int>(dst.size()));
  // Only possible if the bound arithmetic above were wrong: a programming
  // error, not a data error.
  if (n <= 0) throw std::logic_error("LZ4_compress_default failed on a buffer of its own bound");
  return static_cast<std::size_t>(n);
}

// Decodes one LZ4 block into at most min(out.size(), kTfcMaxChunkSize) bytes.
// `what`/`offset` name the block in errors.
Expected<std::size_t> decompressBlock(std::span<const std::byte> block, std::span<std::byte> out,
                                      const std::string& what, std::size_t offset) {
  // Capping at a chunk's size keeps the capacity inside LZ4's int API and
  // matches the writer: no valid block decodes to more than one chunk.
  const std::size_t capacity = std::min(out.size(), kTfcMaxChunkSize);
  if (block.size() > lz4CompressBound(kTfcMaxChunkSize)) {
    return errorAt(what, offset,
                   "LZ4 block of " + std::to_string(block.size()) + " bytes is larger than any valid block (" +
                       std::to_string(lz4CompressBound(kTfcMaxChunkSize)) + " bytes)");
  }
  char dummy = 0;  // LZ4 is never handed a null destination, even for capacity 0
  char* dst = capacity == 0 ? &dummy : reinterpret_cast<char*>(out.data());
  const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(block.data()), dst,
                                    static_cast<int>(block.size()), static_cast<int>(capacity));
  if (n < 0) {
    // LZ4 reports one error code for "corrupt" and "output too small".
    return errorAt(what, offset,
                   "the " + std::to_string(block.size()) +
                       "-byte LZ4 block is malformed or decodes to more than the " + std::to_string(capacity) +
                       " bytes of output space left");
  }
  return static_cast<std::size_t>(n);
}

// decompressTfc with `base` added to every reported offset, so wrappers (the
// integer block) can report positions relative to their own buffer.
Expected<std::size_t> decompressTfcAt(std::span<const std::byte> in, std::span<std::byte> out, std::size_t base) {
  // OpenUSD reads the count byte even of an empty stream (§21); we do not.
  if (in.empty()) return errorAt("TFC stream", base, "stream is empty; it needs at least the chunk-count byte");
  const unsigned chunks = std::to_integer<unsigned>(in[0]);

  if (chunks == 0) {
    if (in.size() == 1) return errorAt("TFC stream", base + 1, "single-chunk marker 0x00 is not followed by an LZ4 block");
    return decompressBlock(in.subspan(1), out, "LZ4 block", base + 1);
  }
  // Counts >= 128 are negative in OpenUSD's signed char and make it loop
  // until LZ4 fails or it over-reads; the writer never exceeds 127.
  if (chunks > kTfcMaxChunks) {
    return errorAt("TFC stream", base,
                   "chunk count " + std::to_string(chunks) + " exceeds the maximum of " + std::to_string(kTfcMaxChunks));
  }

  std::size_t pos = 1;
  std::size_t written = 0;
  for (unsigned chunk = 1; chunk <= chunks; ++chunk) {
    const std::string what = "LZ4 chunk " + std::to_string(chunk) + " of " + std::to_string(chunks);
    const std::size_t remaining = in.size() - pos;
    if (remaining < 4) {
      return errorAt(what, base + pos,
                     "stream ends after " + std::to_string(remaining) + " bytes, before the 4-byte compressed size");
    }
    // The size is written as int32; reading it signed catches negative values
    // that a size_t conversion would turn into huge ones.
    const auto size = static_cast<std::int32_t>(loadLE<std::uint32_t>(in.data() + pos));
    if (size <= 0) {
      return errorAt(what, base + pos,
                     "compressed size " + std::to_string(size) + " is not positive (an LZ4 block has at least 1 byte)");
    }
    const auto blockSize = static_cast<std::size_t>(size);
    if (blockSize > remaining - 4) {
      return errorAt(what, base + pos,
                     "compressed size " + std::to_string(blockSize) + " exceeds the remaining " +
                         std::to_string(remaining - 4) + " bytes");
    }
    auto decoded = decompressBlock(in.subspan(pos + 4, blockSize), out.subspan(written), what, base + pos);
    if (!decoded) return std::move(decoded).error();
    written += *decoded;
    pos += 4 + blockSize;
  }
  // The stream length comes from the enclosing record; leftover bytes mean
  // the record and the stream disagree, which no writer produces.
  if (pos != in.size()) {
    return errorAt("TFC stream", base + pos,
                   std::to_string(in.size() - pos) + " trailing bytes after the last of " + std::to_string(chunks) +
                       " chunks");
  }
  return written;
}

// ---------------------------------------------------------------------------
// Integer coding

// Value-area widths by 2-bit code: 0 = common value (no bytes), 1 = small,
// 2 = medium, 3 = full width (§5.2 table).
template <CrateInteger T>
struct Coding {
  using U = std::make_unsigned_t<T>;
  using S = std::make_signed_t<T>;
  using Small = std::conditional_t<sizeof(T) == 4, std::int8_t, std::int16_t>;
  using Medium = std::conditional_t<sizeof(T) == 4, std::int16_t, std::int32_t>;
  static constexpr std::size_t kWidth[4] = {0, sizeof(Small), sizeof(Medium), sizeof(T)};
};

// Sign-extends a little-endian signed value of type V to the full width,
// returned as the unsigned type so the running sum wraps without UB.
template <class V, class U>
U loadDelta(const std::byte* p) noexcept {
  using VU = std::make_unsigned_t<V>;
  return static_cast<U>(static_cast<std::make_signed_t<U>>(static_cast<V>(loadLE<VU>(p))));
}

// Checks `encoded` against `count` before anything is allocated or decoded:
// size of the fixed part, the value bytes the codes demand, unused code bits
// and trailing bytes. On success the decode loop needs no further checks.
template <CrateInteger T>
Status validateEncoding(std::span<const std::byte> encoded, std::size_t count) {
  constexpr std::string_view kWhat = "integer coding";
  constexpr std::size_t W = sizeof(T);
  if (count == 0) {
    if (encoded.empty()) return Ok{};
    return errorAt(kWhat, 0,
                   std::to_string(encoded.size()) + " bytes given for an empty integer list, which encodes as 0 bytes");
  }
  const std::size_t codeBytes = integerCodeBytes(count);
  // minEncodedSize cannot overflow (codeBytes <= SIZE_MAX/4 + 1).
  if (encoded.size() < minEncodedSize<T>(count)) {
    return errorAt(kWhat, 0,
                   std::to_string(count) + " integers need at least " + std::to_string(minEncodedSize<T>(count)) +
                       " bytes (" + std::to_string(W) + "-byte common value + " + std::to_string(codeBytes) +
                       " code bytes) but only " + std::to_string(encoded.size()) + " are given");
  }
  const std::byte* codes = encoded.data() + W;
  const std::size_t valuesStart = W + codeBytes;

  // The writer leaves the unused high bits of the last code byte zero;
  // anything else means the count and the data disagree.
  if (const unsigned used = count % 4; used != 0) {
    const unsigned unusedBits = std::to_integer<unsigned>(codes[codeBytes - 1]) >> (2 * used);
    if (unusedBits != 0) {
      return errorAt(kWhat, W + codeBytes - 1,
                     "unused code bits of the last code byte are not zero (" + std::to_string(count) +
                         " integers use only the low " + std::to_string(2 * used) + " bits)");
    }
  }

  // Sum of value bytes; at most count * W, which fits since count < size.
  std::size_t needed = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned code = (std::to_integer<unsigned>(codes[i / 4]) >> (2 * (i % 4))) & 3u;
    needed += Coding<T>::kWidth[code];
  }
  const std::size_t available = encoded.size() - valuesStart;
  if (needed > available) {
    // Rare path: walk again to name the first integer whose value is missing.
    std::size_t pos = valuesStart;
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned code = (std::to_integer<unsigned>(codes[i / 4]) >> (2 * (i % 4))) & 3u;
      const std::size_t width = Coding<T>::kWidth[code];
      if (width > encoded.size() - pos) {
        return errorAt(kWhat, pos,
                       "integer " + std::to_string(i) + " (code " + std::to_string(code) + ") needs " +
                           std::to_string(width) + " value bytes but only " + std::to_string(encoded.size() - pos) +
                           " remain");
      }
      pos += width;
    }
  }
  if (needed < available) {
    return errorAt(kWhat, valuesStart + needed,
                   std::to_string(available - needed) + " trailing bytes after the value of the last of " +
                       std::to_string(count) + " integers");
  }
  return Ok{};
}

// Decodes a validated encoding; out.size() is the count.
template <CrateInteger T>
void decodeValidated(std::span<const std::byte> encoded, std::span<T> out) noexcept {
  using C = Coding<T>;
  using U = typename C::U;
  if (out.empty()) return;
  const U common = loadLE<U>(encoded.data());
  const std::byte* codes = encoded.data() + sizeof(T);
  const std::byte* values = codes + integerCodeBytes(out.size());
  // Deltas accumulate in the unsigned type: the format wraps on overflow
  // (two's complement), which signed arithmetic would make UB.
  U running = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const unsigned code = (std::to_integer<unsigned>(codes[i / 4]) >> (2 * (i % 4))) & 3u;
    U delta = common;
    switch (code) {
      case 1: delta = loadDelta<typename C::Small, U>(values); break;
      case 2: delta = loadDelta<typename C::Medium, U>(values); break;
      case 3: delta = loadLE<U>(values); break;
      default: break;
    }
    values += C::kWidth[code];
    running += delta;
    out[i] = static_cast<T>(running);
  }
}

// OpenUSD's choice of common value: the most frequent delta, ties going to
// the numerically largest (signed). Matching it makes our output identical
// byte for byte, which keeps round-trip diffs against OpenUSD files clean.
template <CrateInteger T>
typename Coding<T>::S mostCommonDelta(std::span<const T> values) {
  using U = typename Coding<T>::U;
  using S = typename Coding<T>::S;
  std::unordered_map<S, std::size_t> counts;
  counts.reserve(std::min<std::size_t>(values.size(), 1u << 16));
  S best = 0;
  std::size_t bestCount = 0;
  U prev = 0;
  for (const T v : values) {
    const auto delta = static_cast<S>(static_cast<U>(static_cast<U>(v) - prev));
    prev = static_cast<U>(v);
    const std::size_t c = ++counts[delta];
    if (c > bestCount || (c == bestCount && delta > best)) {
      best = delta;
      bestCount = c;
    }
  }
  return best;
}

}  // namespace

// ---------------------------------------------------------------------------
// TFC streams

std::vector<std::byte> compressTfc(std::span<const std::byte> in) {
  if (in.size() > kTfcMaxInputSize) {
    throw std::length_error("compressTfc: " + std::to_string(in.size()) + " bytes exceed the TFC maximum of " +
                            std::to_string(kTfcMaxInputSize));
  }
  std::vector<std::byte> out(tfcCompressedBound(in.size()));
  std::span<std::byte> dst(out);
  std::size_t pos = 1;
  if (in.size() <= kTfcMaxChunkSize) {
    out[0] = std::byte{0};  // single chunk
    pos += compressBlock(in, dst.subspan(1));
  } else {
    const std::size_t chunks = (in.size() + kTfcMaxChunkSize - 1) / kTfcMaxChunkSize;
    out[0] = static_cast<std::byte>(chunks);
    for (std::size_t start = 0; start < in.size(); start += kTfcMaxChunkSize) {
      const auto chunk = in.subspan(start, std::min(kTfcMaxChunkSize, in.size() - start));
      const std::size_t n = compressBlock(chunk, dst.subspan(pos + 4, lz4CompressBound(chunk.size())));
      storeLE<std::uint32_t>(out.data() + pos, static_cast<std::uint32_t>(n));
      pos += 4 + n;
    }
  }
  out.resize(pos);
  return out;
}

Expected<std::size_t> decompressTfc(std::span<const std::byte> in, std::span<std::byte> out) {
  return decompressTfcAt(in, out, 0);
}

Status decompressTfcExact(std::span<const std::byte> in, std::span<std::byte> out) {
  auto written = decompressTfc(in, out);
  if (!written) return std::move(written).error();
  if (*written != out.size()) {
    return errorAt("TFC stream", 0,
                   "decompresses to " + std::to_string(*written) + " bytes, expected " + std::to_string(out.size()));
  }
  return Ok{};
}

// ---------------------------------------------------------------------------
// Integer coding

template <CrateInteger T>
std::vector<std::byte> encodeIntegers(std::span<const T> values) {
  using C = Coding<T>;
  using U = typename C::U;
  using S = typename C::S;
  if (values.empty()) return {};

  const S common = mostCommonDelta(values);
  std::vector<std::byte> out(encodedBufferSize<T>(values.size()));
  storeLE<U>(out.data(), static_cast<U>(common));
  std::byte* codes = out.data() + sizeof(T);
  std::size_t pos = sizeof(T) + integerCodeBytes(values.size());
  U prev = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto delta = static_cast<S>(static_cast<U>(static_cast<U>(values[i]) - prev));
    prev = static_cast<U>(values[i]);
    unsigned code = 3;
    // Same order as OpenUSD: the common value wins even if it would fit a
    // small slot, then the narrowest signed width that holds the delta.
    if (delta == common) {
      code = 0;
    } else if (std::in_range<typename C::Small>(delta)) {
      code = 1;
      storeLE(out.data() + pos, static_cast<std::make_unsigned_t<typename C::Small>>(delta));
    } else if (std::in_range<typename C::Medium>(delta)) {
      code = 2;
      storeLE(out.data() + pos, static_cast<std::make_unsigned_t<typename C::Medium>>(delta));
    } else {
      storeLE(out.data() + pos, static_cast<U>(delta));
    }
    pos += C::kWidth[code];
    codes[i / 4] |= static_cast<std::byte>(code << (2 * (i % 4)));
  }
  out.resize(pos);
  return out;
}

template <CrateInteger T>
Status decodeIntegersInto(std::span<const std::byte> encoded, std::span<T> out) {
  if (auto valid = validateEncoding<T>(encoded, out.size()); !valid) return valid;
  decodeValidated<T>(encoded, out);
  return Ok{};
}

template <CrateInteger T>
Expected<std::vector<T>> decodeIntegers(std::span<const std::byte> encoded, std::size_t count) {
  // Validation proves count <= 4 * encoded.size(), so the allocation below is
  // bounded by the input.
  if (auto valid = validateEncoding<T>(encoded, count); !valid) return std::move(valid).error();
  std::vector<T> out(count);
  decodeValidated<T>(encoded, std::span<T>(out));
  return out;
}

template <CrateInteger T>
std::vector<std::byte> compressIntegers(std::span<const T> values) {
  return compressTfc(encodeIntegers(values));
}

namespace {

template <CrateInteger T>
Expected<std::vector<T>> decompressIntegersAt(std::span<const std::byte> stream, std::size_t count,
                                              std::size_t base) {
  // Reject counts the stream cannot possibly hold before sizing anything by
  // `count` (§21: n is bounded by what byteCount bytes can decode to).
  const std::size_t maxDecoded = tfcMaxDecodedSize(stream.size());
  if (minEncodedSize<T>(count) > maxDecoded) {
    return errorAt("compressed integers", base,
                   std::to_string(count) + " integers need at least " + std::to_string(minEncodedSize<T>(count)) +
                       " decoded bytes but a " + std::to_string(stream.size()) +
                       "-byte TFC stream decodes to at most " + std::to_string(maxDecoded));
  }
  // One byte more than the largest valid encoding lets an over-long stream
  // decode far enough to be reported as trailing data rather than as an LZ4
  // error; the cap by what the stream can decode to keeps the allocation
  // proportional to the input even for a huge `count`.
  std::size_t capacity = encodedBufferSize<T>(count);
  capacity = capacity < maxDecoded ? capacity + 1 : maxDecoded;
  std::vector<std::byte> decoded(capacity);
  auto written = decompressTfcAt(stream, decoded, base);
  if (!written) return std::move(written).error();
  auto values = decodeIntegers<T>(std::span<const std::byte>(decoded).first(*written), count);
  if (!values) return withContext("decompressed integer data", std::move(values).error());
  return values;
}

}  // namespace

template <CrateInteger T>
Expected<std::vector<T>> decompressIntegers(std::span<const std::byte> stream, std::size_t count) {
  return decompressIntegersAt<T>(stream, count, 0);
}

// ---------------------------------------------------------------------------
// Integer blocks

template <CrateInteger T>
std::vector<std::byte> encodeIntBlock(std::span<const T> values) {
  const std::vector<std::byte> stream = compressIntegers(values);
  std::vector<std::byte> out(8 + stream.size());
  storeLE<std::uint64_t>(out.data(), stream.size());
  std::copy(stream.begin(), stream.end(), out.begin() + 8);
  return out;
}

template <CrateInteger T>
Expected<DecodedIntBlock<T>> decodeIntBlock(std::span<const std::byte> in, std::size_t count) {
  constexpr std::string_view kWhat = "integer block";
  if (in.size() < 8) {
    return errorAt(kWhat, 0, "only " + std::to_string(in.size()) + " bytes left, fewer than the 8-byte byte count");
  }
  const std::uint64_t byteCount = loadLE<std::uint64_t>(in.data());
  if (byteCount > in.size() - 8) {
    return errorAt(kWhat, 0,
                   "byte count " + std::to_string(byteCount) + " exceeds the remaining " +
                       std::to_string(in.size() - 8) + " bytes");
  }
  const std::size_t bound = compressedIntegersBound<T>(count);
  if (bound == 0) {
    return errorAt(kWhat, 0, std::to_string(count) + " integers are more than a TFC stream can hold");
  }
  if (byteCount > bound) {
    return errorAt(kWhat, 0,
                   "byte count " + std::to_string(byteCount) + " exceeds the largest compressed size of " +
                       std::to_string(count) + " integers (" + std::to_string(bound) + " bytes)");
  }
  const auto size = static_cast<std::size_t>(byteCount);
  auto values = decompressIntegersAt<T>(in.subspan(8, size), count, 8);
  if (!values) return std::move(values).error();
  return DecodedIntBlock<T>{std::move(*values), 8 + size};
}

// The only element types the format codes (§5.2); the header's concept
// rejects others at compile time, so these are all the instantiations.
#define USDKIT_CRATE_INSTANTIATE(T)                                                                   \
  template std::vector<std::byte> encodeIntegers<T>(std::span<const T>);                              \
  template Expected<std::vector<T>> decodeIntegers<T>(std::span<const std::byte>, std::size_t);       \
  template Status decodeIntegersInto<T>(std::span<const std::byte>, std::span<T>);                    \
  template std::vector<std::byte> compressIntegers<T>(std::span<const T>);                            \
  template Expected<std::vector<T>> decompressIntegers<T>(std::span<const std::byte>, std::size_t);   \
  template std::vector<std::byte> encodeIntBlock<T>(std::span<const T>);                              \
  template Expected<DecodedIntBlock<T>> decodeIntBlock<T>(std::span<const std::byte>, std::size_t);

USDKIT_CRATE_INSTANTIATE(std::int32_t)
USDKIT_CRATE_INSTANTIATE(std::uint32_t)
USDKIT_CRATE_INSTANTIATE(std::int64_t)
USDKIT_CRATE_INSTANTIATE(std::uint64_t)
#undef USDKIT_CRATE_INSTANTIATE

}  // namespace usdkit::crate
