#include "sdf/ValueInterpolation.h"

#include <cmath>

namespace usdkit {

namespace {

// Each element type rounds the way OpenUSD's Gf arithmetic does: a double
// scalar times a float (or half) component is computed in double and
// stored back in the component's type before the two halves are added.
float roundFloat(double d) { return static_cast<float>(d); }
Half roundHalf(float f) { return Half::fromFloat(f); }

double lerpScalar(double a, double b, double alpha) { return (1 - alpha) * a + alpha * b; }

// GfLerp on a scalar: the sum is formed in double from the promoted value.
float lerp(float a, float b, double alpha) { return roundFloat(lerpScalar(a, b, alpha)); }
double lerp(double a, double b, double alpha) { return lerpScalar(a, b, alpha); }
Half lerp(Half a, Half b, double alpha) { return roundHalf(roundFloat(lerpScalar(a.toFloat(), b.toFloat(), alpha))); }
TimeCode lerp(TimeCode a, TimeCode b, double alpha) { return {lerpScalar(a.time, b.time, alpha)}; }

// A vector component scaled in place (`v *= s`), then the two added.
float scaleComponent(float c, double s) { return roundFloat(c * s); }
double scaleComponent(double c, double s) { return c * s; }
Half scaleComponent(Half c, double s) { return roundHalf(c.toFloat() * static_cast<float>(s)); }
float addComponents(float a, float b) { return a + b; }
double addComponents(double a, double b) { return a + b; }
Half addComponents(Half a, Half b) { return roundHalf(a.toFloat() + b.toFloat()); }

template <class T, int N>
Vec<T, N> lerp(const Vec<T, N>& a, const Vec<T, N>& b, double alpha) {
  Vec<T, N> r;
  for (int i = 0; i < N; ++i) r[i] = addComponents(scaleComponent(a[i], 1 - alpha), scaleComponent(b[i], alpha));
  return r;
}

template <int N>
Matrix<N> lerp(const Matrix<N>& a, const Matrix<N>& b, double alpha) {
  Matrix<N> r;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) r.m[i][j] = (1 - alpha) * a.m[i][j] + alpha * b.m[i][j];
  return r;
}

// The component type's own arithmetic for the angle (GfSlerp is written
// once for every quaternion type, with the angle held in that type).
double asComponent(double x, double) { return x; }
double asComponent(double x, float) { return static_cast<float>(x); }
double asComponent(double x, Half) { return roundHalf(static_cast<float>(x)).toFloat(); }
double toDouble(double x) { return x; }
double toDouble(float x) { return x; }
double toDouble(Half x) { return x.toFloat(); }

// Spherical interpolation along the shorter arc; nearly equal rotations
// interpolate linearly (GfSlerp, including its 1e-5 threshold).
template <class T>
Quat<T> slerp(const Quat<T>& q0, const Quat<T>& q1, double alpha) {
  using Acc = std::conditional_t<std::is_same_v<T, double>, double, float>;
  Acc dot = 0;
  for (int i = 0; i < 3; ++i) dot += static_cast<Acc>(toDouble(q0.imaginary[i])) * static_cast<Acc>(toDouble(q1.imaginary[i]));
  double cosTheta = static_cast<double>(dot) + static_cast<double>(static_cast<Acc>(toDouble(q0.real)) *
                                                                   static_cast<Acc>(toDouble(q1.real)));
  bool flip = false;
  if (cosTheta < 0.0) {
    cosTheta = -cosTheta;
    flip = true;
  }
  double scale0 = 1.0 - alpha, scale1 = alpha;
  if (1.0 - cosTheta > 0.00001) {
    const double theta = asComponent(std::acos(cosTheta), T{});
    const double sinTheta = asComponent(std::sin(theta), T{});
    scale0 = std::sin((1.0 - alpha) * theta) / sinTheta;
    scale1 = std::sin(alpha * theta) / sinTheta;
  }
  if (flip) scale1 = -scale1;
  Quat<T> r;
  for (int i = 0; i < 3; ++i)
    r.imaginary[i] = addComponents(scaleComponent(q0.imaginary[i], scale0), scaleComponent(q1.imaginary[i], scale1));
  r.real = addComponents(scaleComponent(q0.real, scale0), scaleComponent(q1.real, scale1));
  return r;
}

template <class T>
T interpolateOne(const T& a, const T& b, double alpha) {
  if constexpr (std::is_same_v<T, Quath> || std::is_same_v<T, Quatf> || std::is_same_v<T, Quatd>) return slerp(a, b, alpha);
  else return lerp(a, b, alpha);
}

template <class T>
constexpr bool kInterpolates =
    std::is_same_v<T, Half> || std::is_same_v<T, float> || std::is_same_v<T, double> ||
    std::is_same_v<T, TimeCode> || std::is_same_v<T, Matrix2d> || std::is_same_v<T, Matrix3d> ||
    std::is_same_v<T, Matrix4d> || std::is_same_v<T, Vec2h> || std::is_same_v<T, Vec3h> ||
    std::is_same_v<T, Vec4h> || std::is_same_v<T, Vec2f> || std::is_same_v<T, Vec3f> ||
    std::is_same_v<T, Vec4f> || std::is_same_v<T, Vec2d> || std::is_same_v<T, Vec3d> ||
    std::is_same_v<T, Vec4d> || std::is_same_v<T, Quath> || std::is_same_v<T, Quatf> || std::is_same_v<T, Quatd>;

template <class T> struct ArrayElement { using type = void; };
template <class T> struct ArrayElement<std::vector<T>> { using type = T; };

}  // namespace

std::optional<Value> interpolateLinear(const Value& lower, const Value& upper, double alpha) {
  return lower.visit([&](const auto& a) -> std::optional<Value> {
    using T = std::decay_t<decltype(a)>;
    using E = typename ArrayElement<T>::type;
    if constexpr (kInterpolates<T>) {
      const T* b = upper.getIf<T>();
      if (!b) return std::nullopt;
      return Value(interpolateOne(a, *b, alpha));
    } else if constexpr (!std::is_void_v<E>) {
      if constexpr (kInterpolates<E>) {
        const T* b = upper.getIf<T>();
        if (!b || b->size() != a.size()) return std::nullopt;
        // The ends themselves, not values recomputed from them.
        if (alpha == 0.0) return lower;
        if (alpha == 1.0) return upper;
        T out(a.size());
        for (std::size_t i = 0; i < a.size(); ++i) out[i] = interpolateOne(a[i], (*b)[i], alpha);
        return Value(std::move(out));
      } else {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  });
}

}  // namespace usdkit
