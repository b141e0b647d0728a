// Composition work for a chain of classes in one layer, each specializing
// the next (tools/gen-compose-chains.py specializes). Specializes are
// propagated to the root of each index: /C0's index gets the whole chain
// again as siblings under its root node, each new sibling compared with the
// ones before it. Work is what the prim index cache counts (graph walks,
// task-queue scans, pairs put into map functions), not time.
#include <catch2/catch.hpp>

#include "ComposeTestSupport.h"
#include "compose/PrimIndex.h"

using namespace usdkit;

namespace {

// /C0 specializes /C1 ... specializes /C(n-1), each with one attribute.
std::string writeSpecializesChain(test::SceneDir& d, int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    const std::string meta = i + 1 < n ? " (\n    specializes = </C" + std::to_string(i + 1) + ">\n)" : std::string();
    text += "class \"C" + k + "\"" + meta + "\n{\n    double x" + k + " = " + k + "\n}\n";
  }
  return d.write("a0.usda", text);
}

// Work to compose every class's index, as a stage walks them.
std::size_t composeSpecializesChain(const std::string& root, int n) {
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

TEST_CASE("prim index: a chain of specialized classes does not walk the graph for each comparison of siblings") {
  // 4 times the chain: the stage compares about 4³ = 64 times the pairs
  // of siblings, and the work counted here is 34 times (measured) when the
  // strength-order walk is shared by the comparisons made while the graph
  // keeps its shape. When each comparison walked the graph from the root,
  // it was 202 times.
  test::SceneDir small, large;
  const std::string a = writeSpecializesChain(small, 50), b = writeSpecializesChain(large, 200);
  const std::size_t workSmall = composeSpecializesChain(a, 50), workLarge = composeSpecializesChain(b, 200);
  INFO("work: " << workSmall << " for 50 classes, " << workLarge << " for 200");
  CHECK(static_cast<double>(workLarge) < 64.0 * static_cast<double>(workSmall));
}
