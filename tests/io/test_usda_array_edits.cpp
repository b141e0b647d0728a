// Array edits in usda (`edit [...]`, usda 1.2): reading, writing, the
// header version, and errors. OpenUSD's own case is testSdfParsing's
// 227_arrayEdits.usda with its baseline (stored copy @77c26321), quoted
// below; the rules come from textFileFormatParser.h @7a144a52 and
// arrayEdit.cpp @03beaab1 (see the note of issue 16).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "io/usda/UsdaWriter.h"
#include "sdf/Fields.h"
#include "UsdaTestSupport.h"

using namespace usdkit;
using usda_test::usdaOf;
using usda_test::parseError;
using Code = ArrayEditOp::Code;

namespace {

const char* const kOpenUsdInput = R"usda(#usda 1.2

over "foo"
{
    string[] sattr = edit [
        minsize 1024; append "hello world"; append 'with "quotes"'
        append '''foo
with newlines
'''
    ]
    int[] iattr = edit [
        write [0] to [1]
        write 123 to [0]
        append [-1]
        append 234
        append 56
        append 80
        prepend [63]
    ]
    point3d[] points.timeSamples = {
        0: [(0, 158.785, 79.57), (-67.82, 75.581, 80.12)],
        1: [(1, 158.785, 79.57), (-67.82, 75.581, 80.12)],
        2: [(2, 158.785, 79.57), (-67.82, 75.581, 80.12)],
        3: edit [
            write (1, 2, 3) to [0]
            append (2, 3, 4)
            append (5, 6, 7)
        ],
        4: [(1.23, 2.34, 3.45)]
    }
    asset[] asattr = edit [
        prepend @@@assetwith/an/@/within@@@
        append @asset/path@
    ]
    bool[] battr = edit [
        write true to [0]
        write false to [1]
        write [1] to [2]
        write yes to [-1]
        write no to [-2]
        prepend 1
        append 0
        prepend [0]
        append [1]
        erase [3]
        erase [3]
        minsize 100 fill yes
        resize 200 fill no
        maxsize 150
        minsize 300
        maxsize 10
    ]
}

)usda";

const char* const kOpenUsdBaseline = R"usda(#usda 1.2

over "foo"
{
    asset[] asattr = edit [prepend @@@assetwith/an/@/within@@@; append @asset/path@]
    bool[] battr = edit [write 1 to [0]; write 0 to [1]; write [1] to [2]; write 1 to [-1]; write 0 to [-2]; prepend 1; append 0; prepend [0]; append [1]; erase [3]; erase [3]; minsize 100 fill 1; resize 200 fill 0; maxsize 150; minsize 300; maxsize 10]
    int[] iattr = edit [write [0] to [1]; write 123 to [0]; append [-1]; append 234; append 56; append 80; prepend [63]]
    point3d[] points.timeSamples = {
        0: [(0, 158.785, 79.57), (-67.82, 75.581, 80.12)],
        1: [(1, 158.785, 79.57), (-67.82, 75.581, 80.12)],
        2: [(2, 158.785, 79.57), (-67.82, 75.581, 80.12)],
        3: edit [write (1, 2, 3) to [0]; append (2, 3, 4); append (5, 6, 7)],
        4: [(1.23, 2.34, 3.45)],
    }
    string[] sattr = edit [minsize 1024; append "hello world"; append 'with "quotes"'; append """foo
with newlines
"""]
}

)usda";

const ArrayEdit& defaultEdit(const Layer& layer, const char* attr) {
  const ArrayEdit* edit = usda_test::spec(layer, attr).getAs<ArrayEdit>(fieldNames().defaultValue);
  REQUIRE(edit);
  return *edit;
}

}  // namespace

TEST_CASE("array edits: OpenUSD's 227_arrayEdits.usda reads and writes as its baseline", "[current]") {
  std::vector<std::string> warnings;
  auto layer = usda_test::parseOk(kOpenUsdInput, &warnings);
  CHECK(warnings.empty());  // a 1.2 header is current
  CHECK(usdaOf(*layer) == kOpenUsdBaseline);
  // The text written reads back as the same layer.
  auto again = usda_test::parseOk(usdaOf(*layer));
  CHECK(usdaOf(*again) == kOpenUsdBaseline);
  const ArrayEdit& ints = defaultEdit(*layer, "/foo.iattr");
  CHECK(ints.kind == ValueKind::Int);
  CHECK(ints.literals.get<std::vector<std::int32_t>>() == std::vector<std::int32_t>{123, 234, 56, 80});
  CHECK(ints.ops == std::vector<ArrayEditOp>{{Code::WriteRef, 0, 1}, {Code::WriteLiteral, 0, 0},
                                             {Code::InsertRef, -1, kArrayEditEnd}, {Code::InsertLiteral, 1, kArrayEditEnd},
                                             {Code::InsertLiteral, 2, kArrayEditEnd}, {Code::InsertLiteral, 3, kArrayEditEnd},
                                             {Code::InsertRef, 63, 0}});
  // Equal literals are kept once, in order of first use: yes/true and
  // no/false are one value each.
  const ArrayEdit& bools = defaultEdit(*layer, "/foo.battr");
  CHECK(bools.literals.get<std::vector<bool>>() == std::vector<bool>{true, false});
  CHECK(bools.ops.size() == 16);
  CHECK(bools.ops[11] == ArrayEditOp{Code::MinSizeFill, 100, 0});
  CHECK(bools.ops[12] == ArrayEditOp{Code::SetSizeFill, 200, 1});
}

