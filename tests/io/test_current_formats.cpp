// What current OpenUSD (25.x) reads and writes beyond 24.11: the crate
// version policy (new files start at 0.8.0, USD_WRITE_NEW_USDC_FILES_AS_VERSION,
// versions up to 0.14.0 read), AnimationBlock values, `#usda 1.1` and spline
// tangent algorithms. The expectations come from OpenUSD's sources
// (pxr/usd/sdf/crateFile.cpp, crateDataTypes.h, usdaFileFormat.cpp,
// fileIO_Common.cpp, textFileFormatParser.h, testenv/testSdfSplineVersioning.py).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "io/crate/CrateReader.h"
#include "io/crate/CrateWriter.h"
#include "CrateTestSupport.h"
#include "UsdaTestSupport.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"
#include "sdf/Fields.h"

using namespace usdkit;
using usda_test::usdaOf;
using crate_test::crateOf;
using crate_test::readBack;
using crate_test::versionOf;

namespace {

std::unique_ptr<Layer> parse(std::string_view text, std::vector<std::string>* warnings = nullptr) {
  UsdaReadOptions options;
  options.warnings = warnings;
  auto layer = readUsda(text, "test.usda", options);
  INFO((layer.ok() ? std::string() : layer.error().message));
  REQUIRE(layer.ok());
  return std::move(layer.value());
}

// The error of reading crate `bytes`, or of printing them as text when the
// reader leaves the value for later (values load on first use); one of the
// two must fail.
std::string readOrPrintError(const std::string& bytes, const char* name) {
  auto read = readCrate(bytes, nullptr, name);
  if (!read.ok()) return read.error().message;
  auto text = writeUsdaToString(**read);
  REQUIRE_FALSE(text.ok());
  return text.error().message;
}

// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (had_) ::setenv(name_, old_.c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

constexpr const char* kCrateEnv = "USD_WRITE_NEW_USDC_FILES_AS_VERSION";
constexpr const char* kUsdaEnv = "USD_WRITE_NEW_USDA_FILES_AS_VERSION";

}  // namespace

TEST_CASE("crate: new files start at 0.8.0 and the content raises the version", "[current]") {
  ::unsetenv(kCrateEnv);
  // testSdfSplineVersioning.py: a plain layer is 0.8.0, a spline 0.12.0.
  CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" {\n  double x = 1\n}\n"))) == "0.8.0");
  CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" {\n  timecode t = 3\n}\n"))) == "0.9.0");
  CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" {\n  double x.spline = {\n    1: 1,\n  }\n}\n"))) ==
        "0.12.0");
  CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" {\n  pathExpression e = \"/A\"\n}\n"))) == "0.10.0");
  // A payload list op needs 0.8.0: the default already has it.
  CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" (\n  payload = @a.usda@\n) {\n}\n"))) == "0.8.0");
  // Starting lower, a prepended item raises 0.1.0 to 0.2.0.
  CrateWriteOptions old;
  old.version = crate::Version{0, 1, 0};
  std::vector<std::string> warnings;
  old.warnings = &warnings;
  CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" (\n  prepend inherits = </B>\n) {\n}\n"), old)) == "0.2.0");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("from version 0.1.0 to 0.2.0") != std::string::npos);
  // Asked for exactly: refused, naming the version needed.
  old.exactVersion = true;
  auto refused = writeCrate(*parse("#usda 1.0\ndef \"A\" (\n  prepend inherits = </B>\n) {\n}\n"), old);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("0.2.0") != std::string::npos);
}

