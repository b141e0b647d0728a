#include "io/usda/DeferredArray.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

#include "io/usda/PlainNumbers.h"
#include "io/usda/ValueParser.h"
#include "sdf/WordHash.h"

namespace usdkit::usda {

// The numbers are converted by PlainNumbers.h exactly as ValueParser's
// direct path converts them; floats are the double rounded to float, as the
// reader rounds it. Anything else (exponents, longer numbers, inf/nan, other
// spacing or comments) leaves the array to the reader.
namespace {

using plain::scanInteger;
using plain::scanReal;

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
