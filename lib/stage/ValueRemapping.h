// Rewriting values as they move out of the layer that authored them into a
// flattened layer: times mapped through a layer offset, and asset paths
// anchored to the authoring layer (OpenUSD's Usd_ApplyLayerOffsetToValue and
// the asset-path fixing of UsdFlattenLayerStack / UsdStage::Flatten).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/Token.h"
#include "sdf/Value.h"

namespace usdkit {

// t -> t * scale + offset.
inline double applyOffset(const LayerOffset& o, double t) { return t * o.scale + o.offset; }

// Maps the times a value holds: time-sample keys, timecode values (also in
// arrays, samples and dictionaries); for `references` and `payload` list ops
// each item's own offset is composed under `offset`; for `clips` the first
// component of every clip set's `active` and `times`. Other values are
// returned unchanged (and unshared blocks are not copied).
Value applyLayerOffsetToValue(Token field, const Value& value, const LayerOffset& offset);

// Rewrites one authored asset path (its text as authored -> as written out).
using AssetPathFix = std::function<std::string(std::string_view)>;

struct AssetPathScope {
  // Asset paths inside dictionaries (customData, ...) too, as the stage's
  // flatten does; the layer-stack flatten leaves them as authored.
  bool intoDictionaries = false;
};

// Applies `fix` to every asset path a value holds: asset and asset[] values,
// time samples holding them, reference and payload asset paths (internal
// ones stay empty), and the `clips` dictionary's assetPaths and
// manifestAssetPath.
Value fixAssetPathsInValue(Token field, const Value& value, const AssetPathFix& fix, AssetPathScope scope = {});

// Dictionary composition (VtDictionaryOverRecursive): the stronger value of
// each key wins, except that two dictionaries under one key merge the same way.
Dictionary mergeDictionaryOver(const Dictionary& stronger, const Dictionary& weaker);

}  // namespace usdkit
