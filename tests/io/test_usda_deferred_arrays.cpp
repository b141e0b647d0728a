// Unit tests of UsdaReadOptions::deferNumericArrays: arrays kept as checked
// text must decode to exactly what the ordinary reader builds, carry the
// hash of those bytes, and leave every error to the ordinary reader.
#include <catch2/catch.hpp>

#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"
#include "sdf/Fields.h"
#include "sdf/WordHash.h"

using namespace usdkit;

namespace {

Expected<std::unique_ptr<Layer>> read(const std::string& text, bool defer) {
  UsdaReadOptions options;
  auto owner = std::make_shared<const std::string>(text);
  if (defer) {
    options.deferNumericArrays = true;
    options.textOwner = owner;
  }
  return readUsda(*owner, "test.usda", options);
}

std::string layerWith(const std::string& type, const std::string& value) {
  return "#usda 1.0\ndef \"P\"\n{\n    " + type + " a = " + value + "\n}\n";
}

Value defaultOf(const Layer& layer) {
  const Spec* spec = layer.findSpec(*Path::parse("/P.a"));
  REQUIRE(spec);
  const Value* v = spec->get(fieldNames().defaultValue);
  REQUIRE(v);
  return *v;
}

std::string_view bytesOf(const Value& v) {
  return v.visit([](const auto& x) -> std::string_view {
    using T = std::decay_t<decltype(x)>;
    if constexpr (requires { typename T::value_type; x.data(); }) {
      if constexpr (std::is_trivially_copyable_v<typename T::value_type>)
        return {reinterpret_cast<const char*>(x.data()), x.size() * sizeof(typename T::value_type)};
    }
    return {};
  });
}

// Reads `value` both ways and returns whether it was kept as text; either
// way the decoded value must have the bytes the ordinary reader builds.
bool sameAsEager(const std::string& type, const std::string& value) {
  INFO(type << " = " << value);
  const std::string text = layerWith(type, value);
  auto eager = read(text, false);
  REQUIRE(eager);
  auto deferred = read(text, true);
  REQUIRE(deferred);
  const Value e = defaultOf(**eager);
  const Value d = defaultOf(**deferred);
  REQUIRE_FALSE(e.isLazy());
  auto loaded = d.loaded();
  REQUIRE(loaded);
  CHECK(loaded->storage().index() == e.storage().index());
  CHECK(bytesOf(*loaded) == bytesOf(e));
  CHECK(d == e);
  if (!d.isLazy()) return false;
  const LazyValue::SourceText source = d.sourceText();
  CHECK(source.text == value);
  CHECK(source.contentHash == WordHash::ofBytes(bytesOf(e)));
  // The layer's text is the same either way.
  CHECK(*writeUsdaToString(**deferred) == *writeUsdaToString(**eager));
  return true;
}

}  // namespace

TEST_CASE("deferred arrays decode to what the reader builds") {
  CHECK(sameAsEager("float3[]", "[(66.4657, -12.5, 470.98358), (0, -0, 1)]"));
  CHECK(sameAsEager("float[]", "[0.1, 0.2, 0.30000001, 123456789012345, -0, -0.0, 16777217, 0.000001]"));
  CHECK(sameAsEager("double[]", "[0.1, 123456789.123456, -0, -7, 3.141592653589793]") == false);  // 16 digits
  CHECK(sameAsEager("double[]", "[0.1, 123456789.123456, -0, -7, 3.14159265358979]"));
  CHECK(sameAsEager("double2[]", "[(1.5, 2), (3, 4.25)]"));
  CHECK(sameAsEager("int[]", "[0, 1, -1, 2147483647, -2147483648]"));
  CHECK(sameAsEager("uint[]", "[0, 4294967295]"));
  CHECK(sameAsEager("int64[]", "[-922337203685477580, 922337203685477580]"));
  CHECK(sameAsEager("uint64[]", "[0, 999999999999999999]"));
  CHECK(sameAsEager("int3[]", "[(1, 2, 3)]"));
  CHECK(sameAsEager("point3f[]", "[]"));
  CHECK(sameAsEager("color4d[]", "[(0.25, 0.5, 0.75, 1)]"));
}

