// Unit tests of the usda reader: what ends up in the layer, and what is
// rejected where. Expectations follow usda-format.md and OpenUSD's behaviour.
#include <catch2/catch.hpp>

#include "UsdaTestSupport.h"
#include "io/usda/UsdaReader.h"
#include "sdf/Fields.h"

using namespace usdkit;
using namespace usdkit::usda_test;

TEST_CASE("header and empty layers") {
  auto layer = parseOk("#usda 1.0\n");
  CHECK(layer->formatId() == "usda");
  CHECK(layer->specCount() == 1);
  CHECK(parseOk("#sdf 1.4.32")->formatId() == "sdf");
  std::vector<std::string> warnings;
  parseOk("#usda 1.0 extra\n", &warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("not the latest usda version") != std::string::npos);
  CHECK(parseError("#usdc 1.0\n").find("test.usda:1:1: error: Magic Cookie") == 0);
  CHECK(parseError("").find("test.usda:1:1:") == 0);
}

TEST_CASE("prims, types, specifiers and children order") {
  auto layer = parseOk(R"(#usda 1.0
def Xform "B" {
    over "Child2" {
    }
    class Scope "Child1" {
    }
}
def "A" {
}
)");
  const auto& root = layer->primChildren(Path::absoluteRoot());
  REQUIRE(root.size() == 2);
  CHECK(root[0] == "B");
  CHECK(root[1] == "A");
  const Spec& b = spec(*layer, "/B");
  CHECK(*b.getAs<Specifier>(fieldNames().specifier) == Specifier::Def);
  CHECK(*b.getAs<Token>(fieldNames().typeName) == "Xform");
  CHECK(layer->primChildren(*Path::parse("/B"))[0] == "Child2");
  CHECK(*spec(*layer, "/B/Child1").getAs<Specifier>(fieldNames().specifier) == Specifier::Class);
  CHECK_FALSE(spec(*layer, "/A").has(fieldNames().typeName));
}

TEST_CASE("attribute values are typed by the declared type") {
  auto layer = parseOk(R"(#usda 1.0
def "P" {
    float f = 1
    double d = -0
    int i = 3.9
    half h = 0.1
    bool b = yes
    point3f[] pts = [(1, 2, 3), (4, 5, 6)]
    matrix2d m = ((1, 2), (3, 4))
    quatf q = (1, 2, 3, 4)
    double[] nested = [[1, 2], [3, 4]]
    string s = "a\tb"
    asset a = @x.usda@
    custom uniform token t = "tok"
    Vec3f legacy = (1, 2, 3)
    int blocked = None
}
)");
  CHECK(spec(*layer, "/P.f").get(fieldNames().defaultValue)->get<float>() == 1.0f);
  double d = spec(*layer, "/P.d").get(fieldNames().defaultValue)->get<double>();
  CHECK(d == 0.0);
  CHECK(std::signbit(d));
  CHECK(spec(*layer, "/P.i").get(fieldNames().defaultValue)->get<std::int32_t>() == 3);
  CHECK(spec(*layer, "/P.h").get(fieldNames().defaultValue)->get<Half>() == Half::fromFloat(0.1f));
  CHECK(spec(*layer, "/P.b").get(fieldNames().defaultValue)->get<bool>());
  const auto& pts = spec(*layer, "/P.pts").get(fieldNames().defaultValue)->get<std::vector<Vec3f>>();
  REQUIRE(pts.size() == 2);
  CHECK(pts[1][2] == 6.0f);
  CHECK(*spec(*layer, "/P.pts").getAs<Token>(fieldNames().typeName) == "point3f[]");
  const auto& m = spec(*layer, "/P.m").get(fieldNames().defaultValue)->get<Matrix2d>();
  CHECK(m.m[1][0] == 3.0);
  const auto& q = spec(*layer, "/P.q").get(fieldNames().defaultValue)->get<Quatf>();
  CHECK(q.real == 1.0f);
  CHECK(q.imaginary[2] == 4.0f);
  CHECK(spec(*layer, "/P.nested").get(fieldNames().defaultValue)->get<std::vector<double>>().size() == 4);
  CHECK(spec(*layer, "/P.s").get(fieldNames().defaultValue)->get<std::string>() == "a\tb");
  CHECK(spec(*layer, "/P.a").get(fieldNames().defaultValue)->get<AssetPath>().path == "x.usda");
  const Spec& t = spec(*layer, "/P.t");
  CHECK(*t.getAs<bool>(fieldNames().custom));
  CHECK(*t.getAs<Variability>(fieldNames().variability) == Variability::Uniform);
  CHECK(*spec(*layer, "/P.legacy").getAs<Token>(fieldNames().typeName) == "float3");
  CHECK(spec(*layer, "/P.blocked").get(fieldNames().defaultValue)->is<ValueBlock>());
  // Properties are listed in authored order.
  CHECK(layer->propertyNames(*Path::parse("/P"))[0] == "f");
}

