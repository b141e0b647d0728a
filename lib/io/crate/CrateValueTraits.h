// Per-type facts the crate writer needs about the value types of
// sdf/ValueTypes.h: the crate type number and the inline rules of
// docs/crate-format.md §8-§9 (OpenUSD's crateValueInliners.h).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "io/crate/CrateFormat.h"
#include "sdf/Value.h"

namespace usdkit::crate {

template <class T> struct IsVecType : std::false_type {};
template <class T, int N> struct IsVecType<Vec<T, N>> : std::true_type {};
template <class T> struct IsMatrixType : std::false_type {};
template <int N> struct IsMatrixType<Matrix<N>> : std::true_type {};
template <class T> struct IsQuatType : std::false_type {};
template <class T> struct IsQuatType<Quat<T>> : std::true_type {};
template <class T> struct IsListOpType : std::false_type {};
template <class T> struct IsListOpType<ListOp<T>> : std::true_type {};
template <class T> struct IsStdVector : std::false_type {};
template <class T> struct IsStdVector<std::vector<T>> : std::true_type {};

// Crate type of each scalar value kind (also the element type of its array).
template <class T> inline constexpr TypeId kScalarTypeId = TypeId::Invalid;
template <> inline constexpr TypeId kScalarTypeId<bool> = TypeId::Bool;
template <> inline constexpr TypeId kScalarTypeId<std::uint8_t> = TypeId::UChar;
template <> inline constexpr TypeId kScalarTypeId<std::int32_t> = TypeId::Int;
template <> inline constexpr TypeId kScalarTypeId<std::uint32_t> = TypeId::UInt;
template <> inline constexpr TypeId kScalarTypeId<std::int64_t> = TypeId::Int64;
template <> inline constexpr TypeId kScalarTypeId<std::uint64_t> = TypeId::UInt64;
template <> inline constexpr TypeId kScalarTypeId<Half> = TypeId::Half;
template <> inline constexpr TypeId kScalarTypeId<float> = TypeId::Float;
template <> inline constexpr TypeId kScalarTypeId<double> = TypeId::Double;
template <> inline constexpr TypeId kScalarTypeId<TimeCode> = TypeId::TimeCode;
template <> inline constexpr TypeId kScalarTypeId<std::string> = TypeId::String;
template <> inline constexpr TypeId kScalarTypeId<Token> = TypeId::Token;
template <> inline constexpr TypeId kScalarTypeId<AssetPath> = TypeId::AssetPath;
template <> inline constexpr TypeId kScalarTypeId<PathExpression> = TypeId::PathExpression;
template <> inline constexpr TypeId kScalarTypeId<Vec2i> = TypeId::Vec2i;
template <> inline constexpr TypeId kScalarTypeId<Vec3i> = TypeId::Vec3i;
template <> inline constexpr TypeId kScalarTypeId<Vec4i> = TypeId::Vec4i;
template <> inline constexpr TypeId kScalarTypeId<Vec2h> = TypeId::Vec2h;
template <> inline constexpr TypeId kScalarTypeId<Vec3h> = TypeId::Vec3h;
template <> inline constexpr TypeId kScalarTypeId<Vec4h> = TypeId::Vec4h;
template <> inline constexpr TypeId kScalarTypeId<Vec2f> = TypeId::Vec2f;
template <> inline constexpr TypeId kScalarTypeId<Vec3f> = TypeId::Vec3f;
template <> inline constexpr TypeId kScalarTypeId<Vec4f> = TypeId::Vec4f;
template <> inline constexpr TypeId kScalarTypeId<Vec2d> = TypeId::Vec2d;
template <> inline constexpr TypeId kScalarTypeId<Vec3d> = TypeId::Vec3d;
template <> inline constexpr TypeId kScalarTypeId<Vec4d> = TypeId::Vec4d;
template <> inline constexpr TypeId kScalarTypeId<Quath> = TypeId::Quath;
template <> inline constexpr TypeId kScalarTypeId<Quatf> = TypeId::Quatf;
template <> inline constexpr TypeId kScalarTypeId<Quatd> = TypeId::Quatd;
template <> inline constexpr TypeId kScalarTypeId<Matrix2d> = TypeId::Matrix2d;
template <> inline constexpr TypeId kScalarTypeId<Matrix3d> = TypeId::Matrix3d;
template <> inline constexpr TypeId kScalarTypeId<Matrix4d> = TypeId::Matrix4d;

// Crate types of the list ops (the element type selects it).
template <class T> inline constexpr TypeId kListOpTypeId = TypeId::Invalid;
template <> inline constexpr TypeId kListOpTypeId<Token> = TypeId::TokenListOp;
template <> inline constexpr TypeId kListOpTypeId<std::string> = TypeId::StringListOp;
template <> inline constexpr TypeId kListOpTypeId<Path> = TypeId::PathListOp;
template <> inline constexpr TypeId kListOpTypeId<Reference> = TypeId::ReferenceListOp;
template <> inline constexpr TypeId kListOpTypeId<Payload> = TypeId::PayloadListOp;
template <> inline constexpr TypeId kListOpTypeId<std::int32_t> = TypeId::IntListOp;
template <> inline constexpr TypeId kListOpTypeId<std::uint32_t> = TypeId::UIntListOp;
template <> inline constexpr TypeId kListOpTypeId<std::int64_t> = TypeId::Int64ListOp;
template <> inline constexpr TypeId kListOpTypeId<std::uint64_t> = TypeId::UInt64ListOp;
template <> inline constexpr TypeId kListOpTypeId<UnregisteredValue> = TypeId::UnregisteredValueListOp;

// Scalars whose raw bytes (at most 4) always fit the rep's inline word.
template <class T>
inline constexpr bool kAlwaysInlinedRaw =
    std::is_same_v<T, bool> || std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int32_t> ||
    std::is_same_v<T, std::uint32_t> || std::is_same_v<T, Half> || std::is_same_v<T, float> ||
    std::is_same_v<T, Vec2h>;

template <class T>
std::uint32_t rawInlineWord(const T& v) {
  static_assert(sizeof(T) <= 4);
  std::uint32_t word = 0;
  std::memcpy(&word, &v, sizeof(T));
  return word;
}

// A number as the int8 it equals exactly (OpenUSD's _IsExactlyRepresented
// with an int8_t destination): NaN, fractions and out-of-range values fail;
// -0.0 passes as 0.
template <class S>
bool exactInt8(S s, std::int8_t* out) {
  if constexpr (std::is_same_v<S, Half>) {
    return exactInt8(s.toFloat(), out);
  } else if constexpr (std::is_floating_point_v<S>) {
    if (!(s >= S(-128) && s <= S(127))) return false;
    const auto i = static_cast<std::int8_t>(s);
    if (static_cast<S>(i) != s) return false;
    *out = i;
    return true;
  } else {
    if (s < -128 || s > 127) return false;
    *out = static_cast<std::int8_t>(s);
    return true;
  }
}

// The inline word of a conditionally inlined value (§9), or false.
template <class T>
bool conditionalInlineWord(const T& v, std::uint32_t* word) {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) return false;
    return *word = rawInlineWord(static_cast<std::int32_t>(v)), true;
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    if (v > std::numeric_limits<std::uint32_t>::max()) return false;
    return *word = static_cast<std::uint32_t>(v), true;
  } else if constexpr (std::is_same_v<T, double>) {
    // Stored as the float it converts to exactly; the sign of -0.0 is kept.
    constexpr double kMax = std::numeric_limits<float>::max();
    if (!(v >= -kMax && v <= kMax)) return false;
    const auto f = static_cast<float>(v);
    if (static_cast<double>(f) != v) return false;
    return *word = rawInlineWord(f), true;
  } else if constexpr (IsVecType<T>::value) {
    constexpr int N = static_cast<int>(std::tuple_size_v<decltype(T::v)>);
    std::int8_t comps[4] = {};
    for (int i = 0; i < N; ++i)
      if (!exactInt8(v[i], &comps[i])) return false;
    std::uint32_t w = 0;
    std::memcpy(&w, comps, N);
    return *word = w, true;
  } else if constexpr (IsMatrixType<T>::value) {
    constexpr int N = static_cast<int>(std::tuple_size_v<decltype(T::m)>);
    std::int8_t diag[4] = {};
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) {
        if (i != j ? v.m[i][j] != 0.0 : !exactInt8(v.m[i][j], &diag[i])) return false;
      }
    std::uint32_t w = 0;
    std::memcpy(&w, diag, N);
    return *word = w, true;
  } else {
    return false;
  }
}

}  // namespace usdkit::crate
