// Structural layer diff (usddiff --summary) and value comparison with a
// tolerance, on layers parsed from small usda texts.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "base/Json.h"
#include "diff/LayerDiff.h"
#include "diff/ValueCompare.h"
#include "io/usda/UsdaReader.h"

using namespace usdkit;
using namespace usdkit::diff;

namespace {

std::unique_ptr<Layer> parse(std::string_view text) {
  auto layer = readUsda(text, "test.usda");
  REQUIRE(layer.ok());
  return std::move(layer.value());
}

std::vector<std::string> lines(std::string_view a, std::string_view b, double tolerance = 0) {
  auto la = parse(a), lb = parse(b);
  LayerDiffOptions options;
  options.tolerance = tolerance;
  auto changes = diffLayers(*la, *lb, options);
  REQUIRE(changes.ok());
  std::vector<std::string> out;
  for (const Change& c : *changes) out.push_back(changeLine(c));
  return out;
}

constexpr std::string_view kBase = R"(#usda 1.0
(
    defaultPrim = "World"
)
def Xform "World" (
    kind = "group"
)
{
    float size = 1.5
    float[] weights = [0.25, 0.5, 0.75]
    double radius.timeSamples = {
        1: 2,
        2: 3,
    }
    def Sphere "Ball"
    {
        double radius = 1
    }
}
)";

}  // namespace

TEST_CASE("equal layers have no changes", "[layerdiff]") {
  CHECK(lines(kBase, kBase).empty());
}

TEST_CASE("prims and properties added and removed, once per subtree", "[layerdiff]") {
  std::string b(kBase);
  b.replace(b.find("    def Sphere"), std::string_view("    def Sphere \"Ball\"\n    {\n        double radius = 1\n    }\n").size(),
            "    def Cube \"Box\"\n    {\n        double size = 2\n    }\n");
  CHECK(lines(kBase, b) == std::vector<std::string>{"removed prim /World/Ball", "added prim /World/Box"});
}

TEST_CASE("changed values, metadata and time samples", "[layerdiff]") {
  std::string b(kBase);
  b.replace(b.find("size = 1.5"), 10, "size = 2");
  b.replace(b.find("\"group\""), 7, "\"component\"");
  b.replace(b.find("2: 3,"), 5, "2: 4,\n        5: 6,");
  b.replace(b.find("\"World\"\n)"), 7, "\"Other\"");
  auto got = lines(kBase, b);
  CHECK(got == std::vector<std::string>{
                   "changed layer metadata / (defaultPrim): \"World\" -> \"Other\"",
                   "changed metadata /World (kind): \"group\" -> \"component\"",
                   "changed time sample /World.radius @ 2: 3 -> 4",
                   "added time sample /World.radius @ 5: 6",
                   "changed value /World.size: 1.5 -> 2",
               });
}

TEST_CASE("tolerance: floats within EPS are equal, arrays element by element", "[layerdiff]") {
  std::string b(kBase);
  b.replace(b.find("1.5"), 3, "1.5001");
  b.replace(b.find("[0.25, 0.5, 0.75]"), 17, "[0.25, 0.5002, 0.75]");
  CHECK(lines(kBase, b).size() == 2);
  CHECK(lines(kBase, b, 0.001).empty());
  // 1.5001f is about 0.0001 from 1.5f: only the array's 0.0002 stays.
  CHECK(lines(kBase, b, 0.00015) == std::vector<std::string>{"changed value /World.weights: [0.25, 0.5, 0.75] -> [0.25, 0.5002, 0.75]"});
  // Different lengths never compare equal.
  std::string c(kBase);
  c.replace(c.find("[0.25, 0.5, 0.75]"), 17, "[0.25, 0.5]");
  CHECK(lines(kBase, c, 1.0).size() == 1);
}

TEST_CASE("valuesEqual compares like types only, NaN equals NaN", "[layerdiff]") {
  CHECK(valuesEqual(Value(1.0f), Value(1.0f)));
  CHECK_FALSE(valuesEqual(Value(1.0f), Value(1.0)));  // float vs double
  CHECK(valuesEqual(Value(1.0), Value(1.05), 0.1));
  CHECK_FALSE(valuesEqual(Value(1.0), Value(1.2), 0.1));
  CHECK(valuesEqual(Value(std::nan("")), Value(std::nan(""))));
  CHECK(valuesEqual(Value(Vec3f{{1, 2, 3}}), Value(Vec3f{{1, 2, 3.01f}}), 0.1));
  CHECK_FALSE(valuesEqual(Value(Vec3f{{1, 2, 3}}), Value(Vec3f{{1, 2, 3.5f}}), 0.1));
  CHECK(valuesEqual(Value(std::string("a")), Value(std::string("a")), 1.0));
  CHECK_FALSE(valuesEqual(Value(std::string("a")), Value(std::string("b")), 1.0));
  Dictionary d1, d2;
  d1.entries["x"] = Value(1.0);
  d2.entries["x"] = Value(1.01);
  CHECK(valuesEqual(Value(d1), Value(d2), 0.1));
  CHECK_FALSE(valuesEqual(Value(d1), Value(d2)));
}

TEST_CASE("JSON records carry the same changes", "[layerdiff]") {
  std::string b(kBase);
  b.replace(b.find("size = 1.5"), 10, "size = 2");
  auto la = parse(kBase), lb = parse(b);
  auto changes = diffLayers(*la, *lb);
  REQUIRE(changes.ok());
  auto doc = parseJson(changesJson(*changes), "changes.json");
  REQUIRE(doc.ok());
  REQUIRE(doc->array());
  REQUIRE(doc->array()->size() == 1);
  const JsonValue& c = (*doc->array())[0];
  CHECK(*c.get("change")->string() == "changed");
  CHECK(*c.get("subject")->string() == "value");
  CHECK(*c.get("path")->string() == "/World.size");
  CHECK(*c.get("old")->string() == "1.5");
  CHECK(*c.get("new")->string() == "2");
  CHECK(changesJson({}) == "[]\n");
}

TEST_CASE("a pure reordering of children is a change of its own", "[layerdiff]") {
  std::string a = "#usda 1.0\ndef \"A\"\n{\n}\ndef \"B\"\n{\n}\n";
  std::string b = "#usda 1.0\ndef \"B\"\n{\n}\ndef \"A\"\n{\n}\n";
  auto got = lines(a, b);
  REQUIRE(got.size() == 1);
  CHECK(got[0].starts_with("changed layer metadata / (primChildren)"));
}
