// The Stage's instancing (prototypes(), prototypeOf(), prims inside
// prototypes) and its stage metadata, against what OpenUSD's stage gives
// and what the flatten of the same stage writes.
#include <catch2/catch.hpp>

#include <algorithm>

#include "../compose/ComposeTestSupport.h"
#include "FlattenTestSupport.h"
#include "io/usda/UsdaValueText.h"
#include "sdf/Fields.h"
#include "stage/Explain.h"
#include "stage/Stage.h"

using namespace usdkit;

namespace {

// Two instances of an asset that holds a nested instance; a second kind of
// instance shares the nested one's prototype (same arc to the same site).
struct InstancedScene {
  test::SceneDir d;
  std::string root;
  InstancedScene() {
    d.write("asset.usda",
            "def Xform \"Asset\" {\n  double size = 2\n  rel toGeo = </Asset/Geo>\n"
            "  def \"Geo\" {\n    double r = 1\n  }\n"
            "  def \"Inner\" (\n    instanceable = true\n    references = </Part>\n  ) {\n  }\n}\n"
            "def \"Part\" {\n  int n = 3\n  def \"Leaf\" {\n  }\n}\n");
    root = d.write("root.usda",
                   "def \"World\" {\n"
                   "  def \"A\" (\n    instanceable = true\n    references = @./asset.usda@</Asset>\n  ) {\n  }\n"
                   "  def \"B\" (\n    instanceable = true\n    references = @./asset.usda@</Asset>\n  ) {\n  }\n"
                   "  def \"Deep\" {\n    def \"I\" (\n        instanceable = true\n"
                   "        references = @./asset.usda@</Part>\n      ) {\n    }\n  }\n}\n"
                   "def \"Second\" (\n  instanceable = true\n  references = @./asset.usda@</Part>\n) {\n}\n"
                   "def \"Flattened_Prototype_1\" {\n}\n");
  }
};

std::unique_ptr<Stage> openStage(const std::string& root, std::vector<Path> mask = {}) {
  FlattenRequest request;
  request.rootLayer = root;
  request.mask = std::move(mask);
  auto stage = Stage::open(request);
  REQUIRE(stage.ok());
  return std::move(*stage);
}

Path path(const char* text) { return *Path::parse(text); }

std::vector<std::string> names(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (Token t : tokens) out.emplace_back(t.str());
  return out;
}

}  // namespace

TEST_CASE("stage prototypes: instances share prototypes by their arcs, nested prototypes are numbered first") {
  InstancedScene scene;
  auto stage = openStage(scene.root);
  const Prototypes& prototypes = stage->prototypes();
  REQUIRE(prototypes.size() == 2);
  // The walk finishes the nested prototype (below /World/A) before /World/A's.
  CHECK(stage->prototypeOf(path("/World/A")) == path("/__Prototype_2"));
  CHECK(stage->prototypeOf(path("/World/B")) == path("/__Prototype_2"));
  CHECK(stage->prototypeOf(path("/World/A/Inner")) == path("/__Prototype_1"));
  CHECK(stage->prototypeOf(path("/World/B/Inner")) == path("/__Prototype_1"));  // an instance proxy
  CHECK(stage->prototypeOf(path("/World/Deep/I")) == path("/__Prototype_1"));
  CHECK(stage->prototypeOf(path("/Second")) == path("/__Prototype_1"));
  CHECK(stage->prototypeOf(path("/World/Deep")).empty());
  CHECK(stage->prototypeOf(path("/World/A/Geo")).empty());
  CHECK(stage->prototypeOf(path("/Nope")).empty());
  CHECK(prototypes.source(*prototypes.byStagePath(path("/__Prototype_2"))) == path("/World/A"));
  CHECK(prototypes.source(*prototypes.byStagePath(path("/__Prototype_1"))) == path("/World/A/Inner"));
  CHECK(!prototypes.byStagePath(path("/__Prototype_3")));
  CHECK(!prototypes.byStagePath(path("/__Prototype_01")));

  // The flatten numbers its prototypes in the stage's order.
  const std::string text = test::flattenedText(scene.root);
  CHECK(text.find("def Xform \"A\" (\n        instanceable = true\n        add references = </Flattened_Prototype_3>") !=
        std::string::npos);
  CHECK(text.find("def \"I\" (\n            instanceable = true\n            add references = </Flattened_Prototype_2>") !=
        std::string::npos);
}

