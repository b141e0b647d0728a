// Facts about a prim index graph's nodes, found once per node (NodeFacts,
// PrimIndexBuilder.h): what questions asked for each new node would
// otherwise find by walking up the chain of arcs above it.
#include "compose/PrimIndexBuilder.h"

namespace usdkit {

Path rootPrimOf(const Path& path) {
  Path p = path;
  for (std::size_t k = path.elementCount(); k > 1; --k) p = p.parent();
  return p;
}

const NodeFacts& PrimIndexGraph::filedFacts() {
  for (NodeFacts& f = facts; f.filed < nodes.size(); ++f.filed) {
    PrimIndexNode& x = nodes[f.filed];
    if (x.introducedRootPrim.empty()) x.introducedRootPrim = rootPrimOf(x.introducedPath);
    f.byRootPrim[{x.layerStack.get(), x.introducedRootPrim}].push_back(static_cast<int>(f.filed));
  }
  return facts;
}

int PrimIndexGraph::level(int n) {
  NodeFacts& f = facts;
  if (f.level.size() < nodes.size()) f.level.resize(nodes.size(), -1);
  f.pending.clear();
  for (int m = n; m >= 0 && f.level[static_cast<std::size_t>(m)] < 0; m = nodes[static_cast<std::size_t>(m)].parent)
    f.pending.push_back(m);
  for (auto m = f.pending.rbegin(); m != f.pending.rend(); ++m) {
    const int parent = nodes[static_cast<std::size_t>(*m)].parent;
    f.level[static_cast<std::size_t>(*m)] = parent < 0 ? 0 : f.level[static_cast<std::size_t>(parent)] + 1;
  }
  return f.level[static_cast<std::size_t>(n)];
}

int PrimIndexGraph::classRunTop(int n) {
  NodeFacts& f = facts;
  if (f.classRunTop.size() < nodes.size()) f.classRunTop.resize(nodes.size(), -1);
  // Up the run while its nodes' tops are unknown; then down, each taking
  // its parent's top.
  f.pending.clear();
  int top = -1;
  for (int m = n; top < 0;) {
    if (const int known = f.classRunTop[static_cast<std::size_t>(m)]; known >= 0) {
      top = known;
      break;
    }
    f.pending.push_back(m);
    const PrimIndexNode& x = nodes[static_cast<std::size_t>(m)];
    const bool runGoesOn = x.parent >= 0 && isClassBasedArc(x.arcType) &&
                           isClassBasedArc(nodes[static_cast<std::size_t>(x.parent)].arcType) &&
                           x.depthBelowIntroduction() == nodes[static_cast<std::size_t>(x.parent)].depthBelowIntroduction();
    if (!runGoesOn) top = m;
    m = x.parent;
  }
  for (int m : f.pending) f.classRunTop[static_cast<std::size_t>(m)] = top;
  return top;
}

}  // namespace usdkit
