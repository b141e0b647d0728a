#include "tree/StageTreeSource.h"

namespace usdkit {

StageTreeSource::StageTreeSource(Stage& stage) : stage_(stage), prims_(stage.composedPrims(), true) {
  stage_.composeSubtree(Path::absoluteRoot());
}

std::vector<Path> StageTreeSource::children(const Path& prim) const {
  if (!prim.isAbsoluteRoot() && stage_.isInstanceable(prim)) return {};
  return prims_.children(prim);
}

TreePrim StageTreeSource::describe(const Path& prim) const { return prims_.describe(prim); }

}  // namespace usdkit
