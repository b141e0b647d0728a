// What a nested build sees of the graphs outside it (cycles, capacity),
// and the memo of relocation sources' ancestral graphs that lets a nested
// build start from an earlier one's graph when the outside gives the same
// result.
#include <algorithm>

#include "compose/PrimIndexer.h"

namespace usdkit::detail {

bool Indexer::checkCycle(int parent, int origin, ArcType type, const LayerStack& stack, const Path& path) {
  // Walks the node chain from `parent` to the root of the outermost graph,
  // crossing the frames of recursive builds; arcOf() is the arc that
  // introduced a node (a frame's arc for a sub-graph's root).
  struct Step {
    const PrimIndexGraph* graph;
    int node;
    const BuildFrame* frame;  // the frame whose graph holds `node`
  };
  auto arcOf = [](const Step& s) {
    const PrimIndexNode& x = s.graph->nodes[static_cast<std::size_t>(s.node)];
    if (x.parent < 0 && s.frame) return s.frame->arcType;
    return x.arcType;
  };
  auto next = [](Step s) -> Step {
    const PrimIndexNode& x = s.graph->nodes[static_cast<std::size_t>(s.node)];
    if (x.parent >= 0) return {s.graph, x.parent, s.frame};
    if (s.frame) return {s.frame->outerGraph, s.frame->outerParent, s.frame->previous};
    return {nullptr, -1, nullptr};
  };
  // Class arcs implied onto a relocation are never cycles.
  if (isClassBasedArc(type) && parent != origin) {
    Step j{&g_, parent, frame_};
    while (j.graph && isClassBasedArc(arcOf(j))) {
      // Looking past a memoised build's frame makes its graph depend on
      // what lies outside.
      if (j.frame && j.frame->record && j.graph->nodes[static_cast<std::size_t>(j.node)].parent < 0)
        j.frame->record->contextDependent = true;
      j = next(j);
    }
    if (j.graph && arcOf(j) == ArcType::Relocate) return false;
  }
  if (type == ArcType::Variant) return false;
  // Most arcs lead to a stack no graph up the frames holds: no cycle is
  // possible, and walking the chain for each arc of a long chain of arcs
  // would cost its length squared. A memoised build walks anyway: where it
  // is reused, other graphs are outside.
  bool stackSeen = stacksInGraph().count(&stack) != 0;
  bool recording = false;
  for (const BuildFrame* f = frame_; f && !(stackSeen && recording); f = f->previous) {
    stackSeen = stackSeen || f->outerStacks->count(&stack) != 0;
    recording = recording || f->record != nullptr;
  }
  if (!stackSeen && !recording) return false;
  const bool cycle = cycleOutward(stack, path, &g_, parent, frame_);
  if (!cycle) return false;
  std::vector<std::pair<std::string, ArcType>> chain;
  for (Step s{&g_, parent, frame_}; s.graph; s = next(s)) {
    const PrimIndexNode& x = s.graph->nodes[static_cast<std::size_t>(s.node)];
    chain.emplace_back(siteText(*x.layerStack, x.path), arcOf(s));
  }
  std::reverse(chain.begin(), chain.end());
  chain.emplace_back(siteText(stack, path), type);
  std::string msg = "Cycle detected:\n";
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (i > 0) {
      const bool last = i + 1 == chain.size();
      if (last) msg += "CANNOT ";
      switch (chain[i].second) {
        case ArcType::Inherit: msg += last ? "inherit from:\n" : "inherits from:\n"; break;
        case ArcType::Relocate: msg += last ? "be relocated from:\n" : "is relocated from:\n"; break;
        case ArcType::Variant: msg += last ? "use variant:\n" : "uses variant:\n"; break;
        case ArcType::Reference: msg += last ? "reference:\n" : "references:\n"; break;
        case ArcType::Payload: msg += last ? "get payload from:\n" : "gets payload from:\n"; break;
        default: msg += last ? "refer to:\n" : "refers to:\n"; break;
      }
    }
    msg += chain[i].first + "\n";
    if (i > 0 && i + 1 < chain.size()) msg += "which ";
  }
  errors_.push_back({CompositionErrorKind::ArcCycle, msg});
  return true;
}

