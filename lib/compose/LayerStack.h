// Layer stacks: a root layer (plus an optional session layer, strongest)
// and their sublayers, recursively, in strength order, each with the time
// offset that maps its times into the stack's times.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <span>
#include <tuple>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/Expected.h"
#include "compose/CompositionErrors.h"
#include "compose/LayerRegistry.h"
#include "compose/VariableExpressions.h"
#include "sdf/Layer.h"
#include "sdf/ValueTypes.h"

namespace usdkit {

// offset(t) = t * scale + offset.
// (a * b) applies b first: (a.scale*b.offset + a.offset, a.scale*b.scale).
LayerOffset composeOffsets(const LayerOffset& a, const LayerOffset& b);
LayerOffset inverseOffset(const LayerOffset& o);
// Identity within 1e-6, as OpenUSD compares offsets.
bool isIdentityOffset(const LayerOffset& o);

// A layer's timeCodesPerSecond: authored timeCodesPerSecond, else
// framesPerSecond, else 24.
double timeCodesPerSecond(const Layer& layer);

struct LayerStackOptions {
  // Layer identifiers (resolved paths or as anchored) that are left out with
  // their sublayers. The root layer cannot be muted.
  std::set<std::string> mutedLayers;
  // OpenUSD's PCP_DISABLE_TIME_SCALING_BY_LAYER_TCPS=1 turns this off.
  bool scaleByTimeCodesPerSecond = true;
  // Reads PCP_DISABLE_TIME_SCALING_BY_LAYER_TCPS.
  static LayerStackOptions fromEnvironment();
};

struct LayerStackEntry {
  std::shared_ptr<const Layer> layer;
  LayerOffset offset;  // layer time -> stack time
};

class LayerStack {
 public:
  // Layers strongest first: the session layer and its sublayers, then the
  // root layer and its sublayers, each layer followed by its sublayer
  // subtrees (pre-order). A layer may appear more than once.
  const std::vector<LayerStackEntry>& layers() const noexcept { return layers_; }
  const std::shared_ptr<const Layer>& rootLayer() const noexcept { return root_; }
  const std::shared_ptr<const Layer>& sessionLayer() const noexcept { return session_; }  // may be null
  // The stack's timeCodesPerSecond (root's, or session's when it authors one).
  double timeCodesPerSecond() const noexcept { return tcps_; }
  // Offset of the first occurrence of `layer`; identity when absent.
  LayerOffset offsetForLayer(const Layer& layer) const;
  // True when some layer has a non-identity offset.
  bool hasNonIdentityOffsets() const;

  // Layer-metadata relocates of the stack (source -> target, absolute prim
  // paths; target empty = deleted), strongest layer's entry per source,
  // after validation. Sorted by source.
  const std::vector<std::pair<Path, Path>>& relocates() const noexcept { return relocates_; }
  bool hasRelocates() const noexcept { return !relocates_.empty(); }
  // The same as maps: as authored (incremental) both ways, and chained back
  // to the original source (combined: a relocate of a prim under another
  // relocate's target maps from the first source's namespace).
  const std::map<Path, Path>& incrementalRelocatesSourceToTarget() const noexcept { return incrementalSourceToTarget_; }
  const std::map<Path, Path>& incrementalRelocatesTargetToSource() const noexcept { return incrementalTargetToSource_; }
  const std::map<Path, Path>& relocatesSourceToTarget() const noexcept { return combinedSourceToTarget_; }
  // The same lookups by hashing (deep paths compare slowly in the ordered
  // maps): the target a source is relocated to (empty: deleted), the source
  // relocated to a target; null when there is no such relocate.
  const Path* incrementalRelocateTargetFor(const Path& source) const;
  const Path* incrementalRelocateSourceFor(const Path& target) const;
  // The incremental relocates whose source (first) or target (first) is a
  // child of `parent`, in the order of the maps above: what a prim's child
  // names need, without a walk over every relocate for every prim.
  std::span<const std::pair<Path, Path>> incrementalRelocatesFromChildrenOf(const Path& parent) const;
  std::span<const std::pair<Path, Path>> incrementalRelocatesToChildrenOf(const Path& parent) const;

  // Sublayer cycles, missing sublayers, bad offsets, relocation problems.
  const CompositionErrors& errors() const noexcept { return errors_; }

  // Expression variables: the root layer's, the session layer's over them,
  // and those of the layer stack that referenced this one over both.
  const ExpressionVariables& expressionVariables() const noexcept { return expressionVariables_; }

  // A key identifying this stack (root + session identifiers).
  const std::string& key() const noexcept { return key_; }

 private:
  friend class LayerStackBuilder;
  friend std::shared_ptr<const LayerStack> buildLayerStack(LayerRegistry&, std::shared_ptr<const Layer>,
                                                           std::shared_ptr<const Layer>, const LayerStackOptions&,
                                                           const ExpressionVariables&);
  std::vector<LayerStackEntry> layers_;
  std::shared_ptr<const Layer> root_, session_;
  double tcps_ = 24;
  std::vector<std::pair<Path, Path>> relocates_;
  std::map<Path, Path> incrementalSourceToTarget_, incrementalTargetToSource_, combinedSourceToTarget_;
  std::unordered_map<Path, Path> incrementalSourceToTargetHashed_, incrementalTargetToSourceHashed_;
  // Parent path -> (source, target) / (target, source) pairs.
  std::unordered_map<Path, std::vector<std::pair<Path, Path>>> bySourceParent_, byTargetParent_;
  CompositionErrors errors_;
  ExpressionVariables expressionVariables_;
  std::string key_;
};

// Builds the stack of an already opened root layer (and session layer).
// `overrides` (the referencing stack's expression variables) win over the
// stack's own.
std::shared_ptr<const LayerStack> buildLayerStack(LayerRegistry& registry, std::shared_ptr<const Layer> root,
                                                  std::shared_ptr<const Layer> session = nullptr,
                                                  const LayerStackOptions& options = {},
                                                  const ExpressionVariables& overrides = {});

// One layer stack per (root, session): arcs to the same layer share it.
class LayerStackCache {
 public:
  LayerStackCache(LayerRegistry& registry, LayerStackOptions options = {})
      : registry_(registry), options_(std::move(options)) {}
  LayerRegistry& registry() noexcept { return registry_; }
  const LayerStackOptions& options() const noexcept { return options_; }

  std::shared_ptr<const LayerStack> get(const std::shared_ptr<const Layer>& root,
                                        const std::shared_ptr<const Layer>& session = nullptr,
                                        const ExpressionVariables& overrides = {});
  // Drops the stacks of `root` with `session` (every set of overrides)
  // from the cache; those still holding one keep it.
  void forget(const Layer& root, const Layer* session);
  // Opens the root (and session) by identifier first. The error says which
  // layer could not be opened.
  Expected<std::shared_ptr<const LayerStack>> open(const std::string& rootIdentifier,
                                                   const std::string& sessionIdentifier = {});

 private:
  LayerRegistry& registry_;
  LayerStackOptions options_;
  std::map<std::tuple<const Layer*, const Layer*, ExpressionVariables>, std::shared_ptr<const LayerStack>> stacks_;
};

}  // namespace usdkit
