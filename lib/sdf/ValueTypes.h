// The C++ types of USD values (what OpenUSD's Gf/Sdf/Vt types hold), in plain
// data form. Memory layouts match the crate format's raw encodings so arrays
// can be copied in bulk.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/Half.h"
#include "base/Token.h"
#include "sdf/Path.h"

namespace usdkit {

template <class T, int N>
struct Vec {
  std::array<T, N> v{};
  T& operator[](int i) { return v[i]; }
  const T& operator[](int i) const { return v[i]; }
  friend bool operator==(const Vec&, const Vec&) = default;
};
using Vec2i = Vec<std::int32_t, 2>;
using Vec3i = Vec<std::int32_t, 3>;
using Vec4i = Vec<std::int32_t, 4>;
using Vec2h = Vec<Half, 2>;
using Vec3h = Vec<Half, 3>;
using Vec4h = Vec<Half, 4>;
using Vec2f = Vec<float, 2>;
using Vec3f = Vec<float, 3>;
using Vec4f = Vec<float, 4>;
using Vec2d = Vec<double, 2>;
using Vec3d = Vec<double, 3>;
using Vec4d = Vec<double, 4>;

// Stored imaginary-first like GfQuat; the text form is (real, i, j, k).
template <class T>
struct Quat {
  std::array<T, 3> imaginary{};
  T real{};
  friend bool operator==(const Quat&, const Quat&) = default;
};
using Quath = Quat<Half>;
using Quatf = Quat<float>;
using Quatd = Quat<double>;

template <int N>
struct Matrix {
  std::array<std::array<double, N>, N> m{};  // row-major
  friend bool operator==(const Matrix&, const Matrix&) = default;
};
using Matrix2d = Matrix<2>;
using Matrix3d = Matrix<3>;
using Matrix4d = Matrix<4>;

struct TimeCode {
  double time = 0;
  friend bool operator==(const TimeCode&, const TimeCode&) = default;
};

struct AssetPath {
  std::string path;  // as authored
  friend bool operator==(const AssetPath&, const AssetPath&) = default;
};

struct PathExpression {
  std::string text;  // canonical expression text
  friend bool operator==(const PathExpression&, const PathExpression&) = default;
};

// A value that may not be authored (types `opaque` and `group`).
struct Opaque {
  friend bool operator==(const Opaque&, const Opaque&) = default;
};

// `None` authored as a default or time-sample value: blocks weaker opinions.
struct ValueBlock {
  friend bool operator==(const ValueBlock&, const ValueBlock&) = default;
};

// `AnimationBlock` authored as an attribute's default (OpenUSD 25.x
// SdfAnimationBlock): blocks weaker time samples and splines, but weaker
// defaults still apply.
struct AnimationBlock {
  friend bool operator==(const AnimationBlock&, const AnimationBlock&) = default;
};

enum class Specifier : std::int32_t { Def = 0, Over = 1, Class = 2 };
enum class Permission : std::int32_t { Public = 0, Private = 1 };
enum class Variability : std::int32_t { Varying = 0, Uniform = 1 };

struct LayerOffset {
  double offset = 0.0;
  double scale = 1.0;
  bool isIdentity() const { return offset == 0.0 && scale == 1.0; }
  friend bool operator==(const LayerOffset&, const LayerOffset&) = default;
};

class Value;
struct Dictionary;

struct Reference {
  std::string assetPath;
  Path primPath;
  LayerOffset layerOffset;
  std::shared_ptr<const Dictionary> customData;  // null when empty
  bool hasCustomData() const;
  friend bool operator==(const Reference& a, const Reference& b);
};

struct Payload {
  std::string assetPath;
  Path primPath;
  LayerOffset layerOffset;
  friend bool operator==(const Payload&, const Payload&) = default;
};

// The text of a value whose field or type this library does not know. OpenUSD
// keeps such values as re-serialised text (or, for dictionaries, the parsed
// dictionary); we do the same so they round-trip.
struct UnregisteredValue {
  std::string text;
  friend bool operator==(const UnregisteredValue&, const UnregisteredValue&) = default;
};

// One list-editing operation set. "Explicit" replaces the weaker list; the
// other slots edit it. Items keep their authored order.
template <class T>
struct ListOp {
  bool isExplicit = false;
  std::vector<T> explicitItems;
  std::vector<T> addedItems;      // legacy `add`
  std::vector<T> prependedItems;
  std::vector<T> appendedItems;
  std::vector<T> deletedItems;
  std::vector<T> orderedItems;    // `reorder`

  enum class Slot { Explicit, Added, Prepended, Appended, Deleted, Ordered };
  static constexpr Slot kAllSlots[] = {Slot::Explicit, Slot::Added,   Slot::Prepended,
                                       Slot::Appended, Slot::Deleted, Slot::Ordered};
  std::vector<T>& items(Slot s);
  const std::vector<T>& items(Slot s) const;

  // An op of the same mode with each item of each slot replaced by
  // f(slot, item) (a std::optional<T>); items mapped to nullopt are left
  // out. How paths and arcs are carried into another namespace or time.
  template <class F>
  ListOp mapItems(F&& f) const {
    ListOp out;
    out.isExplicit = isExplicit;
    for (Slot s : kAllSlots) {
      std::vector<T>& to = out.items(s);
      for (const T& item : items(s))
        if (std::optional<T> mapped = f(s, item)) to.push_back(std::move(*mapped));
    }
    return out;
  }

  // Sets one slot. Switching between explicit and list-editing mode clears
  // every slot first, as OpenUSD does.
  void set(Slot s, std::vector<T> values);
  void clearAndMakeExplicit() { *this = ListOp{}; isExplicit = true; }

