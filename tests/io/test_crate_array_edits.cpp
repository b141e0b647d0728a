// Array edits in crate files (0.14.0): the op stream coding, round trips of
// every kind of edit as defaults and as time samples, the version they
// raise a file to, sharing, and damaged or misplaced edit data. The layers
// are built in code: this branch reads no `edit [...]` text.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "io/crate/CrateArrayEdit.h"
#include "io/crate/CrateReader.h"
#include "io/crate/CrateWriter.h"
#include "CrateTestSupport.h"
#include "io/usda/UsdaReader.h"
#include "sdf/Fields.h"

using namespace usdkit;
using crate_test::crateOf;
using crate_test::readBack;
using crate_test::versionOf;
using Code = ArrayEditOp::Code;

namespace {

constexpr std::int64_t header(Code code, std::uint64_t count) {
  return static_cast<std::int64_t>((std::uint64_t{static_cast<std::uint8_t>(code)} << 56) | count);
}

// `resize 1024; write L0 to [2]; write L1 to [4]; write [5] to [6];
// erase [9]; erase [9]` and its stream (the facts sheet's example).
const std::vector<ArrayEditOp> kExampleOps = {{Code::SetSize, 1024, 0}, {Code::WriteLiteral, 0, 2},
                                              {Code::WriteLiteral, 1, 4}, {Code::WriteRef, 5, 6},
                                              {Code::EraseRef, 9, 0},     {Code::EraseRef, 9, 0}};
const std::vector<std::int64_t> kExampleWords = {
    header(Code::SetSize, 1), 1024, header(Code::WriteLiteral, 2), 0, 2, 1, 4, header(Code::WriteRef, 1), 5, 6,
    header(Code::EraseRef, 2), 9, 9};

template <class T>
Value editOf(std::vector<T> literals, std::vector<ArrayEditOp> ops) {
  ValueKind kind = ValueKind::Bool;
  bool isArray = false;
  Value lits(std::move(literals));
  REQUIRE(lits.scalarKind(&kind, &isArray));
  return Value(ArrayEdit{kind, std::move(lits), std::move(ops)});
}

Value identityEdit(ValueKind kind) { return Value(ArrayEdit{kind, emptyArrayOf(kind), {}}); }

std::unique_ptr<Layer> skeleton() {
  auto layer = readUsda(
      "#usda 1.0\ndef \"A\"\n{\n    int[] a = [1]\n    string[] s = [\"x\"]\n    token[] t = [\"x\"]\n"
      "    asset[] p = [@x@]\n    bool[] b = [1]\n    float3[] f = [(1, 2, 3)]\n    int[] ts = [1]\n"
      "    int[] same1 = [1]\n    int[] same2 = [1]\n    int[] plain = [1]\n}\n",
      "skeleton.usda");
  REQUIRE(layer.ok());
  return std::move(layer.value());
}

void setField(Layer& layer, const char* path, Token field, Value value) {
  Spec* spec = layer.findSpec(*Path::parse(path));
  REQUIRE(spec != nullptr);
  spec->set(field, std::move(value));
}

void setDefault(Layer& layer, const char* path, Value value) {
  setField(layer, path, fieldNames().defaultValue, std::move(value));
}

// The example edit as /A.a's default; nothing else edits.
std::unique_ptr<Layer> exampleLayer() {
  auto layer = skeleton();
  setDefault(*layer, "/A.a", editOf<std::int32_t>({7, 8}, kExampleOps));
  return layer;
}

std::unique_ptr<Layer> editLayer() {
  auto layer = skeleton();
  setDefault(*layer, "/A.a", editOf<std::int32_t>({7, 8}, kExampleOps));
  setDefault(*layer, "/A.s", editOf<std::string>({"hello world", "with \"quotes\"", "new\nline"},
                                                 {{Code::MinSize, 1024, 0},
                                                  {Code::InsertLiteral, 0, kArrayEditEnd},
                                                  {Code::InsertLiteral, 1, 0},
                                                  {Code::InsertLiteral, 2, -1}}));
  setDefault(*layer, "/A.t", editOf<Token>({Token("t0")}, {{Code::WriteLiteral, 0, -1}, {Code::InsertRef, 0, 1}}));
  setDefault(*layer, "/A.p", editOf<AssetPath>({AssetPath{"a/b.usda"}, AssetPath{"@@c"}},
                                               {{Code::InsertLiteral, 1, 0}, {Code::InsertLiteral, 0, kArrayEditEnd}}));
  setDefault(*layer, "/A.b", editOf<bool>({true, false}, {{Code::WriteLiteral, 0, 0}, {Code::WriteLiteral, 1, 1},
                                                          {Code::MinSizeFill, 100, 0}, {Code::SetSizeFill, 200, 1},
                                                          {Code::MaxSize, 150, 0}}));
  setDefault(*layer, "/A.f", editOf<Vec3f>({Vec3f{{1, 2, 3}}, Vec3f{{2.5f, 3, 4}}},
                                           {{Code::WriteLiteral, 0, 0}, {Code::InsertLiteral, 1, kArrayEditEnd}}));
  // Time samples: edits, a block, a plain array, the identity edit and
  // literals long enough to be compressed.
  std::vector<std::int32_t> many;
  for (int i = 0; i < 40; ++i) many.push_back(i * 3);
  std::vector<ArrayEditOp> appendAll;
  for (int i = 0; i < 40; ++i) appendAll.push_back({Code::InsertLiteral, i, kArrayEditEnd});
  TimeSamples samples;
  samples.samples = {{1.0, editOf<std::int32_t>({3}, {{Code::InsertLiteral, 0, 0}, {Code::InsertLiteral, 0, kArrayEditEnd}})},
                     {2.0, Value(ValueBlock{})},
                     {3.0, Value(std::vector<std::int32_t>{4, 5})},
                     {4.0, identityEdit(ValueKind::Int)},
                     {5.0, editOf<std::int32_t>(many, appendAll)}};
  setField(*layer, "/A.ts", fieldNames().timeSamples, Value(std::move(samples)));
  // The same edit twice, and an identity edit as a default.
  setDefault(*layer, "/A.same1", editOf<std::int32_t>({9}, {{Code::InsertLiteral, 0, 0}}));
  setDefault(*layer, "/A.same2", editOf<std::int32_t>({9}, {{Code::InsertLiteral, 0, 0}}));
  setDefault(*layer, "/A.plain", identityEdit(ValueKind::Int));
  // Floats long enough for the lookup-table coding, inside custom data.
  std::vector<float> floats(32, 0.5f);
  floats[3] = 1.25f;
  Dictionary custom;
  custom.entries.emplace("edit", editOf<float>(floats, {{Code::WriteLiteral, 31, 0}}));
  setField(*layer, "/A", Token("customData"), Value(std::move(custom)));
  return layer;
}

// Same specs, each with the same fields holding equal values.
void checkSameLayer(const Layer& expected, const Layer& actual) {
  CHECK(expected.specCount() == actual.specCount());
  expected.forEachSpec([&](const Path& path, const Spec& spec) {
    INFO(path.string());
    const Spec* other = actual.findSpec(path);
    REQUIRE(other != nullptr);
    CHECK(other->type() == spec.type());
    CHECK(other->fields().size() == spec.fields().size());
    for (const Field& f : spec.fields()) {
      INFO(f.name.string());
      const Value* v = other->get(f.name);
      REQUIRE(v != nullptr);
      CHECK(*v == f.value);
    }
  });
}

std::string bytesOf(std::span<const std::int64_t> words) {
  return std::string(reinterpret_cast<const char*>(words.data()), words.size_bytes());
}

// Where `pattern` occurs in `bytes`: exactly once.
std::size_t findOnce(const std::string& bytes, const std::string& pattern) {
  const std::size_t at = bytes.find(pattern);
  REQUIRE(at != std::string::npos);
  REQUIRE(bytes.find(pattern, at + 1) == std::string::npos);
  return at;
}

std::size_t occurrences(const std::string& bytes, const std::string& pattern) {
  std::size_t n = 0;
  for (std::size_t at = bytes.find(pattern); at != std::string::npos; at = bytes.find(pattern, at + 1)) ++n;
  return n;
}

// The example's op stream in a written file: an uncompressed int64 array
// (13 words, fewer than 16), its 8-byte count first.
std::size_t exampleStreamAt(const std::string& bytes) {
  const std::int64_t count = static_cast<std::int64_t>(kExampleWords.size());
  return findOnce(bytes, bytesOf(std::span(&count, 1)) + bytesOf(kExampleWords));
}

// The 16 descriptor bytes of the example edit's record.
std::size_t exampleRecordAt(const std::string& bytes) {
  const std::uint64_t opsRep = (1ull << 63) | (5ull << 48) | exampleStreamAt(bytes);
  return findOnce(bytes, std::string(reinterpret_cast<const char*>(&opsRep), 8)) - 8;
}

template <class T>
void patch(std::string& bytes, std::size_t at, T value) {
  std::memcpy(bytes.data() + at, &value, sizeof(T));
}

std::string readError(const std::string& bytes) {
  auto read = readCrate(bytes, nullptr, "edit.usdc");
  REQUIRE_FALSE(read.ok());
  return read.error().message;
}

}  // namespace

