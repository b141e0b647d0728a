// The reader's direct path for plain decimals (PlainNumbers.h) against an
// independent oracle: std::from_chars on the same text (what the general
// path uses), for random numbers of every digit split, in float and double
// arrays and tuples, and for the forms the direct path must leave alone.
#include <catch2/catch.hpp>

#include <charconv>
#include <cstring>
#include <random>

#include "io/usda/UsdaReader.h"
#include "sdf/Fields.h"

using namespace usdkit;

namespace {

Value readDefault(const std::string& type, const std::string& value) {
  const std::string text = "#usda 1.0\ndef \"P\"\n{\n    " + type + " a = " + value + "\n}\n";
  auto layer = readUsda(text, "plain.usda");
  REQUIRE(layer.ok());
  const Spec* spec = (*layer)->findSpec(*Path::parse("/P.a"));
  REQUIRE(spec);
  const Value* v = spec->get(fieldNames().defaultValue);
  REQUIRE(v);
  return *v;
}

double oracle(const std::string& text) {
  double d = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  REQUIRE(ec == std::errc());
  REQUIRE(ptr == text.data() + text.size());
  return d;
}

// A decimal with `intDigits` digits before the point and `fraction` after
// (no leading zero unless the integer part is "0").
std::string randomDecimal(std::mt19937_64& rng, int intDigits, int fraction, bool negative) {
  std::string s = negative ? "-" : "";
  std::uniform_int_distribution<int> digit(0, 9), nonzero(1, 9);
  if (intDigits == 1 && rng() % 4 == 0) s += '0';
  else
    for (int i = 0; i < intDigits; ++i) s += static_cast<char>('0' + (i == 0 ? nonzero(rng) : digit(rng)));
  if (fraction) {
    s += '.';
    for (int i = 0; i < fraction; ++i) s += static_cast<char>('0' + digit(rng));
  }
  return s;
}

template <class T>
bool sameBits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

}  // namespace

TEST_CASE("plain decimals read as from_chars reads them, float and double") {
  std::mt19937_64 rng(20261202);
  // Up to 17 digits in all: past 15 the direct path declines and the general
  // path reads them, which must give the same answer too.
  for (int intDigits = 1; intDigits <= 9; ++intDigits) {
    for (int fraction = 0; fraction <= 9 && intDigits + fraction <= 17; ++fraction) {
      std::vector<std::string> numbers;
      for (int k = 0; k < 40; ++k) numbers.push_back(randomDecimal(rng, intDigits, fraction, k % 3 == 0));
      std::string list = "[";
      for (std::size_t k = 0; k < numbers.size(); ++k) list += (k ? ", " : "") + numbers[k];
      list += "]";
      const Value doubles = readDefault("double[]", list);
      const Value floats = readDefault("float[]", list);
      const auto& d = doubles.get<std::vector<double>>();
      const auto& f = floats.get<std::vector<float>>();
      REQUIRE(d.size() == numbers.size());
      REQUIRE(f.size() == numbers.size());
      for (std::size_t k = 0; k < numbers.size(); ++k) {
        INFO(numbers[k]);
        const double expected = oracle(numbers[k]);
        CHECK(sameBits(d[k], expected));
        CHECK(sameBits(f[k], static_cast<float>(expected)));
      }
    }
  }
}

TEST_CASE("plain decimals in tuples, and forms left to the general path") {
  const Value v = readDefault("float3[]", "[(1.5, -0, 2), (0.1, -7.25, 100000)]");
  const auto& a = v.get<std::vector<Vec3f>>();
  REQUIRE(a.size() == 2);
  CHECK(a[0][0] == 1.5f);
  CHECK(std::signbit(a[0][1]));  // "-0" is negative zero
  CHECK(a[1][0] == 0.1f);
  CHECK(a[1][2] == 100000.0f);
  // Exponents, leading zeros, a leading point, inf: the general path.
  const Value e = readDefault("double[]", "[1.5e3, 007, -00, .5, 2E-2, -inf]");
  const auto& d = e.get<std::vector<double>>();
  REQUIRE(d.size() == 6);
  CHECK(d[0] == 1500.0);
  CHECK(d[1] == 7.0);
  CHECK((d[2] == 0.0 && !std::signbit(d[2])));  // "-00" reads as +0, as OpenUSD does
  CHECK(d[3] == 0.5);
  CHECK(d[4] == oracle("2E-2"));
  CHECK(std::isinf(d[5]));
  CHECK(d[5] < 0);
}