TEST_CASE("crate: USD_WRITE_NEW_USDC_FILES_AS_VERSION picks the starting version; 0.9.0 gives 24.11's bytes",
          "[current]") {
  auto layer = parse("#usda 1.0\ndef \"A\" {\n  double x = 1\n  timecode t = 2\n}\n");
  const std::string upgraded = crateOf(*layer);  // 0.8.0 raised by the timecode
  CHECK(versionOf(upgraded) == "0.9.0");
  {
    ScopedEnv env(kCrateEnv, "0.9.0");
    CHECK(crateOf(*layer) == upgraded);
    CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" {\n}\n"))) == "0.9.0");
  }
  {
    ScopedEnv env(kCrateEnv, "0.14.0");
    CHECK(versionOf(crateOf(*layer)) == "0.14.0");
  }
  for (const char* bad : {"0.15.0", "1.0.0", "0.3.0", "zero"}) {
    ScopedEnv env(kCrateEnv, bad);
    std::vector<std::string> warnings;
    CrateWriteOptions options;
    options.warnings = &warnings;
    INFO(bad);
    CHECK(versionOf(crateOf(*parse("#usda 1.0\ndef \"A\" {\n}\n"), options)) == "0.8.0");
    REQUIRE_FALSE(warnings.empty());
    CHECK(warnings[0].find("Invalid value '" + std::string(bad) + "' for USD_WRITE_NEW_USDC_FILES_AS_VERSION") !=
          std::string::npos);
  }
}

TEST_CASE("crate: files of every version up to 0.14.0 read back; newer ones are refused", "[current]") {
  ::unsetenv(kCrateEnv);
  const std::string text = "#usda 1.0\n\ndef \"A\"\n{\n    int[] a = [1, 2, 3]\n    double x = 1.5\n}\n\n";
  auto layer = parse(text);
  for (crate::Version v : {crate::Version{0, 0, 1}, crate::Version{0, 4, 0}, crate::Version{0, 8, 0},
                           crate::Version{0, 12, 0}, crate::Version{0, 13, 0}, crate::Version{0, 14, 0}}) {
    CrateWriteOptions options;
    options.version = v;
    options.exactVersion = true;
    const std::string bytes = crateOf(*layer, options);
    INFO(versionOf(bytes));
    CHECK(usdaOf(*readBack(bytes)) == text);
  }
  std::string future = crateOf(*layer);
  future[9] = 15;
  auto refused = readCrate(future, nullptr, "future.usdc");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("0.15.0") != std::string::npos);
}

TEST_CASE("crate: a value marked as an array edit (0.14.0) is an error, not a misread value", "[current]") {
  // Version 0.2.0 keeps the FIELDS section uncompressed, so the value
  // descriptor of `int x = 5` (type 3, inlined, payload 5) can be found.
  auto layer = parse("#usda 1.0\ndef \"A\" {\n  int x = 5\n}\n");
  CrateWriteOptions options;
  options.version = crate::Version{0, 2, 0};
  std::string bytes = crateOf(*layer, options);
  const std::uint64_t rep = (1ull << 62) | (3ull << 48) | 5;
  char pattern[8];
  std::memcpy(pattern, &rep, 8);
  const std::size_t at = bytes.find(std::string_view(pattern, 8));
  REQUIRE(at != std::string::npos);
  REQUIRE(bytes.find(std::string_view(pattern, 8), at + 1) == std::string::npos);
  bytes[at + 7] = static_cast<char>(bytes[at + 7] | 0x10);  // bit 60
  const std::string message = readOrPrintError(bytes, "edit.usdc");
  CHECK(message.find("array edits") != std::string::npos);
}

TEST_CASE("AnimationBlock: usda keyword, crate type 60, round trips", "[current]") {
  ::unsetenv(kCrateEnv);
  ::unsetenv(kUsdaEnv);
  // As in OpenUSD's testUsdFlattenLayerStack/animationBlocks_strong.usda
  // (with the first knot's pre-tangent, which the writer always gives).
  const std::string text =
      "#usda 1.0\n\nover \"Human\"\n{\n    double b = AnimationBlock\n    double b.spline = {\n"
      "        1: 10; pre (0, 0); post held,\n        2: 20; post held,\n    }\n    int c = AnimationBlock\n}\n\n";
  auto layer = parse(text);
  const Spec* c = layer->findSpec(*Path::parse("/Human.c"));
  REQUIRE(c);
  CHECK(c->getAs<AnimationBlock>(fieldNames().defaultValue) != nullptr);
  CHECK(c->getAs<ValueBlock>(fieldNames().defaultValue) == nullptr);
  CHECK(usdaOf(*layer) == text);

  const std::string bytes = crateOf(*layer);
  CHECK(crateOf(*layer) == bytes);
  // crateFile.cpp asks for no newer version for an AnimationBlock; the spline
  // makes this file 0.12.0.
  CHECK(versionOf(bytes) == "0.12.0");
  auto back = readBack(bytes);
  CHECK(usdaOf(*back) == text);
  CHECK(crateOf(*back) == bytes);

  auto plain = parse("#usda 1.0\ndef \"A\" {\n  int c = AnimationBlock\n}\n");
  const std::string plainBytes = crateOf(*plain);
  CHECK(versionOf(plainBytes) == "0.8.0");
  // Inlined: type 60 with the inlined bit and a zero payload.
  const std::uint64_t rep = (1ull << 62) | (60ull << 48);
  char pattern[8];
  std::memcpy(pattern, &rep, 8);
  CrateWriteOptions uncompressed;
  uncompressed.version = crate::Version{0, 2, 0};
  CHECK(crateOf(*plain, uncompressed).find(std::string_view(pattern, 8)) != std::string::npos);
  CHECK(readBack(plainBytes)->findSpec(*Path::parse("/A.c"))->getAs<AnimationBlock>(fieldNames().defaultValue));
}

