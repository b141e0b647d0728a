// Plain decimal numbers read straight from usda text, without the general
// number scanner: the forms the writer produces (`-?d+(.d+)?`, no exponent,
// no leading zeros), converted to exactly what the general path gives for
// them. Used by the reader's direct array path and by deferred arrays.
//
// - integers: a plain decimal of at most 18 digits, range-checked;
// - reals: at most 15 digits in all. The digits m and fraction length q
//   give m < 2^53 and 10^q exact in a double, so m / 10^q is the correctly
//   rounded double of the decimal, the same double std::from_chars gives
//   (and an integer-looking one converts exactly, as the integer path does).
// Each function returns the end of the number, or nullptr for anything else.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace usdkit::usda::plain {

inline bool isDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

constexpr double kPowersOf10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
constexpr std::uint64_t kIntPowersOf10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// The number of 8 digit values (0..9, one per byte, the first digit in the
// lowest byte), by three multiply-shift rounds that combine neighbours into
// pairs, quadruples, then all eight.
inline std::uint64_t eightDigitsValue(std::uint64_t digits) {
  constexpr std::uint64_t kMask = 0x000000FF000000FFull;
  constexpr std::uint64_t kHigh = 100 + (1000000ull << 32);
  constexpr std::uint64_t kLow = 1 + (10000ull << 32);
  digits = digits * 10 + (digits >> 8);
  return (((digits & kMask) * kHigh) + (((digits >> 16) & kMask) * kLow)) >> 32;
}

// Appends the decimal digits at `p` to `m` (m * 10^n + digits) and counts
// them, eight bytes at a time while eight can be read. `m` may wrap for
// long runs; callers refuse those by `count`.
inline const char* scanDigits(const char* p, const char* end, std::uint64_t& m, int& count) {
  while (end - p >= 8) {
    std::uint64_t bytes;
    std::memcpy(&bytes, p, 8);
    if constexpr (std::endian::native != std::endian::little) break;
    std::uint64_t values = bytes ^ 0x3030303030303030ull;  // digit bytes become 0..9
    // A byte above 9 gets its high bit set (by the add, or it had it). A
    // carry out of such a byte may spoil higher bytes, never the first one.
    const std::uint64_t above9 = ((values + 0x7676767676767676ull) | values) & 0x8080808080808080ull;
    const int k = above9 ? std::countr_zero(above9) / 8 : 8;
    if (k == 0) return p;
    if (k < 8) values <<= 8 * (8 - k);  // leading zero digits, shifting out the rest
    m = m * kIntPowersOf10[k] + eightDigitsValue(values);
    count += k;
    p += k;
    if (k < 8) return p;
  }
  while (p < end && isDigit(*p)) {
    m = m * 10 + static_cast<unsigned>(*p++ - '0');
    ++count;
  }
  return p;
}

// Plain decimal integer (no leading zeros, no "-0") within
// [-maxNegative, maxPositive].
inline const char* scanInteger(const char* p, const char* end, std::uint64_t maxPositive, std::uint64_t maxNegative,
                        std::uint64_t& bits) {
  bool negative = false;
  if (p < end && *p == '-') {
    if (maxNegative == 0) return nullptr;
    negative = true;
    ++p;
  }
  if (p >= end) return nullptr;
  if (*p == '0') {
    if (negative) return nullptr;
    bits = 0;
    return p + 1;
  }
  std::uint64_t v = 0;
  int digits = 0;
  p = scanDigits(p, end, v, digits);
  if (digits == 0 || digits > 18 || v > (negative ? maxNegative : maxPositive)) return nullptr;
  bits = negative ? 0 - v : v;
  return p;
}

inline const char* scanReal(const char* p, const char* end, double& out) {
  bool negative = false;
  if (p < end && *p == '-') {
    negative = true;
    ++p;
  }
  const char* first = p;
  std::uint64_t m = 0;
  int intDigits = 0;
  p = scanDigits(p, end, m, intDigits);
  // No leading zeros: "-00" reads as +0 but "-0" as -0 (OpenUSD's quirk).
  if (intDigits == 0 || (*first == '0' && intDigits > 1)) return nullptr;
  int fraction = 0;
  if (p < end && *p == '.') {
    p = scanDigits(p + 1, end, m, fraction);
    if (fraction == 0) return nullptr;
  }
  if (intDigits + fraction > 15) return nullptr;
  double v = static_cast<double>(m);
  if (fraction) v /= kPowersOf10[fraction];
  out = negative ? -v : v;
  return p;
}


}  // namespace usdkit::usda::plain