TEST_CASE("array edits: the op stream groups runs of one code under a header", "[crate][arrayedit]") {
  CHECK(crate::encodeArrayEditOps(kExampleOps) == kExampleWords);
  auto decoded = crate::decodeArrayEditOps(kExampleWords);
  REQUIRE(decoded.ok());
  CHECK(*decoded == kExampleOps);
  CHECK(crate::encodeArrayEditOps({}).empty());
  // Any grouping reads: one header per operation, and empty groups.
  const std::vector<std::int64_t> ungrouped = {
      header(Code::SetSize, 1), 1024, header(Code::WriteLiteral, 1), 0, 2, header(Code::EraseRef, 0),
      header(Code::WriteLiteral, 1), 1, 4, header(Code::WriteRef, 1), 5, 6, header(Code::EraseRef, 1), 9,
      header(Code::EraseRef, 1), 9};
  auto regrouped = crate::decodeArrayEditOps(ungrouped);
  REQUIRE(regrouped.ok());
  CHECK(*regrouped == kExampleOps);
  // The end index and negative indexes are plain argument words.
  const std::vector<ArrayEditOp> appended = {{Code::InsertRef, -1, kArrayEditEnd}};
  CHECK(crate::encodeArrayEditOps(appended) == std::vector<std::int64_t>{header(Code::InsertRef, 1), -1, kArrayEditEnd});
}