TEST_CASE("AnimationBlock is only an attribute's default, not a time sample or metadata value", "[current]") {
  CHECK_FALSE(readUsda("#usda 1.0\ndef \"A\" {\n  double x.timeSamples = { 1: AnimationBlock }\n}\n", "t.usda").ok());
  // `None` still blocks a sample.
  CHECK(readUsda("#usda 1.0\ndef \"A\" {\n  double x.timeSamples = { 1: None }\n}\n", "t.usda").ok());
}

TEST_CASE("usda: 1.1 headers read without a warning; new files are 1.0 unless a tangent algorithm needs 1.1",
          "[current]") {
  ::unsetenv(kUsdaEnv);
  std::vector<std::string> warnings;
  auto layer = parse("#usda 1.1\ndef \"A\" {\n}\n", &warnings);
  CHECK(warnings.empty());
  // A file read as 1.1 without 1.1 content is written as a new file: 1.0.
  CHECK(usdaOf(*layer).rfind("#usda 1.0\n", 0) == 0);
  parse("#usda 1.7\ndef \"A\" {\n}\n", &warnings);
  CHECK(warnings.size() == 1);
  {
    ScopedEnv env(kUsdaEnv, "1.1");
    CHECK(usdaOf(*layer).rfind("#usda 1.1\n", 0) == 0);
  }
  {
    ScopedEnv env(kUsdaEnv, "1.2");  // array edits (test_usda_array_edits.cpp)
    CHECK(usdaOf(*layer).rfind("#usda 1.2\n", 0) == 0);
  }
  for (const char* bad : {"1.3", "2.0", "0.9", "x"}) {
    ScopedEnv env(kUsdaEnv, bad);
    std::vector<std::string> writeWarnings;
    INFO(bad);
    CHECK(usdaOf(*layer, &writeWarnings).rfind("#usda 1.0\n", 0) == 0);
    REQUIRE(writeWarnings.size() == 1);
    CHECK(writeWarnings[0].find("USD_WRITE_NEW_USDA_FILES_AS_VERSION") != std::string::npos);
  }
}

