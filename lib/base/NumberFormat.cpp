#include "base/NumberFormat.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

// Shortest round-trip digits use the Schubfach method (R. Giulietti, "The
// Schubfach way to render doubles", 2020): scale the value and both ends of
// its rounding interval by one precomputed power of ten, then pick the
// shortest decimal inside the interval, closest to the value. std::to_chars
// gives the same digits but is several times slower in libstdc++ 12, and
// number text dominates the cost of writing big arrays.

namespace usdkit {

namespace {

__extension__ typedef unsigned __int128 u128;  // GCC/Clang builtin, 64x64->128 products

// floor(e * log10(2)), floor(e * log10(2) - log10(4/3)), floor(e * log2(10)),
// exact for the exponent ranges of float and double.
constexpr int floorLog10Pow2(int e) { return (e * 315653) >> 20; }
constexpr int floorLog10ThreeQuartersPow2(int e) { return (e * 631305 - 261663) >> 21; }
constexpr int floorLog2Pow10(int e) { return (e * 1741647) >> 19; }

// ---------------------------------------------------------------------------
// Multipliers g(j) = floor(10^j * 2^(W - 1 - floorLog2Pow10(j))) + 1, W = 64
// (float) or 128 (double): 10^j normalised to W bits and rounded up. They are
// derived once, exactly, with a minimal unsigned bignum.

class BigUInt {
 public:
  explicit BigUInt(std::uint32_t v) : limbs_{v} {}
  static BigUInt powerOfTwo(int n) {
    BigUInt b(0);
    b.limbs_.assign(static_cast<std::size_t>(n / 32 + 1), 0);
    b.limbs_.back() = 1u << (n % 32);
    return b;
  }
  void mulSmall(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (std::uint32_t& l : limbs_) {
      std::uint64_t t = static_cast<std::uint64_t>(l) * m + carry;
      l = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    if (carry) limbs_.push_back(static_cast<std::uint32_t>(carry));
  }
  void divSmall(std::uint32_t d) {
    std::uint64_t rem = 0;
    for (std::size_t i = limbs_.size(); i-- > 0;) {
      std::uint64_t cur = (rem << 32) | limbs_[i];
      limbs_[i] = static_cast<std::uint32_t>(cur / d);
      rem = cur % d;
    }
    while (limbs_.size() > 1 && limbs_.back() == 0) limbs_.pop_back();
  }
  int bitLength() const {
    return static_cast<int>((limbs_.size() - 1) * 32) + (32 - std::countl_zero(limbs_.back()));
  }
  // Bit i of the value (0 beyond its length).
  bool bit(int i) const {
    const std::size_t limb = static_cast<std::size_t>(i / 32);
    return i >= 0 && limb < limbs_.size() && ((limbs_[limb] >> (i % 32)) & 1u);
  }
  // floor(value * 2^shift) (shift may be negative), keeping `width` bits.
  u128 scaledBits(int shift, int width) const {
    u128 r = 0;
    for (int i = width - 1; i >= 0; --i) r = (r << 1) | static_cast<u128>(bit(i - shift));
    return r;
  }

 private:
  std::vector<std::uint32_t> limbs_;
};

// g(j) for j in [minJ, maxJ], each entry W bits wide.
std::vector<u128> computeMultipliers(int minJ, int maxJ, int width) {
  std::vector<u128> table;
  table.reserve(static_cast<std::size_t>(maxJ - minJ + 1));
  for (int j = minJ; j <= maxJ; ++j) {
    const int shift = width - 1 - floorLog2Pow10(j);
    u128 g;
    if (j >= 0) {
      BigUInt p(1);
      for (int i = 0; i < j; ++i) p.mulSmall(10);
      g = p.scaledBits(shift, width);
    } else {
      // floor(2^shift / 10^-j): successive floor divisions compose exactly.
      BigUInt p = BigUInt::powerOfTwo(shift);
      for (int i = 0; i < -j; ++i) p.divSmall(10);
      g = p.scaledBits(0, width);
    }
    table.push_back(g + 1);
  }
  return table;
}

constexpr int kFloatMinJ = -31, kFloatMaxJ = 45;     // -k for floats
constexpr int kDoubleMinJ = -292, kDoubleMaxJ = 324;  // -k for doubles

const std::vector<u128>& floatMultipliers() {
  static const std::vector<u128> table = computeMultipliers(kFloatMinJ, kFloatMaxJ, 64);
  return table;
}
const std::vector<u128>& doubleMultipliers() {
  static const std::vector<u128> table = computeMultipliers(kDoubleMinJ, kDoubleMaxJ, 128);
  return table;
}

// Upper half of g * cp with the bits below folded into the lowest bit
// ("round to odd"), which keeps every comparison below exact.
inline std::uint32_t roundToOdd(std::uint64_t g, std::uint32_t cp) {
  const u128 p = static_cast<u128>(g) * cp;
  const auto y1 = static_cast<std::uint32_t>(p >> 64);
  const auto y0 = static_cast<std::uint32_t>(p >> 32);
  return y1 | (y0 > 1);
}
inline std::uint64_t roundToOdd(u128 g, std::uint64_t cp) {
  const u128 x = static_cast<u128>(static_cast<std::uint64_t>(g)) * cp;
  const u128 y = static_cast<u128>(static_cast<std::uint64_t>(g >> 64)) * cp + (x >> 64);
  const auto y0 = static_cast<std::uint64_t>(y);
  const auto y1 = static_cast<std::uint64_t>(y >> 64);
  return y1 | (y0 > 1);
}

struct Decimal {
  std::uint64_t digits;  // may carry trailing zeros
  int exponent;          // value = digits * 10^exponent
};

// Shortest decimal in the rounding interval of c * 2^q (c > 0), closest to it.
template <class UInt, class Multiplier>
Decimal shortest(UInt c, int q, bool lowerBoundaryIsCloser, const std::vector<u128>& table, int minJ) {
  const bool isEven = (c % 2) == 0;
  const UInt cbl = 4 * c - 2 + lowerBoundaryIsCloser;
  const UInt cb = 4 * c;
  const UInt cbr = 4 * c + 2;
  const int k = lowerBoundaryIsCloser ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q);
  const int h = q + floorLog2Pow10(-k) + 1;  // 1..4
  const auto g = static_cast<Multiplier>(table[static_cast<std::size_t>(-k - minJ)]);
  const UInt vbl = roundToOdd(g, cbl << h);
  const UInt vb = roundToOdd(g, cb << h);
  const UInt vbr = roundToOdd(g, cbr << h);
  const UInt lower = vbl + !isEven;
  const UInt upper = vbr - !isEven;

