// usdtree --layers: every layer a composed stage uses, with the arc that
// brought it in, as text lines or one JSON list.
#pragma once

#include <span>
#include <string>

#include "stage/Flatten.h"

namespace usdkit {

// Text: "@layer@ (arc)" or "@layer@ (arc on <prim>)" per layer, and
// "unresolved: WHAT" for entries whose arc is "unresolved". JSON: a list of
// {"layer", "arc", "prim"} objects.
std::string formatStageLayers(std::span<const StageLayer> layers, bool json);

}  // namespace usdkit
