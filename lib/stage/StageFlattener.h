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

// `request`'s stage options apply (mask, payloads, inactive prims, source
// comment); its layer choices were made when `rootStack` was built. Adds
// composition warnings to `result.warnings` and, with
// request.recordComposition, fills result.composition and result.layers.
Expected<std::unique_ptr<Layer>> flattenStage(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                                              const FlattenRequest& request, FlattenResult& result);

}  // namespace usdkit
