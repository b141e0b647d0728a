#include "compose/PropertyIndex.h"

#include "sdf/Fields.h"

namespace usdkit {

PropertyIndex::PropertyIndex(const PrimIndex& index) : primStack_(index.primStack()) {
  const Token properties = fieldNames().properties;
  for (std::size_t i = 0; i < primStack_.size(); ++i) {
    const Spec* prim = primStack_[i].layer->findSpec(primStack_[i].path);
    const TokenVector* names = prim ? prim->getAs<TokenVector>(properties) : nullptr;
    if (!names) continue;
    for (Token n : names->items) {
      std::vector<std::size_t>& at = holders_[n];
      if (at.empty()) names_.push_back(n);
      if (at.empty() || at.back() != i) at.push_back(i);
    }
  }
}

PropertyStack PropertyIndex::stack(Token name) const {
  PropertyStack out;
  const auto it = holders_.find(name);
  if (it == holders_.end()) return out;
  for (std::size_t i : it->second) {
    const PrimStackEntry& e = primStack_[i];
    Path path = e.path.appendProperty(name.str());
    const Spec* spec = e.layer->findSpec(path);
    if (!spec) continue;
    if (out.type == SpecType::Unknown) out.type = spec->type();
    out.weakest = spec;
    PropertySpecEntry entry{e.layer, std::move(path), spec, e.node, i};
    if (spec->type() != out.type) out.conflicting.push_back(std::move(entry));
    else out.specs.push_back(std::move(entry));
  }
  return out;
}

}  // namespace usdkit
