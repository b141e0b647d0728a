// The usdtree drawing. Expected texts follow the rules of OpenUSD's
// pxr/usd/bin/usdtree/usdtree.cpp worked out by hand (branch " |--" or
// " `--", item column " |   |" / " |    " / "     |" / "      " by whether
// the prim is last and has children, items " :--" then " `--"), and the
// layer case of ../shared/conformance/usdtree/testUsdTreeNotFlattened.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include "base/Json.h"
#include "io/usda/UsdaReader.h"
#include "tree/TreePrinter.h"

using namespace usdkit;

namespace {

std::unique_ptr<Layer> parse(std::string_view text) {
  auto layer = readUsda(text, "test.usda");
  REQUIRE(layer.ok());
  return std::move(layer.value());
}

std::string tree(const Layer& layer, TreeOptions options = {}) {
  std::string out;
  appendTreeText(out, LayerTreeSource(layer), options);
  return out;
}

constexpr std::string_view kScene = R"(#usda 1.0
def Xform "A" (
    active = true
    doc = "x"
)
{
    float size = 1
    rel r
    def "B"
    {
    }
}
over "C" (
    kind = "prop"
)
{
}
class "D" (
    active = false
)
{
}
)";

}  // namespace

TEST_CASE("labels: specifier, type, active and kind", "[tree]") {
  auto layer = parse(kScene);
  CHECK(tree(*layer) ==
        "/\n"
        " |--A [def Xform] (active = true)\n"
        " |   `--B [def]\n"
        " |--C [over] (kind = prop)\n"
        " `--D [class] (active = false)\n");
}

TEST_CASE("metadata and properties go under the prim, metadata first and sorted", "[tree]") {
  auto layer = parse(kScene);
  TreeOptions options;
  options.attributes = true;
  options.metadata = true;
  // A has children and siblings after it: the item column is " |   |".
  CHECK(tree(*layer, options) ==
        "/\n"
        " |--A [def Xform] (active = true)\n"
        " |   | :--(documentation)\n"
        " |   | :--.size\n"
        " |   | `--.r\n"
        " |   `--B [def]\n"
        " |--C [over] (kind = prop)\n"
        " `--D [class] (active = false)\n");
}

TEST_CASE("item columns for last prims and prims without children", "[tree]") {
  auto layer = parse(R"(#usda 1.0
def "P" (
    doc = "p"
)
{
    def "Q" (
        doc = "q"
    )
    {
    }
}
)");
  TreeOptions options;
  options.metadata = true;
  // P is last with children ("     |"); Q is last without ("      ").
  CHECK(tree(*layer, options) ==
        "/\n"
        " `--P [def]\n"
        "     | `--(documentation)\n"
        "     `--Q [def]\n"
        "           `--(documentation)\n");
}

TEST_CASE("the layer case of OpenUSD's testUsdTreeNotFlattened", "[tree]") {
  // input.usda of that case; expected = baseline/output_notflattened.txt.
  auto layer = parse(R"(#usda 1.0

def Scope "root"(
    kind = "assembly"
){
    def "child1"(
        payload = @pl.usda@</root>
        kind = "group"
    ){
    }
    def Xform "child2"(
        customData = {string "foo" = "bar"}
        kind = "group"
    ){
        def Xform "subchild2a"(
            kind = "component"
        ){
            def Cube "subgrandchild2a1"(
                kind = "subcomponent"
            ){
            }
        }
        def Xform "subchild2b"(
            kind = "component"
            active = false
        ){
        }
    }
}
)");
  TreeOptions options;
  options.attributes = true;
  options.metadata = true;
  CHECK(tree(*layer, options) ==
        "/\n"
        " `--root [def Scope] (kind = assembly)\n"
        "     |--child1 [def] (kind = group)\n"
        "     |     `--(payload)\n"
        "     `--child2 [def Xform] (kind = group)\n"
        "         | `--(customData)\n"
        "         |--subchild2a [def Xform] (kind = component)\n"
        "         |   `--subgrandchild2a1 [def Cube] (kind = subcomponent)\n"
        "         `--subchild2b [def Xform] (active = false, kind = component)\n");
  options = {};
  options.simple = true;
  CHECK(tree(*layer, options) ==
        "/\n"
        " `--root\n"
        "     |--child1\n"
        "     `--child2\n"
        "         |--subchild2a\n"
        "         |   `--subgrandchild2a1\n"
        "         `--subchild2b\n");
}

TEST_CASE("--depth limits the levels printed", "[tree]") {
  auto layer = parse(kScene);
  TreeOptions options;
  options.maxDepth = 1;
  options.attributes = true;
  // A's children are cut off, so its item column has no line down.
  CHECK(tree(*layer, options) ==
        "/\n"
        " |--A [def Xform] (active = true)\n"
        " |     :--.size\n"
        " |     `--.r\n"
        " |--C [over] (kind = prop)\n"
        " `--D [class] (active = false)\n");
}

TEST_CASE("an empty layer prints only the root", "[tree]") {
  auto layer = parse("#usda 1.0\n");
  CHECK(tree(*layer) == "/\n");
  std::string json;
  appendTreeJson(json, LayerTreeSource(*layer), {});
  CHECK(json == "{\"path\": \"/\", \"children\": []}\n");
}

TEST_CASE("JSON output holds the same tree", "[tree]") {
  auto layer = parse(kScene);
  TreeOptions options;
  options.attributes = true;
  options.metadata = true;
  std::string json;
  appendTreeJson(json, LayerTreeSource(*layer), options);
  auto doc = parseJson(json, "tree.json");
  REQUIRE(doc.ok());
  const auto* roots = doc->get("children")->array();
  REQUIRE(roots);
  REQUIRE(roots->size() == 3);
  const JsonValue& a = (*roots)[0];
  CHECK(*a.get("name")->string() == "A");
  CHECK(*a.get("path")->string() == "/A");
  CHECK(*a.get("typeName")->string() == "Xform");
  CHECK(*a.get("activeAuthored")->boolean() == true);
  REQUIRE(a.get("properties")->array()->size() == 2);
  CHECK(*(*a.get("properties")->array())[1].string() == "r");
  CHECK(*(*a.get("metadata")->array())[0].string() == "documentation");
  const auto* children = a.get("children")->array();
  REQUIRE(children->size() == 1);
  CHECK(*(*children)[0].get("path")->string() == "/A/B");
  CHECK(*(*roots)[2].get("active")->boolean() == false);
  CHECK(*(*roots)[1].get("kind")->string() == "prop");
}

TEST_CASE("deep nesting prints every level, or as many as --depth asks", "[tree]") {
  // Built by hand: the walk is iterative, so depth is limited by memory
  // (the prefixes grow with it), not by the call stack.
  Layer layer;
  const Token p("p");
  const int depth = 2000;
  Path path = Path::absoluteRoot();
  for (int i = 0; i < depth; ++i) {
    layer.createSpec(path, i == 0 ? SpecType::PseudoRoot : SpecType::Prim)
        .set(Token("primChildren"), Value(TokenVector{{p}}));
    path = path.appendChild("p");
    layer.createSpec(path, SpecType::Prim).set(Token("specifier"), Value(Specifier::Def));
  }
  TreeOptions options;
  options.simple = true;
  std::string text = tree(layer, options);
  CHECK(std::count(text.begin(), text.end(), '\n') == depth + 1);
  CHECK(text.ends_with(std::string(4 * (depth - 1), ' ') + " `--p\n"));
  options.maxDepth = 3;
  CHECK(tree(layer, options) == "/\n `--p\n     `--p\n         `--p\n");
}