const std::unordered_set<const LayerStack*>& Indexer::stacksInGraph() {
  // Nodes are only ever appended to a graph under construction.
  for (; stacksScanned_ < g_.nodes.size(); ++stacksScanned_) {
    const PrimIndexNode& x = g_.nodes[stacksScanned_];
    stacksInGraph_.insert(x.layerStack.get());
    if (x.arcType == ArcType::Specialize) hasSpecializeNodes_ = true;
  }
  return stacksInGraph_;
}

namespace {

// One of the node's path and `site` is a prefix of the other. (A site no
// deeper than the node's introduced path is compared with that: the walk
// up a node's path, as deep as a chain of ancestral arcs makes it, is what
// costs.)
bool onOneBranch(const PrimIndexNode& x, const Path& site) {
  if (site.elementCount() <= x.introducedPath.elementCount()) return x.introducedPath.hasPrefix(site);
  return x.path.hasPrefix(site) || site.hasPrefix(x.path);
}

}  // namespace

bool Indexer::siteCandidates(const LayerStack& stack, const Path& site, std::size_t linearSteps,
                             SiteCandidates& out) {
  if (site.isAbsoluteRoot() || linearSteps < NodeFacts::kShortWalk || site.elementCount() >= linearSteps) return false;
  NodeFacts& facts = g_.facts;
  if (facts.filed == 0 && facts.linearWork < 4 * g_.nodes.size()) {
    facts.linearWork += linearSteps;
    return false;
  }
  const auto& byRoot = g_.filedFacts().byRootPrim;
  const auto under = byRoot.find({&stack, rootPrimOf(site)});
  const auto atRoot = byRoot.find({&stack, Path::absoluteRoot()});
  out.lists[0] = under != byRoot.end() ? &under->second : nullptr;
  out.lists[1] = atRoot != byRoot.end() ? &atRoot->second : nullptr;
  return true;
}

bool Indexer::siteOffChain(const LayerStack& stack, const Path& site, int n) {
  // Each arc of a chain of n arcs walked the chain above it: n² per prim
  // index. The nodes that could match are usually few (other root prims'
  // nodes cannot); where they are more than the chain is long, walking
  // the chain costs less.
  const auto chain = static_cast<std::size_t>(g_.level(n)) + 1;
  SiteCandidates c;
  if (!siteCandidates(stack, site, chain, c) || c.size() > chain) return false;
  for (const std::vector<int>* list : c.lists)
    if (list)
      for (int m : *list) {
        cache_.addWorkSteps(1);
        if (onOneBranch(node(m), site)) return false;
      }
  return true;
}

bool Indexer::cycleOutward(const LayerStack& stack, Path site, const PrimIndexGraph* graph, int n, const BuildFrame* f) {
  // Up the chain of nodes from `n`, then across each frame into the graph
  // the build was asked from, with the site seen from there; a memoised
  // build's frame keeps the site as it crossed, to redo the rest elsewhere.
  for (;; f = f->previous) {
    const bool offChain = graph == &g_ && siteOffChain(stack, site, n);
    for (int m = offChain ? -1 : n; m >= 0; m = graph->nodes[static_cast<std::size_t>(m)].parent) {
      cache_.addWorkSteps(1);
      const PrimIndexNode& x = graph->nodes[static_cast<std::size_t>(m)];
      if (x.layerStack.get() == &stack && onOneBranch(x, site)) return true;
    }
    if (!f) return false;
    const Path& root = graph->nodes.front().path;
    // (The root only matters for a site at or below it.)
    if (f->record) f->record->queries.insert({&stack, site, site.hasPrefix(root) ? root : Path()});
    site = root == site ? f->requestedPath : f->requestedPath.replacePrefix(root, site);
    graph = f->outerGraph;
    n = f->outerParent;
  }
}

