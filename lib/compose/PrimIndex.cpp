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

// Pre-order from the root (graph walks use an explicit stack: a chain of
// arcs is as deep as the input makes it).
std::vector<int> strengthOrder(const PrimIndexGraph& g) {
  std::vector<int> out;
  out.reserve(g.nodes.size());
  for (std::vector<int> pending{0}; !pending.empty();) {
    const int n = pending.back();
    pending.pop_back();
    out.push_back(n);
    const auto& kids = g.nodes[static_cast<std::size_t>(n)].children;
    pending.insert(pending.end(), kids.rbegin(), kids.rend());
  }
  return out;
}

// Children before their parent: a node is culled only when all its
// children are (siblings do not affect each other).
void cullSubtrees(PrimIndexGraph& g, const LayerStack* rootStack) {
  const std::vector<int> pre = strengthOrder(g);
  for (auto it = pre.rbegin(); it != pre.rend(); ++it)
    if (canBeCulled(g, *it, rootStack)) g.nodes[static_cast<std::size_t>(*it)].setCulled(true);
}

// Per node: a node other than the root on its chain to the root was not
// brought in by an ancestor's arc. Parents precede their children in
// strength order, so one pass over it does.
std::vector<char> reachedByOwnArc(const PrimIndexGraph& g, const std::vector<int>& order) {
  std::vector<char> own(g.nodes.size(), 0);
  for (int n : order) {
    const PrimIndexNode& x = g.nodes[static_cast<std::size_t>(n)];
    if (n == 0) continue;
    own[static_cast<std::size_t>(n)] = !x.dueToAncestor || (x.parent > 0 && own[static_cast<std::size_t>(x.parent)]);
  }
  return own;
}

}  // namespace

std::unique_ptr<PrimIndex> PrimIndexBuilder::buildTopLevel(const Path& path) {
  auto index = std::make_unique<PrimIndex>();
  index->path_ = path;
  PrimIndexGraph g;
  detail::Indexer indexer(cache_, g, index->errors_, nullptr, true, true);
  indexer.build(cache_.rootStack_, path, true);
  if (cache_.options().cull && !path.isAbsoluteRoot()) cullSubtrees(g, cache_.rootStack_.get());
  // Culling changes no structure: one strength order serves from here on.
  const std::vector<int> order = strengthOrder(g);
  // Instanceable: an instanceable node exists and `instanceable` is true.
  bool anyInstanceable = false;
  const std::vector<char> ownArc = reachedByOwnArc(g, order);
  for (std::size_t i = 1; i < g.nodes.size(); ++i)
    if (g.nodes[i].hasSpecs && ownArc[i]) anyInstanceable = true;
  if (anyInstanceable) {
    // The strongest opinion on `instanceable`.
    for (int n : order) {
      const PrimIndexNode& x = g.nodes[static_cast<std::size_t>(n)];
      if (!x.canContributeSpecs()) continue;
      std::optional<bool> found;
      for (const LayerStackEntry& e : x.layerStack->layers())
        if (const Spec* s = e.layer->findSpec(x.path))
          if (const bool* b = s->getAs<bool>(fieldNames().instanceable)) { found = *b; break; }
      if (found) { index->instanceable_ = *found; break; }
    }
  }
  // Finalise: strength order, culled nodes dropped unless still an origin.
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

AncestralGraphs& PrimIndexCache::ancestralGraphs() {
  if (!ancestralGraphs_) ancestralGraphs_ = std::make_unique<AncestralGraphs>(options_.maxMemoisedNodes);
  return *ancestralGraphs_;
}

const PrimIndex& PrimIndexCache::get(const Path& primPath) {
  auto it = indexes_.find(primPath);
  if (it != indexes_.end()) return *it->second;
  // Each index starts from its parent's: build the missing ancestors first,
  // outermost first, rather than recursing once per namespace level.
  std::vector<Path> missing{primPath};
  for (Path p = primPath.parent(); !p.empty() && p.isAbsolute() && !indexes_.count(p); p = p.parent()) {
    missing.push_back(p);
    if (p.isAbsoluteRoot()) break;
  }
  PrimIndexBuilder builder(*this);
  const PrimIndex* built = nullptr;
  // (A build asks for its parent's index, which is there by then: it adds
  // no map function work of its own to count twice.)
  const std::size_t pairsBefore = MapFunction::pairsMade();
  for (auto m = missing.rbegin(); m != missing.rend(); ++m)
    built = indexes_.emplace(*m, builder.buildTopLevel(*m)).first->second.get();
  workSteps_ += MapFunction::pairsMade() - pairsBefore;
  return *built;
}

}  // namespace usdkit
