// Composition work for a chain of classes in one layer, each inheriting or
// specializing the next (tools/gen-compose-chains.py inherits,
// specializes): /C0's index holds the whole chain, /C1's the chain less
// one, ..., so the stage holds n²/2 nodes, as in OpenUSD. Work is what the
// prim index cache counts (graph walks, task-queue scans, pairs put into
// map functions), not time.
#include <catch2/catch.hpp>

#include "ComposeTestSupport.h"
#include "compose/PrimIndex.h"

using namespace usdkit;

namespace {

// /C0 `arc` /C1 ... `arc` /C(n-1), each class with one attribute.
std::string writeClassChain(test::SceneDir& d, int n, const std::string& arc) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    const std::string meta = i + 1 < n ? " (\n    " + arc + " = </C" + std::to_string(i + 1) + ">\n)" : std::string();
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

// Work for 200 classes over work for 50 (a failed check shows the value).
double growthFrom50To200(const std::string& arc) {
  test::SceneDir small, large;
  const std::string a = writeClassChain(small, 50, arc), b = writeClassChain(large, 200, arc);
  const std::size_t workSmall = composeClassChain(a, 50), workLarge = composeClassChain(b, 200);
  return static_cast<double>(workLarge) / static_cast<double>(workSmall);
}

}  // namespace

TEST_CASE("prim index: a chain of inherited classes composes in work proportional to its nodes") {
  // 4 times the chain is 16 times the nodes of the stage: about 16 times
  // the work when each node costs a bounded amount (10 times, measured);
  // 24 leaves room. When each new class node walked the chain above it
  // (for a cycle, for a node at the same site, and uncounted, for the
  // start of its class hierarchy), it was 53 times.
  CHECK(growthFrom50To200("inherits") < 24.0);
}

TEST_CASE("prim index: a chain of specialized classes does not walk the graph for each comparison of siblings") {
  // Specializes are propagated to the root of each index: /C0's gets the
  // whole chain again as siblings under its root node, each new sibling
  // compared with the ones before it. 4 times the chain: the stage compares
  // about 4³ = 64 times the pairs of siblings, and the work counted here is
  // 34 times (measured) when the strength-order walk is shared by the
  // comparisons made while the graph keeps its shape. When each comparison
  // walked the graph from the root, it was 202 times.
  CHECK(growthFrom50To200("specializes") < 64.0);
}
