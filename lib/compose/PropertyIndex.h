// The opinions on each property of a composed prim (OpenUSD's
// PcpPropertyIndex): one place that knows which property specs count and in
// what order, for the composition dump, the flattener and every tool above.
#pragma once

#include <unordered_map>
#include <vector>

#include "base/Token.h"
#include "compose/PrimIndex.h"
#include "sdf/Layer.h"

namespace usdkit {

struct PropertySpecEntry {
  const Layer* layer;
  Path path;         // the property spec's path in `layer`
  const Spec* spec;
  int node;          // the prim index node it comes from
  std::size_t prim;  // its prim spec's place in the prim stack
};

// One property's specs, strongest first.
struct PropertyStack {
  // The strongest spec's type (Attribute or Relationship): the defining
  // spec's. Unknown when the prim has no spec of the property.
  SpecType type = SpecType::Unknown;
  // The specs of that type; specs of the other type are left out (OpenUSD
  // ignores them and reports each) and listed in `conflicting`.
  std::vector<PropertySpecEntry> specs;
  std::vector<PropertySpecEntry> conflicting;
  // The weakest spec of either type: flattening takes `custom` and an
  // attribute's variability from it, as OpenUSD does.
  const Spec* weakest = nullptr;
};

// The property stacks of one prim index. Finding the specs goes through
// each prim spec's own property list once, so a prim whose opinions each
// add a property costs time linear in them, not names times specs.
class PropertyIndex {
 public:
  explicit PropertyIndex(const PrimIndex& index);

  // The prim stack the property specs hang from (PrimIndex::primStack).
  const std::vector<PrimStackEntry>& primStack() const noexcept { return primStack_; }
  // Property names in the order the prim stack first lists them,
  // strongest first.
  const std::vector<Token>& names() const noexcept { return names_; }
  PropertyStack stack(Token name) const;

 private:
  std::vector<PrimStackEntry> primStack_;
  std::vector<Token> names_;
  // Which prim specs list each property, strongest first.
  std::unordered_map<Token, std::vector<std::size_t>> holders_;
};

}  // namespace usdkit