TEST_CASE("array edits: damaged op streams are errors naming the word", "[crate][arrayedit]") {
  auto unknown = crate::decodeArrayEditOps(std::vector<std::int64_t>{header(Code::MaxSize, 1), 3,
                                                                     static_cast<std::int64_t>(10ull << 56 | 1), 0});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("word 2") != std::string::npos);
  CHECK(unknown.error().message.find("code 10") != std::string::npos);
  auto shortGroup = crate::decodeArrayEditOps(std::vector<std::int64_t>{header(Code::WriteRef, 2), 1, 2, 3});
  REQUIRE_FALSE(shortGroup.ok());
  CHECK(shortGroup.error().message.find("only 3 follow") != std::string::npos);
  // A count no stream could hold is refused before anything is allocated.
  auto huge = crate::decodeArrayEditOps(std::vector<std::int64_t>{header(Code::EraseRef, 1ull << 55), 1});
  REQUIRE_FALSE(huge.ok());
  auto widest = crate::decodeArrayEditOps(std::vector<std::int64_t>{static_cast<std::int64_t>(~0ull), 1});
  REQUIRE_FALSE(widest.ok());
}

TEST_CASE("array edits: round trip through crate, as defaults, time samples and custom data", "[crate][arrayedit]") {
  auto layer = editLayer();
  const std::string bytes = crateOf(*layer);
  CHECK(versionOf(bytes) == "0.14.0");
  auto back = readBack(bytes);
  checkSameLayer(*layer, *back);
  // The same bytes every time, and from the layer read back.
  CHECK(crateOf(*layer) == bytes);
  CHECK(crateOf(*back) == bytes);
  // The edits read back as written.
  const ArrayEdit* a = back->findSpec(*Path::parse("/A.a"))->getAs<ArrayEdit>(fieldNames().defaultValue);
  REQUIRE(a != nullptr);
  CHECK(a->kind == ValueKind::Int);
  CHECK(a->ops == kExampleOps);
  CHECK(a->literals == Value(std::vector<std::int32_t>{7, 8}));
  // (Left in the file until used: a sample is a non-empty array.)
  auto samples = back->findSpec(*Path::parse("/A.ts"))->get(fieldNames().timeSamples)->loaded();
  REQUIRE(samples.ok());
  const TimeSamples* ts = samples->getIf<TimeSamples>();
  REQUIRE(ts != nullptr);
  REQUIRE(ts->samples.size() == 5);
  REQUIRE(ts->samples[3].second.is<ArrayEdit>());
  CHECK(ts->samples[3].second.get<ArrayEdit>().isIdentity());
}

