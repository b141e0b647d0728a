// Number text as OpenUSD 24.11 writes it. Expectations come from the usda
// fact sheet (§7.15, §10) and the sdf-parsing conformance baselines
// (31_attribute_values, 04_general), not from this implementation.
#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

#include "base/Half.h"
#include "base/NumberFormat.h"

using namespace usdkit;

namespace {
std::string dbl(double v) { return formatDouble(v); }
std::string flt(float v) { return formatFloat(v); }
std::string streamed(double v) {
  std::string s;
  appendStreamed(s, v);
  return s;
}
std::string half(float v) { return streamed(Half::fromFloat(v).toFloat()); }
}  // namespace

TEST_CASE("doubles: shortest digits, fixed notation for exponents in [-6, 15)", "[numberformat]") {
  // Fact sheet §7.15 examples.
  CHECK(dbl(0.0) == "0");
  CHECK(dbl(-0.0) == "-0");
  CHECK(dbl(0.1) == "0.1");
  CHECK(dbl(1.2345678901234568e17) == "1.2345678901234568e17");
  CHECK(dbl(100000000000000.0) == "100000000000000");
  CHECK(dbl(1e15) == "1e15");
  CHECK(dbl(0.000001) == "0.000001");
  CHECK(dbl(1e-7) == "1e-7");
  CHECK(dbl(2.5e-7) == "2.5e-7");
  CHECK(dbl(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(dbl(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(dbl(std::numeric_limits<double>::quiet_NaN()) == "nan");
  CHECK(dbl(-std::numeric_limits<double>::quiet_NaN()) == "nan");  // sign of NaN dropped
}

TEST_CASE("doubles from the conformance baselines", "[numberformat]") {
  // 04_general: custom double b/e/f/g
  CHECK(dbl(-0.345) == "-0.345");
  CHECK(dbl(-0.00000345) == "-0.00000345");
  CHECK(dbl(345000) == "345000");
  CHECK(dbl(3.45e-7) == "3.45e-7");
  CHECK(dbl(2.55795e-14) == "2.55795e-14");
  // 31_attribute_values: double_tests, Vec2_tests
  CHECK(dbl(3.14159) == "3.14159");
  CHECK(dbl(10000000000.0) == "10000000000");
  CHECK(dbl(-0.000001) == "-0.000001");
  CHECK(dbl(-3.12345678910111) == "-3.12345678910111");
  CHECK(dbl(911.33) == "911.33");
  CHECK(dbl(-1) == "-1");
}

TEST_CASE("floats: shortest single-precision digits", "[numberformat]") {
  CHECK(flt(0.1f) == "0.1");
  CHECK(flt(3.14159f) == "3.14159");
  CHECK(flt(7800000000.0f) == "7800000000");
  CHECK(flt(16777216.0f) == "16777216");
  CHECK(flt(3.4028235e38f) == "3.4028235e38");
  // 31_attribute_values: float_tests, Vec4_tests/f
  CHECK(flt(10000000000.0f) == "10000000000");
  CHECK(flt(-0.000001f) == "-0.000001");
  CHECK(flt(1.2f) == "1.2");
  CHECK(flt(-4.12345f) == "-4.12345");
  CHECK(flt(1011.43f) == "1011.43");
  CHECK(flt(0.0f) == "0");
  CHECK(flt(-0.0f) == "-0");
  CHECK(flt(std::numeric_limits<float>::infinity()) == "inf");
  CHECK(flt(-std::numeric_limits<float>::infinity()) == "-inf");
}

TEST_CASE("halves print through float with 6 significant digits", "[numberformat]") {
  // Fact sheet §10.2 and 31_attribute_values half_tests / Vec*_tests/h.
  CHECK(half(0.1f) == "0.0999756");
  CHECK(half(3.14257f) == "3.14258");  // 31_attribute_values: `half f1 = 3.14257`
  CHECK(half(-0.000001f) == "-1.01328e-06");
  CHECK(half(1.2f) == "1.2002");
  CHECK(half(3.4f) == "3.40039");
  CHECK(half(5.6f) == "5.60156");
  CHECK(half(1.707f) == "1.70703");
  CHECK(half(-4.12345f) == "-4.125");
  CHECK(half(10.303f) == "10.3047");
  CHECK(half(1011.43f) == "1011.5");
  CHECK(half(7800000000.0f) == "inf");  // overflows binary16
  CHECK(half(6.10352e-05f) == "6.10352e-05");
  CHECK(half(0.0f) == "0");
}

TEST_CASE("streamed doubles (timecode) are printf %g", "[numberformat]") {
  CHECK(streamed(1234567.125) == "1.23457e+06");  // fact sheet §10.1: lossy
  CHECK(streamed(1e-7) == "1e-07");
  CHECK(streamed(0.1) == "0.1");
  CHECK(streamed(24) == "24");
  CHECK(streamed(-0.0) == "-0");
  CHECK(streamed(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(streamed(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(streamed(std::numeric_limits<double>::quiet_NaN()) == "nan");

  // The C library's printf is the independent oracle for everything else.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    double v;
    if (i % 2) {
      std::uint64_t bits = rng();
      std::memcpy(&v, &bits, sizeof v);
    } else {
      v = std::ldexp(static_cast<double>(rng() % 10000000) / 1e3, static_cast<int>(rng() % 60) - 30);
    }
    char expected[64];
    std::snprintf(expected, sizeof expected, "%g", v);
    REQUIRE(streamed(v) == expected);
  }
}

TEST_CASE("shortest doubles and floats read back exactly", "[numberformat]") {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (!std::isfinite(d)) continue;
    const std::string text = dbl(d);
    REQUIRE(std::strtod(text.c_str(), nullptr) == d);
    // No '+' in exponents, no exponent padding.
    REQUIRE(text.find('+') == std::string::npos);
    REQUIRE(text.find("e0") == std::string::npos);
    REQUIRE(text.find("e-0") == std::string::npos);

    std::uint32_t fbits = static_cast<std::uint32_t>(rng());
    float f;
    std::memcpy(&f, &fbits, sizeof f);
    if (!std::isfinite(f)) continue;
    const std::string ftext = flt(f);
    REQUIRE(std::strtof(ftext.c_str(), nullptr) == f);
  }
}

namespace {
// (digits without trailing zeros, decimal exponent of the first digit) of a
// number's text, whichever notation it uses.
std::pair<std::string, int> decompose(const std::string& text) {
  std::string digits;
  int exponent = 0;
  int pointPos = -1, firstDigit = -1;
  std::size_t i = text[0] == '-' ? 1 : 0;
  int position = 0;  // index among all mantissa digits
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') {
      pointPos = position;
      continue;
    }
    if (firstDigit < 0 && text[i] != '0') firstDigit = position;
    if (firstDigit >= 0) digits += text[i];
    ++position;
  }
  if (pointPos < 0) pointPos = position;
  if (i < text.size()) exponent = std::atoi(text.c_str() + i + 1);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return {digits, exponent + pointPos - firstDigit - 1};
}
}  // namespace

TEST_CASE("shortest digits agree with std::to_chars", "[numberformat]") {
  // libstdc++'s to_chars (shortest, closest) is an independent oracle for
  // the digits; the layout is checked by the cases above.
  std::mt19937_64 rng(5);
  char buf[64];
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (i % 4 == 0) d = static_cast<double>(rng() % 100000000) * std::pow(10.0, static_cast<int>(rng() % 40) - 25);
    if (!std::isfinite(d) || d == 0) continue;
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    REQUIRE(decompose(dbl(d)) == decompose(std::string(buf, r.ptr)));

    float f;
    std::uint32_t fbits = static_cast<std::uint32_t>(bits >> 32);
    std::memcpy(&f, &fbits, sizeof f);
    if (i % 4 == 1) f = static_cast<float>(rng() % 1000000) / 1000.0f;
    if (!std::isfinite(f) || f == 0) continue;
    r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
    REQUIRE(decompose(flt(f)) == decompose(std::string(buf, r.ptr)));
  }
}

TEST_CASE("integral values take the fast path with the same layout", "[numberformat]") {
  CHECK(flt(16777215.0f) == "16777215");
  CHECK(flt(1000000.0f) == "1000000");
  CHECK(flt(-3.0f) == "-3");
  CHECK(dbl(9007199254740991.0) == "9.007199254740991e15");
  CHECK(dbl(123456789012345.0) == "123456789012345");
  CHECK(dbl(4.0) == "4");
  CHECK(dbl(5e-324) == "5e-324");
  CHECK(dbl(1.7976931348623157e308) == "1.7976931348623157e308");
  CHECK(flt(1e-45f) == "1e-45");
}

TEST_CASE("integers", "[numberformat]") {
  std::string s;
  appendInt(s, std::numeric_limits<long long>::min());
  s += ' ';
  appendUInt(s, std::numeric_limits<unsigned long long>::max());
  s += ' ';
  appendInt(s, 255);
  CHECK(s == "-9223372036854775808 18446744073709551615 255");
}
