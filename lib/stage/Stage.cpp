// The stage; see Stage.h.
#include "stage/Stage.h"

#include <algorithm>

#include "base/FilePaths.h"
#include "stage/ValueClips.h"
#include "stage/ValueResolution.h"

namespace usdkit {

Expected<StageLayers> openStageLayers(const FlattenRequest& request) {
  StageLayers out;
  const std::string root = absolutePath(request.rootLayer);
  out.registry = std::make_unique<LayerRegistry>(AssetResolver::forRootLayer(root));
  LayerStackOptions stackOptions = LayerStackOptions::fromEnvironment();
  for (const std::string& muted : request.mutedLayers) {
    stackOptions.mutedLayers.insert(muted);
    stackOptions.mutedLayers.insert(absolutePath(muted));
  }
  out.stacks = std::make_unique<LayerStackCache>(*out.registry, stackOptions);
  const std::string session = request.sessionLayer.empty() ? std::string() : absolutePath(request.sessionLayer);
  Expected<std::shared_ptr<const LayerStack>> stack = makeError("no layer stack");
  if (request.variants.empty()) {
    stack = out.stacks->open(root, session);
  } else {
    // Variant overrides are opinions in a session layer above the user's.
    auto rootLayer = out.registry->open(root);
    if (!rootLayer) return std::move(rootLayer).error();
    if (!session.empty()) {
      if (auto s = out.registry->open(session); !s) return std::move(s).error();
    }
    stack = out.stacks->get(*rootLayer, out.registry->add(variantOverrideLayer(request.variants, session)));
  }
  if (!stack) return std::move(stack).error();
  out.root = std::move(*stack);
  return out;
}

PrimIndexOptions primIndexOptions(const FlattenRequest& request) {
  PrimIndexOptions o;
  if (!request.loadPayloads) {
    std::vector<Path> load = request.loadPaths;
    o.includePayload = [load](const Path& p) {
      return std::any_of(load.begin(), load.end(), [&](const Path& l) { return p.hasPrefix(l); });
    };
  }
  return o;
}

Expected<std::unique_ptr<Stage>> Stage::open(const FlattenRequest& request) {
  Expected<StageLayers> layers = openStageLayers(request);
  if (!layers) return std::move(layers).error();
  return std::unique_ptr<Stage>(new Stage(std::move(*layers), request));
}

Stage::Stage(StageLayers layers, const FlattenRequest& request) : layers_(std::move(layers)), mask_(request.mask) {
  cache_ = std::make_unique<PrimIndexCache>(*layers_.stacks, layers_.root, primIndexOptions(request));
  clipLayers_ = std::make_unique<ClipLayers>(*layers_.registry, [this](std::string text) { warn(text); });
  for (const CompositionError& e : layers_.root->errors()) warn(e.message);
}

Stage::~Stage() = default;

void Stage::warn(const std::string& text) {
  if (std::find(warnings_.begin(), warnings_.end(), text) == warnings_.end()) warnings_.push_back(text);
}

Expected<const PrimIndex*> Stage::prim(const Path& path) {
  if (path.empty() || !path.isAbsolute() || !(path.isAbsoluteRoot() || path.isPrimPath()) ||
      path.containsPrimVariantSelection())
    return makeError("<" + path.string() + "> is not an absolute prim path");
  if (!mask_.empty() && !path.isAbsoluteRoot() &&
      std::none_of(mask_.begin(), mask_.end(), [&](const Path& m) { return path.hasPrefix(m) || m.hasPrefix(path); }))
    return makeError("<" + path.string() + "> is outside the population mask");
  const PrimIndex* index = &cache_->get(Path::absoluteRoot());
  for (const Path& prefix : path.prefixes()) {
    if (prefix.isAbsoluteRoot()) continue;
    const std::vector<Token> children = index->childNames();
    if (std::find(children.begin(), children.end(), prefix.nameToken()) == children.end())
      return makeError("the stage has no prim <" + prefix.string() + ">");
    if (!index->path().isAbsoluteRoot() && !stage_detail::isActive(stage_detail::primOpinions(*index)))
      return makeError("<" + path.string() + "> is below the inactive prim <" + index->path().string() + ">");
    index = &cache_->get(prefix);
    for (const CompositionError& e : index->errors()) warn(e.message);
  }
  return index;
}

const ClipSets& Stage::clipSets(const Path& prim) {
  // From the nearest ancestor already known down to the prim.
  std::vector<Path> missing;
  Path at = prim;
  while (!clipSetsByPrim_.count(at)) {
    missing.push_back(at);
    if (at.isAbsoluteRoot()) break;
    at = at.parent();
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    const ClipSets& parents = it->isAbsoluteRoot() ? ClipSets() : clipSetsByPrim_.at(it->parent());
    ClipSets sets = it->isAbsoluteRoot() ? ClipSets() : clipSetsOfPrim(cache_->get(*it), parents, *clipLayers_);
    clipSetsByPrim_.emplace(*it, std::move(sets));
  }
  return clipSetsByPrim_.at(prim);
}

}  // namespace usdkit
