// A stage flattened straight to text, prim by prim (what usdflatten and
// usdcat --flatten do for text output), against the same stage flattened
// to a layer and then written: the bytes must be the same for every shape
// of stage, and the streamed flatten must not hold the composed layer.
#include <catch2/catch.hpp>

#include "../compose/ComposeTestSupport.h"
#include "FlattenTestSupport.h"
#include "io/LayerIO.h"
#include "sdf/Fields.h"

using namespace usdkit;
using test::flattenedText;

TEST_CASE("flatten text: instances, nested instances and prototypes come out as the layer's text") {
  test::SceneDir d;
  d.write("asset.usda",
          "def Xform \"Asset\" {\n  double size = 2\n  def \"Geo\" {\n    double r = 1\n  }\n"
          "  def \"Inner\" (\n    instanceable = true\n    references = </Part>\n  ) {\n  }\n}\n"
          "def \"Part\" {\n  int n = 3\n  def \"Leaf\" {\n  }\n}\n");
  const std::string root = d.write(
      "root.usda",
      "def \"World\" {\n  double w = 1\n"
      "  def \"A\" (\n    instanceable = true\n    references = @./asset.usda@</Asset>\n  ) {\n  }\n"
      "  def \"B\" (\n    instanceable = true\n    references = @./asset.usda@</Asset>\n  ) {\n    double own = 5\n  }\n"
      "  def \"Off\" (\n    active = false\n  ) {\n    def \"Hidden\" {\n    }\n  }\n"
      "  def \"Empty\" {\n  }\n"
      "  def \"Deep\" {\n    def \"Deeper\" {\n      def \"I\" (\n        instanceable = true\n"
      "        references = @./asset.usda@</Part>\n      ) {\n      }\n    }\n  }\n}\n"
      "def \"Second\" (\n  instanceable = true\n  references = @./asset.usda@</Part>\n) {\n}\n"
      "def \"Flattened_Prototype_1\" {\n}\n");
  const std::string text = flattenedText(root);  // checks the streamed text is the same
  // What the case is about: prototypes first, numbered past the taken name,
  // instances referencing them.
  CHECK(text.find("over \"Flattened_Prototype_2\"") < text.find("def \"World\""));
  CHECK(text.find("references = </Flattened_Prototype_") != std::string::npos);
  CHECK(text.find("\"Hidden\"") == std::string::npos);
}

TEST_CASE("flatten text: properties, children and empty prims are separated as the writer separates them") {
  test::SceneDir d;
  const std::string root = d.write(
      "root.usda",
      "(\n  doc = \"layer doc\"\n  metersPerUnit = 0.01\n)\n"
      "def \"P\" {\n  def \"C1\" {\n  }\n  def \"C2\" {\n    rel r = </P/C1>\n  }\n}\n"
      "def \"Q\" (\n  kind = \"component\"\n) {\n  double a = 1\n  def \"C\" {\n    double b.timeSamples = { 1: 2 }\n  }\n}\n"
      "class \"K\" {\n}\n"
      "over \"O\" {\n  def \"Under\" {\n  }\n}\n");
  const std::string text = flattenedText(root);
  CHECK(text.find("metersPerUnit = 0.01") != std::string::npos);
  CHECK(text.find("    double a = 1\n\n    def \"C\"") != std::string::npos);
}

TEST_CASE("flatten text: a mask and a missing arc give the same text and warnings") {
  test::SceneDir d;
  const std::string root = d.write("root.usda",
                                   "def \"A\" (\n  references = @./missing.usda@\n) {\n  def \"X\" {\n  }\n}\n"
                                   "def \"B\" {\n  def \"Y\" {\n  }\n}\n");
  for (bool text : {false, true}) {
    FlattenRequest request;
    request.rootLayer = root;
    request.mask = {Path::parse("/B/Y").value()};
    request.textOutput = text;
    auto result = flatten(request);
    REQUIRE(result.ok());
    auto out = text ? exportToString(result->text) : exportToString(*result->layer);
    REQUIRE(out.ok());
    CHECK(out->find("def \"Y\"") != std::string::npos);
    CHECK(out->find("def \"A\"") == std::string::npos);
  }
  flattenedText(root);
}

TEST_CASE("flatten text: a prim nested too deep for text fails saving, as the layer's text does") {
  // Deeper than text can hold: only a crate file can say it.
  test::SceneDir d;
  Layer deep;
  const FieldNames& f = fieldNames();
  Path parent = Path::absoluteRoot();
  for (int i = 0; i < 2100; ++i) {
    const Path p = parent.appendChild("p");
    deep.createSpec(p, SpecType::Prim).set(f.specifier, Specifier::Def);
    deep.findSpec(parent)->set(f.primChildren, TokenVector{{Token("p")}});
    parent = p;
  }
  const std::string crate = d.path() + "/deep.usdc";
  REQUIRE(saveLayer(deep, crate).ok());
  FlattenRequest request;
  request.rootLayer = crate;
  auto layer = flatten(request);
  REQUIRE(layer.ok());
  const std::string out = d.path() + "/out.usda";
  Status viaLayer = saveLayer(*layer->layer, out);
  REQUIRE_FALSE(viaLayer.ok());
  request.textOutput = true;
  auto text = flatten(request);
  REQUIRE(text.ok());
  Status viaText = saveUsdaText(text->text, out);
  REQUIRE_FALSE(viaText.ok());
  CHECK(viaText.error().message == viaLayer.error().message);
  CHECK(viaText.error().message.find("levels deep cannot be written as text") != std::string::npos);
}

TEST_CASE("flatten text: text past what memory holds goes to the spool and reads back the same") {
  // 400 nested prims with 2,500 children at the bottom: a 40 KB file whose
  // text is about 12 MB of indentation, more than the spool keeps in memory.
  test::SceneDir d;
  std::string text;
  for (int i = 0; i < 400; ++i) text += "def \"n\" {\n";
  for (int i = 0; i < 2500; ++i) text += "def \"c" + std::to_string(i) + "\" {}\n";
  for (int i = 0; i < 400; ++i) text += "}\n";
  const std::string root = d.write("root.usda", text);
  FlattenRequest request;
  request.rootLayer = root;
  request.textOutput = true;
  auto streamed = flatten(request);
  REQUIRE(streamed.ok());
  bool spilled = false;
  for (const TextSpool::Piece& piece : streamed->text.pieces) spilled = spilled || piece.spilled;
  CHECK(spilled);
  flattenedText(root);  // the same bytes as the layer's text
}
