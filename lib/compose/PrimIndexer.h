// Internal to lib/compose: the prim indexer shared by the PrimIndex*.cpp
// files (graph and arcs, variants and relocations, finishing). Not a public
// API.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "compose/PrimIndexBuilder.h"
#include "sdf/Fields.h"

namespace usdkit::detail {

inline Path stripVariants(const Path& p) { return p.containsPrimVariantSelection() ? p.stripAllVariantSelections() : p; }

inline bool siteHasPrimSpecs(const LayerStack& stack, const Path& path) {
  for (const LayerStackEntry& e : stack.layers())
    if (const Spec* s = e.layer->findSpec(path); s && (s->type() == SpecType::Prim || s->type() == SpecType::Variant))
      return true;
  return false;
}

// Composes a list-op field across a layer stack, weakest layer first. Items
// are transformed by `anchor` (per authoring layer) before they are applied;
// `touched` receives, per resulting item, the strongest layer whose op
// mentioned it.
template <class T>
std::vector<T> composeListField(const LayerStack& stack, const Path& path, Token field,
                                const std::function<T(const T&, const Layer&)>& anchor,
                                std::vector<std::size_t>* touchedLayer = nullptr) {
  std::vector<T> list;
  std::vector<std::pair<T, std::size_t>> lastTouch;
  const auto& layers = stack.layers();
  for (std::size_t i = layers.size(); i-- > 0;) {
    const Spec* spec = layers[i].layer->findSpec(path);
    if (!spec) continue;
    const ListOp<T>* op = spec->getAs<ListOp<T>>(field);
    if (!op) continue;
    ListOp<T> anchored;
    anchored.isExplicit = op->isExplicit;
    for (auto slot : {ListOp<T>::Slot::Explicit, ListOp<T>::Slot::Added, ListOp<T>::Slot::Prepended,
                      ListOp<T>::Slot::Appended, ListOp<T>::Slot::Deleted, ListOp<T>::Slot::Ordered}) {
      for (const T& item : op->items(slot)) {
        T a = anchor ? anchor(item, *layers[i].layer) : item;
        anchored.items(slot).push_back(a);
        if (touchedLayer && slot != ListOp<T>::Slot::Deleted) {
          bool found = false;
          for (auto& [k, l] : lastTouch)
            if (k == a) { l = i; found = true; }
          if (!found) lastTouch.emplace_back(a, i);
        }
      }
    }
    anchored.applyTo(list);
  }
  if (touchedLayer) {
    touchedLayer->clear();
    for (const T& item : list) {
      std::size_t layer = 0;
      for (auto& [k, l] : lastTouch)
        if (k == item) layer = l;
      touchedLayer->push_back(layer);
    }
  }
  return list;
}

// Relocations of `stack` that apply below `path`, as a map function (with
// the root identity); null when the stack has none.
inline MapFunction relocatesMapAt(const LayerStack& stack, const Path& path) {
  std::vector<MapFunction::PathPair> pairs;
  std::unordered_set<Path> seenTargets;
  // Paths below `path` follow it in the maps' order (a prefix sorts before
  // its extensions): only those relocates are visited.
  auto below = [&](const std::map<Path, Path>& relocates, auto&& visit) {
    for (auto it = relocates.lower_bound(path); it != relocates.end() && it->first.hasPrefix(path); ++it)
      visit(it->first, it->second);
  };
  below(stack.relocatesSourceToTarget(), [&](const Path& src, const Path& dst) {
    if (dst.empty()) return;
    pairs.emplace_back(src, dst);
    seenTargets.insert(dst);
  });
  below(stack.incrementalRelocatesSourceToTarget(), [&](const Path& src, const Path& dst) {
    if (dst.empty() || !seenTargets.insert(dst).second) return;
    pairs.emplace_back(src, dst);
  });
  pairs.emplace_back(Path::absoluteRoot(), Path::absoluteRoot());
  return MapFunction::create(std::move(pairs));
}

// The map of an arc from `source` to the node at `nodePath` in `stack`,
// through the stack's relocations there.
inline MapFunction arcMap(const Path& source, const LayerStack& stack, const Path& nodePath, const LayerOffset& offset) {
  const Path target = stripVariants(nodePath);
  MapFunction arc = MapFunction::create({{source, target}}, offset);
  if (!stack.hasRelocates()) return arc;
  return relocatesMapAt(stack, target).compose(arc);
}

enum class TaskType {
  Relocations,
  ImpliedRelocations,
  References,
  Payloads,
  Inherits,
  ImpliedClasses,
  Specializes,
  AncestralVariantSets,
  AncestralVariantAuthored,
  AncestralVariantFallback,
  AncestralVariantNoneFound,
  ImpliedSpecializes,
  VariantSets,
  VariantAuthored,
  VariantFallback,
  VariantNoneFound,
  UnresolvedPrimPath,
};

struct Task {
  TaskType type;
  int node;
  std::string vset;
  int vsetNum = 0;
  Path vsetPath;  // the prim owning the variant set (an ancestor's for ancestral variants)
  friend bool operator==(const Task& a, const Task& b) {
    return a.type == b.type && a.node == b.node && a.vset == b.vset && a.vsetNum == b.vsetNum && a.vsetPath == b.vsetPath;
  }
};

// Variant tasks are ordered by the strength of their nodes, which changes as
// the graph grows, and are promoted in place; every other task is ordered
// by (type, node) alone and is kept in a heap.
inline bool isVariantTask(TaskType t) {
  return t == TaskType::VariantAuthored || t == TaskType::VariantFallback || t == TaskType::VariantNoneFound ||
         t == TaskType::AncestralVariantAuthored || t == TaskType::AncestralVariantFallback ||
         t == TaskType::AncestralVariantNoneFound;
}

// Node numbers, the lowest or highest taken in a few word scans: a bit per
// node, and a bit per word that has any (a prim index of 65,535 nodes needs
// 16 of those). Every node of every prim index queues several tasks, one
// set per task type: sifting them through a heap was a quarter of the time
// of composing a deep chain.
class NodeSet {
 public:
  bool insert(int n);  // false when already there
  bool empty() const noexcept { return count_ == 0; }
  int popLowest();
  int popHighest();