  // vb is 4 * value / 10^k; first try one digit fewer, then this length.
  const UInt s = vb / 4;
  if (s >= 10) {
    const UInt sp = s / 10;
    const bool upInside = lower <= 40 * sp;
    const bool wpInside = 40 * sp + 40 <= upper;
    if (upInside != wpInside) return {static_cast<std::uint64_t>(sp + wpInside), k + 1};
  }
  const bool uInside = lower <= 4 * s;
  const bool wInside = 4 * s + 4 <= upper;
  if (uInside != wInside) return {static_cast<std::uint64_t>(s + wInside), k};
  const UInt mid = 4 * s + 2;
  const bool roundUp = vb > mid || (vb == mid && (s & 1) != 0);
  return {static_cast<std::uint64_t>(s + roundUp), k};
}

Decimal shortestFloat(float v) {  // v > 0, finite
  const auto bits = std::bit_cast<std::uint32_t>(v);
  const std::uint32_t mantissa = bits & 0x7FFFFFu;
  const std::uint32_t exponent = bits >> 23;
  // Integers below 2^24 are exact and no shorter decimal lies within half an
  // ulp of them, so their digits are their own.
  if (v < 16777216.0f) {
    const auto i = static_cast<std::uint32_t>(v);
    if (static_cast<float>(i) == v) return {i, 0};
  }
  const std::uint32_t c = exponent ? (mantissa | 0x800000u) : mantissa;
  const int q = exponent ? static_cast<int>(exponent) - 150 : -149;
  return shortest<std::uint32_t, std::uint64_t>(c, q, mantissa == 0 && exponent > 1, floatMultipliers(),
                                                kFloatMinJ);
}

Decimal shortestDouble(double v) {  // v > 0, finite
  const auto bits = std::bit_cast<std::uint64_t>(v);
  const std::uint64_t mantissa = bits & 0xFFFFFFFFFFFFFull;
  const auto exponent = static_cast<std::uint32_t>(bits >> 52);
  if (v < 9007199254740992.0) {
    const auto i = static_cast<std::uint64_t>(v);
    if (static_cast<double>(i) == v) return {i, 0};
  }
  const std::uint64_t c = exponent ? (mantissa | (1ull << 52)) : mantissa;
  const int q = exponent ? static_cast<int>(exponent) - 1075 : -1074;
  return shortest<std::uint64_t, u128>(c, q, mantissa == 0 && exponent > 1, doubleMultipliers(), kDoubleMinJ);
}

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes the decimal digits of v (no sign) ending just before `end`;
// returns the first digit's position.
inline char* writeDigitsBackwards(char* end, std::uint64_t v) {
  while (v >= 100) {
    const auto pair = static_cast<unsigned>(v % 100) * 2;
    v /= 100;
    *--end = kDigitPairs[pair + 1];
    *--end = kDigitPairs[pair];
  }
  if (v >= 10) {
    const auto pair = static_cast<unsigned>(v) * 2;
    *--end = kDigitPairs[pair + 1];
    *--end = kDigitPairs[pair];
  } else {
    *--end = static_cast<char>('0' + v);
  }
  return end;
}

constexpr std::uint64_t kPow10[] = {1ull,
                                   10ull,
                                   100ull,
                                   1000ull,
                                   10000ull,
                                   100000ull,
                                   1000000ull,
                                   10000000ull,
                                   100000000ull,
                                   1000000000ull,
                                   10000000000ull,
                                   100000000000ull,
                                   1000000000000ull,
                                   10000000000000ull,
                                   100000000000000ull,
                                   1000000000000000ull,
                                   10000000000000000ull,
                                   100000000000000000ull,
                                   1000000000000000000ull};

// Number of decimal digits of v > 0 (Bit Twiddling Hacks: log10 from log2).
inline int digitCount(std::uint64_t v) {
  const int t = ((64 - std::countl_zero(v)) * 1233) >> 12;
  return t - (v < kPow10[t]) + 1;
}

inline void writeFourDigits(char* out, std::uint32_t v) {  // v < 10^4
  const std::uint32_t hi = v / 100, lo = v % 100;
  std::memcpy(out, kDigitPairs + hi * 2, 2);
  std::memcpy(out + 2, kDigitPairs + lo * 2, 2);
}
inline void writeEightDigits(char* out, std::uint32_t v) {  // v < 10^8
  writeFourDigits(out, v / 10000);
  writeFourDigits(out + 4, v % 10000);
}

// Writes exactly 20 digits of v (zero-padded) to out[0..20). Independent
// 32-bit chunks and a fixed digit count keep this short and branch-free.
inline void writeTwentyDigits(char* out, std::uint64_t v) {
  const auto top = static_cast<std::uint32_t>(v / 10000000000000000ull);  // < 1845
  const std::uint64_t rest = v % 10000000000000000ull;
  writeFourDigits(out, top);
  writeEightDigits(out + 4, static_cast<std::uint32_t>(rest / 100000000));
  writeEightDigits(out + 12, static_cast<std::uint32_t>(rest % 100000000));
}

// Up to 20 digits rendered into scratch memory.
class WideDigits {
 public:
  WideDigits(std::uint64_t v, int n) : digits_(buf_ + 20 - n) { writeTwentyDigits(buf_, v); }
  char first() const { return *digits_; }
  // Copies the digits from index `from` on to `o`, plus up to 20 bytes slack.
  void store(char* o, int from) const { std::memcpy(o, digits_ + from, 20); }

