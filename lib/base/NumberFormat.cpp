#include "base/NumberFormat.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace usdkit {

namespace {

// The fixed/exponential switch of OpenUSD's TfStringify (double-conversion's
// ToShortest with decimal_in_shortest_low = -6, decimal_in_shortest_high = 15).
constexpr int kFixedLow = -6;
constexpr int kFixedHigh = 15;

// Re-lays out std::to_chars' shortest scientific text ("-1.2345e+17") the way
// double-conversion does. Writing to the caller's buffer keeps array loops free
// of allocations; the worst case is a 17-digit mantissa padded with 20 zeros.
template <class F>
void appendShortest(std::string& out, F v) {
  if (std::isnan(v)) {
    out += "nan";  // double-conversion never prints a NaN's sign
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-inf" : "inf";
    return;
  }
  if (v == 0) {
    out += std::signbit(v) ? "-0" : "0";
    return;
  }

  char sci[48];
  auto res = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
  const char* p = sci;
  const char* end = res.ptr;

  char buf[64];
  char* o = buf;
  if (*p == '-') {
    *o++ = '-';
    ++p;
  }
  // Mantissa digits without the '.', then the exponent.
  char digits[24];
  int nDigits = 0;
  for (; p != end && *p != 'e'; ++p)
    if (*p != '.') digits[nDigits++] = *p;
  int exponent = 0;
  if (p != end) {
    ++p;  // 'e'
    bool negExp = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    for (; p != end; ++p) exponent = exponent * 10 + (*p - '0');
    if (negExp) exponent = -exponent;
  }

  if (exponent >= kFixedLow && exponent < kFixedHigh) {
    const int point = exponent + 1;  // digits before the decimal point
    if (point <= 0) {
      *o++ = '0';
      *o++ = '.';
      for (int i = point; i < 0; ++i) *o++ = '0';
      std::memcpy(o, digits, nDigits);
      o += nDigits;
    } else if (point >= nDigits) {
      std::memcpy(o, digits, nDigits);
      o += nDigits;
      for (int i = nDigits; i < point; ++i) *o++ = '0';
    } else {
      std::memcpy(o, digits, point);
      o += point;
      *o++ = '.';
      std::memcpy(o, digits + point, nDigits - point);
      o += nDigits - point;
    }
  } else {
    *o++ = digits[0];
    if (nDigits > 1) {
      *o++ = '.';
      std::memcpy(o, digits + 1, nDigits - 1);
      o += nDigits - 1;
    }
    *o++ = 'e';
    if (exponent < 0) {
      *o++ = '-';
      exponent = -exponent;
    }
    o = std::to_chars(o, buf + sizeof buf, exponent).ptr;
  }
  out.append(buf, o);
}

}  // namespace

void appendDouble(std::string& out, double v) { appendShortest(out, v); }

void appendFloat(std::string& out, float v) { appendShortest(out, v); }

void appendStreamed(std::string& out, double v) {
  // to_chars(general, 6) is specified as printf("%.6g"), which is what a
  // default-configured std::ostream produces, including "1e+06", "-nan".
  char buf[48];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  out.append(buf, res.ptr);
}

void appendInt(std::string& out, long long v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void appendUInt(std::string& out, unsigned long long v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace usdkit
