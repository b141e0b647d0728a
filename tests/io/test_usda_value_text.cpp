// One value parsed from and printed as usda text (io/usda/UsdaValueText.h):
// the reader's grammar and the writer's formatting, outside of a layer.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "io/usda/UsdaValueText.h"

using namespace usdkit;

namespace {

std::string printed(const Value& value) {
  std::string text;
  appendUsdaValue(text, value);
  return text;
}

// Parses `text` as `typeName`, prints it back and checks that the print
// parses to an equal value; returns the print.
std::string roundTrip(std::string_view text, std::string_view typeName) {
  INFO(typeName << " " << text);
  Expected<Value> value = parseUsdaValue(text, typeName);
  if (!value) FAIL(value.error().message);
  const std::string print = printed(*value);
  Expected<Value> again = parseUsdaValue(print, typeName);
  if (!again) FAIL(again.error().message);
  CHECK(*again == *value);
  return print;
}

}  // namespace

TEST_CASE("value text: canonical text prints back unchanged", "[valuetext]") {
  for (const auto& [type, text] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"float", "0.5"},
           {"double", "-1e30"},
           {"int[]", "[1, -2, 3]"},
           {"bool", "1"},
           {"token", "\"catmullClark\""},
           {"string", "\"it's \\\"quoted\\\"\""},
           {"asset", "@textures/a.png@"},
           {"float3[]", "[(1, 2.5, -3), (0, 0, 1)]"},
           {"color3f", "(0.18, 0.18, 0.18)"},
           {"token[]", "[\"a\", \"b\"]"},
           {"matrix4d", "( (1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1) )"},
       }) {
    CHECK(roundTrip(text, type) == text);
  }
}

TEST_CASE("value text: other spellings parse to the same value", "[valuetext]") {
  // Padding and comments around the value, a trailing comma, a legacy type name.
  CHECK(roundTrip("  [1,2,3,] # sizes\n", "int[]") == "[1, 2, 3]");
  CHECK(roundTrip("(1, 2, 3)", "Vec3f") == "(1, 2, 3)");
  CHECK(roundTrip("'single'", "string") == "\"single\"");
  Expected<Value> f = parseUsdaValue("2", "float");
  REQUIRE(f);
  REQUIRE(f->is<float>());
  CHECK(f->get<float>() == 2.0f);
}

TEST_CASE("value text: errors name the place and what was expected", "[valuetext]") {
  Expected<Value> shortTuple = parseUsdaValue("(1, 2)", "float3", "fallback");
  REQUIRE_FALSE(shortTuple);
  CHECK(shortTuple.error().message ==
        "fallback:1:1: error: Tuple dimensions error: expected a tuple of 3 numbers, found a tuple of 2");

  Expected<Value> unclosed = parseUsdaValue("[1,\n 2", "int[]");
  REQUIRE_FALSE(unclosed);
  CHECK(unclosed.error().message == "value:2:3: error: Expected ]");

  Expected<Value> trailing = parseUsdaValue("1 2", "float");
  REQUIRE_FALSE(trailing);
  CHECK(trailing.error().message == "value:1:3: error: Expected the end of the value");

  Expected<Value> unknown = parseUsdaValue("1", "float5", "fallback");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "fallback: error: unknown value type 'float5'");

  Expected<Value> empty = parseUsdaValue("", "int");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == "value:1:1: error: Expected number, identifier, string, asset ref, list or tuple");

  // `None` blocks an attribute's value in a layer; it is no value of a type.
  CHECK_FALSE(parseUsdaValue("None", "float"));
  CHECK_FALSE(parseUsdaValue("1", "opaque"));
}

TEST_CASE("value text: warnings go to the caller", "[valuetext]") {
  std::vector<std::string> warnings;
  Expected<Value> big = parseUsdaValue("[1, 99999999999999999999]", "double[]", "big", &warnings);
  CAPTURE(warnings);
  if (!big) FAIL(big.error().message);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].starts_with("big:1:5: warning: "));
}