bool Indexer::exceedsCapacity(int parent, const LayerStack& stack, const Path& path, bool nestedBuild) {
  if (*capacityReached_) {
    markContextDependent();
    return true;
  }
  const int depth = frame_ ? frame_->depth : 0;
  std::size_t nodes = g_.nodes.size();
  for (const BuildFrame* f = frame_; f; f = f->previous) {
    if (BuildRecord* r = f->record) {
      // What the same check needs to pass below a frame elsewhere.
      r->peakNodes = std::max(r->peakNodes, nodes);
      if (nestedBuild) r->peakDepth = std::max(r->peakDepth, depth - f->depth);
    }
    nodes += f->outerGraph->nodes.size();
  }
  const PrimIndexOptions& limits = cache_.options();
  const bool tooMany = nodes >= limits.maxIndexNodes;
  if (!tooMany && !(nestedBuild && depth >= limits.maxNestedBuilds)) return false;
  if (frame_ && frame_->outermostRecorded) {
    abandonRecordedBuild();  // reported where the build is dropped
    return true;
  }
  markContextDependent();
  *capacityReached_ = true;
  errors_.push_back({CompositionErrorKind::CapacityExceeded,
                     "Composition graph capacity exceeded: " +
                         (tooMany ? "more than " + std::to_string(limits.maxIndexNodes) + " nodes"
                                  : "arcs nested more than " + std::to_string(limits.maxNestedBuilds) + " deep") +
                         "; the arc from " + siteText(*node(parent).layerStack, node(parent).path) + " to " +
                         siteText(stack, path) + " and any further arcs are ignored."});
  return true;
}

void Indexer::abandonRecordedBuild() {
  markContextDependent();
  *capacityReached_ = true;
  frame_->outermostRecorded->abandoned = true;
}

void Indexer::markContextDependent() {
  for (const BuildFrame* f = frame_; f; f = f->previous)
    if (f->record) f->record->contextDependent = true;
}

// ------------------------------------------------- memoised ancestral graphs

Indexer::Reuse Indexer::reuseAncestralGraph(const AncestralGraph& e) {
  // The memoised build ran below another frame: its cycle checks' outward
  // part and its capacity checks must give the same answers here. With the
  // same cycles, a build here would make the same checks: one past a limit
  // means composing it again would only end at that limit.
  for (const CycleQuery& q : e.record.queries) {
    const Path site = q.root.empty()    ? q.site
                      : q.root == q.site ? frame_->requestedPath
                                         : frame_->requestedPath.replacePrefix(q.root, q.site);
    if (cycleOutward(*q.stack, site, frame_->outerGraph, frame_->outerParent, frame_->previous)) return Reuse::Unusable;
  }
  const PrimIndexOptions& limits = cache_.options();
  std::size_t outer = 0;
  for (const BuildFrame* f = frame_; f; f = f->previous) outer += f->outerGraph->nodes.size();
  if (e.record.peakNodes > 0 && outer + e.record.peakNodes >= limits.maxIndexNodes) return Reuse::ExceedsLimits;
  if (e.record.peakDepth >= 0 && frame_->depth + e.record.peakDepth >= limits.maxNestedBuilds)
    return Reuse::ExceedsLimits;
  // Reused, it counts as built here for the frames above (the walks above
  // recorded the cycle checks' crossings further out).
  std::size_t nodes = e.record.peakNodes;
  for (const BuildFrame* f = frame_; f; f = f->previous) {
    if (BuildRecord* r = f->record) {
      if (f == frame_) r->queries.insert(e.record.queries.begin(), e.record.queries.end());
      if (e.record.peakNodes > 0) r->peakNodes = std::max(r->peakNodes, nodes);
      if (e.record.peakDepth >= 0) r->peakDepth = std::max(r->peakDepth, e.record.peakDepth + frame_->depth - f->depth);
    }
    nodes += f->outerGraph->nodes.size();
  }
  cache_.addWorkSteps(e.graph.nodes.size());
  return Reuse::Reused;
}

