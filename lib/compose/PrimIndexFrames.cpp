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
    while (j.graph && isClassBasedArc(arcOf(j))) j = next(j);
    if (j.graph && arcOf(j) == ArcType::Relocate) return false;
  }
  if (type == ArcType::Variant) return false;
  // Most arcs lead to a stack no graph up the frames holds: no cycle is
  // possible, and walking the chain for each arc of a long chain of arcs
  // would cost its length squared.
  bool stackSeen = stacksInGraph().count(&stack) != 0;
  for (const BuildFrame* f = frame_; f && !stackSeen; f = f->previous) stackSeen = f->outerStacks->count(&stack) != 0;
  if (!stackSeen) return false;
  bool cycle = false;
  Path site = path;
  const PrimIndexGraph* graph = &g_;
  int n = parent;
  for (const BuildFrame* f = frame_;; f = f->previous) {
    for (int m = n; m >= 0; m = graph->nodes[static_cast<std::size_t>(m)].parent) {
      cache_.addWorkSteps(1);
      const PrimIndexNode& x = graph->nodes[static_cast<std::size_t>(m)];
      if (x.layerStack.get() == &stack && (x.path.hasPrefix(site) || site.hasPrefix(x.path))) cycle = true;
    }
    if (cycle || !f) break;
    const Path& root = graph->nodes.front().path;
    site = root == site ? f->requestedPath : f->requestedPath.replacePrefix(root, site);
    graph = f->outerGraph;
    n = f->outerParent;
  }
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

bool Indexer::exceedsCapacity(int parent, const LayerStack& stack, const Path& path, bool nestedBuild) {
  std::size_t nodes = g_.nodes.size();
  for (const BuildFrame* f = frame_; f; f = f->previous) nodes += f->outerGraph->nodes.size();
  const int depth = frame_ ? frame_->depth : 0;
  const PrimIndexOptions& limits = cache_.options();
  const bool tooMany = nodes >= limits.maxIndexNodes;
  if (!tooMany && !(nestedBuild && depth >= limits.maxNestedBuilds)) return false;
  if (!*capacityReported_) {
    *capacityReported_ = true;
    errors_.push_back({CompositionErrorKind::CapacityExceeded,
                       "Composition graph capacity exceeded: " +
                           (tooMany ? "more than " + std::to_string(limits.maxIndexNodes) + " nodes"
                                    : "arcs nested more than " + std::to_string(limits.maxNestedBuilds) + " deep") +
                           "; the arc from " + siteText(*node(parent).layerStack, node(parent).path) + " to " +
                           siteText(stack, path) + " and any further arcs are ignored."});
  }
  return true;
}

}  // namespace usdkit::detail
