#include "sdf/Value.h"

namespace usdkit {

bool Reference::hasCustomData() const { return customData && !customData->entries.empty(); }

bool operator==(const Reference& a, const Reference& b) {
  if (a.assetPath != b.assetPath || !(a.primPath == b.primPath) || !(a.layerOffset == b.layerOffset))
    return false;
  bool ea = !a.hasCustomData(), eb = !b.hasCustomData();
  if (ea || eb) return ea == eb;
  return *a.customData == *b.customData;
}

bool operator==(const Spline::Knot& a, const Spline::Knot& b) {
  if (a.time != b.time || a.value != b.value || a.dualValued != b.dualValued ||
      a.preValue != b.preValue || a.preTanWidth != b.preTanWidth ||
      a.preTanSlope != b.preTanSlope || a.postTanWidth != b.postTanWidth ||
      a.postTanSlope != b.postTanSlope || a.nextInterp != b.nextInterp ||
      a.preTanAlgorithm != b.preTanAlgorithm || a.postTanAlgorithm != b.postTanAlgorithm)
    return false;
  bool ea = !a.customData || a.customData->entries.empty();
  bool eb = !b.customData || b.customData->entries.empty();
  if (ea || eb) return ea == eb;
  return *a.customData == *b.customData;
}

namespace {
template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};

template <class T> constexpr bool kIsScalarKind = false;
#define USDKIT_KIND_TRAIT(T, K) template <> constexpr bool kIsScalarKind<T> = true;
USDKIT_SCALAR_VALUE_TYPES(USDKIT_KIND_TRAIT)
#undef USDKIT_KIND_TRAIT

template <class T> constexpr ValueKind kKindOf = ValueKind::Bool;
#define USDKIT_KIND_OF(T, K) template <> constexpr ValueKind kKindOf<T> = ValueKind::K;
USDKIT_SCALAR_VALUE_TYPES(USDKIT_KIND_OF)
#undef USDKIT_KIND_OF
}  // namespace

Value::Value(const Value& other) = default;
Value::Value(Value&& other) noexcept = default;
Value& Value::operator=(const Value& other) = default;
Value& Value::operator=(Value&& other) noexcept = default;
Value::~Value() = default;

bool Value::isArray() const {
  return visit([](const auto& v) {
    using T = std::decay_t<decltype(v)>;
    return IsVector<T>::value;
  });
}

bool Value::scalarKind(ValueKind* kind, bool* array) const {
  return visit([&](const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (IsVector<T>::value) {
      if constexpr (kIsScalarKind<typename T::value_type>) {
        *kind = kKindOf<typename T::value_type>;
        *array = true;
        return true;
      }
      return false;
    } else if constexpr (kIsScalarKind<T>) {
      *kind = kKindOf<T>;
      *array = false;
      return true;
    } else {
      return false;
    }
  });
}

const void* Value::sharedIdentity() const {
  return std::visit(
      [](const auto& s) -> const void* {
        using S = std::decay_t<decltype(s)>;
        if constexpr (is_shared_ptr<S>::value) return s.get();
        else return nullptr;
      },
      storage_);
}

Expected<Value> Value::loaded() const {
  if (!isLazy()) return *this;
  return std::get<std::shared_ptr<const LazyValue>>(storage_)->load();
}

bool operator==(const Value& a, const Value& b) {
  if (a.isLazy() || b.isLazy()) {
    if (a.sharedIdentity() == b.sharedIdentity()) return true;
    const LazyValue::SourceText ta = a.sourceText(), tb = b.sourceText();
    if (!ta.text.empty() && ta.kind == tb.kind && ta.isArray == tb.isArray && ta.text == tb.text) return true;
    Expected<Value> la = a.loaded();
    Expected<Value> lb = b.loaded();
    // An undecodable value equals nothing, so a comparison never hides damage.
    return la && lb && *la == *lb;
  }
  if (a.storage_.index() != b.storage_.index()) return false;
  if (a.sharedIdentity() && a.sharedIdentity() == b.sharedIdentity()) return true;
  return a.visit([&](const auto& av) {
    using T = std::decay_t<decltype(av)>;
    if constexpr (std::is_same_v<T, std::monostate>) {
      return true;
    } else if constexpr (std::is_same_v<T, LazyValue>) {
      return false;  // handled above
    } else {
      return av == *b.getIf<T>();
    }
  });
}

}  // namespace usdkit