 private:
  char buf_[20 + 24];
  const char* digits_;
};

// 8 ASCII digits of v < 10^8, most significant in the lowest byte, computed
// in-register (two 4-digit lanes, then 2-digit, then 1-digit lanes).
inline std::uint64_t encodeEightDigits(std::uint32_t v) {
  std::uint64_t x = (v / 10000) | (static_cast<std::uint64_t>(v % 10000) << 32);
  std::uint64_t hi = ((x * 10486) >> 20) & 0x0000007F0000007Full;  // lane / 100
  x = hi | ((x - hi * 100) << 16);
  hi = ((x * 103) >> 10) & 0x000F000F000F000Full;  // lane / 10
  x = hi | ((x - hi * 10) << 8);
  return x | 0x3030303030303030ull;
}

// Up to 10 digits (every float) held in one 128-bit register, so the text is
// only ever stored, never re-read: re-reading freshly written bytes at another
// offset defeats store forwarding and was the single largest cost here.
class NarrowDigits {
 public:
  NarrowDigits(std::uint32_t v, int n) {
    const std::uint32_t top = v / 100000000;  // < 43
    const u128 text = (static_cast<u128>(encodeEightDigits(v % 100000000)) << 16) |
                      static_cast<u128>('0' + top / 10) | (static_cast<u128>('0' + top % 10) << 8);
    text_ = text >> (8 * (10 - n));
  }
  char first() const { return static_cast<char>(text_); }
  void store(char* o, int from) const {
    const u128 t = text_ >> (8 * from);
    std::memcpy(o, &t, sizeof t);
  }

