// Value resolution with array edits (current OpenUSD's UsdStage, stored
// stage.cpp @27703d4b): an edit composes over the next weaker value
// instead of hiding it, and a flatten writes the composed arrays. The
// expectations are those of OpenUSD's testUsdAttributeArrayEdits.cpp
// (@27703d4b), as the note of issue 16 records them.
#include <catch2/catch.hpp>

#include "../compose/ComposeTestSupport.h"
#include "FlattenTestSupport.h"

using namespace usdkit;

namespace {

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// A session-like strong sublayer over a root-like weak one.
std::string composedText(const std::string& strong, const std::string& weak) {
  test::SceneDir d;
  d.write("strong.usda", "#usda 1.2\n" + strong);
  d.write("weak.usda", "#usda 1.2\n" + weak);
  return test::flattenedText(d.write("root.usda", "#usda 1.0\n(\n    subLayers = [@./strong.usda@, @./weak.usda@]\n)\n"));
}

}  // namespace

TEST_CASE("array edits: a default edit composes over the weaker default") {
  const std::string text = composedText("over \"P\" {\n    int[] a = edit [prepend 0; append 9]\n}\n",
                                        "def \"P\" {\n    int[] a = [3, 2, 1]\n}\n");
  INFO(text);
  CHECK(has(text, "int[] a = [0, 3, 2, 1, 9]\n"));
  CHECK_FALSE(has(text, "edit"));
}

TEST_CASE("array edits: time sample edits compose over the weaker default, and over weaker samples") {
  const char* strong =
      "over \"P\" {\n    int[] a.timeSamples = {\n        3: edit [prepend 3; append 3],\n"
      "        6: edit [prepend 6; append 7],\n    }\n}\n";
  std::string text = composedText(strong, "def \"P\" {\n    int[] a = [3, 2, 1]\n}\n");
  INFO(text);
  CHECK(has(text, "int[] a = [3, 2, 1]\n"));
  CHECK(has(text, "        3: [3, 3, 2, 1, 3],\n        6: [6, 3, 2, 1, 7],\n    }"));
  // The weaker opinion's samples hide its default; they compose under the
  // held edits, and their times are sample times too.
  text = composedText(strong,
                      "def \"P\" {\n    int[] a = [3, 2, 1]\n    int[] a.timeSamples = {\n"
                      "        1: edit [prepend -1; append -1],\n        5: edit [prepend -5; append -5],\n"
                      "        9: edit [prepend -9; append -9],\n    }\n}\n");
  INFO(text);
  CHECK(has(text, "int[] a = [3, 2, 1]\n"));
  CHECK(has(text, "        1: [3, -1, -1, 3],\n        3: [3, -1, -1, 3],\n        5: [3, -5, -5, 3],\n"
                  "        6: [6, -5, -5, 7],\n        9: [6, -9, -9, 7],\n    }"));
}

TEST_CASE("array edits: plain samples hide weaker ones; an edit with nothing below applies to an empty array") {
  // Floats: `resize 4` at 1 and a plain array at 3, under a strong `write
  // 8 to [1]` at 2. At 3 the strong edit still holds over the plain array.
  std::string text = composedText(
      "over \"P\" {\n    float[] f.timeSamples = {\n        2: edit [write 8 to [1]],\n    }\n}\n",
      "def \"P\" {\n    float[] f.timeSamples = {\n        1: edit [resize 4],\n        3: [2, 4, 6, 8],\n    }\n}\n");
  INFO(text);
  CHECK(has(text, "        1: [0, 8, 0, 0],\n        2: [0, 8, 0, 0],\n        3: [2, 8, 6, 8],\n    }"));
  // A plain strong sample is the value: weaker samples at other times are
  // not sample times.
  text = composedText("over \"P\" {\n    int[] a.timeSamples = {\n        2: [1],\n    }\n}\n",
                      "def \"P\" {\n    int[] a.timeSamples = {\n        1: edit [append 5],\n    }\n}\n");
  INFO(text);
  CHECK(has(text, "    int[] a.timeSamples = {\n        2: [1],\n    }"));
  // An edit alone, and an edit over a value block.
  text = composedText("over \"P\" {\n    int[] a = edit [append 5]\n    int[] b = edit [append 6]\n}\n",
                      "def \"P\" {\n    int[] b = None\n}\n");
  INFO(text);
  CHECK(has(text, "int[] a = [5]\n"));
  CHECK(has(text, "int[] b = None\n"));
}
