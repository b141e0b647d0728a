// The prim index: for one prim path, the graph of sites (layer stack, path)
// that contribute opinions, joined by composition arcs, and the order of
// strength between them (LIVRPS: local, inherits, variants, relocates,
// references, payloads, specializes).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "compose/CompositionErrors.h"
#include "compose/LayerStack.h"
#include "compose/MapExpression.h"
#include "compose/MapFunction.h"
#include "sdf/Path.h"

namespace usdkit {

class AncestralGraphs;  // PrimIndexBuilder.h

// In strength order for siblings: smaller is stronger.
enum class ArcType : std::uint8_t { Root, Inherit, Variant, Relocate, Reference, Payload, Specialize };

// "root", "inherit", "variant", "relocate", "reference", "payload", "specialize"
std::string_view arcTypeName(ArcType type);
inline bool isClassBasedArc(ArcType t) { return t == ArcType::Inherit || t == ArcType::Specialize; }

struct PrimIndexNode {
  std::shared_ptr<const LayerStack> layerStack;
  Path path;  // the site's path; may hold variant selections ("/A{v=x}B")
  // `path` when the node was added: a prefix of it (composing a namespace
  // child appends to `path`), often far shorter, which walks up `path`
  // start from instead.
  Path introducedPath;
  // The root prim introducedPath starts with ("/" for "/"), found when
  // composing first looks nodes up by it (NodeFacts) and kept with the
  // node: walking up a deep path again for each prim index the node is
  // copied into would cost more than the lookups save. Empty until then.
  Path introducedRootPrim;
  ArcType arcType = ArcType::Root;
  int parent = -1;  // node numbers; -1 for the root
  int origin = -1;  // the node whose arc this one was made for (parent, or where implied/propagated from)
  // Path depth from which this node's specs stop counting (0: none); set
  // when it becomes inert or culled, so ancestral opinions above stay.
  // (Here, with the other small fields, the node takes no more room.)
  int restrictionDepth = 0;
  std::vector<int> children;  // strongest first
  MapFunction mapToParent;    // this node's namespace -> parent's, with the arc's time offset
  MapExpression mapToRoot;    // this node's namespace -> the root node's (time offset = stage time)
  int siblingNumAtOrigin = 0;  // position of the arc in its authored list
  int namespaceDepth = 0;      // path elements (without variants) where the arc was authored
  int introductionDepth = 0;   // path elements (without variants) of the path when the node was added
  bool inert = false;          // kept for structure only, contributes no opinions
  bool culled = false;         // no opinions in this subtree
  bool hasSpecs = false;       // some layer of the stack has a prim spec at `path`
  bool dueToAncestor = false;  // brought in by an arc on a namespace ancestor
  const Layer* arcLayer = nullptr;  // the layer that authored the reference or payload
  bool canContributeSpecs() const noexcept { return !inert && !culled; }
  void setInert(bool value) {
    if (value != inert) { inert = value; recordRestriction(value); }
  }
  void setCulled(bool value) {
    if (value != culled) { culled = value; recordRestriction(value); }
  }
  void recordRestriction(bool restricted) {
    restrictionDepth = (restricted || !canContributeSpecs()) ? static_cast<int>(path.isAbsoluteRoot() ? 0 : path.elementCount()) : 0;
  }
  int depthBelowIntroduction() const;
  Path pathAtIntroduction() const;
};

// Whether node `n` of an index's nodes is one an instance shares with the
// other instances of its prototype (Pcp's instanceable nodes): not the
// root, has specs, and reached through at least one arc authored on the
// instance itself or below it (not only through ancestral arcs).
bool isInstanceableNode(std::span<const PrimIndexNode> nodes, int n);

struct PrimStackEntry {
  const Layer* layer;
  Path path;  // the prim spec's path in `layer`
  int node;   // the node it comes from
};

class PrimIndex {
 public:
  const Path& path() const noexcept { return path_; }
  // Nodes in strength order: node 0 is the root; a node's subtree follows
  // it. Culled nodes are gone, except those still named as an origin.
  std::span<const PrimIndexNode> nodes() const noexcept { return nodes_; }
  const PrimIndexNode& rootNode() const { return nodes_.front(); }

  // Prim specs that contribute, strongest first: for each contributing node,
  // each layer of its layer stack that has a prim spec at the node's path.
  std::vector<PrimStackEntry> primStack() const;

