#include <catch2/catch.hpp>

#include "../compose/ComposeTestSupport.h"
#include "FlattenTestSupport.h"

using namespace usdkit;
using test::flattenedText;

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

TEST_CASE("flatten: built-in attributes take type and variability from the prim definition") {
  test::SceneDir d;
  // Mesh defines points as point3f[], orientation and doubleSided uniform;
  // CollectionAPI:all defines collection:all:expansionRule uniform.
  const std::string root = d.write("root.usda",
                                   "def Mesh \"M\" (\n  prepend apiSchemas = [\"CollectionAPI:all\"]\n) {\n"
                                   "  float3[] points = [(0, 0, 0)]\n"
                                   "  token orientation = \"leftHanded\"\n"
                                   "  custom bool doubleSided = 1\n"
                                   "  token collection:all:expansionRule = \"expandPrims\"\n"
                                   "  uniform double mine = 2\n"
                                   "  custom double doubleSidedNot = 3\n"
                                   "  double subdivisionScheme = 4\n"
                                   "  flaot3[] extent = [(0, 0, 0), (1, 1, 1)]\n"
                                   "  flaot3[] normals = [(0, 0)]\n"
                                   "}\n"
                                   "def \"Untyped\" {\n  uniform token orientation = \"rightHanded\"\n}\n"
                                   "def PointBased \"Abstract\" {\n  float3[] points = [(1, 1, 1)]\n}\n"
                                   "def Sphere \"S\" {\n  float radius.timeSamples = { 1: 0.1, 2: 2 }\n"
                                   "  string purpose = \"render\"\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("    point3f[] points = [(0, 0, 0)]\n") != std::string::npos);
  CHECK(text.find("    uniform token orientation = \"leftHanded\"\n") != std::string::npos);
  // Built-in properties are never custom.
  CHECK(text.find("    uniform bool doubleSided = 1\n") != std::string::npos);
  CHECK(text.find("    uniform token collection:all:expansionRule = \"expandPrims\"\n") != std::string::npos);
  // Properties no schema defines keep what is authored.
  CHECK(text.find("    uniform double mine = 2\n") != std::string::npos);
  CHECK(text.find("    custom double doubleSidedNot = 3\n") != std::string::npos);
  // A value of another kind than the definition's keeps its own type (it
  // could not be read back under the defined one), variability follows the
  // definition.
  CHECK(text.find("    uniform double subdivisionScheme = 4\n") != std::string::npos);
  // An unknown authored type takes the defined one when its values read as
  // that type, else stays as authored (and reads back).
  CHECK(text.find("    float3[] extent = [(0, 0, 0), (1, 1, 1)]\n") != std::string::npos);
  CHECK(text.find("    flaot3[] normals = [(0, 0)]\n") != std::string::npos);
  // Values of another kind are converted as OpenUSD casts them (a float's
  // exact value as a double) when they can be; otherwise the authored type
  // stays.
  CHECK(text.find("    double radius.timeSamples = {\n        1: 0.10000000149011612,\n        2: 2,\n    }\n") !=
        std::string::npos);
  CHECK(text.find("    uniform string purpose = \"render\"\n") != std::string::npos);
  // A prim without a schema, or of an abstract type, has no definition.
  CHECK(text.find("    float3[] points = [(1, 1, 1)]\n") != std::string::npos);
  CHECK(text.find("    uniform token orientation = \"rightHanded\"\n") != std::string::npos);

  // For tools that check authoring against the schemas, what is authored.
  const std::string authored = flattenedText(root, false, true);
  CHECK(authored.find("    float3[] points = [(0, 0, 0)]\n") != std::string::npos);
  CHECK(authored.find("    token orientation = \"leftHanded\"\n") != std::string::npos);
  CHECK(authored.find("    custom bool doubleSided = 1\n") != std::string::npos);
}

namespace {

std::string clipsMetadata(const std::string& entries) {
  return "  clips = {\n    dictionary default = {\n" + entries + "    }\n  }\n";
}

}  // namespace

TEST_CASE("flatten: value clips give samples between the prim's own layer and its arcs") {
  test::SceneDir d;
  d.write("clip.usda",
          "over \"M\" {\n  double local.timeSamples = { 1: 10 }\n  double fromRef.timeSamples = { 1: 10, 3: 30 }\n}\n");
  d.write("ref.usda", "def \"M\" {\n  double fromRef.timeSamples = { 0: -1 }\n}\n");
  const std::string root = d.write(
      "root.usda", "def \"M\" (\n  references = @./ref.usda@</M>\n" +
                       clipsMetadata("      asset[] assetPaths = [@./clip.usda@]\n      string primPath = \"/M\"\n"
                                     "      double2[] active = [(0, 0)]\n") +
                       ") {\n  double local.timeSamples = { 5: 5 }\n}\n");
  const std::string text = flattenedText(root);
  // The root layer's own samples are stronger than the clips.
  CHECK(text.find("double local.timeSamples = {\n        5: 5,\n    }") != std::string::npos);
  // The clips are stronger than the reference; the clip's start (0) is a
  // sample too, holding the first value.
  CHECK(text.find("double fromRef.timeSamples = {\n        0: 10,\n        1: 10,\n        3: 30,\n    }") !=
        std::string::npos);
}

TEST_CASE("flatten: clip times map stage time to clip time, a jump moves its left side a safe step back") {
  test::SceneDir d;
  d.write("clip.usda", "over \"M\" {\n  double x.timeSamples = { 0: 0, 10: 10 }\n}\n");
  const std::string root =
      d.write("root.usda", "def \"M\" (\n" +
                               clipsMetadata("      asset[] assetPaths = [@./clip.usda@]\n      string primPath = \"/M\"\n"
                                             "      double2[] active = [(0, 0)]\n"
                                             "      double2[] times = [(0, 0), (20, 10), (20, 0), (40, 10)]\n") +
                               ") {\n  double x\n}\n");
  const std::string text = flattenedText(root);
  // The jump at 20 has its left side 1e6 * epsilon * 20 earlier; there the
  // clip time is 9.999999997779554 (half the stage time), interpolated
  // between the clip's samples at 0 and 10. Right of the jump the clip
  // starts over at 0.
  CHECK(text.find("double x.timeSamples = {\n        0: 0,\n        19.999999995559108: 9.999999997779554,\n"
                  "        20: 0,\n        40: 10,\n    }") != std::string::npos);
}

TEST_CASE("flatten: a clip set that names a missing clip or an invalid index is reported") {
  test::SceneDir d;
  const std::string root =
      d.write("root.usda", "def \"M\" (\n" +
                               clipsMetadata("      asset[] assetPaths = [@./missing.usda@]\n      string primPath = \"/M\"\n"
                                             "      double2[] active = [(0, 0)]\n") +
                               ") {\n  double x = 1\n}\n"
                               "def \"N\" (\n" +
                               clipsMetadata("      asset[] assetPaths = [@./missing.usda@]\n      string primPath = \"/N\"\n"
                                             "      double2[] active = [(0, 3)]\n") +
                               ") {\n}\n");
  FlattenRequest request;
  request.rootLayer = root;
  auto result = flatten(request);
  REQUIRE(result.ok());
  bool missing = false, invalid = false;
  for (const std::string& w : result->warnings) {
    missing = missing || w.find("Unable to open clip layer @") != std::string::npos;
    invalid = invalid || w.find("Invalid clips specified for prim </N>: Invalid clip index 3 in 'active'") !=
                             std::string::npos;
  }
  CHECK(missing);
  CHECK(invalid);
  auto text = exportToString(*result->layer);
  REQUIRE(text.ok());
  CHECK(text->find("double x = 1\n") != std::string::npos);
}

TEST_CASE("flatten: template clips use the files that exist, numbered by the pattern") {
  test::SceneDir d;
  d.write("p.001.usda", "over \"M\" {\n  float v.timeSamples = { 1: 1 }\n}\n");
  d.write("p.003.usda", "over \"M\" {\n  float v.timeSamples = { 3: 3 }\n}\n");
  const std::string root =
      d.write("root.usda", "def \"M\" (\n" +
                               clipsMetadata("      string templateAssetPath = \"./p.###.usda\"\n"
                                             "      double templateStartTime = 1\n      double templateEndTime = 3\n"
                                             "      double templateStride = 1\n      string primPath = \"/M\"\n") +
                               ") {\n  float v\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("float v.timeSamples = {\n        1: 1,\n        3: 3,\n    }") != std::string::npos);
}

TEST_CASE("flatten: a built-in attribute no opinion names is written when clips give it samples") {
  test::SceneDir d;
  d.write("clip.usda", "over \"M\" {\n  point3f[] points.timeSamples = { 1: [(1, 2, 3)] }\n"
                       "  float notBuiltIn.timeSamples = { 1: 1 }\n}\n");
  const std::string root =
      d.write("root.usda", "def Mesh \"M\" (\n" +
                               clipsMetadata("      asset[] assetPaths = [@./clip.usda@]\n      string primPath = \"/M\"\n"
                                             "      double2[] active = [(1, 0)]\n") +
                               ") {\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("point3f[] points.timeSamples = {\n        1: [(1, 2, 3)],\n    }") != std::string::npos);
  // Only the prim's schemas and its opinions say which properties it has.
  CHECK(text.find("notBuiltIn") == std::string::npos);
}

TEST_CASE("flatten: an opinion's samples win over its own default, a stronger default over weaker samples") {
  test::SceneDir d;
  d.write("weak.usda", "def \"A\" {\n  double y.timeSamples = { 1: 1 }\n}\n");
  const std::string root = d.write("root.usda",
                                   "(\n  subLayers = [@./weak.usda@]\n)\n"
                                   "over \"A\" {\n  double x = 3\n  double x.timeSamples = { 2: 4 }\n  double y = 5\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("double x.timeSamples = {\n        2: 4,\n    }") != std::string::npos);
  CHECK(text.find("y.timeSamples") == std::string::npos);
}

TEST_CASE("flatten: hostile clip metadata is refused with a warning, neither hanging nor crashing") {
  test::SceneDir d;
  d.write("clip.usda", "over \"M\" {\n  double x.timeSamples = { 0: 1 }\n}\n");
  const std::string root = d.write(
      "root.usda",
      "def \"Huge\" (\n" +
          clipsMetadata("      string templateAssetPath = \"./p.###.usda\"\n      double templateStartTime = 0\n"
                        "      double templateEndTime = 1e12\n      double templateStride = 1\n"
                        "      string primPath = \"/M\"\n") +
          ") {\n  double x\n}\n"
          "def \"Tiny\" (\n" +
          clipsMetadata("      string templateAssetPath = \"./p.###.usda\"\n      double templateStartTime = 0\n"
                        "      double templateEndTime = 1\n      double templateStride = 1e-300\n"
                        "      string primPath = \"/M\"\n") +
          ") {\n  double x\n}\n"
          "def \"Infinite\" (\n" +
          clipsMetadata("      asset[] assetPaths = [@./clip.usda@]\n      string primPath = \"/M\"\n"
                        "      double2[] active = [(inf, 0)]\n") +
          ") {\n  double x\n}\n"
          "def \"BigIndex\" (\n" +
          clipsMetadata("      asset[] assetPaths = [@./clip.usda@]\n      string primPath = \"/M\"\n"
                        "      double2[] active = [(0, 1e300)]\n") +
          ") {\n  double x\n}\n");
  FlattenRequest request;
  request.rootLayer = root;
  auto result = flatten(request);
  REQUIRE(result.ok());
  std::string all;
  for (const std::string& w : result->warnings) all += w + "\n";
  INFO(all);
  CHECK(all.find("for prim </Huge>: 1e+12 clips") != std::string::npos);
  CHECK(all.find("for prim </Tiny>: 1e+300 clips") != std::string::npos);
  CHECK(all.find("Invalid clips specified for prim </Infinite>: Times in 'active' must be finite") != std::string::npos);
  CHECK(all.find("Invalid clips specified for prim </BigIndex>: Invalid clip index") != std::string::npos);
}
