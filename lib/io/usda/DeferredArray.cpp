#include "io/usda/DeferredArray.h"

#include <cstdint>
#include <limits>

#include "io/usda/ValueParser.h"

namespace usdkit::usda {

// The writer prints an array as `[e, e, ...]` and a tuple as `(c, c, c)`,
// integers in plain decimal and real numbers as the shortest text that
// reads back to the same float or double, in fixed notation when the
// decimal exponent is in [-6, 15). Text is kept only when it is certain to
// be exactly that output, which for real numbers is proven rather than
// computed:
//
// - A decimal of at most 6 significant digits (15 for double) is the
//   shortest text of the number it reads as: all decimals of that many
//   digits read as distinct floats (FLT_DIG, DBL_DIG), so no shorter or
//   other equally short text reads as the same float. Trailing zeros after
//   the point, a leading '+', exponents, "-0" and more than 5 zeros after
//   "0." (exponent below -6) are refused: the writer never prints those.
// - Floats are read as a double first and then rounded to float; that
//   double rounding could pick the other neighbour only when the decimal
//   lies within 2^-53 (relative) of a float midpoint. With at most 8
//   digits after the point, a decimal differs from any 25-bit binary
//   midpoint by at least 1 / (10^8 * 2^25) relative, which is more, so the
//   float is the nearest one and the argument above applies.
// - Magnitudes are then within [1e-6, 1e15): no subnormals, no overflow.
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

// Plain decimal integer within [-maxNegative, maxPositive]: "0" or no
// leading zero, no "-0", at most 19 digits.
const char* scanInteger(const char* p, const char* end, std::uint64_t maxPositive, std::uint64_t maxNegative) {
  bool negative = false;
  if (p < end && *p == '-') {
    if (maxNegative == 0) return nullptr;
    negative = true;
    ++p;
  }
  if (p >= end) return nullptr;
  if (*p == '0') return negative ? nullptr : p + 1;
  const char* first = p;
  std::uint64_t v = 0;
  while (p < end && isDigit(*p)) {
    if (p - first == 19) return nullptr;
    v = v * 10 + static_cast<unsigned>(*p - '0');
    ++p;
  }
  if (p == first || v > (negative ? maxNegative : maxPositive)) return nullptr;
  return p;
}

// Fixed-notation real as the writer prints it (see above).
template <int MaxSignificant, int MaxFraction>
const char* scanReal(const char* p, const char* end) {
  bool negative = false;
  if (p < end && *p == '-') {
    negative = true;
    ++p;
  }
  if (p >= end) return nullptr;
  int intDigits = 0;  // 0 when the integer part is "0"
  if (*p == '0') {
    ++p;
  } else if (isDigit(*p)) {
    const char* first = p;
    while (p < end && isDigit(*p)) ++p;
    intDigits = static_cast<int>(p - first);
    if (intDigits > MaxSignificant) return nullptr;
  } else {
    return nullptr;
  }
  if (p < end && *p == '.') {
    const char* first = ++p;
    while (p < end && isDigit(*p)) ++p;
    const int fraction = static_cast<int>(p - first);
    if (fraction == 0 || fraction > MaxFraction || p[-1] == '0') return nullptr;
    int significant = intDigits + fraction;
    if (intDigits == 0) {
      int zeros = 0;
      while (first[zeros] == '0') ++zeros;
      if (zeros > 5) return nullptr;
      significant = fraction - zeros;
    }
    if (significant > MaxSignificant) return nullptr;
  } else if (negative && intDigits == 0) {
    return nullptr;  // "-0"
  }
  return p;
}

template <Component C>
const char* scanComponent(const char* p, const char* end) {
  constexpr std::uint64_t i32 = std::numeric_limits<std::int32_t>::max();
  constexpr std::uint64_t i64 = std::numeric_limits<std::int64_t>::max();
  if constexpr (C == Component::Int32) return scanInteger(p, end, i32, i32 + 1);
  else if constexpr (C == Component::UInt32) return scanInteger(p, end, std::numeric_limits<std::uint32_t>::max(), 0);
  else if constexpr (C == Component::Int64) return scanInteger(p, end, i64, i64 + 1);
  else if constexpr (C == Component::UInt64) return scanInteger(p, end, std::numeric_limits<std::uint64_t>::max(), 0);
  else if constexpr (C == Component::Float) return scanReal<6, 8>(p, end);
  else return scanReal<15, 20>(p, end);
}

// ", " between items.
inline const char* scanSeparator(const char* p, const char* end) {
  return end - p >= 2 && p[0] == ',' && p[1] == ' ' ? p + 2 : nullptr;
}

template <Component C, int N>
const char* scanElement(const char* p, const char* end) {
  if constexpr (N == 0) {
    return scanComponent<C>(p, end);
  } else {
    if (p >= end || *p != '(') return nullptr;
    ++p;
    for (int i = 0; i < N; ++i) {
      if (i && !(p = scanSeparator(p, end))) return nullptr;
      if (!(p = scanComponent<C>(p, end))) return nullptr;
    }
    return p < end && *p == ')' ? p + 1 : nullptr;
  }
}

template <Component C, int N>
const char* scanArray(const char* p, const char* end) {
  if (p >= end || *p != '[') return nullptr;
  ++p;
  if (p < end && *p == ']') return p + 1;
  for (;;) {
    if (!(p = scanElement<C, N>(p, end))) return nullptr;
    if (p >= end) return nullptr;
    if (*p == ']') return p + 1;
    if (!(p = scanSeparator(p, end))) return nullptr;
  }
}

template <Component C>
const char* scanArrayOf(int tuple, const char* p, const char* end) {
  switch (tuple) {
    case 0: return scanArray<C, 0>(p, end);
    case 2: return scanArray<C, 2>(p, end);
    case 3: return scanArray<C, 3>(p, end);
    case 4: return scanArray<C, 4>(p, end);
    default: return nullptr;
  }
}

class DeferredArray final : public LazyValue {
 public:
  DeferredArray(std::shared_ptr<const void> owner, std::string_view text, const ValueTypeInfo& type,
                std::shared_ptr<const std::string> name)
      : owner_(std::move(owner)), text_(text), type_(type), name_(std::move(name)) {}

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

