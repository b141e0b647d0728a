// What a prim's clip metadata says, composed across its prim index
// (OpenUSD's Usd_ClipSetDefinition): for each clip set, where it was
// authored and its `clips` entries, with template asset paths expanded and
// times mapped to stage time. ValueClips builds the clip sets from these.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compose/AssetResolver.h"
#include "compose/LayerStack.h"
#include "compose/PrimIndex.h"

namespace usdkit {

struct ClipSetDefinition {
  std::string name;
  // The strongest site with asset paths (or a template) for the set.
  const LayerStack* sourceStack = nullptr;
  Path sourcePrimPath;
  const Layer* sourceLayer = nullptr;
  std::optional<std::string> primPath;
  std::optional<std::string> manifestAssetPath;
  std::optional<bool> interpolateMissingClipValues;
  std::optional<std::vector<std::string>> assetPaths;
  std::optional<std::vector<Vec2d>> active;  // (stage time, clip index)
  std::optional<std::vector<Vec2d>> times;   // (stage time, clip time)
};

// The clip sets of the prim of `index`, in the order value resolution
// consults them (for one site, the order `clipSets` gives). `warn` hears
// about malformed entries and templates.
std::vector<ClipSetDefinition> clipSetDefinitions(const PrimIndex& index, const AssetResolver& resolver,
                                                  const std::function<void(std::string)>& warn);

}  // namespace usdkit
