// The text OpenUSD's testPcpCompositionResults prints for a stage: the
// root layer stack, then for every prim (depth first, composed child
// order) its prim stack, time offsets, variant selections, child and
// property names, property stacks and relationship targets / attribute
// connections. Errors go to a second text.
#pragma once

#include <string>

#include "compose/PrimIndex.h"

namespace usdkit {

struct CompositionDumpOptions {
  std::string rootLayerArgument;     // as given on the command line ("Loading @...@")
  std::string sessionLayerArgument;  // empty: no session layer
  // Directory labels are made relative to (the root layer's directory).
  std::string labelDirectory;
  // Prefix removed from error texts (the working directory, with '/').
  std::string stripPrefix;
  bool layerStackOnly = false;
  // Only this prim (and its ancestors' indexes); empty: every prim.
  Path onlyPath;
};

struct CompositionDump {
  std::string results;
  std::string errors;
};

CompositionDump dumpComposition(PrimIndexCache& cache, const CompositionDumpOptions& options);

}  // namespace usdkit