TEST_CASE("the direct array path and the general path agree") {
  auto layer = parseOk(R"(#usda 1.0
def "P" {
    float3[] a = [(1, 2, 3), (4.5, -6e2, .5)]
    float3[] b = [ ( 1 ,2, 3 ), ("inf", -inf, nan), ]
    int[] c = [1, 2,
               3]
}
)");
  const auto& a = spec(*layer, "/P.a").get(fieldNames().defaultValue)->get<std::vector<Vec3f>>();
  CHECK(a[1][1] == -600.0f);
  CHECK(a[1][2] == 0.5f);
  const auto& b = spec(*layer, "/P.b").get(fieldNames().defaultValue)->get<std::vector<Vec3f>>();
  REQUIRE(b.size() == 2);
  CHECK(std::isinf(b[1][0]));
  CHECK(b[1][1] < 0);
  CHECK(std::isnan(b[1][2]));
  CHECK(spec(*layer, "/P.c").get(fieldNames().defaultValue)->get<std::vector<std::int32_t>>().size() == 3);
}

TEST_CASE("time samples, connections and relationships") {
  auto layer = parseOk(R"(#usda 1.0
def "P" {
    double x.timeSamples = {
        2: 5,
        1: None,
    }
    double y.connect = <../Q.out>
    rel r = [</A>, <B>]
    add rel r = </C>
    varying rel v.default = </D>
}
)");
  const auto& ts = spec(*layer, "/P.x").get(fieldNames().timeSamples)->get<TimeSamples>();
  REQUIRE(ts.samples.size() == 2);
  CHECK(ts.samples[0].first == 1.0);
  CHECK(ts.samples[0].second.is<ValueBlock>());
  const auto& conn = spec(*layer, "/P.y").get(fieldNames().connectionPaths)->get<PathListOp>();
  REQUIRE(conn.explicitItems.size() == 1);
  CHECK(conn.explicitItems[0].string() == "/Q.out");
  const auto& targets = spec(*layer, "/P.r").get(fieldNames().targetPaths)->get<PathListOp>();
  CHECK_FALSE(targets.isExplicit);  // the later `add` statement switched modes
  REQUIRE(targets.addedItems.size() == 1);
  CHECK(targets.addedItems[0].string() == "/C");
  const Spec& v = spec(*layer, "/P.v");
  CHECK(*v.getAs<Variability>(fieldNames().variability) == Variability::Varying);
  CHECK(v.get(fieldNames().defaultValue)->get<Path>().string() == "/D");
}