  // Variant selections used by this prim's own variant arcs (set ->
  // selection), sorted by set name.
  std::vector<std::pair<std::string, std::string>> variantSelections() const;
  // The variant sets the composed prim has (UsdVariantSets::GetNames): each
  // node's composed `variantSetNames`, strongest node first, each name once.
  std::vector<std::string> variantSetNames() const;
  // The variants authored for `set` anywhere in the index, sorted.
  std::vector<std::string> variantNames(const std::string& set) const;

  // Composed names (ComposedNames.cpp). Child names: weakest node and layer
  // first, in order of first appearance, with `reorder nameChildren`
  // applied; prohibited (relocation source) names removed.
  std::vector<Token> childNames() const;
  // Whether childNames() holds `name`, without composing the whole list
  // where no relocation can rename children.
  bool hasChildName(Token name) const;
  std::vector<Token> prohibitedChildNames() const;  // sorted
  // Property names as Pcp composes them (weakest first, no propertyOrder).
  std::vector<Token> propertyNames() const;
  // The same with `reorder properties` (propertyOrder) applied as Sdf
  // orders a list.
  std::vector<Token> orderedPropertyNames() const;

  bool isInstanceable() const noexcept { return instanceable_; }
  // Pcp's instance key: the arc type, site and time offset of every
  // instanceable node that contributes specs, and the variant selections.
  // Instances with equal keys compose the same prim below them, so they
  // share one prototype.
  std::string instanceKey() const;
  bool hasAuthoredPayloads() const noexcept { return hasPayloads_; }
  const CompositionErrors& errors() const noexcept { return errors_; }

 private:
  friend class PrimIndexBuilder;
  Path path_;
  std::vector<PrimIndexNode> nodes_;
  bool instanceable_ = false;
  bool hasPayloads_ = false;
  CompositionErrors errors_;
};

struct PrimIndexOptions {
  // Which payloads to load, by the prim path (in the root namespace) they
  // are authored on. Null: load every payload (UsdStage's LoadAll).
  std::function<bool(const Path&)> includePayload;
  // Variant set name -> fallback selections, tried in order.
  std::map<std::string, std::vector<std::string>> variantFallbacks;
  bool cull = true;
  // Bounds on what input controls (a composition error when reached): a
  // prim index holds at most `maxIndexNodes` nodes (Pcp's capacity is also
  // 2^16 - 1), and arcs to non-root prims, whose ancestors are composed by
  // a nested build (a few stack frames each), nest at most
  // `maxNestedBuilds` deep.
  std::size_t maxIndexNodes = 65535;
  int maxNestedBuilds = 256;
  // Nodes the memoised graphs of relocation sources' ancestors may hold
  // between them (AncestralGraphs): a cache, so this bounds memory, not
  // what composes.
  std::size_t maxMemoisedNodes = 16384;
};

// Computes and keeps prim indexes of one stage (root layer stack): each
// prim's index starts from its parent's.
class PrimIndexCache {
 public:
  PrimIndexCache(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack, PrimIndexOptions options = {});
  ~PrimIndexCache();
  PrimIndexCache(const PrimIndexCache&) = delete;
  PrimIndexCache& operator=(const PrimIndexCache&) = delete;

  // The index of a prim path ("/A/B"); built on first use, with its
  // ancestors'. Never fails: problems are in its errors().
  const PrimIndex& get(const Path& primPath);
  // Forgets the index of `primPath` (references to it dangle): a walk of
  // the stage drops each subtree's indexes when it is done with them, so
  // memory follows the depth of namespace, not the size of the stage. Its
  // children, if asked for later, are built again from a new one.
  void release(const Path& primPath) { indexes_.erase(primPath); }

  const LayerStack& rootLayerStack() const noexcept { return *rootStack_; }
  LayerStackCache& layerStacks() noexcept { return stacks_; }
  PrimIndexOptions& options() noexcept { return options_; }

  // Steps taken by graph walks and task-queue scans, and pairs of path
  // prefixes put into map functions, so far: tests read it to check that
  // composition work grows in proportion to the input.
  std::size_t workSteps() const noexcept { return workSteps_; }
  void addWorkSteps(std::size_t n) noexcept { workSteps_ += n; }

  // Internal to lib/compose: memoised graphs of nested builds.
  AncestralGraphs& ancestralGraphs();

 private:
  friend class PrimIndexBuilder;
  LayerStackCache& stacks_;
  std::shared_ptr<const LayerStack> rootStack_;
  PrimIndexOptions options_;
  std::unordered_map<Path, std::unique_ptr<PrimIndex>> indexes_;
  std::size_t workSteps_ = 0;
  std::unique_ptr<AncestralGraphs> ancestralGraphs_;
};

}  // namespace usdkit
