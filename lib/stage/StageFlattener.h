// `usdcat --flatten`: the composed stage written as one layer with no
// composition arcs left (OpenUSD's UsdStage::Flatten): every populated,
// active prim with its composed metadata and properties, values resolved to
// stage time, asset paths anchored to the layers that authored them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/Expected.h"
#include "compose/LayerStack.h"
#include "stage/Flatten.h"
#include "sdf/Layer.h"

namespace usdkit {

struct StageFlattenOptions {
  bool addSourceFileComment = true;
  std::string sourceCommentName;  // empty: the root layer's absolute path
  std::vector<Path> mask;       // population mask; empty = all
  bool keepInactivePrims = false;  // written without children instead of left out
  bool loadPayloads = true;
  std::vector<Path> loadPaths;  // loaded even when loadPayloads is false
  std::vector<std::string>* warnings = nullptr;
  // When set, filled as FlattenResult::composition and ::layers describe.
  std::map<Path, std::vector<std::string>>* composition = nullptr;
  std::vector<StageLayer>* layers = nullptr;
};

Expected<std::unique_ptr<Layer>> flattenStage(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                                              const StageFlattenOptions& options);

}  // namespace usdkit