TEST_CASE("metadata: registered, list ops, unknown keys") {
  auto layer = parseOk(R"(#usda 1.0
(
    "layer comment"
    defaultPrim = "P"
    framesPerSecond = 24
    subLayers = [@a.usda@ (offset = 2; scale = 3), @b.usda@]
    myUnknown = [1, "two", (3, 4)]
)
def "P" (
    prepend apiSchemas = ["A", "B"]
    references = @ref.usda@</Root> (offset = 1)
    inherits = <../Class>
    variants = {
        string shading = "red"
    }
    customData = {
        int answer = 42
        dictionary nested = {
            string s = "x"
        }
    }
    kind = "component"
)
{
}
)");
  const Spec& root = layer->pseudoRoot();
  CHECK(*root.getAs<std::string>(fieldNames().comment) == "layer comment");
  CHECK(*root.getAs<Token>(fieldNames().defaultPrim) == "P");
  const auto& subs = root.getAs<StringVector>(fieldNames().subLayers)->items;
  REQUIRE(subs.size() == 2);
  CHECK(root.getAs<LayerOffsetVector>(fieldNames().subLayerOffsets)->items[0].scale == 3.0);
  CHECK(root.getAs<UnregisteredValue>(Token("myUnknown"))->text == "[1, \"two\", (3, 4)]");
  const Spec& p = spec(*layer, "/P");
  const auto& api = p.getAs<TokenListOp>(fieldNames().apiSchemas)->prependedItems;
  REQUIRE(api.size() == 2);
  CHECK(api[1] == "B");
  const auto& refs = p.getAs<ReferenceListOp>(fieldNames().references)->explicitItems;
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].assetPath == "ref.usda");
  CHECK(refs[0].primPath.string() == "/Root");
  CHECK(refs[0].layerOffset.offset == 1.0);
  CHECK(p.getAs<PathListOp>(fieldNames().inheritPaths)->explicitItems[0].string() == "/Class");
  CHECK(p.getAs<VariantSelectionMap>(fieldNames().variantSelection)->selections.at("shading") == "red");
  const Dictionary& cd = *p.getAs<Dictionary>(fieldNames().customData);
  CHECK(cd.entries.at("answer").get<std::int32_t>() == 42);
  CHECK(cd.entries.at("nested").get<Dictionary>().entries.at("s").get<std::string>() == "x");
  CHECK(*p.getAs<Token>(fieldNames().kind) == "component");
}

TEST_CASE("variant sets create set and variant specs") {
  auto layer = parseOk(R"(#usda 1.0
def "P" (
    variantSets = "look"
)
{
    variantSet "look" = {
        "red" {
            def "Geo" {
            }
        }
        "blue" (
            doc = "b"
        ) {
        }
    }
}
)");
  CHECK(layer->variantSetNames(*Path::parse("/P"))[0] == "look");
  const auto& variants = layer->variantNames(*Path::parse("/P{look=}"));
  REQUIRE(variants.size() == 2);
  CHECK(spec(*layer, "/P{look=red}").type() == SpecType::Variant);
  CHECK(spec(*layer, "/P{look=red}Geo").type() == SpecType::Prim);
  CHECK(*spec(*layer, "/P{look=blue}").getAs<std::string>(fieldNames().documentation) == "b");
}

TEST_CASE("errors carry file:line:col") {
  CHECK(parseError("#usda 1.0\ndef \"1bad\" {\n}\n").find("test.usda:2:5: error:") == 0);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n}\ndef \"A\" {\n}\n").find("Duplicate prim 'A'") != std::string::npos);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    int x = \"s\"\n}\n").find("test.usda:3:13:") == 0);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    int x = 1 double y = 2\n}\n").find("test.usda:3:15:") == 0);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    float[] x = [\n]\n}\n").find("test.usda:3:") == 0);
  CHECK(parseError("#usda 1.0\ndef \"A\" (\n    hidden = None\n)\n{\n}\n").find("invalid value for field \"hidden\"") !=
        std::string::npos);
  CHECK(parseError("#usda 1.0\ndef \"A\" (\n    comment = \"x\"\n)\n{\n}\n")
            .find("registered as a non-metadata field") != std::string::npos);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    rel r = [</B>, </B>]\n}\n").find("Duplicate items") !=
        std::string::npos);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    double x\n    float x\n}\n").find("already has type 'double'") !=
        std::string::npos);
  // An unterminated string reports where it starts.
  CHECK(parseError("#usda 1.0\ndef \"A {\n}\n").find("test.usda:2:5:") == 0);
}

TEST_CASE("metadata-only reading stops after the layer block") {
  UsdaReadOptions options;
  options.metadataOnly = true;
  auto layer = readUsda("#usda 1.0\n(\n    upAxis = \"Z\"\n)\ndef \"A\" { this is not parsed }\n", "m.usda", options);
  REQUIRE(layer);
  CHECK((*layer)->specCount() == 1);
  CHECK(*(*layer)->pseudoRoot().getAs<Token>(Token("upAxis")) == "Z");
}

