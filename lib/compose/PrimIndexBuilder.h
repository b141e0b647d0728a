// Internal: the machinery that builds a PrimIndex (graph, tasks, arcs).
#pragma once

#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compose/PrimIndex.h"

namespace usdkit {

// Number of path elements without variant selections ("/A{v=x}B" has 2).
int nonVariantElementCount(const Path& path);

// Facts about a graph's nodes that questions asked for every new node would
// otherwise find by walking up the chain of arcs above it: along a chain of
// n arcs (a class inheriting a class inheriting ...) each such walk makes
// one prim index cost n², and the stage n³. Each is found once per node,
// when first asked for (-1 until then; byRootPrim holds nodes [0, filed),
// filed in node order), from what never changes once a node is in place:
// its parent, arc type, layer stack and introduced path, and whether its
// depth below introduction equals its parent's (composing a namespace
// child adds one to every node's). Nodes are only appended to a graph
// under construction; where they are renumbered (culled nodes dropped)
// the facts are cleared.
struct NodeFacts {
  std::vector<int> level;  // arcs from the root down to the node
  // For a class-based node, the topmost node of the run of class-based
  // arcs above it (itself included) whose depths below introduction equal
  // its own: the class hierarchy the node belongs to. Other nodes: itself.
  std::vector<int> classRunTop;
  // The end of the chain of origins from a node that stops at a node whose
  // origin is its parent (or that has none), and the steps to it.
  // A node's jump: an ancestor (the root's: itself) placed so that walking
  // up by jumps and parents reaches any ancestor in steps logarithmic in
  // its distance (skew-binary jump pointers, found from the parent's).
  std::vector<int> jump;
  std::vector<int> jumpPending;  // scratch: nodes whose jumps wait for their parent's
  std::vector<int> originRoot;
  std::vector<int> originDepth;
  std::vector<int> pending;  // scratch: nodes whose facts wait for their parent's (or origin's)
  std::size_t filed = 0;
  // Nodes by layer stack and the root prim of their introduced path
  // (introducedRootPrim; "/" for nodes introduced there). A node's path
  // extends its introduced path, so a node whose path is a prefix or an
  // extension of a site below a root prim is filed under that root prim
  // or under "/".
  struct Key {
    const LayerStack* stack;
    Path rootPrim;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<const LayerStack*>()(k.stack) * 31 + k.rootPrim.hash();
    }
  };
  // Filing pays only where a graph is asked about many sites: it waits
  // until the walks and scans it would save (linearWork, their steps)
  // have cost a few steps per node; and walks or scans shorter than
  // kShortWalk, or than the site's elements (walked up to find its root
  // prim), are made whatever is filed.
  std::unordered_map<Key, std::vector<int>, KeyHash> byRootPrim;
  std::size_t linearWork = 0;
  static constexpr std::size_t kShortWalk = 32;
  // Positions in strength order (pre-order from node 0, children in
  // order), for comparing the origins of new nodes' siblings: found by one
  // walk, resumed where the last question left it, for as long as the tree
  // keeps its shape. A node whose orderEpochOf is not orderEpoch has no
  // position yet. Linking a node into the tree starts a new walk
  // (treeChanged): where n nodes become siblings, each comparing itself
  // with the ones before it, this walks the graph once per new node
  // instead of once per comparison.
  std::vector<std::size_t> orderEpochOf;
  std::vector<int> orderPos;
  std::vector<int> orderPending;  // the walk's stack
  std::size_t orderEpoch = 1;
  int orderVisited = -1;  // nodes the walk has placed (-1: not begun)
  void treeChanged() {
    ++orderEpoch;
    orderPending.clear();
    orderVisited = -1;
  }
  void clear() { *this = NodeFacts(); }
};

// "/" for the absolute root, else the root prim path the path starts with.
Path rootPrimOf(const Path& path);

// A graph under construction; node numbers are creation order until it is
// finalised into strength order.
struct PrimIndexGraph {
  std::vector<PrimIndexNode> nodes;
  bool hasPayloads = false;
  NodeFacts facts;
  int level(int n);
  int classRunTop(int n);
  // Whether x is y or an ancestor of it, or y is x or an ancestor of it.
  bool onOnePath(int x, int y);
  // NodeFacts::originRoot of n; its originDepth in `depth`.
  int originRoot(int n, int& depth);
  // Brings facts.byRootPrim up to date with `nodes`.
  const NodeFacts& filedFacts();
  // Which of a and b a walk in strength order from node 0 reaches first:
  // -1 for a (also where a == b), 1 for b, 0 for neither. `steps` counts
  // the nodes walked.
  int firstInStrengthOrder(int a, int b, std::size_t& steps);
};