 private:
  void erase(std::size_t word, int bit);
  std::vector<std::uint64_t> words_, summary_;
  std::size_t count_ = 0;
};

struct ArcOptions {
  bool contributes = true;
  bool includeAncestral = false;
  bool skipDuplicateNodes = false;
  bool skipTasksForExpressedArcs = false;
  bool skipImpliedSpecializes = false;
  bool checkCycles = true;
};

class Indexer {
 public:
  Indexer(PrimIndexCache& cache, PrimIndexGraph& graph, CompositionErrors& errors, const BuildFrame* frame,
          bool evalImpliedSpecializes, bool evalVariants)
      : cache_(cache), g_(graph), errors_(errors), frame_(frame), evalImpliedSpecializes_(evalImpliedSpecializes),
        evalVariants_(evalVariants) {}

  void build(const std::shared_ptr<const LayerStack>& stack, const Path& path, bool rootContributes);

 private:
  // Extends the graph of `path`'s parent (in g_) to `path`, and composes
  // the arcs found there.
  void extend(const std::shared_ptr<const LayerStack>& stack, const Path& path, bool rootContributes,
              bool ancestorInstanceable);

 private:
  PrimIndexNode& node(int i) { return g_.nodes[static_cast<std::size_t>(i)]; }
  int parentOf(int i) { return node(i).parent; }

