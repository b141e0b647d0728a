// Internal: the machinery that builds a PrimIndex (graph, tasks, arcs).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "compose/PrimIndex.h"

namespace usdkit {

// Number of path elements without variant selections ("/A{v=x}B" has 2).
int nonVariantElementCount(const Path& path);

// A graph under construction; node numbers are creation order until it is
// finalised into strength order.
struct PrimIndexGraph {
  std::vector<PrimIndexNode> nodes;
  bool hasPayloads = false;
};

// A recursive build of an arc's target (to pick up its ancestral
// opinions) remembers where it was asked from, for cycle detection.
struct BuildFrame {
  const BuildFrame* previous = nullptr;
  const PrimIndexGraph* outerGraph = nullptr;
  int outerParent = -1;
  Path requestedPath;
  ArcType arcType = ArcType::Root;
  MapFunction arcMap;  // the arc's map to outerParent
  bool skipDuplicateNodes = false;
  int depth = 1;  // frames up to and including this one
  // The layer stacks outerGraph holds (it does not change while this
  // frame's build runs).
  const std::unordered_set<const LayerStack*>* outerStacks = nullptr;
  bool* capacityReported = nullptr;  // one capacity error per prim index
};

class PrimIndexBuilder {
 public:
  explicit PrimIndexBuilder(PrimIndexCache& cache) : cache_(cache) {}

  // The finished index of `path` in the cache's root layer stack.
  std::unique_ptr<PrimIndex> buildTopLevel(const Path& path);

 private:
  PrimIndexCache& cache_;
};

}  // namespace usdkit