TEST_CASE("array edits: every element kind round trips, with literals and as the identity", "[crate][arrayedit]") {
  for (int k = 0; k <= static_cast<int>(ValueKind::Matrix4d); ++k) {
    const auto kind = static_cast<ValueKind>(k);
    INFO("kind " << k);
    auto layer = skeleton();
    withKindType(kind, [&](auto t) {
      using T = typename decltype(t)::type;
      setDefault(*layer, "/A.a", editOf<T>({T{}}, {{Code::WriteLiteral, 0, 0}, {Code::InsertLiteral, 0, kArrayEditEnd}}));
    });
    setDefault(*layer, "/A.plain", identityEdit(kind));
    const std::string bytes = crateOf(*layer);
    CHECK(versionOf(bytes) == "0.14.0");
    auto back = readBack(bytes);
    checkSameLayer(*layer, *back);
    CHECK(crateOf(*back) == bytes);
  }
}

TEST_CASE("array edits: the file is 0.14.0 exactly when an edit is present", "[crate][arrayedit]") {
  ::unsetenv("USD_WRITE_NEW_USDC_FILES_AS_VERSION");
  CHECK(versionOf(crateOf(*skeleton())) == "0.8.0");
  CHECK(versionOf(crateOf(*exampleLayer())) == "0.14.0");
  // Even the identity edit, which stores nothing but its descriptor.
  auto identity = skeleton();
  setDefault(*identity, "/A.a", identityEdit(ValueKind::Int));
  const std::string identityBytes = crateOf(*identity);
  CHECK(versionOf(identityBytes) == "0.14.0");
  checkSameLayer(*identity, *readBack(identityBytes));
  // Only in a time sample.
  auto sampled = skeleton();
  TimeSamples samples;
  samples.samples = {{1.0, Value(std::vector<std::int32_t>{1})}, {2.0, editOf<std::int32_t>({2}, {{Code::WriteLiteral, 0, 0}})}};
  setField(*sampled, "/A.ts", fieldNames().timeSamples, Value(std::move(samples)));
  const std::string sampledBytes = crateOf(*sampled);
  CHECK(versionOf(sampledBytes) == "0.14.0");
  checkSameLayer(*sampled, *readBack(sampledBytes));
  // A lower starting version (not asked for exactly) is raised, with a warning.
  CrateWriteOptions lower;
  lower.version = crate::Version{0, 13, 0};
  std::vector<std::string> warnings;
  lower.warnings = &warnings;
  CHECK(versionOf(crateOf(*exampleLayer(), lower)) == "0.14.0");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("from version 0.13.0 to 0.14.0") != std::string::npos);
}