  bool hasKeys() const {
    return isExplicit || !addedItems.empty() || !prependedItems.empty() ||
           !appendedItems.empty() || !deletedItems.empty() || !orderedItems.empty();
  }

  // Applies this op to a weaker list (OpenUSD's ApplyOperations): explicit
  // replaces; otherwise delete, add (append if absent), prepend, append
  // (both move existing items), then reorder.
  void applyTo(std::vector<T>& list) const;
  // What `reorder` alone does to a list (Sdf's list ordering): the items
  // named in `order` (first mention counts) are put in that order, each
  // carrying along the unnamed items after it; unnamed items before the
  // first named one stay in front. Linear in the sizes.
  static void reorder(std::vector<T>& list, const std::vector<T>& order);
  // Composes this op over a weaker op so that applying the result equals
  // applying `weaker` then this. Returns nullopt-like `false` when the result
  // cannot be expressed (never for explicit ops).
  ListOp composeOver(const ListOp& weaker) const;

  friend bool operator==(const ListOp&, const ListOp&) = default;
};

using TokenListOp = ListOp<Token>;
using StringListOp = ListOp<std::string>;
using PathListOp = ListOp<Path>;
using ReferenceListOp = ListOp<Reference>;
using PayloadListOp = ListOp<Payload>;
using IntListOp = ListOp<std::int32_t>;
using UIntListOp = ListOp<std::uint32_t>;
using Int64ListOp = ListOp<std::int64_t>;
using UInt64ListOp = ListOp<std::uint64_t>;
using UnregisteredListOp = ListOp<UnregisteredValue>;

// std::vector-typed fields (distinct from value arrays, as in OpenUSD: a
// `token[]` attribute holds VtArray<TfToken>, `primChildren` a TokenVector).
struct TokenVector {
  std::vector<Token> items;
  friend bool operator==(const TokenVector&, const TokenVector&) = default;
};
struct StringVector {
  std::vector<std::string> items;
  friend bool operator==(const StringVector&, const StringVector&) = default;
};
struct PathVector {
  std::vector<Path> items;
  friend bool operator==(const PathVector&, const PathVector&) = default;
};
struct DoubleVector {
  std::vector<double> items;
  friend bool operator==(const DoubleVector&, const DoubleVector&) = default;
};
struct LayerOffsetVector {
  std::vector<LayerOffset> items;
  friend bool operator==(const LayerOffsetVector&, const LayerOffsetVector&) = default;
};

// variant set name -> selected variant name (byte order of names).
struct VariantSelectionMap {
  std::map<std::string, std::string> selections;
  friend bool operator==(const VariantSelectionMap&, const VariantSelectionMap&) = default;
};

// prefixSubstitutions / suffixSubstitutions: string -> string, byte order.
struct StringDictionary {
  std::map<std::string, std::string> entries;
  friend bool operator==(const StringDictionary&, const StringDictionary&) = default;
};

// Prim-level `relocates` (source -> target; order of the text is not kept)
// and layer-level `layerRelocates` (ordered pairs).
struct RelocatesMap {
  std::vector<std::pair<Path, Path>> entries;  // sorted by source Path order
  friend bool operator==(const RelocatesMap&, const RelocatesMap&) = default;
};
struct Relocates {
  std::vector<std::pair<Path, Path>> entries;  // authored order
  friend bool operator==(const Relocates&, const Relocates&) = default;
};

// Animation splines (OpenUSD 24.11 Ts). Values are held as double whatever
// the spline's value type; the writer formats them per `valueType`.
struct Spline {
  enum class ValueType : std::uint8_t { Double, Float, Half };
  enum class CurveType : std::uint8_t { Bezier, Hermite };
  enum class ExtrapMode : std::uint8_t { None, Held, Linear, Sloped, LoopRepeat, LoopReset, LoopOscillate };
  enum class Interp : std::uint8_t { None, Held, Linear, Curve };
  // How a tangent is computed (OpenUSD 25.x TsTangentAlgorithm): None uses
  // the authored width and slope; Custom and AutoEase compute them. usda
  // 1.1 and crate 0.13.0 store them.
  enum class TangentAlgorithm : std::uint8_t { None, Custom, AutoEase };
  struct Extrapolation {
    ExtrapMode mode = ExtrapMode::Held;
    double slope = 0;
    friend bool operator==(const Extrapolation&, const Extrapolation&) = default;
  };
  struct LoopParams {
    double protoStart = 0, protoEnd = 0;
    std::int32_t numPreLoops = 0, numPostLoops = 0;
    double valueOffset = 0;
    friend bool operator==(const LoopParams&, const LoopParams&) = default;
  };
  struct Knot {
    double time = 0;
    double value = 0;
    bool dualValued = false;
    double preValue = 0;
    double preTanWidth = 0, preTanSlope = 0;
    double postTanWidth = 0, postTanSlope = 0;
    Interp nextInterp = Interp::Held;
    TangentAlgorithm preTanAlgorithm = TangentAlgorithm::None, postTanAlgorithm = TangentAlgorithm::None;
    std::shared_ptr<const Dictionary> customData;  // null when none
    friend bool operator==(const Knot& a, const Knot& b);
  };

  ValueType valueType = ValueType::Double;
  bool timeValued = false;  // authored on a `timecode` attribute
  CurveType curveType = CurveType::Bezier;
  Extrapolation preExtrapolation, postExtrapolation;
  bool hasLoops = false;
  LoopParams loops;
  std::vector<Knot> knots;  // ascending time
  friend bool operator==(const Spline&, const Spline&) = default;
};

}  // namespace usdkit
