// A type-erased USD value (OpenUSD's VtValue), restricted to the closed set
// of types scene description can hold. Small trivially-copyable values live
// inline; everything else is an immutable shared block, so copying a Value
// (even a huge array) is cheap and values can be shared between layers.
#pragma once

#include <cassert>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "base/Expected.h"
#include "sdf/ValueTypes.h"

namespace usdkit {

// Every scalar value type of the usda type table, with its kind name. Each
// also exists as an array (std::vector<T>). `Opaque` has no array form and is
// listed separately.
#define USDKIT_SCALAR_VALUE_TYPES(X) \
  X(bool, Bool)                      \
  X(std::uint8_t, UChar)             \
  X(std::int32_t, Int)               \
  X(std::uint32_t, UInt)             \
  X(std::int64_t, Int64)             \
  X(std::uint64_t, UInt64)           \
  X(Half, Half)                      \
  X(float, Float)                    \
  X(double, Double)                  \
  X(TimeCode, TimeCode)              \
  X(std::string, String)             \
  X(Token, Token)                    \
  X(AssetPath, Asset)                \
  X(PathExpression, PathExpression)  \
  X(Vec2i, Vec2i)                    \
  X(Vec3i, Vec3i)                    \
  X(Vec4i, Vec4i)                    \
  X(Vec2h, Vec2h)                    \
  X(Vec3h, Vec3h)                    \
  X(Vec4h, Vec4h)                    \
  X(Vec2f, Vec2f)                    \
  X(Vec3f, Vec3f)                    \
  X(Vec4f, Vec4f)                    \
  X(Vec2d, Vec2d)                    \
  X(Vec3d, Vec3d)                    \
  X(Vec4d, Vec4d)                    \
  X(Quath, Quath)                    \
  X(Quatf, Quatf)                    \
  X(Quatd, Quatd)                    \
  X(Matrix2d, Matrix2d)              \
  X(Matrix3d, Matrix3d)              \
  X(Matrix4d, Matrix4d)

// Scene-description types that are not attribute value types.
#define USDKIT_OTHER_VALUE_TYPES(X) \
  X(Opaque)                         \
  X(ValueBlock)                     \
  X(AnimationBlock)                 \
  X(Specifier)                      \
  X(Permission)                     \
  X(Variability)                    \
  X(Path)                           \
  X(LayerOffset)                    \
  X(Reference)                      \
  X(Payload)                        \
  X(Dictionary)                     \
  X(TimeSamples)                    \
  X(TokenListOp)                    \
  X(StringListOp)                   \
  X(PathListOp)                     \
  X(ReferenceListOp)                \
  X(PayloadListOp)                  \
  X(IntListOp)                      \
  X(UIntListOp)                     \
  X(Int64ListOp)                    \
  X(UInt64ListOp)                   \
  X(UnregisteredListOp)             \
  X(UnregisteredValue)              \
  X(TokenVector)                    \
  X(StringVector)                   \
  X(PathVector)                     \
  X(DoubleVector)                   \
  X(LayerOffsetVector)              \
  X(VariantSelectionMap)            \
  X(StringDictionary)               \
  X(RelocatesMap)                   \
  X(Relocates)                      \
  X(Spline)                         \
  X(ArrayEdit)

// The element kind of a scalar value type (also the element of its array).
enum class ValueKind : std::uint8_t {
#define USDKIT_KIND(T, K) K,
  USDKIT_SCALAR_VALUE_TYPES(USDKIT_KIND)
#undef USDKIT_KIND
};

// Calls f(std::type_identity<T>{}) with the C++ type of `kind`.
template <class F>
decltype(auto) withKindType(ValueKind kind, F&& f) {
  switch (kind) {
#define USDKIT_KIND_CASE(T, K) \
  case ValueKind::K:           \
    return f(std::type_identity<T>{});
    USDKIT_SCALAR_VALUE_TYPES(USDKIT_KIND_CASE)
#undef USDKIT_KIND_CASE
  }
  return f(std::type_identity<bool>{});
}

struct TimeSamples;
struct ArrayEdit;
class Value;

// A value that stays in its source (e.g. an array in a memory-mapped crate
// file) until something needs it, so opening a layer does not decode every
// array. load() decodes it; a damaged source yields an error naming the file
// and byte offset. Implementations must be safe to call repeatedly.
class LazyValue {
 public:
  virtual ~LazyValue() = default;
  virtual Expected<Value> load() const = 0;

