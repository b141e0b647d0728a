#include <catch2/catch.hpp>

#include "../compose/ComposeTestSupport.h"
#include "io/LayerIO.h"
#include "stage/Flatten.h"

using namespace usdkit;

namespace {

std::string flattenedText(const std::string& root, bool layerStackOnly = false) {
  FlattenRequest request;
  request.rootLayer = root;
  request.layerStackOnly = layerStackOnly;
  request.addSourceFileComment = false;
  auto result = flatten(request);
  REQUIRE(result.ok());
  auto text = exportToString(*result->layer);
  REQUIRE(text.ok());
  return *text;
}

}  // namespace

TEST_CASE("flatten: time samples of a sublayer land in stage time, a stronger default hides weaker samples") {
  test::SceneDir d;
  d.write("anim.usda",
          "def \"A\" {\n  double x.timeSamples = { 0: 1, 10: 2 }\n  double y.timeSamples = { 0: 1 }\n}\n");
  const std::string root = d.write("root.usda",
                                   "(\n  subLayers = [@./anim.usda@ (offset = 100)]\n)\n"
                                   "over \"A\" {\n  double y = 7\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("double x.timeSamples = {\n        100: 1,\n        110: 2,\n    }") != std::string::npos);
  CHECK(text.find("double y = 7\n") != std::string::npos);
  CHECK(text.find("y.timeSamples") == std::string::npos);
}

TEST_CASE("flatten: list-op metadata is composed into an explicit list") {
  test::SceneDir d;
  d.write("weak.usda", "over \"A\" (\n  prepend apiSchemas = [\"RigidBody\"]\n  append apiSchemas = [\"Mass\", \"Art\"]\n) {\n}\n");
  d.write("mid.usda", "over \"A\" (\n  prepend apiSchemas = [\"Collision\", \"Mass\"]\n) {\n}\n");
  const std::string root = d.write("root.usda",
                                   "(\n  subLayers = [@./mid.usda@, @./weak.usda@]\n)\n"
                                   "def \"A\" (\n  delete apiSchemas = [\"RigidBody\"]\n) {\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("apiSchemas = [\"Collision\", \"Mass\", \"Art\"]") != std::string::npos);
  // The layer-stack flatten keeps it a list edit.
  const std::string stack = flattenedText(root, true);
  // (The stronger delete drops the weaker prepend; the weaker append of
  // Mass goes, as the stronger prepend moves it.)
  CHECK(stack.find("    delete apiSchemas = [\"RigidBody\"]\n"
                   "    prepend apiSchemas = [\"Collision\", \"Mass\"]\n"
                   "    append apiSchemas = [\"Art\"]\n") != std::string::npos);
}

TEST_CASE("flatten: references bring their prims under the referencing path, relative asset paths become absolute") {
  test::SceneDir d;
  d.write("asset.usda",
          "(\n  defaultPrim = \"Asset\"\n)\n"
          "def Xform \"Asset\" {\n  asset tex = @./tex.png@\n  rel r = </Asset/Child>\n  def \"Child\" {\n  }\n}\n");
  const std::string root = d.write("root.usda", "def \"Ref\" (\n  references = @./asset.usda@\n) {\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("def Xform \"Ref\"") != std::string::npos);
  CHECK(text.find("def \"Child\"") != std::string::npos);
  CHECK(text.find("asset tex = @" + d.path() + "/tex.png@") != std::string::npos);
  CHECK(text.find("rel r = </Ref/Child>") != std::string::npos);  // targets follow the namespace mapping
  CHECK(text.find("references") == std::string::npos);
}

TEST_CASE("flatten: a missing reference is a warning, not a failure; a missing root is an error naming it") {
  test::SceneDir d;
  const std::string root = d.write("root.usda", "def \"Ref\" (\n  references = @./nowhere.usda@\n) {\n}\n");
  FlattenRequest request;
  request.rootLayer = root;
  auto result = flatten(request);
  REQUIRE(result.ok());
  REQUIRE_FALSE(result->warnings.empty());
  CHECK(result->warnings.front().find("nowhere.usda") != std::string::npos);

  request.rootLayer = d.path() + "/absent.usda";
  auto failed = flatten(request);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.find("absent.usda") != std::string::npos);
}