TEST_CASE("splines: tangent algorithms read and write as usda 1.1", "[current]") {
  ::unsetenv(kUsdaEnv);
  // fileIO_Common.cpp: `(width, slope, algorithm)` for bezier, `(slope,
  // algorithm)` for hermite; the algorithm only when not None.
  const std::string bezier =
      "#usda 1.1\n\ndef \"A\"\n{\n    double x.spline = {\n        bezier,\n"
      "        0: 0; pre (1, 0, custom); post curve (1, 2, autoEase),\n"
      "        5: 3; pre (1, 0); post curve (2, 1, custom),\n"
      "        9: 4; pre (1, 0, autoEase); post held,\n    }\n}\n\n";
  std::vector<std::string> warnings;
  auto layer = parse(bezier, &warnings);
  CHECK(warnings.empty());
  const Spline* s = layer->findSpec(*Path::parse("/A.x"))->getAs<Spline>(fieldNames().spline);
  REQUIRE(s);
  REQUIRE(s->knots.size() == 3);
  CHECK(s->knots[0].preTanAlgorithm == Spline::TangentAlgorithm::Custom);
  CHECK(s->knots[0].postTanAlgorithm == Spline::TangentAlgorithm::AutoEase);
  CHECK(s->knots[0].postTanWidth == 1);
  CHECK(s->knots[0].postTanSlope == 2);
  CHECK(s->knots[1].preTanAlgorithm == Spline::TangentAlgorithm::None);
  CHECK(s->knots[2].preTanAlgorithm == Spline::TangentAlgorithm::AutoEase);
  std::vector<std::string> writeWarnings;
  CHECK(usdaOf(*layer, &writeWarnings) == bezier);
  REQUIRE(writeWarnings.size() == 1);
  CHECK(writeWarnings[0].find("from version 1.0 to 1.1") != std::string::npos);

  const std::string hermite =
      "#usda 1.1\n\ndef \"A\"\n{\n    double x.spline = {\n        hermite,\n"
      "        0: 0; pre (0); post curve (2, autoEase),\n        5: 3; pre (1, custom); post held,\n    }\n}\n\n";
  auto h = parse(hermite);
  const Spline* hs = h->findSpec(*Path::parse("/A.x"))->getAs<Spline>(fieldNames().spline);
  REQUIRE(hs);
  CHECK(hs->knots[0].postTanSlope == 2);
  CHECK(hs->knots[0].postTanAlgorithm == Spline::TangentAlgorithm::AutoEase);
  CHECK(hs->knots[1].preTanAlgorithm == Spline::TangentAlgorithm::Custom);
  CHECK(usdaOf(*h) == hermite);

  // An algorithm on a tangent that is not written (the pre side after a
  // held segment) does not raise the version.
  auto hidden = parse(
      "#usda 1.0\ndef \"A\" {\n  double x.spline = {\n    0: 0; post held,\n    5: 3; pre (1, 0, custom); post held,\n"
      "  }\n}\n");
  CHECK(usdaOf(*hidden).rfind("#usda 1.0\n", 0) == 0);

  CHECK_FALSE(readUsda("#usda 1.1\ndef \"A\" {\n  double x.spline = {\n    0: 0; post curve (1, 2, none),\n  }\n}\n",
                       "t.usda")
                  .ok());
}

TEST_CASE("splines: crate output with tangent algorithms is refused, naming 0.13.0", "[current]") {
  auto layer = parse(
      "#usda 1.1\ndef \"A\" {\n  double x.spline = {\n    0: 0; post curve (1, 2, autoEase),\n    5: 1; pre (1, 0),\n"
      "  }\n}\n");
  auto bytes = writeCrate(*layer);
  REQUIRE_FALSE(bytes.ok());
  CHECK(bytes.error().message.find("0.13.0") != std::string::npos);
  CHECK(bytes.error().message.find("/A.x") != std::string::npos);
}

TEST_CASE("splines: crate spline data of version 2 (0.13.0 tangent algorithms) is reported, not misread",
          "[current]") {
  auto layer = parse("#usda 1.0\ndef \"A\" {\n  double x.spline = {\n    1: 1,\n  }\n}\n");
  std::string bytes = crateOf(*layer);
  // The spline blob: its size (2 header bytes, a knot count, one bezier knot
  // of flags, time, value, two widths and two slopes), then header byte
  // 0x11 (version 1, double values) and the extrapolation byte 0x09 (held,
  // held).
  const std::uint64_t blobSize = 2 + 4 + 1 + 8 + 8 + 16 + 16;
  std::string pattern(reinterpret_cast<const char*>(&blobSize), 8);
  pattern += "\x11\x09";
  const std::size_t at = bytes.find(pattern);
  REQUIRE(at != std::string::npos);
  CHECK(usdaOf(*readBack(bytes)).find("1: 1") != std::string::npos);
  bytes[at + 8] = 0x12;  // version 2
  const std::string message = readOrPrintError(bytes, "v2.usdc");
  CHECK(message.find("spline data version 2") != std::string::npos);
  CHECK(message.find("0.13.0") != std::string::npos);
}
