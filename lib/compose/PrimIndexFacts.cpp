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
  if (static_cast<std::size_t>(n) < f.level.size() && f.level[static_cast<std::size_t>(n)] >= 0)
    return f.level[static_cast<std::size_t>(n)];
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

bool PrimIndexGraph::onOnePath(int x, int y) {
  NodeFacts& f = facts;
  if (f.jump.size() < nodes.size()) f.jump.resize(nodes.size(), -2);  // -2: not found yet
  auto jumpOf = [&](int n) {
    // Parents before children: each jump comes from the parent's.
    // (level() uses f.pending.)
    f.jumpPending.clear();
    for (int m = n; m >= 0 && f.jump[static_cast<std::size_t>(m)] == -2; m = nodes[static_cast<std::size_t>(m)].parent)
      f.jumpPending.push_back(m);
    for (auto it = f.jumpPending.rbegin(); it != f.jumpPending.rend(); ++it) {
      // The root's jump is itself.
      const int p = nodes[static_cast<std::size_t>(*it)].parent;
      int j = *it;
      if (p >= 0) {
        const int pj = f.jump[static_cast<std::size_t>(p)];
        const int pjj = f.jump[static_cast<std::size_t>(pj)];
        j = level(p) - level(pj) == level(pj) - level(pjj) ? pjj : p;
      }
      f.jump[static_cast<std::size_t>(*it)] = j;
    }
    return f.jump[static_cast<std::size_t>(n)];
  };
  // The deeper one's ancestor at the shallower one's level.
  int lx = level(x), ly = level(y);
  if (lx < ly) {
    std::swap(x, y);
    std::swap(lx, ly);
  }
  int m = x;
  while (lx > ly) {
    const int j = jumpOf(m);
    if (level(j) >= ly) {
      m = j;
    } else {
      m = nodes[static_cast<std::size_t>(m)].parent;
    }
    lx = level(m);
  }
  return m == y;
}

int PrimIndexGraph::originRoot(int n, int& depth) {
  NodeFacts& f = facts;
  if (f.originRoot.size() < nodes.size()) {
    f.originRoot.resize(nodes.size(), -1);
    f.originDepth.resize(nodes.size(), -1);
  }
  // Along the origins while their roots are unknown; then back, each
  // taking its origin's root, one step further.
  f.pending.clear();
  int m = n;
  while (f.originRoot[static_cast<std::size_t>(m)] < 0) {
    const PrimIndexNode& x = nodes[static_cast<std::size_t>(m)];
    if (x.origin < 0 || x.origin == x.parent) {
      f.originRoot[static_cast<std::size_t>(m)] = m;
      f.originDepth[static_cast<std::size_t>(m)] = 0;
      break;
    }
    f.pending.push_back(m);
    m = x.origin;
  }
  for (auto it = f.pending.rbegin(); it != f.pending.rend(); ++it) {
    const auto origin = static_cast<std::size_t>(nodes[static_cast<std::size_t>(*it)].origin);
    f.originRoot[static_cast<std::size_t>(*it)] = f.originRoot[origin];
    f.originDepth[static_cast<std::size_t>(*it)] = f.originDepth[origin] + 1;
  }
  depth = f.originDepth[static_cast<std::size_t>(n)];
  return f.originRoot[static_cast<std::size_t>(n)];
}

int PrimIndexGraph::firstInStrengthOrder(int a, int b, std::size_t& steps) {
  NodeFacts& f = facts;
  if (f.orderEpochOf.size() < nodes.size()) {
    f.orderEpochOf.resize(nodes.size(), 0);
    f.orderPos.resize(nodes.size(), 0);
  }
  auto placed = [&](int n) {
    return n >= 0 && static_cast<std::size_t>(n) < f.orderEpochOf.size() &&
           f.orderEpochOf[static_cast<std::size_t>(n)] == f.orderEpoch;
  };
  if (f.orderVisited < 0) {
    f.orderPending.assign(1, 0);
    f.orderVisited = 0;
  }
  // Nodes not yet placed come after every placed one, or are not in the
  // tree under node 0.
  while (!placed(a) && !placed(b) && !f.orderPending.empty()) {
    const int n = f.orderPending.back();
    f.orderPending.pop_back();
    ++steps;
    f.orderEpochOf[static_cast<std::size_t>(n)] = f.orderEpoch;
    f.orderPos[static_cast<std::size_t>(n)] = f.orderVisited++;
    const auto& kids = nodes[static_cast<std::size_t>(n)].children;
    f.orderPending.insert(f.orderPending.end(), kids.rbegin(), kids.rend());
  }
  const bool pa = placed(a), pb = placed(b);
  if (pa && pb)
    return f.orderPos[static_cast<std::size_t>(a)] <= f.orderPos[static_cast<std::size_t>(b)] ? -1 : 1;
  if (pa) return -1;
  if (pb) return 1;
  return 0;
}

}  // namespace usdkit