TEST_CASE("stage prototypes: a prototype's prims are composed from its source instance") {
  InstancedScene scene;
  auto stage = openStage(scene.root);
  // Asking for a prim inside a prototype finds the prototypes; they are no
  // children of the pseudo-root.
  const Spec* prototype = stage->composedPrim(path("/__Prototype_2"));
  REQUIRE(prototype);
  CHECK(names(stage->childNames(Path::absoluteRoot())) ==
        std::vector<std::string>{"World", "Second", "Flattened_Prototype_1"});
  CHECK(names(stage->childNames(path("/__Prototype_2"))) == std::vector<std::string>{"Geo", "Inner"});
  const Spec* geo = stage->composedPrim(path("/__Prototype_2/Geo"));
  REQUIRE(geo);
  CHECK(stage->composedPrims().findSpec(path("/__Prototype_2/Geo.r")) != nullptr);
  // Targets into the source instance point into the prototype.
  const Spec* rel = stage->composedPrims().findSpec(path("/__Prototype_2.toGeo"));
  REQUIRE(rel);
  const PathListOp* targets = rel->getAs<PathListOp>(fieldNames().targetPaths);
  REQUIRE(targets);
  CHECK(targets->explicitItems == std::vector<Path>{path("/__Prototype_2/Geo")});
  // A nested instance inside a prototype is an instance of the nested prototype.
  CHECK(stage->prototypeOf(path("/__Prototype_2/Inner")) == path("/__Prototype_1"));
  CHECK(stage->composedPrim(path("/__Prototype_1/Leaf")) != nullptr);
  CHECK(stage->composedPrim(path("/__Prototype_1/Nope")) == nullptr);
  CHECK(stage->composedPrim(path("/__Prototype_3")) == nullptr);
  // prim() gives the source's index, so explain answers inside prototypes.
  auto index = stage->prim(path("/__Prototype_2/Geo"));
  REQUIRE(index.ok());
  CHECK((*index)->path() == path("/World/A/Geo"));
  CHECK(!stage->prim(path("/__Prototype_2/Nope")).ok());
  auto e = explain(*stage, path("/__Prototype_2/Geo.r"), std::nullopt);
  REQUIRE(e.ok());
  CHECK(e->value == std::optional<std::string>("1"));
  auto instance = explain(*stage, path("/World/B"), std::nullopt);
  REQUIRE(instance.ok());
  CHECK(instance->detail == "an instance of </__Prototype_2>, whose prims are composed from </World/A>");
  auto plain = explain(*stage, path("/World/Deep"), std::nullopt);
  REQUIRE(plain.ok());
  CHECK(plain->detail.empty());
}

TEST_CASE("stage prototypes: finding them keeps the indexes callers hold") {
  // explain holds the instance's index while it asks for its prototype,
  // which walks the stage for the first time (a use after free under ASan
  // when the walk released indexes it had not built).
  InstancedScene scene;
  auto stage = openStage(scene.root);
  auto held = stage->prim(path("/World/B"));
  REQUIRE(held.ok());
  const PrimIndex* index = *held;
  CHECK(stage->prototypeOf(path("/World/B")) == path("/__Prototype_2"));
  CHECK(index->path() == path("/World/B"));
  CHECK(index->isInstanceable());
  auto fresh = openStage(scene.root);
  auto e = explain(*fresh, path("/World/B"), std::nullopt);
  REQUIRE(e.ok());
  CHECK(e->detail == "an instance of </__Prototype_2>, whose prims are composed from </World/A>");
}

TEST_CASE("stage prototypes: with a mask, the first instance in the mask supplies the prototype") {
  InstancedScene scene;
  auto stage = openStage(scene.root, {path("/World/B")});
  const Prototypes& prototypes = stage->prototypes();
  REQUIRE(prototypes.size() == 2);
  CHECK(stage->prototypeOf(path("/World/B")) == path("/__Prototype_2"));
  CHECK(prototypes.source(*prototypes.byStagePath(path("/__Prototype_2"))) == path("/World/B"));
  CHECK(stage->prototypeOf(path("/World/A")).empty());  // outside the mask
  // The prototype is whole, though the mask names only the instance.
  CHECK(names(stage->childNames(path("/__Prototype_2"))) == std::vector<std::string>{"Geo", "Inner"});
}

TEST_CASE("stage prototypes: a stage without instances has none") {
  test::SceneDir d;
  const std::string root = d.write("root.usda", "def \"A\" {\n  def \"B\" {\n  }\n}\n");
  auto stage = openStage(root);
  CHECK(stage->prototypes().size() == 0);
  CHECK(stage->prototypeOf(path("/A/B")).empty());
  CHECK(stage->composedPrim(path("/__Prototype_1")) == nullptr);
}

TEST_CASE("stage metadata: the session layer over the root layer, never a sublayer, dictionaries merged, asset paths anchored") {
  test::SceneDir d;
  d.write("sub.usda", "(\n  metersPerUnit = 0.01\n  doc = \"from the sublayer\"\n)\n");
  const std::string root = d.write(
      "root.usda",
      "(\n  upAxis = \"Z\"\n  doc = \"root\"\n  customLayerData = {\n    asset tex = @./tex.png@\n  }\n"
      "  subLayers = [@./sub.usda@]\n)\ndef \"A\" {\n}\n");
  const std::string session = d.write(
      "session.usda", "(\n  upAxis = \"Y\"\n  customLayerData = {\n    string who = \"session\"\n  }\n)\n");
  FlattenRequest request;
  request.rootLayer = root;
  request.sessionLayer = session;
  auto stage = Stage::open(request);
  REQUIRE(stage.ok());
  const Spec& metadata = (*stage)->stageMetadata();
  const FieldNames& f = fieldNames();
  REQUIRE(metadata.getAs<Token>(Token("upAxis")));
  CHECK(metadata.getAs<Token>(Token("upAxis"))->str() == "Y");
  CHECK(!metadata.has(Token("metersPerUnit")));
  REQUIRE(metadata.getAs<std::string>(f.documentation));
  CHECK(*metadata.getAs<std::string>(f.documentation) == "root");
  CHECK(!metadata.has(f.subLayers));  // how the root layer stack is made, not stage metadata
  const Value* data = metadata.get(Token("customLayerData"));
  REQUIRE(data);
  std::string text;
  appendUsdaValue(text, *data);
  CHECK(text.find("@" + d.path() + "/tex.png@") != std::string::npos);
  CHECK(text.find("who = \"session\"") != std::string::npos);  // dictionaries merge, as on OpenUSD's stage
  // Composed once: the same spec, the stage's pseudo-root.
  CHECK(&(*stage)->stageMetadata() == &metadata);
}
