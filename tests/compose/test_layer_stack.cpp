#include <catch2/catch.hpp>

#include "ComposeTestSupport.h"
#include "compose/LayerStack.h"

using namespace usdkit;

namespace {

std::vector<std::string> names(const LayerStack& stack, const std::string& dir) {
  std::vector<std::string> out;
  for (const LayerStackEntry& e : stack.layers()) out.push_back(e.layer->identifier().substr(dir.size() + 1));
  return out;
}

}  // namespace

TEST_CASE("layer stack: sublayers in pre-order, offsets compose, duplicates kept") {
  test::SceneDir d;
  d.write("b.usda", "");
  d.write("c.usda", "");
  d.write("a.usda", "(\n  subLayers = [@./b.usda@ (offset = 5)]\n)\n");
  std::string root = d.write("root.usda", "(\n  subLayers = [@./a.usda@ (offset = 10; scale = 2), @c.usda@, @./b.usda@]\n)\n");
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  auto stack = stacks.open(root);
  REQUIRE(stack.ok());
  CHECK(names(**stack, d.path()) == std::vector<std::string>{"root.usda", "a.usda", "b.usda", "c.usda", "b.usda"});
  const auto& layers = (*stack)->layers();
  CHECK(layers[1].offset == LayerOffset{10, 2});
  // b inside a: a's offset applied after b's (t*1+5)*2+10.
  CHECK(layers[2].offset == LayerOffset{20, 2});
  CHECK(layers[4].offset == LayerOffset{0, 1});
  CHECK((*stack)->errors().empty());
  // b.usda is opened once although the stack holds it twice.
  CHECK(layers[2].layer == layers[4].layer);
  CHECK(registry.openCount() == 4);
}

TEST_CASE("layer stack: timeCodesPerSecond scales sublayer offsets") {
  test::SceneDir d;
  d.write("fast.usda", "(\n  timeCodesPerSecond = 48\n)\n");
  std::string root = d.write("root.usda", "(\n  timeCodesPerSecond = 24\n  subLayers = [@./fast.usda@ (offset = 3)]\n)\n");
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  {
    LayerStackCache stacks(registry);
    auto stack = stacks.open(root);
    REQUIRE(stack.ok());
    CHECK((*stack)->layers()[1].offset == LayerOffset{3, 0.5});
  }
  LayerStackOptions legacy;
  legacy.scaleByTimeCodesPerSecond = false;
  LayerStackCache stacks(registry, legacy);
  auto stack = stacks.open(root);
  REQUIRE(stack.ok());
  CHECK((*stack)->layers()[1].offset == LayerOffset{3, 1});
}

TEST_CASE("layer stack: cycles, missing and muted sublayers are reported or skipped, never followed") {
  test::SceneDir d;
  d.write("a.usda", "(\n  subLayers = [@./b.usda@]\n)\n");
  d.write("b.usda", "(\n  subLayers = [@./a.usda@]\n)\n");
  d.write("m.usda", "");
  std::string root = d.write("root.usda", "(\n  subLayers = [@./a.usda@, @./missing.usda@, @./m.usda@]\n)\n");
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackOptions options;
  options.mutedLayers.insert(d.path() + "/m.usda");
  LayerStackCache stacks(registry, options);
  auto stack = stacks.open(root);
  REQUIRE(stack.ok());
  CHECK(names(**stack, d.path()) == std::vector<std::string>{"root.usda", "a.usda", "b.usda"});
  const CompositionErrors& errors = (*stack)->errors();
  REQUIRE(errors.size() == 2);
  // A layer's own sublayers are all opened before any is expanded, so the
  // missing one is reported before the cycle below a.usda.
  CHECK(errors[0].kind == CompositionErrorKind::InvalidSublayerPath);
  CHECK(errors[0].message.find("@./missing.usda@") != std::string::npos);
  CHECK(errors[1].kind == CompositionErrorKind::SublayerCycle);
  CHECK(errors[1].message.find("b.usda@ has cycles") != std::string::npos);
}

TEST_CASE("layer stack: the session layer and its sublayers come first") {
  test::SceneDir d;
  d.write("s2.usda", "");
  std::string session = d.write("session.usda", "(\n  subLayers = [@./s2.usda@]\n)\n");
  std::string root = d.write("root.usda", "");
  LayerRegistry registry(AssetResolver::forRootLayer(root));
  LayerStackCache stacks(registry);
  auto stack = stacks.open(root, session);
  REQUIRE(stack.ok());
  CHECK(names(**stack, d.path()) == std::vector<std::string>{"session.usda", "s2.usda", "root.usda"});
  CHECK((*stack)->sessionLayer() != nullptr);
}

TEST_CASE("asset resolver: file-relative, search-relative and package-relative anchoring") {
  test::SceneDir d;
  std::filesystem::create_directories(d.path() + "/sub");
  d.write("sub/x.usda", "");
  AssetResolver resolver({d.path()});
  const std::string anchor = d.path() + "/sub/layer.usda";
  CHECK(resolver.anchor("./x.usda", anchor) == d.path() + "/sub/x.usda");
  CHECK(resolver.anchor("../y.usda", anchor) == d.path() + "/y.usda");
  // Search-relative: anchored only when the anchored file exists.
  CHECK(resolver.anchor("x.usda", anchor) == d.path() + "/sub/x.usda");
  CHECK(resolver.anchor("sub/x.usda", anchor) == "sub/x.usda");
  CHECK(resolver.resolve("sub/x.usda") == d.path() + "/sub/x.usda");
  CHECK_FALSE(resolver.resolve("nothing.usda").has_value());
  CHECK(resolver.anchor("./tex.png", "/p/pkg.usdz[dir/root.usda]") == "/p/pkg.usdz[dir/tex.png]");
  CHECK(normalizePath("/a/./b//../c") == "/a/c");
}
