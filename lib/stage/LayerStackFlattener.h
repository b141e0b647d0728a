// `usdcat --flattenLayerStack`: a layer stack (root, sublayers, session)
// merged into one layer with its composition arcs kept, as OpenUSD's
// UsdUtilsFlattenLayerStack does: for every spec, each field is reduced over
// the layers that have it, strongest first (list ops combined, dictionaries
// merged, time offsets folded into times, relative asset paths anchored).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/Expected.h"
#include "base/Progress.h"
#include "compose/AssetResolver.h"
#include "compose/LayerStack.h"
#include "compose/VariableExpressions.h"
#include "sdf/Layer.h"

namespace usdkit {

struct LayerStackFlattenOptions {
  // Receives one line per problem that OpenUSD reports as a warning (a spec
  // whose type differs between layers, a property of unknown type).
  std::vector<std::string>* warnings = nullptr;
  // Advanced by one for each prim merged (inside a task the caller began).
  ProgressSink* progress = nullptr;
};

// The merged layer (identifier "flattened.usda", format usda).
Expected<std::unique_ptr<Layer>> flattenLayerStack(const LayerStack& stack, const AssetResolver& resolver,
                                                   const LayerStackFlattenOptions& options = {});

// An authored asset path as a flattened layer writes it (OpenUSD's
// UsdFlattenLayerStackResolveAssetPath, also used by the stage's flatten):
// a variable expression evaluated with `variables` first (one that fails
// becomes empty, with a warning), then anchored to the layer that authored
// it when anchoring changes it, else kept as authored.
std::string flattenedAssetPath(const AssetResolver& resolver, std::string_view assetPath,
                               const std::string& authoringLayer, const ExpressionVariables& variables,
                               std::vector<std::string>* warnings);

}  // namespace usdkit
