#include <catch2/catch.hpp>

#include "../compose/ComposeTestSupport.h"
#include "stage/Explain.h"

using namespace usdkit;

namespace {

Explanation explained(const std::string& root, const char* path, std::optional<double> time) {
  FlattenRequest request;
  request.rootLayer = root;
  auto stage = Stage::open(request);
  REQUIRE(stage.ok());
  auto e = explain(**stage, *Path::parse(path), time);
  REQUIRE(e.ok());
  return *e;
}

}  // namespace

TEST_CASE("explain: value clips answer at a time, between the layer that anchors them and weaker arcs") {
  test::SceneDir d;
  d.write("clip.usda", "over \"M\" {\n  double x.timeSamples = { 0: 0, 10: 100 }\n}\n");
  d.write("ref.usda", "def \"M\" {\n  double x = 7\n}\n");
  const std::string root = d.write(
      "root.usda",
      "def \"M\" (\n  references = @./ref.usda@</M>\n  clips = {\n    dictionary default = {\n"
      "      asset[] assetPaths = [@./clip.usda@]\n      string primPath = \"/M\"\n"
      "      double2[] active = [(0, 0)]\n      double2[] times = [(0, 0), (20, 10)]\n    }\n  }\n) {\n}\n");
  const Explanation at = explained(root, "/M.x", 5.0);
  CHECK(at.value == std::optional<std::string>("25"));  // stage 5 -> clip 2.5 -> 25
  CHECK(at.source == "value clips");
  CHECK(at.detail.find("clip time 2.5 of @" + d.path() + "/clip.usda@") != std::string::npos);
  REQUIRE(at.opinions.size() == 2);
  CHECK(at.opinions[0].arc == "value clips");
  CHECK(at.opinions[0].wins);
  CHECK(at.opinions[1].arc == "reference");
  CHECK(!at.opinions[1].wins);
  // Clips give no defaults: at the default time the reference's value holds.
  const Explanation byDefault = explained(root, "/M.x", std::nullopt);
  CHECK(byDefault.value == std::optional<std::string>("7"));
  CHECK(byDefault.opinions[1].wins);
}

TEST_CASE("explain: relationships list their composed targets, prims their metadata") {
  test::SceneDir d;
  d.write("ref.usda", "def \"R\" (\n  kind = \"component\"\n) {\n  rel r = </R/T>\n  def \"T\" {\n  }\n}\n");
  const std::string root =
      d.write("root.usda", "def \"A\" (\n  references = @./ref.usda@</R>\n) {\n  add rel r = </Other>\n}\n");
  const Explanation rel = explained(root, "/A.r", std::nullopt);
  CHECK(rel.kind == "relationship");
  CHECK(rel.value == std::optional<std::string>("[</A/T>, </Other>]"));
  const Explanation prim = explained(root, "/A", std::nullopt);
  CHECK(prim.kind == "prim");
  bool kind = false;
  for (const Explanation& f : prim.fields)
    if (f.name == "kind") kind = f.value == std::optional<std::string>("\"component\"");
  CHECK(kind);
}
