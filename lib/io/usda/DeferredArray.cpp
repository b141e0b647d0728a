#include "io/usda/DeferredArray.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

#include "io/usda/ValueParser.h"
#include "sdf/WordHash.h"

namespace usdkit::usda {

// The numbers are converted here exactly as ValueParser's direct path
// converts them, without the general number scanner:
// - integers: a plain decimal of at most 18 digits, range-checked for the
//   component type;
// - reals: `-?d+(.d+)?` with at most 15 digits in all. Its digits m and
//   fraction length q give m < 2^53 and 10^q exact in a double, so m / 10^q
//   is the correctly rounded double of the decimal, the same double
//   std::from_chars gives (and an integer-looking one converts exactly, as
//   the reader's integer path does); floats are that double rounded to
//   float, as the reader rounds it.
// Anything else (exponents, longer numbers, inf/nan, other spacing or
// comments) leaves the array to the reader.
namespace {

enum class Component : std::uint8_t { Int32, UInt32, Int64, UInt64, Float, Double };

struct Shape {
  Component component;
  int tuple;  // components per element; 0 for a scalar element
};

bool shapeOf(ValueKind kind, Shape& out) {
  switch (kind) {
    case ValueKind::Int: out = {Component::Int32, 0}; return true;
    case ValueKind::UInt: out = {Component::UInt32, 0}; return true;
    case ValueKind::Int64: out = {Component::Int64, 0}; return true;
    case ValueKind::UInt64: out = {Component::UInt64, 0}; return true;
    case ValueKind::Float: out = {Component::Float, 0}; return true;
    case ValueKind::Double: out = {Component::Double, 0}; return true;
    case ValueKind::Vec2i: out = {Component::Int32, 2}; return true;
    case ValueKind::Vec3i: out = {Component::Int32, 3}; return true;
    case ValueKind::Vec4i: out = {Component::Int32, 4}; return true;
    case ValueKind::Vec2f: out = {Component::Float, 2}; return true;
    case ValueKind::Vec3f: out = {Component::Float, 3}; return true;
    case ValueKind::Vec4f: out = {Component::Float, 4}; return true;
    case ValueKind::Vec2d: out = {Component::Double, 2}; return true;
    case ValueKind::Vec3d: out = {Component::Double, 3}; return true;
    case ValueKind::Vec4d: out = {Component::Double, 4}; return true;
    default: return false;
  }
}

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
const char* scanInteger(const char* p, const char* end, std::uint64_t maxPositive, std::uint64_t maxNegative,
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

const char* scanReal(const char* p, const char* end, double& out) {
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

template <Component C>
const char* scanComponent(const char* p, const char* end, WordHash& hash) {
  constexpr std::uint64_t i32 = std::numeric_limits<std::int32_t>::max();
  constexpr std::uint64_t i64 = std::numeric_limits<std::int64_t>::max();
  if constexpr (C == Component::Float || C == Component::Double) {
    double v = 0;
    p = scanReal(p, end, v);
    if constexpr (C == Component::Float) hash.add(std::bit_cast<std::uint32_t>(static_cast<float>(v)));
    else hash.add64(std::bit_cast<std::uint64_t>(v));
    return p;
  } else {
    std::uint64_t bits = 0;
    if constexpr (C == Component::Int32) p = scanInteger(p, end, i32, i32 + 1, bits);
    else if constexpr (C == Component::UInt32) p = scanInteger(p, end, std::numeric_limits<std::uint32_t>::max(), 0, bits);
    else if constexpr (C == Component::Int64) p = scanInteger(p, end, i64, i64 + 1, bits);
    else p = scanInteger(p, end, std::numeric_limits<std::uint64_t>::max(), 0, bits);
    if constexpr (C == Component::Int32 || C == Component::UInt32) hash.add(static_cast<std::uint32_t>(bits));
    else hash.add64(bits);
    return p;
  }
}

// ", " between items.
inline const char* scanSeparator(const char* p, const char* end) {
  return end - p >= 2 && p[0] == ',' && p[1] == ' ' ? p + 2 : nullptr;
}

template <Component C, int N>
const char* scanElement(const char* p, const char* end, WordHash& hash) {
  if constexpr (N == 0) {
    return scanComponent<C>(p, end, hash);
  } else {
    if (p >= end || *p != '(') return nullptr;
    ++p;
    for (int i = 0; i < N; ++i) {
      if (i && !(p = scanSeparator(p, end))) return nullptr;
      if (!(p = scanComponent<C>(p, end, hash))) return nullptr;
    }
    return p < end && *p == ')' ? p + 1 : nullptr;
  }
}

template <Component C, int N>
ScannedArray scanArray(const char* p, const char* end) {
  ScannedArray out;
  WordHash hash;
  if (p >= end || *p != '[') return out;
  ++p;
  if (p < end && *p == ']') {
    out.end = p + 1;
    out.contentHash = hash.value();
    return out;
  }
  for (;;) {
    if (!(p = scanElement<C, N>(p, end, hash)) || p >= end) return {};
    ++out.count;
    if (*p == ']') break;
    if (!(p = scanSeparator(p, end))) return {};
  }
  out.end = p + 1;
  out.contentHash = hash.value();
  return out;
}

template <Component C>
ScannedArray scanArrayOf(int tuple, const char* p, const char* end) {
  switch (tuple) {
    case 0: return scanArray<C, 0>(p, end);
    case 2: return scanArray<C, 2>(p, end);
    case 3: return scanArray<C, 3>(p, end);
    case 4: return scanArray<C, 4>(p, end);
    default: return {};
  }
}

class DeferredArray final : public LazyValue {
 public:
  DeferredArray(std::shared_ptr<const void> owner, std::string_view text, const ValueTypeInfo& type,
                const ScannedArray& scanned, std::shared_ptr<const std::string> name)
      : owner_(std::move(owner)),
        text_(text),
        type_(type),
        count_(scanned.count),
        contentHash_(scanned.contentHash),
        name_(std::move(name)) {}

  Expected<Value> load() const override {
    Scanner s(text_.data(), text_.data() + text_.size());
    ValueParser parser(s, nullptr, *name_);
    try {
      Value v = parser.parseTyped(type_);
      if (s.p != s.end()) s.fail("unexpected text after the array");
      return v;
    } catch (const ParseFailure& failure) {
      return makeError(*name_ + ": error: cannot read an array value kept as text (byte " +
                       std::to_string(failure.pos - text_.data()) + " of it): " + failure.message);
    }
  }

  SourceText sourceText() const override { return {text_, type_.kind, true, count_, contentHash_}; }

 private:
  std::shared_ptr<const void> owner_;
  std::string_view text_;
  ValueTypeInfo type_;
  std::size_t count_;
  std::uint64_t contentHash_;
  std::shared_ptr<const std::string> name_;
};

}  // namespace

bool canDeferArray(const ValueTypeInfo& type) {
  Shape shape{};
  return type.isArray && !type.isOpaque && shapeOf(type.kind, shape);
}

ScannedArray scanPlainArray(const char* p, const char* end, const ValueTypeInfo& type) {
  Shape shape{};
  if (!type.isArray || type.isOpaque || !shapeOf(type.kind, shape)) return {};
  switch (shape.component) {
    case Component::Int32: return scanArrayOf<Component::Int32>(shape.tuple, p, end);
    case Component::UInt32: return scanArrayOf<Component::UInt32>(shape.tuple, p, end);
    case Component::Int64: return scanArrayOf<Component::Int64>(shape.tuple, p, end);
    case Component::UInt64: return scanArrayOf<Component::UInt64>(shape.tuple, p, end);
    case Component::Float: return scanArrayOf<Component::Float>(shape.tuple, p, end);
    case Component::Double: return scanArrayOf<Component::Double>(shape.tuple, p, end);
  }
  return {};
}

Value deferredArray(std::shared_ptr<const void> owner, std::string_view text, const ValueTypeInfo& type,
                    const ScannedArray& scanned, std::shared_ptr<const std::string> name) {
  return Value::lazy(
      std::make_shared<const DeferredArray>(std::move(owner), text, type, scanned, std::move(name)));
}

}  // namespace usdkit::usda
