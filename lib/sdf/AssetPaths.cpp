#include "sdf/AssetPaths.h"

#include <type_traits>
#include <vector>

#include "sdf/Fields.h"

namespace usdkit {

namespace {

using Mapper = std::function<std::optional<std::string>(const AssetPathUse&)>;

// Rewrites the asset paths inside one value. Returns the new value only when
// something changed, so untouched values keep sharing their blocks.
class ValueRemapper {
 public:
  ValueRemapper(const Mapper& f, const Path& spec, Token field) : f_(f), spec_(spec), field_(field) {}

  std::optional<Value> remap(const Value& value, AssetRole role, int depth = 0) {
    // Dictionaries and time samples can nest; a hostile file cannot make
    // this recurse without bound because readers bound nesting, but a
    // layer built in memory could, so stop at a depth no real data reaches.
    if (depth > 256) return std::nullopt;
    // A named member template rather than the body of a generic lambda:
    // clang 14 does not instantiate what such a lambda body uses (the
    // listop remapping, make_shared's control blocks), and links fail.
    return value.visit([&](const auto& v) { return remapAlternative(v, role, depth); });
  }

  Status& status() { return status_; }

 private:
  template <class T>
  std::optional<Value> remapAlternative(const T& v, AssetRole role, int depth) {
    if constexpr (std::is_same_v<T, AssetPath>) {
      if (auto p = map(role, v.path)) return Value(AssetPath{std::move(*p)});
    } else if constexpr (std::is_same_v<T, std::vector<AssetPath>>) {
      std::optional<std::vector<AssetPath>> out;
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (auto p = map(role, v[i].path)) {
          if (!out) out = v;
          (*out)[i].path = std::move(*p);
        }
      }
      if (out) return Value(std::move(*out));
    } else if constexpr (std::is_same_v<T, Dictionary>) {
      std::optional<Dictionary> out;
      for (const auto& [key, entry] : v.entries) {
        if (auto changed = remap(entry, role, depth + 1)) {
          if (!out) out = v;
          out->entries[key] = std::move(*changed);
        }
      }
      if (out) return Value(std::move(*out));
    } else if constexpr (std::is_same_v<T, TimeSamples>) {
      std::optional<TimeSamples> out;
      for (std::size_t i = 0; i < v.samples.size(); ++i) {
        if (auto changed = remap(v.samples[i].second, role, depth + 1)) {
          if (!out) out = v;
          out->samples[i].second = std::move(*changed);
        }
      }
      if (out) return Value(std::move(*out));
    } else if constexpr (std::is_same_v<T, ReferenceListOp>) {
      return remapListOp(v, AssetRole::Reference);
    } else if constexpr (std::is_same_v<T, PayloadListOp>) {
      return remapListOp(v, AssetRole::Payload);
    } else if constexpr (std::is_same_v<T, Payload>) {
      if (auto p = map(AssetRole::Payload, v.assetPath)) {
        Payload out = v;
        out.assetPath = std::move(*p);
        return Value(std::move(out));
      }
    } else if constexpr (std::is_same_v<T, StringVector>) {
      // Only subLayers holds asset paths as plain strings.
      if (role != AssetRole::SubLayer) return std::nullopt;
      std::optional<StringVector> out;
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (auto p = map(role, v.items[i])) {
          if (!out) out = v;
          out->items[i] = std::move(*p);
        }
      }
      if (out) return Value(std::move(*out));
    } else if constexpr (std::is_same_v<T, LazyValue>) {
      Expected<Value> loaded = v.load();
      if (!loaded) {
        if (status_) status_ = std::move(loaded).error();
        return std::nullopt;
      }
      return remap(*loaded, role, depth);
    }
    return std::nullopt;
  }

  std::optional<std::string> map(AssetRole role, std::string_view path) {
    if (path.empty()) return std::nullopt;  // internal reference or payload
    return f_(AssetPathUse{role, path, spec_, field_});
  }

  template <class Item>
  std::optional<Value> remapListOp(const ListOp<Item>& op, AssetRole role) {
    std::optional<ListOp<Item>> out;
    using Slot = typename ListOp<Item>::Slot;
    for (Slot slot : {Slot::Explicit, Slot::Added, Slot::Prepended, Slot::Appended, Slot::Deleted, Slot::Ordered}) {
      const std::vector<Item>& items = op.items(slot);
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (auto p = map(role, items[i].assetPath)) {
          if (!out) out = op;
          out->items(slot)[i].assetPath = std::move(*p);
        }
      }
    }
    if (out) return Value(std::move(*out));
    return std::nullopt;
  }

  const Mapper& f_;
  const Path& spec_;
  Token field_;
  Status status_ = Ok{};
};

AssetRole roleOf(Token field, const FieldNames& names) {
  if (field == names.subLayers) return AssetRole::SubLayer;
  if (field == names.references) return AssetRole::Reference;
  if (field == names.payload) return AssetRole::Payload;
  return AssetRole::Value;
}

struct Change {
  Path spec;
  Token field;
  Value value;
};

// Runs f over every asset path of the layer and collects the values that
// change (without touching the layer).
Status scan(const Layer& layer, const Mapper& f, std::vector<Change>& changes) {
  const FieldNames& names = fieldNames();
  Status status = Ok{};
  layer.forEachSpec([&](const Path& path, const Spec& spec) {
    for (const Field& field : spec.fields()) {
      ValueRemapper remapper(f, path, field.name);
      std::optional<Value> changed = remapper.remap(field.value, roleOf(field.name, names));
      if (!remapper.status() && status) status = std::move(remapper.status());
      if (changed) changes.push_back({path, field.name, std::move(*changed)});
    }
  });
  return status;
}

}  // namespace

Status remapAssetPaths(Layer& layer, const Mapper& f) {
  std::vector<Change> changes;
  Status status = scan(layer, f, changes);
  if (!status) return status;
  // Applied afterwards: setting fields while visiting could move them.
  for (Change& c : changes) layer.findSpec(c.spec)->set(c.field, std::move(c.value));
  return Ok{};
}

Status forEachAssetPath(const Layer& layer, const std::function<void(const AssetPathUse&)>& f) {
  std::vector<Change> unused;
  return scan(layer, [&](const AssetPathUse& use) -> std::optional<std::string> {
    f(use);
    return std::nullopt;
  }, unused);
}

}  // namespace usdkit