// Drops the culled nodes nothing names as an origin (with their ancestors),
// as a finished index does, keeping the order of the others. A relocation
// source's ancestors hold the subtrees relocations elided (culled) at each
// level, and each level's source graph holds the level above: kept, they
// double the graph per level of a chain of nested relocations.
void dropCulledNodes(PrimIndexGraph& g) {
  const std::size_t size = g.nodes.size();
  std::vector<char> keep(size, 0);
  for (std::size_t i = 0; i < size; ++i) {
    if (g.nodes[i].culled && i != 0) continue;
    for (int n = static_cast<int>(i); n >= 0 && !keep[static_cast<std::size_t>(n)];) {
      keep[static_cast<std::size_t>(n)] = 1;
      // its origin (and the origin's ancestors), then its own ancestors
      const PrimIndexNode& x = g.nodes[static_cast<std::size_t>(n)];
      for (int o = x.origin; o >= 0 && !keep[static_cast<std::size_t>(o)]; o = g.nodes[static_cast<std::size_t>(o)].parent)
        keep[static_cast<std::size_t>(o)] = 1;
      n = x.parent;
    }
  }
  if (std::find(keep.begin(), keep.end(), 0) == keep.end()) return;
  std::vector<int> newId(size, -1);
  int next = 0;
  for (std::size_t i = 0; i < size; ++i)
    if (keep[i]) newId[i] = next++;
  std::vector<PrimIndexNode> out;
  out.reserve(static_cast<std::size_t>(next));
  for (std::size_t i = 0; i < size; ++i) {
    if (!keep[i]) continue;
    PrimIndexNode x = std::move(g.nodes[i]);
    if (x.parent >= 0) x.parent = newId[static_cast<std::size_t>(x.parent)];
    if (x.origin >= 0) x.origin = newId[static_cast<std::size_t>(x.origin)];
    std::erase_if(x.children, [&](int c) { return newId[static_cast<std::size_t>(c)] < 0; });
    for (int& c : x.children) c = newId[static_cast<std::size_t>(c)];
    out.push_back(std::move(x));
  }
  g.nodes = std::move(out);
  g.facts.clear();  // node numbers changed
}

bool Indexer::buildAncestors(const std::shared_ptr<const LayerStack>& stack, const std::vector<Path>& ancestors) {
  // `ancestors` runs from the parent up to the root prim. A relocation
  // source's build starts from the deepest one memoised and usable here,
  // and memoises the ones it composes while nothing it did depended on
  // the outside (no errors either: they would not be reported again).
  BuildRecord* record = frame_ ? frame_->record : nullptr;
  AncestralGraphs& memo = cache_.ancestralGraphs();
  std::size_t next = ancestors.size();  // ancestors[next - 1 .. 0] are still to compose
  if (record)
    for (std::size_t i = 0; i < ancestors.size(); ++i) {
      const AncestralGraph* found = memo.find({stack.get(), ancestors[i]});
      if (!found) continue;
      const Reuse reuse = reuseAncestralGraph(*found);
      if (reuse == Reuse::ExceedsLimits) {
        abandonRecordedBuild();
        return false;
      }
      if (reuse == Reuse::Reused) {
        g_ = found->graph;
        next = i;
        break;
      }
    }
  if (next == ancestors.size()) addRoot(stack);
  const std::size_t errorsBefore = errors_.size();
  while (next-- > 0) {
    Indexer(cache_, g_, errors_, frame_, evalImpliedSpecializes_, evalVariants_).extend(stack, ancestors[next], true, false);
    if (abandoned()) return false;
    if (record) dropCulledNodes(g_);
    if (record && !record->contextDependent && errors_.size() == errorsBefore)
      memo.add({stack.get(), ancestors[next]}, g_, *record);
  }
  return true;
}

}  // namespace usdkit::detail

namespace usdkit {

const AncestralGraph* AncestralGraphs::find(const Key& key) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  uses_.splice(uses_.end(), uses_, it->second.use);
  return &it->second.value;
}

void AncestralGraphs::add(Key key, const PrimIndexGraph& graph, const BuildRecord& record) {
  if (entries_.count(key)) return;
  uses_.push_back(key);
  Entry& e = entries_.emplace(std::move(key), Entry{AncestralGraph{graph, record}, std::prev(uses_.end())}).first->second;
  e.value.graph.facts.clear();  // (found again where the graph is reused)
  nodes_ += graph.nodes.size();
  while (nodes_ > maxNodes_ && uses_.size() > 1) {
    const auto oldest = entries_.find(uses_.front());
    nodes_ -= oldest->second.value.graph.nodes.size();
    entries_.erase(oldest);
    uses_.pop_front();
  }
}

}  // namespace usdkit