  UsdaText usdaText() const override { return {text_, type_.kind, true}; }

 private:
  std::shared_ptr<const void> owner_;
  std::string_view text_;
  ValueTypeInfo type_;
  std::shared_ptr<const std::string> name_;
};

}  // namespace

bool canDeferArray(const ValueTypeInfo& type) {
  Shape shape{};
  return type.isArray && !type.isOpaque && shapeOf(type.kind, shape);
}

const char* scanPrintedArray(const char* p, const char* end, const ValueTypeInfo& type) {
  Shape shape{};
  if (!type.isArray || type.isOpaque || !shapeOf(type.kind, shape)) return nullptr;
  switch (shape.component) {
    case Component::Int32: return scanArrayOf<Component::Int32>(shape.tuple, p, end);
    case Component::UInt32: return scanArrayOf<Component::UInt32>(shape.tuple, p, end);
    case Component::Int64: return scanArrayOf<Component::Int64>(shape.tuple, p, end);
    case Component::UInt64: return scanArrayOf<Component::UInt64>(shape.tuple, p, end);
    case Component::Float: return scanArrayOf<Component::Float>(shape.tuple, p, end);
    case Component::Double: return scanArrayOf<Component::Double>(shape.tuple, p, end);
  }
  return nullptr;
}

Value deferredArray(std::shared_ptr<const void> owner, std::string_view text, const ValueTypeInfo& type,
                    std::shared_ptr<const std::string> name) {
  return Value::lazy(std::make_shared<const DeferredArray>(std::move(owner), text, type, std::move(name)));
}

}  // namespace usdkit::usda
