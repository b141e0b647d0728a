// `usdcat --flatten`: the composed stage written as one layer with no
// composition arcs left (OpenUSD's UsdStage::Flatten): every populated,
// active prim with its composed metadata and properties, values resolved to
// stage time, asset paths anchored to the layers that authored them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/Expected.h"
#include "compose/LayerStack.h"
#include "sdf/Layer.h"

namespace usdkit {

struct StageFlattenOptions {
  bool addSourceFileComment = true;
  std::string sourceCommentName;  // empty: the root layer's absolute path
  std::vector<Path> mask;       // population mask; empty = all
  bool keepInactivePrims = false;  // written without children instead of left out
  bool loadPayloads = true;
  std::vector<Path> loadPaths;  // loaded even when loadPayloads is false
  struct VariantOverride {
    Path prim;
    std::string set, variant;
  };
  std::vector<VariantOverride> variants;
  std::vector<std::string>* warnings = nullptr;
};

Expected<std::unique_ptr<Layer>> flattenStage(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                                              const StageFlattenOptions& options);

}  // namespace usdkit