 private:
  u128 text_;
};

// The layout of OpenUSD's TfStringify (double-conversion's ToShortest with
// decimal_in_shortest_low = -6 and decimal_in_shortest_high = 15): fixed
// notation iff the decimal exponent is in [-6, 15), else `1.5e17` / `1e-7`.
// Pieces are stored with fixed-size copies into a generously sized buffer
// (later pieces overwrite the slack of earlier ones), avoiding per-length
// branches.
template <class Digits>
void layoutDecimal(std::string& out, bool negative, const Digits& digits, int n, int exponent) {
  char buf[80];
  char* o = buf;
  *o = '-';
  o += negative;
  if (exponent >= -6 && exponent < 15) {
    const int point = exponent + 1;  // digits before the decimal point
    if (point >= n) {
      digits.store(o, 0);
      o += n;
      std::memcpy(o, "000000000000000", 16);  // point - n < 15 zeros
      o += point - n;
    } else if (point > 0) {
      digits.store(o, 0);
      o += point;
      *o++ = '.';
      digits.store(o, point);
      o += n - point;
    } else {
      std::memcpy(o, "0.000000", 8);  // at most 6 zeros after "0."
      o += 2 - point;
      digits.store(o, 0);
      o += n;
    }
  } else {
    *o++ = digits.first();
    *o = '.';
    o += n > 1;
    digits.store(o, 1);
    o += n - 1;
    *o++ = 'e';
    int e = exponent;
    if (e < 0) {
      *o++ = '-';
      e = -e;
    }
    if (e >= 100) {
      *o++ = static_cast<char>('0' + e / 100);
      e %= 100;
      *o++ = kDigitPairs[e * 2];
      *o++ = kDigitPairs[e * 2 + 1];
    } else if (e >= 10) {
      *o++ = kDigitPairs[e * 2];
      *o++ = kDigitPairs[e * 2 + 1];
    } else {
      *o++ = static_cast<char>('0' + e);
    }
  }
  out.append(buf, o);
}

void appendDecimal(std::string& out, bool negative, Decimal d) {
  while (d.digits != 0 && d.digits % 10 == 0) {  // zero never gets here
    d.digits /= 10;
    ++d.exponent;
  }
  const int n = digitCount(d.digits);
  const int exponent = d.exponent + n - 1;
  if (std::endian::native == std::endian::little && d.digits <= 0xFFFFFFFFull)
    layoutDecimal(out, negative, NarrowDigits(static_cast<std::uint32_t>(d.digits), n), n, exponent);
  else
    layoutDecimal(out, negative, WideDigits(d.digits, n), n, exponent);
}

template <class F>
bool appendSpecial(std::string& out, F v) {
  if (std::isnan(v)) {
    out += "nan";  // double-conversion never prints a NaN's sign
    return true;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-inf" : "inf";
    return true;
  }
  if (v == 0) {
    out += std::signbit(v) ? "-0" : "0";
    return true;
  }
  return false;
}

}  // namespace

void appendDouble(std::string& out, double v) {
  if (appendSpecial(out, v)) return;
  appendDecimal(out, v < 0, shortestDouble(std::fabs(v)));
}

void appendFloat(std::string& out, float v) {
  if (appendSpecial(out, v)) return;
  appendDecimal(out, v < 0, shortestFloat(std::fabs(v)));
}

void appendStreamed(std::string& out, double v) {
  // to_chars(general, 6) is specified as printf("%.6g"), which is what a
  // default-configured std::ostream produces, including "1e+06", "-nan".
  char buf[48];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  out.append(buf, res.ptr);
}

void appendInt(std::string& out, long long v) {
  char buf[24];
  char* end = buf + sizeof buf;
  const unsigned long long magnitude = v < 0 ? 0ull - static_cast<unsigned long long>(v) : v;
  char* start = writeDigitsBackwards(end, magnitude);
  if (v < 0) *--start = '-';
  out.append(start, end);
}

void appendUInt(std::string& out, unsigned long long v) {
  char buf[24];
  char* end = buf + sizeof buf;
  out.append(writeDigitsBackwards(end, v), end);
}

}  // namespace usdkit