TEST_CASE("arrays outside the plain form are read as usual") {
  CHECK_FALSE(sameAsEager("float[]", "[1e5, 2]"));          // exponent
  CHECK_FALSE(sameAsEager("float[]", "[1,2]"));             // spacing
  CHECK_FALSE(sameAsEager("float[]", "[1, 2, ]"));          // trailing comma
  CHECK_FALSE(sameAsEager("float[]", "[-00, 2]"));          // reads as +0
  CHECK_FALSE(sameAsEager("float[]", "[007, 2]"));
  CHECK_FALSE(sameAsEager("float[]", "[1., 2]"));
  CHECK_FALSE(sameAsEager("float[]", "[inf, -inf]"));
  CHECK_FALSE(sameAsEager("float[]", "[1, /* c */ 2]"));
  CHECK_FALSE(sameAsEager("float[]", "[1,\n 2]"));
  CHECK_FALSE(sameAsEager("int[]", "[-0, 1]"));
  CHECK_FALSE(sameAsEager("int[]", "[1.0, 1]"));
  CHECK_FALSE(sameAsEager("half[]", "[1, 2]"));             // kind not deferred
  CHECK_FALSE(sameAsEager("quatf[]", "[(1, 0, 0, 0)]"));
  CHECK_FALSE(sameAsEager("float3[]", "[(1, 2, 3), ( 1, 2, 3)]"));
}

TEST_CASE("bad arrays still fail with file:line:col when deferring") {
  for (const auto& [type, value] : std::vector<std::pair<std::string, std::string>>{
           {"int[]", "[1, 2, 3000000000]"},
           {"uint[]", "[1, -2]"},
           {"float3[]", "[(1, 2)]"},
           {"float[]", "[1, 2"},
           {"float[]", "[1, x]"},
           {"int2[]", "[(1, 2), (3, 4, 5)]"}}) {
    INFO(type << " = " << value);
    const std::string text = layerWith(type, value);
    auto eager = read(text, false);
    auto deferred = read(text, true);
    REQUIRE_FALSE(eager);
    REQUIRE_FALSE(deferred);
    CHECK(deferred.error().message == eager.error().message);
    CHECK(deferred.error().message.rfind("test.usda:", 0) == 0);
    CHECK(deferred.error().message.find(": error: ") != std::string::npos);
  }
}

TEST_CASE("equal text compares equal without decoding; different text decodes") {
  const std::string a = layerWith("float[]", "[0.5, 0.25, 1]");
  const std::string b = layerWith("float[]", "[0.50, 0.25, 1.0]");
  auto la = read(a, true);
  auto la2 = read(a, true);
  auto lb = read(b, true);
  REQUIRE(la);
  REQUIRE(la2);
  REQUIRE(lb);
  const Value va = defaultOf(**la), va2 = defaultOf(**la2), vb = defaultOf(**lb);
  REQUIRE(va.isLazy());
  REQUIRE(vb.isLazy());
  CHECK(va.sourceText().text != vb.sourceText().text);
  CHECK(va.sourceText().contentHash == vb.sourceText().contentHash);
  CHECK(va == va2);
  CHECK(va == vb);  // decoded: same floats
  CHECK_FALSE(va == defaultOf(**read(layerWith("float[]", "[0.5, 0.25, 2]"), true)));
}

TEST_CASE("deferred arrays: numbers of every digit count decode and hash as the reader reads them") {
  // Deterministic pseudo-random digits, integer and fraction parts of 1 to
  // 15 digits in all, so the eight-at-a-time digit scanning meets every
  // split of a number.
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  std::string floats = "[", doubles = "[", ints = "[";
  for (int i = 0; i < 3000; ++i) {
    const int total = 1 + static_cast<int>(next() % 15);
    const int intDigits = 1 + static_cast<int>(next() % total);
    std::string number = next() % 2 ? "-" : "";
    number += static_cast<char>('1' + next() % 9);
    for (int d = 1; d < intDigits; ++d) number += static_cast<char>('0' + next() % 10);
    if (intDigits < total) {
      number += '.';
      for (int d = intDigits; d < total; ++d) number += static_cast<char>('0' + next() % 10);
    }
    const char* sep = i ? ", " : "";
    floats += sep + number;
    doubles += sep + number;
    ints += sep + std::to_string(static_cast<std::int64_t>(next() % 4294967296ull) - 2147483648ll);
  }
  CHECK(sameAsEager("float[]", floats + "]"));
  CHECK(sameAsEager("double[]", doubles + "]"));
  CHECK(sameAsEager("int[]", ints + "]"));
}
