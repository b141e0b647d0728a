// Composition work along long chains of arcs (issue 12, "hostile input"):
// composing must cost in proportion to the input, and chains longer than
// the composition bounds are cut with an error instead of exhausting the
// stack. Work is what the prim index cache counts (steps of graph walks and
// task-queue scans), not time, so the test does not depend on the
// machine's speed or load.
#include <catch2/catch.hpp>
#include <functional>

#include "../compose/ComposeTestSupport.h"
#include "compose/PrimIndex.h"
#include "io/LayerIO.h"
#include "stage/Flatten.h"

using namespace usdkit;

namespace {

// Writes a chain of `n` layers into `d`: a0 references (or has as payload,
// or sublayers) a1, a1 a2, ...; each adds one attribute. Returns a0's path.
std::string writeChain(test::SceneDir& d, const std::string& arc, int n) {
  for (int i = 0; i < n; ++i) {
    const std::string next = "@./a" + std::to_string(i + 1) + ".usda@";
    const std::string x = "    double x" + std::to_string(i) + " = " + std::to_string(i) + "\n";
    if (arc == "subLayers") {
      d.write("a" + std::to_string(i) + ".usda",
              (i + 1 < n ? "(\n    subLayers = [" + next + "]\n)\n" : std::string()) + "over \"P\" {\n" + x + "}\n");
    } else {
      d.write("a" + std::to_string(i) + ".usda",
              "(\n    defaultPrim = \"P" + std::to_string(i) + "\"\n)\ndef \"P" + std::to_string(i) + "\" (\n" +
                  (i + 1 < n ? "    prepend " + arc + " = " + next + "\n" : std::string()) + ") {\n" + x + "}\n");
    }
  }
  return d.path() + "/a0.usda";
}

std::size_t flattenedAttributes(const std::string& root) {
  FlattenRequest request;
  request.rootLayer = root;
  auto result = flatten(request);
  REQUIRE(result.ok());
  REQUIRE(result->warnings.empty());
  auto text = exportToString(*result->layer);
  REQUIRE(text.ok());
  std::size_t count = 0;
  for (std::size_t at = text->find("double x"); at != std::string::npos; at = text->find("double x", at + 1)) ++count;
  return count;
}

// Work to compose `prim` (and its ancestors) of the stage of `root`.
std::size_t composeWork(const std::string& root, const char* prim) {
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexCache cache(stacks, *stacks.open(root));
  const PrimIndex& index = cache.get(*Path::parse(prim));
  CHECK(index.errors().empty());
  return cache.workSteps();
}

// A chain 4 times as long costs about 4 times the work when composition is
// linear (16 times when quadratic); 6 leaves room for what does not scale.
// Every link's opinion must reach the flattened prim.
void checkLinear(const std::function<std::string(test::SceneDir&, int)>& write, const char* prim, int n) {
  test::SceneDir small, large;
  const std::string a = write(small, n), b = write(large, 4 * n);
  CHECK(flattenedAttributes(a) == static_cast<std::size_t>(n));
  CHECK(flattenedAttributes(b) == static_cast<std::size_t>(4 * n));
  const std::size_t workSmall = composeWork(a, prim), workLarge = composeWork(b, prim);
  INFO("work: " << workSmall << " for " << n << ", " << workLarge << " for " << 4 * n);
  CHECK(static_cast<double>(workLarge) < 6.0 * static_cast<double>(workSmall));
}

}  // namespace

TEST_CASE("compose scaling: flattening a chain of references, payloads or sublayers is linear in its length") {
  SECTION("references") {
    checkLinear([](test::SceneDir& d, int n) { return writeChain(d, "references", n); }, "/P0", 500);
  }
  SECTION("payloads") {
    checkLinear([](test::SceneDir& d, int n) { return writeChain(d, "payload", n); }, "/P0", 500);
  }
  SECTION("sublayers") {
    checkLinear([](test::SceneDir& d, int n) { return writeChain(d, "subLayers", n); }, "/P", 500);
  }
}