TEST_CASE("token and string lists: direct path, and equal token lists share one block") {
  auto layer = parseOk(R"(#usda 1.0
def "A" {
    uniform token[] xformOpOrder = ["xformOp:translate", 'xformOp:scale',]
    token[] empty = []
    string[] s = ["a\"b", 'c\'d', """e
f""", # comment
        "g\\h"]
}
def "B" {
    uniform token[] xformOpOrder = [ "xformOp:translate" , "xformOp:scale" ]
    token[] other = ["xformOp:translate"]
}
)");
  const auto& f = fieldNames();
  const Value* a = spec(*layer, "/A.xformOpOrder").get(f.defaultValue);
  const Value* b = spec(*layer, "/B.xformOpOrder").get(f.defaultValue);
  const Value* other = spec(*layer, "/B.other").get(f.defaultValue);
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(other);
  REQUIRE(a->is<std::vector<Token>>());
  CHECK(a->get<std::vector<Token>>() == std::vector<Token>{Token("xformOp:translate"), Token("xformOp:scale")});
  CHECK(*a == *b);
  CHECK(a->sharedIdentity() == b->sharedIdentity());
  CHECK(other->sharedIdentity() != a->sharedIdentity());
  CHECK(other->get<std::vector<Token>>() == std::vector<Token>{Token("xformOp:translate")});
  CHECK(spec(*layer, "/A.empty").getAs<std::vector<Token>>(f.defaultValue)->empty());
  const auto* strings = spec(*layer, "/A.s").getAs<std::vector<std::string>>(f.defaultValue);
  REQUIRE(strings);
  CHECK(*strings == std::vector<std::string>{"a\"b", "c'd", "e\nf", "g\\h"});
  // Both prims have the same property names: one block.
  const Value* propsA = spec(*layer, "/A").get(f.properties);
  const Value* propsB = spec(*layer, "/B").get(f.properties);
  REQUIRE(propsA);
  REQUIRE(propsB);
  CHECK(propsA->sharedIdentity() != propsB->sharedIdentity());  // different lists
  auto twins = parseOk("#usda 1.0\ndef \"P\" {\n    int x = 1\n    int y = 2\n}\ndef \"Q\" {\n    int x = 3\n    int y = 4\n}\n");
  CHECK(spec(*twins, "/P").get(f.properties)->sharedIdentity() == spec(*twins, "/Q").get(f.properties)->sharedIdentity());
  CHECK(spec(*twins, "/Q").getAs<TokenVector>(f.properties)->items == std::vector<Token>{Token("x"), Token("y")});
}

TEST_CASE("token lists the direct path declines are read by the general path with its diagnostics") {
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    token[] t = [a, \"b\"]\n}\n").find("test.usda:3:") == 0);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    token[] t = [\"a\" \"b\"]\n}\n").find("test.usda:3:") == 0);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    token[] t = [\n]\n}\n").find("test.usda:3:") == 0);
  CHECK(parseError("#usda 1.0\ndef \"A\" {\n    token[] t = [\"a\n\"]\n}\n").find("test.usda:3:") == 0);
}

TEST_CASE("values of unknown types keep asset paths holding '@' readable") {
  // An unknown type's value is kept as text; an asset path in it is spelled
  // as the typed writer spells one, so "@@@a@b@@@" does not come back as
  // "@a@b@" (which no reader takes).
  auto layer = parseOk("#usda 1.0\ndef \"A\"\n{\n    qsset x = @@@a@b@@@\n    qsset y = [@c@, @@@d@e@@@]\n}\n");
  const Spec& x = spec(*layer, "/A.x");
  const Spec& y = spec(*layer, "/A.y");
  REQUIRE(x.getAs<UnregisteredValue>(Token("default")));
  CHECK(x.getAs<UnregisteredValue>(Token("default"))->text == "@@@a@b@@@");
  CHECK(y.getAs<UnregisteredValue>(Token("default"))->text == "[@c@, @@@d@e@@@]");
}