TEST_CASE("array edits: an explicitly requested older version is refused", "[crate][arrayedit]") {
  CrateWriteOptions options;
  options.version = crate::Version{0, 13, 0};
  options.exactVersion = true;
  auto refused = writeCrate(*exampleLayer(), options);
  REQUIRE_FALSE(refused.ok());
  const std::string& message = refused.error().message;
  CHECK(message.find("an array edit") != std::string::npos);
  CHECK(message.find("</A.a>") != std::string::npos);
  CHECK(message.find("needs crate version 0.14.0") != std::string::npos);
  CHECK(message.find("0.13.0 was requested") != std::string::npos);
  options.version = crate::Version{0, 14, 0};
  CHECK(versionOf(crateOf(*exampleLayer(), options)) == "0.14.0");
}

TEST_CASE("array edits: literals that are no array of the edit's kind are refused by the writer", "[crate][arrayedit]") {
  auto layer = skeleton();
  setDefault(*layer, "/A.a", Value(ArrayEdit{ValueKind::Int, Value(std::vector<float>{1.f}), {{Code::WriteLiteral, 0, 0}}}));
  auto refused = writeCrate(*layer);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("not an array of its element type") != std::string::npos);
}

TEST_CASE("array edits: the example's op stream is stored as its words; equal edits share a record",
          "[crate][arrayedit]") {
  // The example edit as two defaults and two time samples.
  auto layer = exampleLayer();
  setDefault(*layer, "/A.same1", editOf<std::int32_t>({7, 8}, kExampleOps));
  TimeSamples samples;
  samples.samples = {{1.0, editOf<std::int32_t>({7, 8}, kExampleOps)}, {2.0, editOf<std::int32_t>({7, 8}, kExampleOps)}};
  setField(*layer, "/A.ts", fieldNames().timeSamples, Value(std::move(samples)));
  const std::string bytes = crateOf(*layer);
  const std::size_t record = exampleRecordAt(bytes);  // the stream and the record occur once
  // The literals descriptor: an int array (type 3) stored before the record.
  std::uint64_t literalsRep = 0;
  std::memcpy(&literalsRep, bytes.data() + record, 8);
  CHECK(literalsRep >> 60 == 0x8);
  CHECK(((literalsRep >> 48) & 0xFF) == 3);
  CHECK((literalsRep & ((1ull << 48) - 1)) < record);
  CHECK(bytes[record + 16] == 0);
  // The samples' descriptors (stored raw, unlike the compressed fields):
  // type 3, only the array-edit flag, the shared record's offset.
  const std::uint64_t editRep = (1ull << 60) | (3ull << 48) | record;
  const std::string editRepBytes(reinterpret_cast<const char*>(&editRep), 8);
  CHECK(occurrences(bytes, editRepBytes + editRepBytes) == 1);
  auto back = readBack(bytes);
  checkSameLayer(*layer, *back);
}

