#include "sdf/ValueCast.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace usdkit {

namespace {

template <class T>
inline constexpr bool kArithmetic = std::is_arithmetic_v<T> || std::is_same_v<T, Half>;

template <class T>
struct ElementOf {
  using type = T;
  static constexpr bool array = false;
};
template <class T>
struct ElementOf<std::vector<T>> {
  using type = T;
  static constexpr bool array = true;
};

template <class T>
struct VecTraits {
  static constexpr int size = 0;
};
template <class T, int N>
struct VecTraits<Vec<T, N>> {
  using Element = T;
  static constexpr int size = N;
};

// Half goes through float; the rest through double or the integer itself.
template <class To, class From>
bool castScalar(const From& from, To& to) {
  if constexpr (std::is_same_v<From, Half>) {
    return castScalar(from.toFloat(), to);
  } else if constexpr (std::is_same_v<To, Half>) {
    to = Half::fromFloat(static_cast<float>(from));
    return true;
  } else if constexpr (std::is_same_v<To, bool>) {
    to = from != From{};
    return true;
  } else if constexpr (std::is_floating_point_v<To>) {
    to = static_cast<To>(from);
    return true;
  } else if constexpr (std::is_floating_point_v<From>) {
    // Integers from floating point: in range and finite only (truncated).
    if (!std::isfinite(from)) return false;
    const long double v = std::trunc(static_cast<long double>(from));
    if (v < static_cast<long double>(std::numeric_limits<To>::min()) ||
        v > static_cast<long double>(std::numeric_limits<To>::max()))
      return false;
    to = static_cast<To>(v);
    return true;
  } else if constexpr (std::is_same_v<From, bool>) {
    to = from ? To{1} : To{0};
    return true;
  } else {
    // Integer to integer: the value must fit.
    if (!std::in_range<To>(from)) return false;
    to = static_cast<To>(from);
    return true;
  }
}

template <class To, class From>
bool castElement(const From& from, To& to) {
  if constexpr (kArithmetic<From> && kArithmetic<To>) {
    return castScalar(from, to);
  } else if constexpr (VecTraits<From>::size > 0 && VecTraits<From>::size == VecTraits<To>::size) {
    for (int i = 0; i < VecTraits<From>::size; ++i)
      if (!castScalar(from[i], to[i])) return false;
    return true;
  } else {
    return false;
  }
}

template <class To, class From>
std::optional<Value> castTo(const From& from) {
  if constexpr (ElementOf<From>::array) {
    std::vector<To> out;
    out.reserve(from.size());
    for (const auto& element : from) {  // (std::vector<bool> has no bool& elements)
      To converted{};
      if (!castElement(static_cast<typename ElementOf<From>::type>(element), converted)) return std::nullopt;
      out.push_back(converted);
    }
    return Value(std::move(out));
  } else {
    To out{};
    if (!castElement(from, out)) return std::nullopt;
    return Value(out);
  }
}

}  // namespace

std::optional<Value> castNumericValue(const Value& value, ValueKind to) {
  return value.visit([&](const auto& from) -> std::optional<Value> {
    using From = std::decay_t<decltype(from)>;
    using Element = typename ElementOf<From>::type;
    if constexpr (!kArithmetic<Element> && VecTraits<Element>::size == 0) {
      return std::nullopt;
    } else {
      switch (to) {
#define USDKIT_CAST_CASE(T, K) \
  case ValueKind::K:           \
    return castTo<T>(from);
        USDKIT_SCALAR_VALUE_TYPES(USDKIT_CAST_CASE)
#undef USDKIT_CAST_CASE
      }
      return std::nullopt;
    }
  });
}

}  // namespace usdkit
