// A composed stage opened for questions about single objects (OpenUSD's
// UsdStage, as far as usdkit has one): which prims it has, and how an
// attribute's value or an object's metadata resolves. Prim indexes are
// built on demand, so asking about one prim of a large scene composes only
// that prim and its ancestors.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/Expected.h"
#include "compose/LayerRegistry.h"
#include "compose/LayerStack.h"
#include "compose/PrimIndex.h"
#include "stage/Flatten.h"

namespace usdkit {

class ClipSet;
using ClipSets = std::vector<std::shared_ptr<const ClipSet>>;
class ClipLayers;

// What a stage is composed from: the layers opened so far and the root
// layer stack, with the session layer, muted layers and variant overrides
// the request names.
struct StageLayers {
  std::unique_ptr<LayerRegistry> registry;
  std::unique_ptr<LayerStackCache> stacks;
  std::shared_ptr<const LayerStack> root;
};
Expected<StageLayers> openStageLayers(const FlattenRequest& request);
// Which payloads prim indexes include, as the request says.
PrimIndexOptions primIndexOptions(const FlattenRequest& request);

class Stage {
 public:
  // The request's stage options apply (root and session layer, muted
  // layers, variant overrides, payload loading, population mask).
  static Expected<std::unique_ptr<Stage>> open(const FlattenRequest& request);
  ~Stage();

  const LayerStack& rootLayerStack() const noexcept { return *layers_.root; }
  LayerRegistry& registry() noexcept { return *layers_.registry; }

  // The index of a prim on the stage; the error says why `path` is not
  // one (no such prim, below an inactive prim, outside the mask).
  Expected<const PrimIndex*> prim(const Path& path);
  // The clip sets that apply to a prim on the stage: its own, then its
  // ancestors'.
  const ClipSets& clipSets(const Path& prim);
  // Problems met while composing (each once), in the order met.
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

 private:
  Stage(StageLayers layers, const FlattenRequest& request);
  void warn(const std::string& text);

  StageLayers layers_;
  std::vector<Path> mask_;
  std::unique_ptr<PrimIndexCache> cache_;
  std::unique_ptr<ClipLayers> clipLayers_;
  std::unordered_map<Path, ClipSets> clipSetsByPrim_;
  std::vector<std::string> warnings_;
};

}  // namespace usdkit
