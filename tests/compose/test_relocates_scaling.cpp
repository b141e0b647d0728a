// Composition work for relocations nested under earlier relocations'
// targets (tools/gen-compose-chains.py relocates). Work is what the prim
// index cache counts (graph walks, task-queue scans, pairs put into map
// functions), not time, so the test does not depend on the machine.
#include <catch2/catch.hpp>

#include "ComposeTestSupport.h"
#include "compose/PrimIndex.h"

using namespace usdkit;

namespace {

// Work to compose every prim of the relocated chain of `levels`: /R,
// /R/D0, /R/D0/D1, ... (ancestors first, as a stage composes them).
std::size_t composeRelocatedChain(const std::string& root, int levels) {
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexCache cache(stacks, *stacks.open(root));
  Path prim = *Path::parse("/R");
  for (int i = 0;; ++i) {
    const PrimIndex& index = cache.get(prim);
    CHECK(index.errors().empty());
    CHECK(index.primStack().size() == 2);  // the prim relocated here and what it references
    if (i == levels) break;
    prim = prim.appendChild("D" + std::to_string(i));
  }
  return cache.workSteps();
}

}  // namespace

TEST_CASE("prim index: nested relocations compose in work proportional to the input") {
  // The i-th relocation's paths hold i elements: the input grows with the
  // square of the levels, so 4 times the levels is 16 times the input, and
  // about 16 times the work when composing is linear in it; 24 leaves room.
  // (Each node's map to the root, composed as the node was added, held a
  // pair per relocation above it: that made it 32 times.)
  test::SceneDir small, large;
  const std::string a = test::writeRelocateChain(small, 20), b = test::writeRelocateChain(large, 80);
  const std::size_t workSmall = composeRelocatedChain(a, 20), workLarge = composeRelocatedChain(b, 80);
  INFO("work: " << workSmall << " for 20 levels, " << workLarge << " for 80");
  CHECK(static_cast<double>(workLarge) < 24.0 * static_cast<double>(workSmall));
}