TEST_CASE("array edits: damaged edit data in a file is an error naming the offset", "[crate][arrayedit]") {
  const std::string good = crateOf(*exampleLayer());
  const std::size_t stream = exampleStreamAt(good);
  const std::size_t record = exampleRecordAt(good);
  const std::size_t words = stream + 8;  // the first header word

  SECTION("an unknown operation code") {
    std::string bytes = good;
    patch<std::int64_t>(bytes, words + 8 * 7, static_cast<std::int64_t>(12ull << 56 | 1));
    const std::string message = readError(bytes);
    CHECK(message.find("edit.usdc") != std::string::npos);
    CHECK(message.find("offset " + std::to_string(stream)) != std::string::npos);
    CHECK(message.find("operation code 12") != std::string::npos);
  }
  SECTION("a stream cut short") {
    std::string bytes = good;
    patch<std::uint64_t>(bytes, stream, kExampleWords.size() - 1);
    const std::string message = readError(bytes);
    CHECK(message.find("offset " + std::to_string(stream)) != std::string::npos);
    CHECK(message.find("only 1 follow") != std::string::npos);
  }
  SECTION("a group count far beyond the stream") {
    std::string bytes = good;
    patch<std::int64_t>(bytes, words, header(Code::SetSize, 1ull << 55));
    const std::string message = readError(bytes);
    CHECK(message.find("offset " + std::to_string(stream)) != std::string::npos);
    CHECK(message.find("36028797018963968 operations") != std::string::npos);
  }
  SECTION("an edit in a file older than 0.14.0") {
    std::string bytes = good;
    bytes[9] = 13;
    const std::string message = readError(bytes);
    CHECK(message.find("crate error at offset") != std::string::npos);
    CHECK(message.find("array edits need crate version 0.14.0, but this file is version 0.13.0") !=
          std::string::npos);
  }
  SECTION("literals of another type") {
    std::string bytes = good;
    bytes[record + 6] = 8;  // float
    const std::string message = readError(bytes);
    CHECK(message.find("offset " + std::to_string(record)) != std::string::npos);
    CHECK(message.find("are not an array of type 3") != std::string::npos);
  }
  SECTION("literals that are no array") {
    std::string bytes = good;
    bytes[record + 7] = static_cast<char>(bytes[record + 7] & 0x7F);
    CHECK(readError(bytes).find("offset " + std::to_string(record)) != std::string::npos);
  }
  SECTION("an op stream that is no int64 array") {
    std::string bytes = good;
    bytes[record + 8 + 6] = 3;  // int
    const std::string message = readError(bytes);
    CHECK(message.find("offset " + std::to_string(record + 8)) != std::string::npos);
    CHECK(message.find("are not an int64 array") != std::string::npos);
  }
  SECTION("literals that are themselves an edit") {
    std::string bytes = good;
    bytes[record + 7] = static_cast<char>(bytes[record + 7] | 0x10);
    CHECK(readError(bytes).find("offset " + std::to_string(record)) != std::string::npos);
  }
}

TEST_CASE("array edits: damaged edit descriptors are errors naming the offset", "[crate][arrayedit]") {
  // An edit as a time sample, whose descriptor is stored raw (beside a
  // block: a non-empty array would leave the samples to be read on use).
  auto layer = skeleton();
  TimeSamples samples;
  samples.samples = {{1.0, Value(ValueBlock{})}, {2.0, editOf<std::int32_t>({7, 8}, kExampleOps)}};
  setField(*layer, "/A.ts", fieldNames().timeSamples, Value(std::move(samples)));
  const std::string good = crateOf(*layer);
  checkSameLayer(*layer, *readBack(good));
  const std::size_t record = exampleRecordAt(good);
  const std::uint64_t editRep = (1ull << 60) | (3ull << 48) | record;
  const std::size_t repAt = findOnce(good, std::string(reinterpret_cast<const char*>(&editRep), 8));
  const std::string at = "offset " + std::to_string(repAt);

  SECTION("a record running past the end of the file") {
    std::string bytes = good;
    patch<std::uint64_t>(bytes, repAt, (1ull << 60) | (3ull << 48) | (bytes.size() - 10));
    const std::string message = readError(bytes);
    CHECK(message.find("array edit record") != std::string::npos);
  }
  SECTION("a record outside the file") {
    std::string bytes = good;
    patch<std::uint64_t>(bytes, repAt, (1ull << 60) | (3ull << 48) | (bytes.size() + 100));
    CHECK(readError(bytes).find(at) != std::string::npos);
  }
  SECTION("an edit of a type without arrays") {
    std::string bytes = good;
    bytes[repAt + 6] = 31;  // dictionary
    const std::string message = readError(bytes);
    CHECK(message.find(at) != std::string::npos);
    CHECK(message.find("array edit of type 31") != std::string::npos);
  }
  SECTION("an edit also flagged as an array, inlined or compressed") {
    for (unsigned char flag : {0x80, 0x40, 0x20}) {
      std::string bytes = good;
      bytes[repAt + 7] = static_cast<char>(bytes[repAt + 7] | flag);
      const std::string message = readError(bytes);
      CHECK(message.find(at) != std::string::npos);
      CHECK(message.find("array edit descriptor") != std::string::npos);
    }
  }
  SECTION("a 0.13.0 file") {
    std::string bytes = good;
    bytes[9] = 13;
    const std::string message = readError(bytes);
    CHECK(message.find(at) != std::string::npos);
    CHECK(message.find("array edits need crate version 0.14.0") != std::string::npos);
  }
}
