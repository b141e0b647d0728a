// Composition work for a chain of classes in one layer, each inheriting the
// next (tools/gen-compose-chains.py inherits): /C0's index holds the whole
// chain, /C1's the chain less one, ..., so the stage holds n²/2 nodes, as
// in OpenUSD. Work is what the prim index cache counts (graph walks,
// task-queue scans, pairs put into map functions), not time.
#include <catch2/catch.hpp>

#include "ComposeTestSupport.h"
#include "compose/PrimIndex.h"

using namespace usdkit;

namespace {

// /C0 inherits /C1 ... inherits /C(n-1), each class with one attribute.
std::string writeClassChain(test::SceneDir& d, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    const std::string meta = i + 1 < n ? " (\n    inherits = </C" + std::to_string(i + 1) + ">\n)" : std::string();
    text += "class \"C" + k + "\"" + meta + "\n{\n    double x" + k + " = " + k + "\n}\n";
  }
  return d.write("a0.usda", text);
}

// Work to compose every class's index, as a stage walks them.
std::size_t composeClassChain(const std::string& root, int n) {
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexCache cache(stacks, *stacks.open(root));
  for (int i = 0; i < n; ++i) {
    const Path prim = *Path::parse("/C" + std::to_string(i));
    const PrimIndex& index = cache.get(prim);
    CHECK(index.errors().empty());
    CHECK(index.primStack().size() == static_cast<std::size_t>(n - i));  // the class and every class after it
    cache.release(prim);
  }
  return cache.workSteps();
}

}  // namespace

TEST_CASE("prim index: a chain of inherited classes composes in work proportional to its nodes") {
  // 4 times the chain is 16 times the nodes of the stage: about 16 times
  // the work when each node costs a bounded amount (10 times, measured);
  // 24 leaves room. When each new class node walked the chain above it
  // (for a cycle, for a node at the same site, and uncounted, for the
  // start of its class hierarchy), it was 53 times.
  test::SceneDir small, large;
  const std::string a = writeClassChain(small, 50), b = writeClassChain(large, 200);
  const std::size_t workSmall = composeClassChain(a, 50), workLarge = composeClassChain(b, 200);
  INFO("work: " << workSmall << " for 50 classes, " << workLarge << " for 200");
  CHECK(static_cast<double>(workLarge) < 24.0 * static_cast<double>(workSmall));
}