// An outward cycle check made while building a memoised graph: the site
// (in `stack`) as it crossed the build's frame, and the graph's root path
// then. Redone against the outer graphs wherever the graph is reused.
struct CycleQuery {
  const LayerStack* stack;
  Path site;
  Path root;
  friend bool operator<(const CycleQuery& a, const CycleQuery& b) {
    if (a.stack != b.stack) return std::less<const LayerStack*>()(a.stack, b.stack);
    if (a.site != b.site) return a.site < b.site;
    return a.root < b.root;
  }
};

// What a nested build consulted beyond its own frame, so that its graph can
// be reused under another frame when that gives the same result.
struct BuildRecord {
  // A set: the checks a reused graph redoes cross this frame again.
  std::set<CycleQuery> queries;
  std::size_t peakNodes = 0;  // most nodes counted at or inside the frame by a capacity check
  int peakDepth = -1;         // deepest nesting below the frame of a nested build's arc (-1: none)
  // Looked at the outer graphs in another way (duplicate sites, payload
  // inclusion, implied classes, a capacity cut): not to be reused.
  bool contextDependent = false;
};

// A recursive build of an arc's target (to pick up its ancestral
// opinions) remembers where it was asked from, for cycle detection.
struct BuildFrame {
  const BuildFrame* previous = nullptr;
  const PrimIndexGraph* outerGraph = nullptr;
  int outerParent = -1;
  Path requestedPath;
  ArcType arcType = ArcType::Root;
  MapFunction arcMap;  // the arc's map to outerParent
  bool skipDuplicateNodes = false;
  int depth = 1;  // frames up to and including this one
  // The layer stacks outerGraph holds (it does not change while this
  // frame's build runs).
  const std::unordered_set<const LayerStack*>* outerStacks = nullptr;
  // Set once a limit cut an arc: the prim index reports one capacity error
  // and takes no further arc (each would only find the limit again).
  bool* capacityReached = nullptr;
  BuildRecord* record = nullptr;     // set when the build's ancestral graphs are memoised
  // The outermost frame up the chain (this one included) with a record.
  const BuildFrame* outermostRecorded = nullptr;
  std::size_t errorsAtStart = 0;  // the prim index's errors when the build began
  // A limit was reached inside this (outermost recorded) build: its arc is
  // dropped whole, errors and all. Where a memoised graph shows that the
  // limit lies ahead, the build stops there instead of composing up to it,
  // and dropping the whole arc either way keeps the result the same
  // whether or not a memoised graph was at hand. Set from the builds
  // inside, which only hold the frame as const.
  mutable bool abandoned = false;
};

// Graphs of relocation sources' ancestors as nested builds compose them
// (without variants or implied specializes), per (layer stack, path), with
// what they consulted outside. A chain of relocations nested under earlier
// relocations' targets composes each level's source from the ancestors'
// graphs: built anew each time, that is exponential in the chain's length.
// The memo only saves work (a graph not found is composed again), so it
// keeps the graphs used last, up to a number of nodes between them
// (PrimIndexOptions::maxMemoisedNodes): kept whole, a chain of n
// relocations holds n graphs of up to n nodes each, memory in the square
// of the chain where each level needs only the graphs of the level above.
struct AncestralGraph {
  PrimIndexGraph graph;
  BuildRecord record;
};
class AncestralGraphs {
 public:
  using Key = std::pair<const LayerStack*, Path>;
  explicit AncestralGraphs(std::size_t maxNodes) : maxNodes_(maxNodes) {}

  // The graph memoised for `key` (now the one used last), or null.
  const AncestralGraph* find(const Key& key);
  // Memoises `graph` for `key` unless one is there, then forgets the
  // graphs used longest ago while the memo holds more nodes than allowed
  // (the new one stays whatever its size).
  void add(Key key, const PrimIndexGraph& graph, const BuildRecord& record);
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    AncestralGraph value;
    std::list<Key>::iterator use;
  };
  std::map<Key, Entry> entries_;
  std::list<Key> uses_;  // least recently used first
  std::size_t maxNodes_;
  std::size_t nodes_ = 0;
};

class PrimIndexBuilder {
 public:
  explicit PrimIndexBuilder(PrimIndexCache& cache) : cache_(cache) {}

  // The finished index of `path` in the cache's root layer stack.
  std::unique_ptr<PrimIndex> buildTopLevel(const Path& path);

 private:
  PrimIndexCache& cache_;
};

}  // namespace usdkit
