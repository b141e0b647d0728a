// Finishing a prim index (culling, instanceability, strength-order
// numbering) and the per-stage cache of indexes.
#include <functional>
#include <optional>

#include "compose/PrimIndexer.h"

namespace usdkit {

namespace {

using detail::stripVariants;

bool canBeCulled(const PrimIndexGraph& g, int n, const LayerStack* rootStack) {
  const PrimIndexNode& x = g.nodes[static_cast<std::size_t>(n)];
  if (x.culled) return true;
  if (n == 0) return false;
  if (x.depthBelowIntroduction() == 0) return false;
  if (x.arcType == ArcType::Inherit && x.layerStack.get() == rootStack) {
    int originNode = n;
    if (x.origin != x.parent) {
      while (g.nodes[static_cast<std::size_t>(originNode)].origin >= 0 &&
             g.nodes[static_cast<std::size_t>(originNode)].origin != g.nodes[static_cast<std::size_t>(originNode)].parent)
        originNode = g.nodes[static_cast<std::size_t>(originNode)].origin;
    }
    const PrimIndexNode& o = g.nodes[static_cast<std::size_t>(originNode)];
    Path atIntro = stripVariants(o.path);
    for (int k = o.depthBelowIntroduction(); k > 0; --k) atIntro = atIntro.parent();
    if (!atIntro.isRootPrimPath()) return false;
  }
  for (int c : x.children)
    if (!g.nodes[static_cast<std::size_t>(c)].culled) return false;
  if (x.hasSpecs && x.canContributeSpecs()) return false;
  return true;
}

void cullSubtrees(PrimIndexGraph& g, int n, const LayerStack* rootStack) {
  for (int c : std::vector<int>(g.nodes[static_cast<std::size_t>(n)].children)) cullSubtrees(g, c, rootStack);
  if (canBeCulled(g, n, rootStack)) g.nodes[static_cast<std::size_t>(n)].setCulled(true);
}

bool isInstanceableNode(const PrimIndexGraph& g, int n) {
  if (n == 0 || !g.nodes[static_cast<std::size_t>(n)].hasSpecs) return false;
  for (int m = n; m > 0; m = g.nodes[static_cast<std::size_t>(m)].parent)
    if (!g.nodes[static_cast<std::size_t>(m)].dueToAncestor) return true;
  return false;
}

}  // namespace

std::unique_ptr<PrimIndex> PrimIndexBuilder::buildTopLevel(const Path& path) {
  auto index = std::make_unique<PrimIndex>();
  index->path_ = path;
  PrimIndexGraph g;
  detail::Indexer indexer(cache_, g, index->errors_, nullptr, true, true);
  indexer.build(cache_.rootStack_, path, true);
  if (cache_.options().cull && !path.isAbsoluteRoot()) cullSubtrees(g, 0, cache_.rootStack_.get());
  // Instanceable: an instanceable node exists and `instanceable` is true.
  bool anyInstanceable = false;
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    if (isInstanceableNode(g, static_cast<int>(i))) anyInstanceable = true;
  if (anyInstanceable) {
    std::function<std::optional<bool>(int)> find = [&](int n) -> std::optional<bool> {
      const PrimIndexNode& x = g.nodes[static_cast<std::size_t>(n)];
      if (x.canContributeSpecs()) {
        for (const LayerStackEntry& e : x.layerStack->layers())
          if (const Spec* s = e.layer->findSpec(x.path))
            if (const bool* b = s->getAs<bool>(fieldNames().instanceable)) return *b;
      }
      for (int c : x.children)
        if (auto r = find(c)) return r;
      return std::nullopt;
    };
    index->instanceable_ = find(0).value_or(false);
  }
  // Finalise: strength order, culled nodes dropped unless still an origin.
  std::vector<int> order;
  std::function<void(int)> walk = [&](int n) {
    order.push_back(n);
    for (int c : g.nodes[static_cast<std::size_t>(n)].children) walk(c);
  };
  walk(0);
  std::vector<char> keep(g.nodes.size(), 0);
  for (int n : order) keep[static_cast<std::size_t>(n)] = !g.nodes[static_cast<std::size_t>(n)].culled;
  for (int n : order)
    if (keep[static_cast<std::size_t>(n)]) {
      int o = g.nodes[static_cast<std::size_t>(n)].origin;
      while (o >= 0 && !keep[static_cast<std::size_t>(o)]) {
        keep[static_cast<std::size_t>(o)] = 1;
        // its ancestors must stay for the tree to hold together
        for (int p = g.nodes[static_cast<std::size_t>(o)].parent; p >= 0 && !keep[static_cast<std::size_t>(p)];
             p = g.nodes[static_cast<std::size_t>(p)].parent)
          keep[static_cast<std::size_t>(p)] = 1;
        o = g.nodes[static_cast<std::size_t>(o)].origin;
      }
    }
  std::vector<int> newId(g.nodes.size(), -1);
  int next = 0;
  for (int n : order)
    if (keep[static_cast<std::size_t>(n)]) newId[static_cast<std::size_t>(n)] = next++;
  index->nodes_.reserve(static_cast<std::size_t>(next));
  for (int n : order) {
    if (!keep[static_cast<std::size_t>(n)]) continue;
    PrimIndexNode x = g.nodes[static_cast<std::size_t>(n)];
    x.parent = x.parent >= 0 ? newId[static_cast<std::size_t>(x.parent)] : -1;
    x.origin = x.origin >= 0 ? newId[static_cast<std::size_t>(x.origin)] : -1;
    std::vector<int> kids;
    for (int c : x.children)
      if (newId[static_cast<std::size_t>(c)] >= 0) kids.push_back(newId[static_cast<std::size_t>(c)]);
    x.children = std::move(kids);
    index->nodes_.push_back(std::move(x));
  }
  index->hasPayloads_ = g.hasPayloads;
  return index;
}

PrimIndexCache::PrimIndexCache(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                               PrimIndexOptions options)
    : stacks_(stacks), rootStack_(std::move(rootStack)), options_(std::move(options)) {}

PrimIndexCache::~PrimIndexCache() = default;

const PrimIndex& PrimIndexCache::get(const Path& primPath) {
  auto it = indexes_.find(primPath);
  if (it != indexes_.end()) return *it->second;
  PrimIndexBuilder builder(*this);
  std::unique_ptr<PrimIndex> index = builder.buildTopLevel(primPath);
  return *indexes_.emplace(primPath, std::move(index)).first->second;
}

}  // namespace usdkit
