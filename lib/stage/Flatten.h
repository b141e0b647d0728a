// Flattening a scene for `usdflatten` and `usdcat --flatten /
// --flattenLayerStack`: opens the root layer (and its sublayers and every
// arc's layers, each once), composes, and returns one layer ready to write.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "io/usda/UsdaWriter.h"
#include "base/Progress.h"
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
  // Record, for tools that show the stage, each prim's opinions and the
  // layers the stage uses (FlattenResult::composition and ::layers).
  bool recordComposition = false;
  // Attributes keep the type name, variability and `custom` their opinions
  // give, also where the prim's schemas define them (OpenUSD's stage takes
  // the definition's): for tools that compare what is authored with the
  // schemas (usdchecker, on a Stage).
  bool authoredPropertyTypes = false;
  // A stage flatten (not layerStackOnly) returns usda text made prim by
  // prim (FlattenResult::text, no layer): each prim's specs are forgotten
  // once written, so memory follows the text, not the composed layer (a
  // small file can compose into a stage the square of its size).
  bool textOutput = false;
  // Told of each prim flattened (the total is not known in advance) and,
  // as tasks inside that one, of reading each layer's text. flatten() is
  // single-threaded, as a sink's begin and end require.
  ProgressSink* progress = nullptr;
};

// A layer the composed stage uses and the arc that first brought it in:
// "root", "session", "sublayer", or the arc type of a node whose layer stack
// it roots ("reference", "payload", ...), with the prim that arc is on.
struct StageLayer {
  std::string identifier;
  std::string arc;
  Path prim;  // empty for the root layer stack
};

struct FlattenResult {
  std::unique_ptr<Layer> layer;  // null when the request asked for text
  UsdaText text;                 // with textOutput: for saveUsdaText
  // Composition problems OpenUSD reports as warnings (missing layers,
  // unresolved prim paths, cycles), one line each; the layer is still good.
  std::vector<std::string> warnings;
  // With recordComposition: by output prim path, "@layer@</path>" for each
  // opinion strongest first, then "{set=selection}" for each variant
  // selection; and the layers in the order first used.
  std::map<Path, std::vector<std::string>> composition;
  std::vector<StageLayer> layers;
  // The root prims that hold prototypes (Flattened_Prototype_N), in the
  // order written: not prims of the stage itself (UsdStage keeps
  // prototypes apart from the pseudo-root's children).
  std::vector<Path> prototypes;
};

// Authors `prim`'s selection of `variant` in `set` in `layer`, with `over`
// specs for it and its ancestors where the layer has none.
void setVariantSelection(Layer& layer, const Path& prim, const std::string& set, const std::string& variant);

// Variant overrides as opinions in a session layer, the strongest layer of
// the stage: `over` specs down to each prim with its variant selection. A
// session layer the user gave (`userSession`, may be empty) becomes its
// sublayer.
std::shared_ptr<Layer> variantOverrideLayer(std::span<const FlattenRequest::VariantOverride> variants,
                                            const std::string& userSession);

// Fails only when the root (or session) layer cannot be opened, or a value
// cannot be read; the error names the file.
Expected<FlattenResult> flatten(const FlattenRequest& request);

// Option values as the tools take them. A list of absolute prim paths
// separated by commas and/or spaces ("/A,/B /C"); a variant override
// "/Prim{set=selection}". Errors name `option` and the offending text.
Expected<std::vector<Path>> parsePrimPathList(std::string_view list, std::string_view option);
Expected<FlattenRequest::VariantOverride> parseVariantOverride(std::string_view text, std::string_view option);

}  // namespace usdkit
