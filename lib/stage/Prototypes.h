// Instancing as OpenUSD's stage builds it: which instances share a
// prototype, which instance supplies it, and how prototypes are numbered
// (__Prototype_N). A walk of the stage in namespace order reports each
// active instanceable prim it meets (addInstance), walks below an instance
// only when it starts a new prototype (nested instances are found there),
// and says when that walk is done (finish): a prototype is numbered then,
// so prototypes nested in it are numbered before it, as OpenUSD's
// baselines show. The Stage and the flattener walk with it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compose/PrimIndex.h"
#include "sdf/Path.h"

namespace usdkit {

class Prototypes {
 public:
  struct Added {
    std::size_t id;  // the prototype the instance shares
    bool isNew;      // the instance is the prototype's source: walk below it, then finish(id)
  };
  // The instance at `instance` (stage namespace, or its source's namespace
  // inside a prototype), whose index is `index`: active and instanceable.
  Added addInstance(const Path& instance, const PrimIndex& index);
  // The walk below prototype `id`'s source is done: the prototype gets the
  // next number.
  void finish(std::size_t id);

  std::size_t size() const noexcept { return prototypes_.size(); }
  // The instance whose prim index the prototype is composed from.
  const Path& source(std::size_t id) const { return prototypes_[id].source; }
  // N of __Prototype_N; 0 until finish(id).
  int number(std::size_t id) const { return prototypes_[id].number; }
  // The prototype's path on the stage, /__Prototype_N.
  Path stagePath(std::size_t id) const;
  // The prototype an instance shares, by the path addInstance was given.
  std::optional<std::size_t> of(const Path& instance) const;
  // The prototype whose stage path is `root` (/__Prototype_N).
  std::optional<std::size_t> byStagePath(const Path& root) const;
  // The ids in the order of their stage paths (__Prototype_10 sorts before
  // __Prototype_2), the order in which OpenUSD lists and flattens them.
  std::vector<std::size_t> inStageOrder() const;

 private:
  struct Prototype {
    Path source;
    int number = 0;
  };
  std::vector<Prototype> prototypes_;
  std::map<std::string, std::size_t> byKey_;        // instance key -> id
  std::unordered_map<Path, std::size_t> instances_;  // instance -> id
  std::vector<std::size_t> byNumber_;               // N - 1 -> id
};

}  // namespace usdkit
