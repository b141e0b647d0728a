// Value resolution with AnimationBlock defaults (current OpenUSD's
// UsdStage::_ResolveInfoResolver): a default of AnimationBlock hides the
// time samples of weaker opinions, but not their defaults, and is itself no
// default. The scene is OpenUSD's testUsdFlattenLayerStack/animationBlocks_*
// test layers.
#include <catch2/catch.hpp>

#include "../compose/ComposeTestSupport.h"
#include "FlattenTestSupport.h"

using namespace usdkit;

namespace {

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

const char* const kWeak =
    "over \"Human\"\n{\n"
    "    int a = AnimationBlock\n    int a.timeSamples = {\n        1: 5,\n        2: 18,\n    }\n"
    "    double b.spline = {\n        1: 5; post held,\n        2: 18; post held,\n    }\n"
    "    int c.timeSamples = {\n        0: 456,\n        1: 789\n    }\n"
    "    double d.spline = {\n        1: 5; post held,\n        2: 18; post held,\n    }\n}\n";
const char* const kWeaker = "over \"Human\"\n{\n    int c = 1\n    double d = 2.0\n}\n";
const char* const kRoot =
    "(\n    subLayers = [\n        @./animationBlocks_strong.usda@,\n        @./animationBlocks_weak.usda@,\n"
    "        @./animationBlocks_weaker.usda@,\n    ]\n)\n";

// The scene with `strong` as its strongest sublayer, flattened.
std::string composedText(const std::string& strong) {
  test::SceneDir d;
  d.write("animationBlocks_strong.usda", strong);
  d.write("animationBlocks_weak.usda", kWeak);
  d.write("animationBlocks_weaker.usda", kWeaker);
  return test::flattenedText(d.write("animationBlocks_root.usda", kRoot));
}

}  // namespace

TEST_CASE("AnimationBlock: weaker time samples are blocked, weaker defaults shine through") {
  const std::string text = composedText(
      "over \"Human\"\n{\n    double b = AnimationBlock\n    double b.spline = {\n        1: 10; post held,\n"
      "        2: 20; post held,\n    }\n\n    int c = AnimationBlock\n\n    double d = AnimationBlock\n}\n");
  INFO(text);
  // a: samples in the same layer as the block win over it; the block is no
  // default, and there is no other.
  CHECK(has(text, "int a.timeSamples = {\n        1: 5,\n        2: 18,\n    }"));
  CHECK_FALSE(has(text, "int a ="));
  // c: the strong block hides the weak samples; the weaker default applies.
  CHECK(has(text, "int c = 1\n"));
  CHECK_FALSE(has(text, "c.timeSamples"));
  // d: the weaker default applies.
  CHECK(has(text, "double d = 2\n"));
  CHECK_FALSE(has(text, "AnimationBlock"));
}

TEST_CASE("AnimationBlock: without the block the weak samples decide") {
  // The same scene without the strong layer's opinions: the weak layer's
  // samples are the value over time (the weaker default stays the default).
  const std::string text = composedText("over \"Human\"\n{\n}\n");
  INFO(text);
  CHECK(has(text, "int c = 1\n"));
  CHECK(has(text, "int c.timeSamples = {\n        0: 456,\n        1: 789,\n    }"));
}
