// Flattening a scene for `usdflatten` and `usdcat --flatten /
// --flattenLayerStack`: opens the root layer (and its sublayers and every
// arc's layers, each once), composes, and returns one layer ready to write.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/Expected.h"
#include "sdf/Layer.h"
#include "sdf/Path.h"

namespace usdkit {

struct FlattenRequest {
  std::string rootLayer;         // as the user gave it
  std::string sessionLayer;      // optional, strongest
  bool layerStackOnly = false;   // --flattenLayerStack: merge the root layer stack, keep the arcs
  // --flatten only: write "Generated from Composed Stage of root layer ..."
  // into the layer's documentation, as OpenUSD's usdcat does by default.
  bool addSourceFileComment = true;
  // The root layer's name in that comment; empty: its absolute path, as
  // usdcat writes it (OpenUSD's usddiff shows the name as given).
  std::string sourceCommentName;
  std::vector<Path> mask;        // population mask (prim paths); empty = everything
  // Inactive prims are left out of a flattened stage, as OpenUSD does; a
  // tool that shows the stage (usdtree) keeps them, without children.
  bool keepInactivePrims = false;
  bool loadPayloads = true;      // false: no payload is loaded ...
  std::vector<Path> loadPaths;   // ... except those at or under these prims
  // Variant selections that override the authored ones: (prim, set, variant).
  struct VariantOverride {
    Path prim;
    std::string set, variant;
  };
  std::vector<VariantOverride> variants;
  std::vector<std::string> mutedLayers;  // as given; anchored to the working directory
};

struct FlattenResult {
  std::unique_ptr<Layer> layer;
  // Composition problems OpenUSD reports as warnings (missing layers,
  // unresolved prim paths, cycles), one line each; the layer is still good.
  std::vector<std::string> warnings;
};

// Fails only when the root (or session) layer cannot be opened, or a value
// cannot be read; the error names the file.
Expected<FlattenResult> flatten(const FlattenRequest& request);

}  // namespace usdkit
