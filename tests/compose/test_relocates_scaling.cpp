// Composition work for relocations nested under earlier relocations'
// targets (tools/gen-compose-chains.py relocates). Work is what the prim
// index cache counts (graph walks, task-queue scans, pairs put into map
// functions), not time, so the test does not depend on the machine.
#include <catch2/catch.hpp>

#include <vector>

#include "ComposeTestSupport.h"
#include "compose/PrimIndex.h"

using namespace usdkit;

namespace {

// Work to compose every prim of the relocated chain of `levels` under
// `options`: /R, /R/D0, /R/D0/D1, ... (ancestors first, as a stage composes
// them), passing each prim's index to `check`.
template <class Check>
std::size_t composeRelocatedChain(const std::string& root, int levels, const PrimIndexOptions& options, Check check) {
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexCache cache(stacks, *stacks.open(root), options);
  Path prim = *Path::parse("/R");
  for (int i = 0;; ++i) {
    check(cache.get(prim));
    if (i == levels) break;
    prim = prim.appendChild("D" + std::to_string(i));
  }
  return cache.workSteps();
}

// Without limits every prim composes cleanly: the prim relocated there and
// what it references.
std::size_t composeRelocatedChain(const std::string& root, int levels) {
  return composeRelocatedChain(root, levels, PrimIndexOptions{}, [](const PrimIndex& index) {
    CHECK(index.errors().empty());
    CHECK(index.primStack().size() == 2);
  });
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

TEST_CASE("prim index: nested relocations stay linear with a small memo of ancestral graphs") {
  // The memo is a cache bounded by nodes: with room for one graph only,
  // each level still finds the graph of the level above (the one used
  // last), and composes the same indexes.
  test::SceneDir small, large;
  const std::string a = test::writeRelocateChain(small, 20), b = test::writeRelocateChain(large, 80);
  PrimIndexOptions tiny;
  tiny.maxMemoisedNodes = 1;
  std::vector<std::size_t> nodesTiny, nodesDefault;
  auto record = [](std::vector<std::size_t>& out) {
    return [&out](const PrimIndex& index) {
      CHECK(index.errors().empty());
      CHECK(index.primStack().size() == 2);
      out.push_back(index.nodes().size());
    };
  };
  const std::size_t workSmall = composeRelocatedChain(a, 20, tiny, record(nodesTiny));
  const std::size_t workLarge = composeRelocatedChain(b, 80, tiny, record(nodesTiny));
  composeRelocatedChain(a, 20, PrimIndexOptions{}, record(nodesDefault));
  composeRelocatedChain(b, 80, PrimIndexOptions{}, record(nodesDefault));
  INFO("work: " << workSmall << " for 20 levels, " << workLarge << " for 80");
  CHECK(static_cast<double>(workLarge) < 24.0 * static_cast<double>(workSmall));
  CHECK(nodesTiny == nodesDefault);
}

namespace {

// Work under `options`; `cut` counts the prims whose index reports the
// capacity error (and no other).
std::size_t composeChainWithin(const std::string& root, int levels, const PrimIndexOptions& options, int& cut) {
  cut = 0;
  return composeRelocatedChain(root, levels, options, [&](const PrimIndex& index) {
    for (const CompositionError& e : index.errors()) {
      CHECK(e.kind == CompositionErrorKind::CapacityExceeded);
      CHECK(index.errors().size() == 1);
      ++cut;
    }
  });
}

}  // namespace

TEST_CASE("prim index: nested relocations past a limit cost work proportional to the input") {
  // Composing level i's relocation source nests builds i deep, holding
  // about i^2 nodes between them (the memoised graphs stand for that), so
  // a low limit is reached part way down the chain. Past it, each level
  // was composed again from further up, each of those again, and so on:
  // 16 levels cost 31 thousand steps with at most 200 nodes, 20 levels 1.2
  // million; with the depth bound at 10, 12 levels 15 thousand and 16
  // levels 0.9 million. 20 levels are 1.6 times the input of 16 and 16
  // levels 1.8 times that of 12; twice the work leaves room.
  test::SceneDir small, large;
  SECTION("nodes") {
    PrimIndexOptions options;
    options.maxIndexNodes = 200;
    const std::string a = test::writeRelocateChain(small, 16), b = test::writeRelocateChain(large, 20);
    int cutSmall = 0, cutLarge = 0;
    const std::size_t workSmall = composeChainWithin(a, 16, options, cutSmall);
    const std::size_t workLarge = composeChainWithin(b, 20, options, cutLarge);
    INFO("work: " << workSmall << " for 16 levels, " << workLarge << " for 20");
    CHECK(cutSmall > 0);
    CHECK(cutLarge == cutSmall + 4);  // every level past the limit, once
    CHECK(static_cast<double>(workLarge) < 2.0 * static_cast<double>(workSmall));
  }
  SECTION("nested builds") {
    PrimIndexOptions options;
    options.maxNestedBuilds = 10;
    const std::string a = test::writeRelocateChain(small, 12), b = test::writeRelocateChain(large, 16);
    int cutSmall = 0, cutLarge = 0;
    const std::size_t workSmall = composeChainWithin(a, 12, options, cutSmall);
    const std::size_t workLarge = composeChainWithin(b, 16, options, cutLarge);
    INFO("work: " << workSmall << " for 12 levels, " << workLarge << " for 16");
    CHECK(cutSmall > 0);
    CHECK(cutLarge == cutSmall + 4);
    CHECK(static_cast<double>(workLarge) < 2.0 * static_cast<double>(workSmall));
  }
}

TEST_CASE("prim index: a relocation source composed past a limit is cut whole, with one error naming it") {
  // Whether the limit is met while composing or foreseen from a memoised
  // graph, the relocate arc goes, and so do the errors of its build.
  test::SceneDir d;
  const std::string root = test::writeRelocateChain(d, 16);
  PrimIndexOptions options;
  options.maxIndexNodes = 200;
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexCache cache(stacks, *stacks.open(root), options);
  Path prim = *Path::parse("/R");
  for (int i = 0; i < 16; ++i) {
    const Path child = prim.appendChild("D" + std::to_string(i));
    const PrimIndex& index = cache.get(child);
    if (!index.errors().empty()) {
      REQUIRE(index.errors().size() == 1);
      const std::string& message = index.errors()[0].message;
      INFO(message);
      CHECK(message.find("more than 200 nodes") != std::string::npos);
      CHECK(message.find("the arc from @" + root + "@<" + child.string() + "> to @" + root + "@<" + prim.string() +
                         "/C" + std::to_string(i) + "> and any further arcs are ignored") != std::string::npos);
      CHECK(index.nodes()[0].children.empty());  // not even the relocate node
    }
    prim = child;
  }
}