  // What is known of a value still held as its source text (a usda reader
  // option keeps big numeric arrays that way, checked but not converted):
  // equal text of the same kind is an equal value, and the reader hashed
  // the array's bytes as they will decode (WordHash), so equal arrays can
  // be matched without decoding either. Empty text for other lazy values.
  struct SourceText {
    std::string_view text;
    ValueKind kind = ValueKind::Bool;
    bool isArray = false;
    std::size_t count = 0;           // array elements
    std::uint64_t contentHash = 0;   // WordHash::ofBytes of the decoded array's bytes
  };
  virtual SourceText sourceText() const { return {}; }
};

namespace detail {
template <class T>
struct StoredInline : std::bool_constant<std::is_trivially_copyable_v<T> && sizeof(T) <= 8> {};
// Declared before they are complete; always boxed.
template <> struct StoredInline<Dictionary> : std::false_type {};
template <> struct StoredInline<TimeSamples> : std::false_type {};
template <> struct StoredInline<ArrayEdit> : std::false_type {};
template <class T>
inline constexpr bool kStoredInline = StoredInline<T>::value;
template <class T>
using Stored = std::conditional_t<kStoredInline<T>, T, std::shared_ptr<const T>>;
}  // namespace detail

class Value {
 public:
  using Storage = std::variant<std::monostate
#define USDKIT_ALT(T, K) , detail::Stored<T>, std::shared_ptr<const std::vector<T>>
      USDKIT_SCALAR_VALUE_TYPES(USDKIT_ALT)
#undef USDKIT_ALT
#define USDKIT_ALT2(T) , detail::Stored<T>
      USDKIT_OTHER_VALUE_TYPES(USDKIT_ALT2)
#undef USDKIT_ALT2
      , std::shared_ptr<const LazyValue>>;

  template <class T>
  static constexpr bool kHolds =
      !std::is_same_v<T, std::monostate> &&
      std::is_constructible_v<Storage, std::in_place_type_t<detail::Stored<T>>, T>;

  Value() noexcept = default;
  // Copying, moving and destroying a variant of a hundred alternatives
  // instantiates a hundred-way switch; defined once in Value.cpp instead of
  // inline in every file that holds a Value (most of the library's compile
  // time went there).
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  // Constructs the alternative in place: std::variant::emplace would first
  // destroy the (empty) old alternative, instantiating the hundred-way
  // destructor switch at every call site.
  template <class T, class D = std::decay_t<T>,
            std::enable_if_t<!std::is_same_v<D, Value> && !std::is_same_v<D, const char*>, int> = 0>
  Value(T&& v)  // NOLINT: implicit on purpose, like VtValue
      : storage_(std::in_place_type<StoredFor<D>>, makeStored<D>(std::forward<T>(v))) {}
  // Shares an existing immutable block without copying it.
  template <class T>
  static Value shared(std::shared_ptr<const T> block) {
    return Value(InPlace{}, std::in_place_type<std::shared_ptr<const T>>, std::move(block));
  }

  // A value decoded only when load() is called on it (see LazyValue).
  static Value lazy(std::shared_ptr<const LazyValue> source) {
    return Value(InPlace{}, std::in_place_type<std::shared_ptr<const LazyValue>>, std::move(source));
  }
  bool isLazy() const noexcept { return std::holds_alternative<std::shared_ptr<const LazyValue>>(storage_); }
  // Source text of a lazy value held as text (see LazyValue::SourceText);
  // empty text for every other value.
  LazyValue::SourceText sourceText() const {
    const auto* lazy = std::get_if<std::shared_ptr<const LazyValue>>(&storage_);
    return lazy ? (*lazy)->sourceText() : LazyValue::SourceText{};
  }
  // The value itself, decoding it first when it is lazy.
  Expected<Value> loaded() const;

  bool empty() const noexcept { return storage_.index() == 0; }

  template <class T>
  bool is() const noexcept {
    return std::holds_alternative<StoredFor<T>>(storage_);
  }

  template <class T>
  const T* getIf() const noexcept {
    const auto* s = std::get_if<StoredFor<T>>(&storage_);
    if (!s) return nullptr;
    if constexpr (std::is_same_v<StoredFor<T>, T>) return s;
    else return s->get();
  }

  template <class T>
  const T& get() const {
    const T* p = getIf<T>();
    assert(p);
    return *p;
  }

