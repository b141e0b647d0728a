#include "diff/ValueCompare.h"

#include <cmath>
#include <type_traits>
#include <vector>

namespace usdkit::diff {
namespace {

bool near(double a, double b, double tolerance) {
  if (a == b) return true;
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= tolerance;
}

template <class T>
struct IsFloatComposite : std::false_type {};
template <> struct IsFloatComposite<Half> : std::true_type {};
template <> struct IsFloatComposite<float> : std::true_type {};
template <> struct IsFloatComposite<double> : std::true_type {};
template <> struct IsFloatComposite<TimeCode> : std::true_type {};
template <class T, int N> struct IsFloatComposite<Vec<T, N>> : IsFloatComposite<T> {};
template <class T> struct IsFloatComposite<Quat<T>> : std::true_type {};
template <int N> struct IsFloatComposite<Matrix<N>> : std::true_type {};

double asDouble(Half h) { return h.toFloat(); }
double asDouble(float f) { return f; }
double asDouble(double d) { return d; }

// Scalars built from floating-point components, compared component-wise.
bool scalarNear(Half a, Half b, double t) { return near(asDouble(a), asDouble(b), t); }
bool scalarNear(float a, float b, double t) { return near(a, b, t); }
bool scalarNear(double a, double b, double t) { return near(a, b, t); }
bool scalarNear(TimeCode a, TimeCode b, double t) { return near(a.time, b.time, t); }
template <class T, int N>
bool scalarNear(const Vec<T, N>& a, const Vec<T, N>& b, double t) {
  for (int i = 0; i < N; ++i)
    if (!near(asDouble(a[i]), asDouble(b[i]), t)) return false;
  return true;
}
template <class T>
bool scalarNear(const Quat<T>& a, const Quat<T>& b, double t) {
  for (int i = 0; i < 3; ++i)
    if (!near(asDouble(a.imaginary[i]), asDouble(b.imaginary[i]), t)) return false;
  return near(asDouble(a.real), asDouble(b.real), t);
}
template <int N>
bool scalarNear(const Matrix<N>& a, const Matrix<N>& b, double t) {
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c)
      if (!near(a.m[r][c], b.m[r][c], t)) return false;
  return true;
}

bool equalLoaded(const Value& a, const Value& b, double tolerance);

template <class T>
bool typedEqual(const T& a, const T& b, double tolerance) {
  if constexpr (IsFloatComposite<T>::value) {
    return scalarNear(a, b, tolerance);
  } else if constexpr (std::is_same_v<T, Dictionary>) {
    if (a.entries.size() != b.entries.size()) return false;
    auto ib = b.entries.begin();
    for (const auto& [key, value] : a.entries) {
      if (key != ib->first || !valuesEqual(value, ib->second, tolerance)) return false;
      ++ib;
    }
    return true;
  } else if constexpr (std::is_same_v<T, TimeSamples>) {
    if (a.samples.size() != b.samples.size()) return false;
    for (std::size_t i = 0; i < a.samples.size(); ++i) {
      if (a.samples[i].first != b.samples[i].first ||
          !valuesEqual(a.samples[i].second, b.samples[i].second, tolerance))
        return false;
    }
    return true;
  } else {
    return a == b;
  }
}

template <class T>
bool arrayEqual(const std::vector<T>& a, const std::vector<T>& b, double tolerance) {
  if (a.size() != b.size()) return false;
  if constexpr (IsFloatComposite<T>::value) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!scalarNear(a[i], b[i], tolerance)) return false;
    return true;
  } else {
    return a == b;
  }
}

bool equalLoaded(const Value& a, const Value& b, double tolerance) {
  if (a.storage().index() != b.storage().index()) return false;
  if (a.sharedIdentity() && a.sharedIdentity() == b.sharedIdentity()) return true;
  return a.visit([&](const auto& av) -> bool {
    using T = std::decay_t<decltype(av)>;
    if constexpr (std::is_same_v<T, std::monostate>) {
      return true;
    } else if constexpr (std::is_same_v<T, LazyValue>) {
      return false;  // decoded by the caller
    } else {
      const T& bv = *b.template getIf<T>();
      if constexpr (requires { typename T::value_type; typename T::allocator_type; } &&
                    !std::is_same_v<T, std::string>) {
        return arrayEqual(av, bv, tolerance);
      } else {
        return typedEqual(av, bv, tolerance);
      }
    }
  });
}

}  // namespace

bool sameSourceText(const Value& a, const Value& b) {
  const LazyValue::SourceText ta = a.sourceText();
  if (ta.text.empty()) return false;
  const LazyValue::SourceText tb = b.sourceText();
  return ta.kind == tb.kind && ta.isArray == tb.isArray && ta.text == tb.text;
}

bool valuesEqual(const Value& a, const Value& b, double tolerance) {
  if (a.isLazy() || b.isLazy()) {
    if (a.isLazy() && b.isLazy() && a.sharedIdentity() == b.sharedIdentity()) return true;
    // Equal text of the same type is an equal value (within any tolerance);
    // different text is decoded and compared.
    if (sameSourceText(a, b)) return true;
    Expected<Value> la = a.loaded();
    Expected<Value> lb = b.loaded();
    return la && lb && equalLoaded(*la, *lb, tolerance);
  }
  return equalLoaded(a, b, tolerance);
}

}  // namespace usdkit::diff