  // ---- graph ----
  bool originIsStronger(int a, int b, int& result);
  int compareSiblings(int a, int b);
  int insertChild(int parent, PrimIndexNode child);
  int appendSubgraph(int parent, PrimIndexGraph&& sub, const PrimIndexNode& arc);
  void updateMapsToRoot(int n);
  bool isInSubtree(int n, int root);
  void inertSubtree(int n);
  std::vector<int> strengthOrder(int from);

  // ---- tasks ----
  void addTask(Task t);
  bool popTask(Task& out);
  TaskType minVariantTaskType() const {
    TaskType t = tasks_.front().type;
    for (const Task& x : tasks_) t = std::min(t, x.type);
    return t;
  }
  void addTasksForNode(int n, bool skipExpressedArcs, bool skipImpliedSpecializes, bool ancestralVariants = false);
  void addTasksRecursively(int from, bool skipExpressedArcs, bool skipImpliedSpecializes, bool ancestralVariants = false);
  void addNodeTasks(int n, bool skipExpressedArcs, bool skipImpliedSpecializes, bool ancestralVariants);

  // ---- arcs ----
  int addArc(ArcType type, int parent, int origin, const std::shared_ptr<const LayerStack>& stack, const Path& path,
             const MapFunction& map, int siblingNum, int namespaceDepth, ArcOptions opts);
  bool checkCycle(int parent, int origin, ArcType type, const LayerStack& stack, const Path& path);
  const std::unordered_set<const LayerStack*>& stacksInGraph();
  bool exceedsCapacity(int parent, const LayerStack& stack, const Path& path, bool nestedBuild);
  // Whether `site` in `stack`, seen from node `n` of `graph` below frame
  // `f`, is on the chain of nodes up to the outermost root (a cycle).
  bool cycleOutward(const LayerStack& stack, Path site, const PrimIndexGraph* graph, int n, const BuildFrame* f);
  // The nodes of g_ in `stack` whose paths may be prefixes or extensions
  // of `site` (those filed under its root prim or under "/"; a superset),
  // as two lists. False when that is every node (`site` is "/"), or when
  // the walk or scan of `linearSteps` steps it would replace is cheaper
  // (see NodeFacts::byRootPrim): the caller then makes that.
  struct SiteCandidates {
    const std::vector<int>* lists[2] = {nullptr, nullptr};
    std::size_t size() const { return (lists[0] ? lists[0]->size() : 0) + (lists[1] ? lists[1]->size() : 0); }
  };
  bool siteCandidates(const LayerStack& stack, const Path& site, std::size_t linearSteps, SiteCandidates& out);
  // True when no node on the chain from `n` up to g_'s root can be in
  // `stack` on one branch with `site`, known without walking the chain;
  // false when it may be (the chain is then walked).
  bool siteOffChain(const LayerStack& stack, const Path& site, int n);
  // The builds up the frames that are memoised looked outside themselves.
  void markContextDependent();
  // A limit is reached inside a relocation source's build: the outermost
  // one up the frames is dropped (see BuildFrame::abandoned).
  void abandonRecordedBuild();
  // This indexer works for a build that is being dropped: its work is moot.
  bool abandoned() const { return frame_ && frame_->outermostRecorded && frame_->outermostRecorded->abandoned; }
  enum class Reuse { Reused, Unusable, ExceedsLimits };
  Reuse reuseAncestralGraph(const AncestralGraph& e);
  void addRoot(const std::shared_ptr<const LayerStack>& stack);
  // False when the build was abandoned.
  bool buildAncestors(const std::shared_ptr<const LayerStack>& stack, const std::vector<Path>& ancestors);
  void evalRefsOrPayloads(int n, bool payloads);
  void evalClassArcs(int n, ArcType type);
  int addClassArc(ArcType type, int parent, int origin, const MapFunction& map, int num, const PrimIndexNode* ignoreSite);
  void evalImpliedClasses(int n);
  void evalImpliedClassTree(int dest, int src, const MapFunction& transfer, bool startOfTree);
  int findStartingNodeForImpliedClasses(int n);
  bool hasClassBasedChild(int n);
  void evalImpliedSpecializes(int n);
  void findSpecializesToPropagate(int n);
  void propagateSpecializesTree(int parent, int src, const MapFunction& map, int srcTreeRoot);
  void propagateArcsToOrigin(int parent, int src, const MapFunction& map, int srcTreeRoot);
  void propagateTree(int parent, int src, const MapFunction& map, int srcTreeRoot, bool toOrigin);
  int propagateNodeToParent(int parent, int src, bool skipImpliedSpecializes, bool skipExpressedArcs,
                            const MapFunction& map, int srcTreeRoot);
  bool isPropagatedSpecializes(int n);
  void evalVariantSets(int n, const Path& vsetPath, bool ancestral);
  void evalAncestralVariantSets(int n);
  void evalVariant(const Task& t, bool allowFallback, bool ancestral);
  std::string composeVariantSelection(int n, const Path& pathInNode, const std::string& vset);
  // An authored selection, a variable expression evaluated with the
  // stack's variables; nullopt (the error reported) when it fails, so the
  // next weaker opinion decides.
  std::optional<std::string> authoredSelection(const std::string& selection, const LayerStack& stack,
                                               const Layer& layer, const Path& site);
  bool selectionFromIndex(int n, const Path& pathInNode, const std::string& vset, std::string& out);
  void indexSelections();
  std::vector<std::string> variantOptions(int n, const Path& vsetPath, const std::string& vset);
  void retryVariantTasks();
  void evalUnresolvedPrimPath(int n);
  void evalRelocations(int n);
  void evalImpliedRelocations(int n);
  void elideSubtree(int n);
  void elideRelocatedSubtrees(int n);