  // Calls f(const T&) with the held value (std::monostate when empty,
  // LazyValue when not decoded yet).
  template <class F>
  decltype(auto) visit(F&& f) const {
    return std::visit(
        [&](const auto& s) -> decltype(auto) {
          using S = std::decay_t<decltype(s)>;
          if constexpr (is_shared_ptr<S>::value) return f(*s);
          else return f(s);
        },
        storage_);
  }

  // True when the held value is an array (std::vector<T> of a scalar kind).
  bool isArray() const;
  // Element kind of a scalar or array value; false when it is not one.
  bool scalarKind(ValueKind* kind, bool* isArray) const;

  // Identity of the shared block (for deduplication); null for inline values.
  const void* sharedIdentity() const;

  friend bool operator==(const Value& a, const Value& b);
  const Storage& storage() const noexcept { return storage_; }

 private:
  template <class T> struct is_vector : std::false_type {};
  template <class T> struct is_vector<std::vector<T>> : std::true_type {};
  template <class T> struct is_shared_ptr : std::false_type {};
  template <class T> struct is_shared_ptr<std::shared_ptr<T>> : std::true_type {};
  template <class T>
  using StoredFor = std::conditional_t<is_vector<T>::value, std::shared_ptr<const T>, detail::Stored<T>>;
  template <class D, class T>
  static StoredFor<D> makeStored(T&& v) {
    if constexpr (std::is_same_v<StoredFor<D>, D>) return D(std::forward<T>(v));
    else return std::make_shared<const D>(std::forward<T>(v));
  }
  struct InPlace {};
  template <class S, class Arg>
  Value(InPlace, std::in_place_type_t<S> type, Arg&& arg) : storage_(type, std::forward<Arg>(arg)) {}

  Storage storage_;
};

// Key-value map with keys in byte order (OpenUSD's VtDictionary).
struct Dictionary {
  std::map<std::string, Value> entries;
  friend bool operator==(const Dictionary&, const Dictionary&) = default;
};

// Attribute time samples, ascending by time. A sample value may be a
// ValueBlock.
struct TimeSamples {
  std::vector<std::pair<double, Value>> samples;
  friend bool operator==(const TimeSamples&, const TimeSamples&) = default;
};

// One operation of an array edit. Indexes count from the end when
// negative; `kArrayEditEnd` as an insert's destination is the array's end
// (append). Arguments, by code: WriteLiteral (literal, index), WriteRef
// (source index, index), InsertLiteral (literal, index), InsertRef (source
// index, index), EraseRef (index), MinSize / SetSize / MaxSize (size),
// MinSizeFill / SetSizeFill (size, literal). The codes are the numbers
// crate 0.14.0 stores.
struct ArrayEditOp {
  enum class Code : std::uint8_t {
    WriteLiteral = 0, WriteRef, InsertLiteral, InsertRef, EraseRef, MinSize, MinSizeFill, SetSize, SetSizeFill, MaxSize
  };
  Code code = Code::WriteLiteral;
  std::int64_t a = 0, b = 0;
  static constexpr int arity(Code c) noexcept {
    return c == Code::EraseRef || c == Code::MinSize || c == Code::SetSize || c == Code::MaxSize ? 1 : 2;
  }
  friend bool operator==(const ArrayEditOp&, const ArrayEditOp&) = default;
};
inline constexpr std::int64_t kArrayEditEnd = std::numeric_limits<std::int64_t>::min();

// An array edit (current OpenUSD's VtArrayEdit, usda 1.2 `edit [...]`,
// crate 0.14.0): operations applied in order to the weaker opinion's array
// instead of replacing it. `literals` holds the values the operations name,
// an array of `kind` (each distinct value once, in order of first use, as
// OpenUSD builds them). Equal when literals and operations are equal.
struct ArrayEdit {
  ValueKind kind = ValueKind::Int;
  Value literals;  // std::vector of `kind`'s type
  std::vector<ArrayEditOp> ops;
  bool isIdentity() const noexcept { return ops.empty(); }
  friend bool operator==(const ArrayEdit&, const ArrayEdit&) = default;
};

// `edit` applied to `weaker`, an array of the edit's kind (an empty Value
// stands for no weaker opinion: an empty array). Operations whose index or
// size is out of range are skipped, as OpenUSD skips them. Null when
// `weaker` is no array of that kind.
std::optional<Value> applyArrayEdit(const ArrayEdit& edit, const Value& weaker);
// An empty array of `kind` (an identity edit's literals).
Value emptyArrayOf(ValueKind kind);

}  // namespace usdkit
