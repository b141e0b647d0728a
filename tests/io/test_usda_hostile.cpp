// Unit tests of the usda reader on hostile input: NUL bytes in values, deep
// nesting, numbers beyond the range of their type, stray bytes. Each such
// file must give a value OpenUSD would give or an error naming the place,
// never a crash, a hang or a value that changes on a round trip.
#include <catch2/catch.hpp>

#include <string>

#include "UsdaTestSupport.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"
#include "sdf/Fields.h"

using namespace usdkit;
using namespace usdkit::usda_test;
using namespace std::string_literals;

namespace {

const Value& defaultOf(const Layer& layer, std::string_view path) {
  const Value* v = spec(layer, path).get(fieldNames().defaultValue);
  INFO(path);
  REQUIRE(v);
  return *v;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("a NUL byte ends a quoted value, with a warning naming the place", "[usda][hostile]") {
  std::vector<std::string> warnings;
  auto layer = parseOk("#usda 1.0\n"
                       "(\n"
                       "    doc = \"layer\0doc\"\n"
                       "    customLayerData = { string \"k\0ey\" = \"v\0alue\" }\n"
                       ")\n"
                       "def \"P\" (\n"
                       "    references = @a\0b.usda@</R>\n"
                       "    payload = @@@p\0q.usda@@@\n"
                       ")\n"
                       "{\n"
                       "    token t = \"a\0b\"\n"
                       "    string s = \"\"\"x\0\ny\"\"\"\n"
                       "    string e = \"c\\x00d\"\n"
                       "    token[] ts = [\"u\0v\", \"w\"]\n"
                       "    asset a = @f\0g@\n"
                       "}\n"s,
                       &warnings);
  const Spec& root = layer->pseudoRoot();
  CHECK(*root.getAs<std::string>(fieldNames().documentation) == "layer");
  const Dictionary& cld = *root.getAs<Dictionary>(Token("customLayerData"));
  REQUIRE(cld.entries.size() == 1);
  CHECK(cld.entries.begin()->first == "k");
  CHECK(cld.entries.begin()->second.get<std::string>() == "v");
  const Spec& p = spec(*layer, "/P");
  CHECK(p.getAs<ReferenceListOp>(fieldNames().references)->explicitItems.at(0).assetPath == "a");
  CHECK(p.getAs<PayloadListOp>(fieldNames().payload)->explicitItems.at(0).assetPath == "p");
  CHECK(defaultOf(*layer, "/P.t").get<Token>() == "a");
  CHECK(defaultOf(*layer, "/P.s").get<std::string>() == "x");
  CHECK(defaultOf(*layer, "/P.e").get<std::string>() == "c");
  const auto& ts = defaultOf(*layer, "/P.ts").get<std::vector<Token>>();
  REQUIRE(ts.size() == 2);
  CHECK(ts[0] == "u");
  CHECK(defaultOf(*layer, "/P.a").get<AssetPath>().path == "f");
  // One warning per value, at the NUL (escapes: at the string).
  CAPTURE(warnings);
  REQUIRE(warnings.size() == 10);
  CHECK(contains(warnings[0], "test.usda:3:17: warning: quoted string contains a NUL byte"));
  CHECK(contains(warnings[7], "test.usda:14:16: warning: quoted string contains a NUL byte"));
  CHECK(contains(warnings[9], "test.usda:16:17: warning: asset path contains a NUL byte"));
}

TEST_CASE("values nested beyond the limit are an error, not a stack overflow", "[usda][hostile]") {
  const int deep = 10000;
  auto check = [](const std::string& text, std::string_view where) {
    std::string message = parseError(text);
    INFO(message);
    CHECK(contains(message, where));
    CHECK(contains(message, "nested more than 200 levels deep"));
  };
  check("#usda 1.0\ndef \"P\" {\n    double[] a = " + repeat("[", deep) + "1" + repeat("]", deep) + "\n}\n",
        "test.usda:3:");
  check("#usda 1.0\ndef \"P\" {\n    double3 a = " + repeat("(", deep) + "1" + repeat(")", deep) + "\n}\n",
        "test.usda:3:");
  check("#usda 1.0\n(\n    customLayerData = " + repeat("{ dictionary d = ", deep) + "{}" + repeat(" }", deep) +
            "\n)\n",
        "test.usda:3:");
  check("#usda 1.0\ndef \"P\" (\n    customData = " + repeat("{ dictionary d = ", deep) + "{}" +
            repeat(" }", deep) + "\n) {\n}\n",
        "test.usda:3:");
  check("#usda 1.0\ndef \"P\" (\n    myUnknown = " + repeat("[", deep) + "1" + repeat("]", deep) + "\n) {\n}\n",
        "test.usda:3:");
  check("#usda 1.0\ndef \"P\" {\n    custom myType u = " + repeat("(", deep) + "1" + repeat(")", deep) +
            "\n}\n",
        "test.usda:3:");
  // The limit is generous: 150 levels read.
  auto layer = parseOk("#usda 1.0\n(\n    customLayerData = " + repeat("{ dictionary d = ", 150) + "{}" +
                       repeat(" }", 150) + "\n)\n");
  CHECK(layer->pseudoRoot().getAs<Dictionary>(Token("customLayerData")));
}

TEST_CASE("the deepest prims may hold the deepest values", "[usda][hostile]") {
  // 1000 prim levels (their limit) with a 200-level value inside: must fit
  // the stack, also in a sanitizer build.
  std::string text = "#usda 1.0\n";
  for (int i = 0; i < 1000; ++i) text += "def \"P\" {\n";
  text += "custom myType u = " + repeat("(", 200) + "1" + repeat(")", 200) + "\n";
  for (int i = 0; i < 1000; ++i) text += "}\n";
  parseOk(text);
}

TEST_CASE("integers out of the range of their type are refused exactly", "[usda][hostile]") {
  auto refused = [](std::string_view type, std::string_view value) {
    std::string text = "#usda 1.0\ndef \"P\" {\n    " + std::string(type) + " x = " + std::string(value) + "\n}\n";
    std::string message = parseError(text);
    INFO(type << " " << value << ": " << message);
    CHECK(contains(message, "test.usda:3:"));
    CHECK(contains(message, "expected an integer"));
  };
  auto accepted = [](std::string_view type, std::string_view value) {
    std::string text = "#usda 1.0\ndef \"P\" {\n    " + std::string(type) + " x = " + std::string(value) + "\n}\n";
    INFO(type << " " << value);
    parseOk(text);
  };
  refused("uint64", "1.8446744073709552e19");
  refused("uint64", "18446744073709551616");  // too large as an integer: read as 2^64
  refused("uint64", "-1.0");
  accepted("uint64", "-0.5");  // truncated toward zero
  accepted("uint64", "1.8446744073709550e19");
  refused("int64", "9.223372036854775808e18");
  refused("int64", "-9.223372036854775808e18");  // min - 1 rounds to min in double
  accepted("int64", "-9223372036854775808");
  accepted("int64", "9.2233720368547748e18");
  refused("int", "2147483648.0");
  accepted("int", "2147483647.9");
  refused("int", "-2147483649.0");
  accepted("int", "-2147483648.9");
  refused("uint", "4294967296.0");
  refused("uchar", "256.0");
  accepted("uchar", "255.5");
  refused("int", "1e300");
  refused("int", "nan");
  refused("int", "inf");
  // The same bounds in arrays and tuples, on the direct path and the
  // general one (a string element sends the array there).
  refused("uint64[]", "[1, 1.8446744073709552e19]");
  refused("int64[]", "[9.223372036854775808e18]");
  refused("int3", "(1, 2, 2147483648.0)");
  refused("int2[]", "[(1, 2), (3, 4294967296e0)]");
  refused("int[]", "[1, \"x\", 2147483648.0]");
  auto layer = parseOk("#usda 1.0\ndef \"P\" {\n    uint64 u = 1.8446744073709550e19\n"
                       "    int64[] i = [-9.2233720368547748e18, 5.9]\n}\n");
  CHECK(defaultOf(*layer, "/P.u").get<std::uint64_t>() == 18446744073709549568ull);
  CHECK(defaultOf(*layer, "/P.i").get<std::vector<std::int64_t>>()[1] == 5);
}

TEST_CASE("a stray byte is named where it is", "[usda][hostile]") {
  std::string message = parseError("#usda 1.0\ndef X \xff {\n}\n");
  CHECK(message == "test.usda:2:7: error: Expected string, found byte 0xff (not UTF-8)");
  message = parseError("#usda 1.0\ndef \"P\" {\n    int \x01 = 1\n}\n");
  CHECK(contains(message, "test.usda:3:9: error:"));
  CHECK(contains(message, "found byte 0x01 (a control character)"));
  // Inside a quoted name: the byte itself, not the start of the string.
  message = parseError("#usda 1.0\ndef \"Wo\xffrld\" {\n}\n");
  CHECK(message == "test.usda:2:8: error: invalid UTF-8 in quoted string, found byte 0xff (not UTF-8)");
  // Quoted input in messages is printable.
  message = parseError("#usda 1.0\ndef \"\x01P\" {\n}\n");
  CHECK(message == "test.usda:2:5: error: '\\x01P' is not a valid prim name");
}

TEST_CASE("time samples out of order are sorted without quadratic work", "[usda][hostile]") {
  std::string text = "#usda 1.0\ndef \"P\" {\n    double x.timeSamples = {\n";
  const int n = 200000;
  for (int i = n; i > 0; --i) text += "        " + std::to_string(i) + ": " + std::to_string(i) + ",\n";
  text += "        5: -5,\n        -0: 1,\n        0: 2,\n    }\n}\n";
  auto layer = parseOk(text);  // quadratic insertion took minutes here
  const auto& samples = spec(*layer, "/P.x").get(fieldNames().timeSamples)->get<TimeSamples>().samples;
  REQUIRE(samples.size() == static_cast<std::size_t>(n) + 1);
  CHECK(std::signbit(samples[0].first));  // the first of -0 and 0 keeps its time
  CHECK(samples[0].second.get<double>() == 2.0);  // the last value wins
  CHECK(samples[1].first == 1.0);
  CHECK(samples[5].second.get<double>() == -5.0);
  CHECK(samples.back().first == static_cast<double>(n));
}

TEST_CASE("spline loop counts beyond int32 are refused", "[usda][hostile]") {
  std::string message = parseError("#usda 1.0\ndef \"P\" {\n    double x.spline = {\n"
                                   "        loop: (0, 10, 1e300, 0, 0),\n    }\n}\n");
  CHECK(contains(message, "test.usda:4:"));
  CHECK(contains(message, "loop count out of range"));
}

TEST_CASE("strings holding malformed UTF-8 are written with escapes that read back", "[usda][hostile]") {
  // \x escapes can put any bytes in a string. OpenUSD's quoter writes byte
  // runs that merely look like UTF-8 (overlong C1 85, a surrogate, a code
  // point past U+10FFFF) raw, which no reader accepts; they are escaped.
  auto layer = parseOk(
      "#usda 1.0\n"
      "def \"P\" {\n"
      "    custom string s = \"a\\xc1\\x85b\\xed\\xa0\\x80c\\xf4\\x90\\x80\\x80d\\xc3\\xa9\"\n"
      "}\n");
  const std::string expected = "a\xc1\x85" "b\xed\xa0\x80" "c\xf4\x90\x80\x80" "d\xc3\xa9";
  const Spec* s = layer->findSpec(*Path::parse("/P.s"));
  REQUIRE(s != nullptr);
  REQUIRE(s->getAs<std::string>(fieldNames().defaultValue) != nullptr);
  CHECK(*s->getAs<std::string>(fieldNames().defaultValue) == expected);
  auto text = writeUsdaToString(*layer);
  REQUIRE(text.ok());
  // Valid UTF-8 (é) stays raw; the rest is escaped.
  CHECK(contains(*text, "\"a\\xc1\\x85b\\xed\\xa0\\x80c\\xf4\\x90\\x80\\x80d\xc3\xa9\""));
  auto back = parseOk(*text);
  const Spec* again = back->findSpec(*Path::parse("/P.s"));
  REQUIRE(again != nullptr);
  CHECK(*again->getAs<std::string>(fieldNames().defaultValue) == expected);
}