TEST_CASE("compose scaling: a chain of arcs past the index capacity is cut with one error naming the site") {
  test::SceneDir d;
  const std::string root = writeChain(d, "references", 40);
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexOptions options;
  options.maxIndexNodes = 10;
  PrimIndexCache cache(stacks, *stacks.open(root), options);
  const PrimIndex& index = cache.get(*Path::parse("/P0"));
  CHECK(index.nodes().size() == 10);
  REQUIRE(index.errors().size() == 1);
  CHECK(index.errors()[0].kind == CompositionErrorKind::CapacityExceeded);
  CHECK(index.errors()[0].message.find("more than 10 nodes") != std::string::npos);
  CHECK(index.errors()[0].message.find("a9.usda@</P9>") != std::string::npos);
  CHECK(index.errors()[0].message.find("a10.usda@</P10>") != std::string::npos);
}

TEST_CASE("compose scaling: arcs to non-root prims nest only as deep as the bound, with an error") {
  // a_i's </P/Q> references a_{i+1}'s </P/Q>: each arc's target has an
  // ancestor, composed by a nested build.
  test::SceneDir d;
  const int n = 30;
  for (int i = 0; i < n; ++i) {
    const std::string ref =
        i + 1 < n ? "(\n        references = @./a" + std::to_string(i + 1) + ".usda@</P/Q>\n    )" : std::string();
    d.write("a" + std::to_string(i) + ".usda",
            "def \"P\" {\n    def \"Q\" " + ref + " {\n        double x" + std::to_string(i) + " = 1\n    }\n}\n");
  }
  const std::string root = d.path() + "/a0.usda";
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexOptions options;
  options.maxNestedBuilds = 5;
  PrimIndexCache cache(stacks, *stacks.open(root), options);
  const PrimIndex& index = cache.get(*Path::parse("/P/Q"));
  REQUIRE(index.errors().size() == 1);
  CHECK(index.errors()[0].kind == CompositionErrorKind::CapacityExceeded);
  CHECK(index.errors()[0].message.find("arcs nested more than 5 deep") != std::string::npos);
  CHECK(index.primStack().size() == 6);
}

namespace {

// Work to compose `prim` alone, its ancestors being composed already.
std::size_t composeWorkOfDeepest(const std::string& root, const Path& prim) {
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  PrimIndexCache cache(stacks, *stacks.open(root));
  cache.get(prim.parent());
  const std::size_t before = cache.workSteps();
  const PrimIndex& index = cache.get(prim);
  CHECK(index.errors().empty());
  CHECK(index.primStack().size() >= 2);  // the relocated prim and what it references
  return cache.workSteps() - before;
}

}  // namespace

TEST_CASE("compose scaling: relocations nested under earlier relocations' targets cost linear work per prim") {
  // Exponential before: each level's relocation source was composed again,
  // with all the relocations above it, for every level below.
  auto deepest = [](int n) {
    std::string p = "/R";
    for (int i = 0; i < n; ++i) p += "/D" + std::to_string(i);
    return *Path::parse(p);
  };
  test::SceneDir small, large;
  const std::string a = test::writeRelocateChain(small, 3), b = test::writeRelocateChain(large, 12);
  CHECK(flattenedAttributes(a) > 3);  // flattens without warnings
  const std::size_t workSmall = composeWorkOfDeepest(a, deepest(3)), workLarge = composeWorkOfDeepest(b, deepest(12));
  INFO("work: " << workSmall << " for 3, " << workLarge << " for 12");
  CHECK(static_cast<double>(workLarge) < 6.0 * static_cast<double>(workSmall));
}


namespace {

// </P> with variant set v0 whose selected variant holds variant set v1,
// whose variant holds v2, ... n deep; each variant selects the next set's
// variant and adds x_i.
std::string writeNestedVariants(test::SceneDir& d, int n) {
  std::string head, tail;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i), next = std::to_string(i + 1);
    head += "variantSet \"v" + k + "\" = {\n\"x\" (\n";
    if (i + 1 < n) head += "variants = {\nstring v" + next + " = \"x\"\n}\nprepend variantSets = \"v" + next + "\"\n";
    head += ") {\ndouble x" + k + " = " + k + "\n";
    tail = "}\n}\n" + tail;
  }
  return d.write("a0.usda", "def \"P\" (\n    variants = {\n        string v0 = \"x\"\n    }\n    prepend variantSets = \"v0\"\n) {\n" +
                                head + tail + "}\n");
}

}  // namespace

TEST_CASE("compose scaling: a chain of nested variants composes in work linear in its depth") {
  // Quadratic before: each variant set's selection was looked for by
  // mapping the prim's path into every node of the graph, strongest first.
  checkLinear([](test::SceneDir& d, int n) { return writeNestedVariants(d, n); }, "/P", 100);
}
