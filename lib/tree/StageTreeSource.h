// The prims of a composed stage as OpenUSD's usdtree --flatten walks them
// (UsdPrim::GetAllChildren from the pseudo-root): the prims the stage
// holds, an instance without children (its prototype's prims are no prims
// of that walk), an inactive prim without children.
#pragma once

#include "stage/Stage.h"
#include "tree/TreePrinter.h"

namespace usdkit {

class StageTreeSource final : public TreeSource {
 public:
  // Composes every prim of `stage` first, so that the stage's warnings and
  // status() are final before anything is printed. `stage` must outlive
  // the source.
  explicit StageTreeSource(Stage& stage);
  std::vector<Path> children(const Path& prim) const override;
  TreePrim describe(const Path& prim) const override;

 private:
  Stage& stage_;
  // The composed prims are specs of a layer at stage paths, described as a
  // flattened stage's are.
  LayerTreeSource prims_;
};

}  // namespace usdkit