TEST_CASE("array edits: insert positions, the empty edit, and `edit` as a plain word", "[current]") {
  auto layer = usda_test::parseOk("#usda 1.2\nover \"A\" {\n"
                     "    int[] a = edit [insert 5 at [0]; insert [1] at [-1]; insert 7 at [-9223372036854775808]; erase [-1];]\n"
                     "    int[] b = edit []\n"
                     "    int[] c = edit[\n\n  append 1 ; \n]\n"
                     "    int[] edit = edit [append 2]\n"
                     "}\n");
  // Inserting at 0 is prepending; at the most negative index, appending.
  CHECK(usdaOf(*layer).find("int[] a = edit [prepend 5; insert [1] at [-1]; append 7; erase [-1]]") != std::string::npos);
  CHECK(defaultEdit(*layer, "/A.b").isIdentity());
  CHECK(usdaOf(*layer).find("int[] b = edit []\n") != std::string::npos);
  CHECK(defaultEdit(*layer, "/A.c").ops.size() == 1);
  // (`edit` is no reserved word: an attribute may have that name.)
  CHECK(defaultEdit(*layer, "/A.edit").ops.size() == 1);
}

TEST_CASE("array edits: a layer holding one is written as usda 1.2, with the upgrade reported", "[current]") {
  auto layer = usda_test::parseOk("#usda 1.0\nover \"A\" {\n    float[] f.timeSamples = { 1: edit [append 1.5] }\n}\n");
  std::vector<std::string> warnings;
  const std::string text = usdaOf(*layer, &warnings);
  CHECK(text.rfind("#usda 1.2\n", 0) == 0);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("from version 1.0 to 1.2") != std::string::npos);
  CHECK(text.find("1: edit [append 1.5],") != std::string::npos);
  // Without an edit the header stays 1.0.
  CHECK(usdaOf(*usda_test::parseOk("#usda 1.2\nover \"A\" {\n    float[] f = [1.5]\n}\n")).rfind("#usda 1.0\n", 0) == 0);
}

TEST_CASE("array edits: errors name the place and what was expected", "[current]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"#usda 1.2\nover \"A\" {\n    int a = edit [append 1]\n}\n", "test.usda:3:13: error: array edits"},
      {"#usda 1.2\nover \"A\" {\n    custom foo[] a = edit [append 1]\n}\n", "test.usda:3:22: error: array edits"},
      {"#usda 1.2\nover \"A\" {\n    int[] a = edit [append [1, 2]]\n}\n", "test.usda:3:30: error: Expected ]"},
      {"#usda 1.2\nover \"A\" {\n    int[] a = edit [write 1 [0]]\n}\n", "test.usda:3:29: error: Expected to"},
      {"#usda 1.2\nover \"A\" {\n    int[] a = edit [copy 1]\n}\n", "test.usda:3:21: error: Expected prepend, append"},
      {"#usda 1.2\nover \"A\" {\n    int[] a = edit [erase [99999999999999999999]]\n}\n",
       "test.usda:3:28: error: integer out of range"},
      {"#usda 1.2\nover \"A\" {\n    int[] a = edit [append \"x\"]\n}\n", "test.usda:3:28: error:"},
      {"#usda 1.2\nover \"A\" {\n    int[] a = edit [append 1 append 2]\n}\n", "test.usda:3:30: error: Expected ]"},
      {"#usda 1.2\nover \"A\" {\n    int[] a = edit [append 1\n}\n", "test.usda:"},
  };
  for (const Case& c : cases) {
    const std::string message = parseError(c.text);
    INFO(c.text << "\n" << message);
    CHECK(message.find(c.message) != std::string::npos);
  }
}

TEST_CASE("array edits: a negative size is dropped with a warning", "[current]") {
  std::vector<std::string> warnings;
  auto layer = usda_test::parseOk("#usda 1.2\nover \"A\" {\n    int[] a = edit [resize -1; maxsize 2]\n}\n", &warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("test.usda:3:28") != std::string::npos);
  CHECK(warnings[0].find("negative size") != std::string::npos);
  CHECK(defaultEdit(*layer, "/A.a").ops == std::vector<ArrayEditOp>{{Code::MaxSize, 2, 0}});
}
