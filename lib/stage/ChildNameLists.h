// Internal to lib/stage: the children fields (primChildren, properties,
// variantSetChildren, variantChildren) of a layer being written, gathered
// name by name and stored once at the end. Rewriting a field per child
// would copy its list each time: quadratic for a prim with many children.
#pragma once

#include <unordered_map>
#include <utility>
#include <vector>

#include "base/Token.h"
#include "sdf/Layer.h"

namespace usdkit::stage_detail {

class ChildNameLists {
 public:
  void append(const Path& parent, Token field, Token name) { lists_[Key{parent, field}].push_back(name); }

  // Stores every gathered list in its spec of `layer`.
  void storeIn(Layer& layer) {
    for (auto& [key, names] : lists_) {
      if (Spec* spec = layer.findSpec(key.parent)) spec->set(key.field, TokenVector{std::move(names)});
    }
    lists_.clear();
  }

 private:
  struct Key {
    Path parent;
    Token field;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<Path>()(k.parent) * 31 + std::hash<Token>()(k.field);
    }
  };
  std::unordered_map<Key, std::vector<Token>, KeyHash> lists_;
};

}  // namespace usdkit::stage_detail