  std::string siteText(const LayerStack& stack, const Path& path) const {
    return formatSite(stack.rootLayer()->identifier(), path.string());
  }

  PrimIndexCache& cache_;
  PrimIndexGraph& g_;
  CompositionErrors& errors_;
  const BuildFrame* frame_;
  bool evalImpliedSpecializes_;
  bool evalVariants_;
  // Tasks of the fixed-order types, by type: they run by type, then by
  // node (implied classes deepest, i.e. newest, node first). A task added
  // again while it waits is dropped (nodes are queued again with their
  // subtrees).
  static constexpr int kTaskTypes = static_cast<int>(TaskType::UnresolvedPrimPath) + 1;
  NodeSet fixedTasks_[kTaskTypes];
  std::uint32_t fixedTypesQueued_ = 0;  // a bit per type whose set is not empty
  std::vector<Task> tasks_;  // variant tasks only
  // The layer stacks of g_.nodes[0, stacksScanned_): an arc can only close a
  // cycle through a stack some graph up the frames holds.
  std::unordered_set<const LayerStack*> stacksInGraph_;
  std::size_t stacksScanned_ = 0;
  bool hasSpecializeNodes_ = false;  // among g_.nodes[0, stacksScanned_)
  bool ownCapacityReached_ = false;
  bool* capacityReached_ = frame_ ? frame_->capacityReached : &ownCapacityReached_;
  std::vector<std::tuple<int, Path, std::string>> decidedVariants_;
  // Variant selections by set name, for the prim this indexer extends the
  // graph to (each indexer extends once, so node paths do not change).
  // Scanning every node for each variant set costs a chain of nested
  // variants its depth squared, each step over paths as long as the chain.
  struct SelectionIndex {
    std::size_t indexed = 0;            // nodes [0, indexed) are indexed
    std::vector<char> identityToRoot;   // every map up to the root is the identity
    std::vector<Path> primPath;         // the prim's path in the node's namespace (empty: does not map)
    // set -> (node, selection): variant arcs for the set at the prim, and
    // the strongest layer's authored selection at each node's site.
    std::map<std::string, std::vector<std::pair<int, std::string>>, std::less<>> chosen, authored;
  } selections_;
};

}  // namespace usdkit::detail
