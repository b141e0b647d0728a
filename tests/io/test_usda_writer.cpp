// The usda writer on hand-built layers. Every expected text reproduces (a
// part of) an OpenUSD 24.11 `usdcat` baseline from
// ../shared/conformance/sdf-parsing/expected-usdcat/<case>.sdf, named in each
// test, or a rule of the usda fact sheet (§ numbers). The layers are built to
// the storage contract in sdf/Fields.h.
#include <catch2/catch.hpp>

#include <cstdio>

#include "UsdaWriterTestSupport.h"

using namespace usdkit;
using namespace usdkit::writer_test;

TEST_CASE("empty layers", "[usdawriter]") {
  // 204_really_empty / 01_empty (fact sheet §1.4: header, then a final "\n").
  CHECK(Builder().text() == "#sdf 1.4.32\n\n");
  CHECK(Builder("usda").text() == "#usda 1.0\n\n");
  UsdaWriteOptions options;
  options.cookie = "#usda 1.0";
  CHECK(writeUsdaToString(Builder().layer, options).value() == "#usda 1.0\n\n");
  // Fields that print nothing leave no block behind (§7.1): an empty layer
  // doc and a false hasOwnedSubLayers.
  Builder b;
  b.root().set(b.f.documentation, std::string());
  b.root().set(b.f.hasOwnedSubLayers, false);
  CHECK(b.text() == "#sdf 1.4.32\n\n");
}

TEST_CASE("layer metadata: comment first, then fields in byte order", "[usdawriter]") {
  // 20_optionalsemicolons (the subLayers list shortened to three).
  Builder b;
  Spec& root = b.root();
  root.set(Token("subLayers"), StringVector{{"foo1", "foo2", "foo3"}});
  root.set(b.f.subLayerOffsets, LayerOffsetVector{{{}, {}, {}}});
  root.set(Token("startFrame"), 1.0);
  root.set(Token("framesPerSecond"), 24.0);
  root.set(Token("framePrecision"), std::int32_t{3});
  root.set(b.f.documentation, std::string("Hello"));
  root.set(Token("endFrame"), 1.0);
  root.set(b.f.comment, std::string("\n    Comment\n    with newlines\n    "));
  CHECK(b.text() == R"(#sdf 1.4.32
(
    """
    Comment
    with newlines
    """
    doc = "Hello"
    endFrame = 1
    framePrecision = 3
    framesPerSecond = 24
    startFrame = 1
    subLayers = [
        @foo1@,
        @foo2@,
        @foo3@
    ]
)

)");
}

TEST_CASE("layer metadata: sublayer offsets, owned sublayers, dictionaries, relocates last", "[usdawriter]") {
  Builder b;
  Spec& root = b.root();
  // Fact sheet §7.1: byte order puts "Bogus" before "aaa".
  root.set(Token("aaa"), UnregisteredValue{"1"});
  root.set(Token("Bogus"), UnregisteredValue{"\"x\""});
  root.set(b.f.hasOwnedSubLayers, true);
  root.set(Token("subLayers"), StringVector{{"a.sdf", "b@c.sdf"}});
  root.set(b.f.subLayerOffsets, LayerOffsetVector{{{10, 1}, {0, 2}}});
  // 139_relocates_metadata: layer relocates keep their order and absolute paths.
  root.set(b.f.layerRelocates, Relocates{{{path("/source"), path("/target")}, {path("/to/delete"), Path()}}});
  // 193_customLayerData_metadata
  Dictionary data;
  data.entries["testId"] = Token("testId");
  data.entries["testString"] = std::string("testString");
  data.entries["testVersion"] = std::int32_t{1};
  root.set(Token("customLayerData"), data);
  root.set(b.f.defaultPrim, Token("Foobar"));
  CHECK(b.text() == "#sdf 1.4.32\n"
                    "(\n"
                    "    Bogus = \"x\"\n"
                    "    aaa = 1\n"
                    "    customLayerData = {\n"
                    "        token testId = \"testId\"\n"
                    "        string testString = \"testString\"\n"
                    "        int testVersion = 1\n"
                    "    }\n"
                    "    defaultPrim = \"Foobar\"\n"
                    "    hasOwnedSubLayers = true\n"
                    "    subLayers = [\n"
                    "        @a.sdf@ (offset = 10),\n"
                    "        @@@b@c.sdf@@@ (scale = 2)\n"
                    "    ]\n"
                    "    relocates = {\n"
                    "        </source>: </target>, \n"
                    "        </to/delete>: <>\n"
                    "    }\n"
                    ")\n\n");
}

TEST_CASE("root prims, reorder rootPrims and children spacing", "[usdawriter]") {
  // 02_simple and 81_namespace_reorder.
  Builder b;
  b.root().set(b.f.primOrder, TokenVector{{Token("flanders"), Token("wiggum"), Token("skinner")}});
  Path cam = b.prim("overview_cam", Specifier::Def, "Camera");
  b.attr(cam, "camz", "double", 5.6);
  b.attr(cam, "camx", "double", 1.2);
  b.attr(cam, "camy", "double", 3.4);
  Path head = b.prim(cam, "Head", Specifier::Def, "Scope");
  b.attr(head, "width", "double", 1905.41);
  b.attr(head, "aspect", "double", 1.02517);
  b.prim("TestOver", Specifier::Over, "MfScope");
  b.prim("TestOverWithoutTypename", Specifier::Over);
  // 184_def_AnyType: "__AnyType__" is not written.
  b.prim("ClassWithAnyType", Specifier::Class, "__AnyType__");
  CHECK(b.text() == R"(#sdf 1.4.32

reorder rootPrims = ["flanders", "wiggum", "skinner"]

def Camera "overview_cam"
{
    double camx = 1.2
    double camy = 3.4
    double camz = 5.6

    def Scope "Head"
    {
        double aspect = 1.02517
        double width = 1905.41
    }
}

over MfScope "TestOver"
{
}

over "TestOverWithoutTypename"
{
}

class "ClassWithAnyType"
{
}

)");
}

TEST_CASE("prim body: reorder statements, dictionary-ordered properties, children in authored order",
          "[usdawriter]") {
  // 81_namespace_reorder; property order per fact sheet §7.6 test vector.
  Builder b;
  Path foo = b.prim("foo", Specifier::Def, "MfScope");
  b.spec(foo).set(b.f.propertyOrder, TokenVector{{Token("destructive"), Token("brilliant")}});
  b.spec(foo).set(b.f.primOrder, TokenVector{{Token("bart"), Token("lisa"), Token("maggie")}});
  for (const char* name : {"x10", "B", "a:b:d", "x2", "_", "abc1", "ab1c", "b", "A", "x02"})
    b.attr(foo, name, "int");
  b.prim(foo, "z");
  b.prim(foo, "a");
  CHECK(b.text() == R"(#sdf 1.4.32

def MfScope "foo"
{
    reorder properties = ["destructive", "brilliant"]
    reorder nameChildren = ["bart", "lisa", "maggie"]
    int _
    int A
    int a:b:d
    int ab1c
    int abc1
    int B
    int b
    int x2
    int x02
    int x10

    def "z"
    {
    }

    def "a"
    {
    }
}

)");
  // A single-name reorder is stored but never written (§10.7).
  b.spec(foo).set(b.f.propertyOrder, TokenVector{{Token("x")}});
  CHECK(b.text().find("reorder properties") == std::string::npos);
}

TEST_CASE("prim metadata block", "[usdawriter]") {
  Builder b;
  // 47_miscSceneInfo "Bar10": comment first, then doc and permission.
  Path bar = b.prim("Bar10", Specifier::Def, "MfScope");
  b.spec(bar).set(b.f.permission, Permission::Private);
  b.spec(bar).set(b.f.documentation, std::string("Documentation"));
  b.spec(bar).set(b.f.comment, std::string("Comment"));
  // Dictionary order of field names, text keys differing from field keys
  // (fact sheet §7.2): inheritPaths sorts as "inheritPaths", prints "inherits";
  // clips < clipSets; kind is a quoted token; bools print true/false.
  Path m = b.prim("M");
  Spec& ms = b.spec(m);
  ms.set(Token("instanceable"), true);
  ms.set(b.f.inheritPaths, explicitPaths({"/foo", "/bar"}));
  ms.set(b.f.kind, Token("model"));
  StringListOp clipSets;
  clipSets.appendedItems = {"a"};
  ms.set(Token("clipSets"), clipSets);
  ms.set(Token("clips"), Dictionary{});
  ms.set(b.f.active, false);
  TokenListOp api;
  api.prependedItems = {Token("MaterialBindingAPI")};
  ms.set(b.f.apiSchemas, api);
  ms.set(Token("displayGroupOrder"), std::vector<std::string>{"C", "B", "A"});
  ms.set(b.f.customData, Dictionary{});
  // Prim-level doc is kept even when empty (§10.15).
  Path e = b.prim("E");
  b.spec(e).set(b.f.documentation, std::string());
  // 159_symmetryFunction_empty: trailing space after "=".
  Path s = b.prim("S", Specifier::Def, "Scope");
  b.spec(s).set(b.f.symmetryFunction, Token());
  // A metadata field that prints nothing still opens the block (§10.9).
  Path n = b.prim("N");
  b.spec(n).set(b.f.apiSchemas, TokenListOp{});
  b.spec(n).set(b.f.variantSelection, VariantSelectionMap{});
  CHECK(b.text() == "#sdf 1.4.32\n"
                    "\n"
                    "def MfScope \"Bar10\" (\n"
                    "    \"Comment\"\n"
                    "    doc = \"Documentation\"\n"
                    "    permission = private\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "def \"M\" (\n"
                    "    active = false\n"
                    "    prepend apiSchemas = [\"MaterialBindingAPI\"]\n"
                    "    clips = {\n"
                    "    }\n"
                    "    append clipSets = [\"a\"]\n"
                    "    customData = {\n"
                    "    }\n"
                    "    displayGroupOrder = [\"C\", \"B\", \"A\"]\n"
                    "    inherits = [\n"
                    "        </foo>,\n"
                    "        </bar>\n"
                    "    ]\n"
                    "    instanceable = true\n"
                    "    kind = \"model\"\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "def \"E\" (\n"
                    "    doc = \"\"\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "def Scope \"S\" (\n"
                    "    symmetryFunction = \n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "def \"N\" (\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n");
}

TEST_CASE("inherits, variantSets and substitutions list forms", "[usdawriter]") {
  Builder b;
  // 47_miscSceneInfo "Bar4" / "Bar7"
  Path bar4 = b.prim("Bar4", Specifier::Def, "MfScope");
  PathListOp edits;
  edits.orderedItems = paths({"/boom", "/baz"});
  edits.deletedItems = paths({"/foo"});
  edits.addedItems = paths({"/baz", "/boom"});
  b.spec(bar4).set(b.f.inheritPaths, edits);
  Path bar7 = b.prim("Bar7", Specifier::Def, "MfScope");
  b.spec(bar7).set(b.f.inheritPaths, explicitPaths({}));
  // 39_variants "Comp3": variantSets statements are name lists.
  Path comp3 = b.prim("Comp3", Specifier::Over, "MfScope");
  StringListOp sets;
  sets.orderedItems = {"good"};
  sets.addedItems = {"good"};
  sets.deletedItems = {"bad"};
  b.spec(comp3).set(b.f.variantSetNames, sets);
  // 113_displayName_metadata "RightLeg"
  Path leg = b.prim("RightLeg", Specifier::Def, "MfScope");
  b.spec(leg).set(b.f.suffixSubstitutions, StringDictionary{{{"$NUM", "1"}}});
  b.spec(leg).set(b.f.prefixSubstitutions, StringDictionary{{{"$Left", "Right"}, {"Left", "Right"}}});
  b.spec(leg).set(b.f.inheritPaths, explicitPaths({"/Rig"}));
  CHECK(b.text() == "#sdf 1.4.32\n"
                    "\n"
                    "def MfScope \"Bar4\" (\n"
                    "    delete inherits = </foo>\n"
                    "    add inherits = [\n"
                    "        </baz>,\n"
                    "        </boom>\n"
                    "    ]\n"
                    "    reorder inherits = [\n"
                    "        </boom>,\n"
                    "        </baz>\n"
                    "    ]\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "def MfScope \"Bar7\" (\n"
                    "    inherits = None\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "over MfScope \"Comp3\" (\n"
                    "    delete variantSets = \"bad\"\n"
                    "    add variantSets = \"good\"\n"
                    "    reorder variantSets = \"good\"\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "def MfScope \"RightLeg\" (\n"
                    "    inherits = </Rig>\n"
                    "    prefixSubstitutions = {\n"
                    "        \"$Left\": \"Right\", \n"
                    "        \"Left\": \"Right\"\n"
                    "    }\n"
                    "    suffixSubstitutions = {\n"
                    "        \"$NUM\": \"1\"\n"
                    "    }\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n");
}

TEST_CASE("attributes: custom, uniform, defaults, None, metadata", "[usdawriter]") {
  Builder b;
  Path foo = b.prim("foo", Specifier::Def, "MfScope");
  // 47_miscSceneInfo "foo"
  b.attr(foo, "h", "double", 0.0, true).set(Token("hidden"), false);
  b.attr(foo, "s", "string", std::string(), true);
  b.attr(foo, "s2", "string", std::string(), true, Variability::Uniform);
  // 31_attribute_values: `custom bool blocked = None`, bools as 0/1.
  b.attr(foo, "blocked", "bool", ValueBlock{}, true);
  b.attr(foo, "t", "bool", true, true);
  // 47 "Bar9": a custom attribute with nothing else.
  b.attr(foo, "attr", "double", {}, true);
  // 36_tasks: a non-custom attribute with a value.
  b.attr(foo, "x1", "double", 1.0);
  // 88_attribute_displayUnit; 159: symmetryFunction with trailing space;
  // 113: doc, prefix, suffix in dictionary order; 38: comment first.
  b.attr(foo, "unit", "double", 1.0, true).set(b.f.displayUnit, Token("mm"));
  Spec& sym = b.attr(foo, "sym", "double", 0.0, true);
  sym.set(b.f.symmetryFunction, Token());
  sym.set(b.f.documentation, std::string("This attribute has multiline metadata"));
  Spec& knee = b.attr(foo, "kneeFB", "double", {}, true);
  knee.set(Token("suffix"), std::string("_$NUM"));
  knee.set(Token("prefix"), std::string("$Left"));
  knee.set(b.f.documentation, std::string("docs to test multiline output coverage"));
  knee.set(b.f.comment, std::string("blah blah"));
  // 183_unknown_type_and_metadata: unknown type names and values verbatim.
  b.attr(foo, "fooList", "ThisType::IsBogus[]", UnregisteredValue{"[bogus, bogus]"})
      .set(Token("hidden"), true);
  // 210_opaque_attributes: opaque values are never written.
  Spec& opaque = b.attr(foo, "OpaqueAttr", "opaque", Opaque{}, true);
  opaque.set(Token("task"), UnregisteredValue{"\"anim\""});
  CHECK(b.text() == "#sdf 1.4.32\n"
                    "\n"
                    "def MfScope \"foo\"\n"
                    "{\n"
                    "    custom double attr\n"
                    "    custom bool blocked = None\n"
                    "    ThisType::IsBogus[] fooList = [bogus, bogus] (\n"
                    "        hidden = true\n"
                    "    )\n"
                    "    custom double h = 0 (\n"
                    "        hidden = false\n"
                    "    )\n"
                    "    custom double kneeFB (\n"
                    "        \"blah blah\"\n"
                    "        doc = \"docs to test multiline output coverage\"\n"
                    "        prefix = \"$Left\"\n"
                    "        suffix = \"_$NUM\"\n"
                    "    )\n"
                    "    custom opaque OpaqueAttr (\n"
                    "        task = \"anim\"\n"
                    "    )\n"
                    "    custom string s = \"\"\n"
                    "    custom uniform string s2 = \"\"\n"
                    "    custom double sym = 0 (\n"
                    "        doc = \"This attribute has multiline metadata\"\n"
                    "        symmetryFunction = \n"
                    "    )\n"
                    "    custom bool t = 1\n"
                    "    custom double unit = 1 (\n"
                    "        displayUnit = mm\n"
                    "    )\n"
                    "    double x1 = 1\n"
                    "}\n"
                    "\n");
}

TEST_CASE("attribute values: arrays, tuples, quaternions, matrices, halves", "[usdawriter]") {
  Builder b;
  Path p = b.prim("v", Specifier::Def, "MfScope");
  // 31_attribute_values
  b.attr(p, "array_0", "bool[]", std::vector<bool>{false, true, false, true}, true);
  b.attr(p, "i4", "uchar[]", std::vector<std::uint8_t>{0, 1, 255}, true);
  b.attr(p, "i2", "uint64", std::uint64_t{18446744073709551615ull}, true);
  b.attr(p, "i3", "int64", std::int64_t{-9223372036854775807LL - 1}, true);
  b.attr(p, "f4", "half[]",
         std::vector<Half>{Half::fromFloat(0), Half::fromFloat(1.2f), Half::fromFloat(7800000000.0f)}, true);
  b.attr(p, "f7", "float[]", std::vector<float>{0, 1.2f, 7800000000.0f, 1}, true);
  b.attr(p, "v1", "double2", Vec2d{{-3.12345678910111, 3.12345678910111}}, true);
  b.attr(p, "v5", "float3", Vec3f{{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                                    std::numeric_limits<float>::infinity()}},
         true);
  b.attr(p, "h1", "half3", Vec3h{{Half::fromFloat(-4.125f), Half::fromFloat(1.707f), Half::fromFloat(2.123f)}}, true);
  b.attr(p, "i1", "int2[]", std::vector<Vec2i>{{{-90, 100}}, {{3000, -9000}}}, true);
  // Stored imaginary-first, printed (real, i, j, k).
  Quatd q;
  q.real = -3.12345678910111;
  q.imaginary = {0.707, 0.123, 911.33};
  b.attr(p, "q1", "quatd", q, true);
  Matrix3d m;
  m.m = {{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}};
  b.attr(p, "m", "matrix3d", m, true);  // 45_rareValueTypes
  Matrix2d id;
  id.m = {{{1, 0}, {0, 1}}};
  b.attr(p, "m2", "matrix2d[]", std::vector<Matrix2d>{id, id}, true);
  b.attr(p, "t5", "texCoord2d[]", std::vector<Vec2d>{}, true);
  b.attr(p, "pts", "point3d[]", std::vector<Vec3d>{{{-0.707, 0.707, 9.303}}, {{1.23, 3.45, 9.303}}}, true);
  b.attr(p, "tc", "timecode", TimeCode{1234567.125}, true);  // §10.1: 6 digits
  b.attr(p, "a1", "asset[]", std::vector<AssetPath>{{""}, {"sdf/Model.sdf"}}, true);  // 180_asset_paths
  b.attr(p, "tok", "token[]", std::vector<Token>{Token("xformOp:translate")}, true);
  b.attr(p, "pe", "pathExpression", PathExpression{"/foo//bar"}, true);  // §7.15
  CHECK(b.text() == "#sdf 1.4.32\n"
                    "\n"
                    "def MfScope \"v\"\n"
                    "{\n"
                    "    custom asset[] a1 = [@@, @sdf/Model.sdf@]\n"
                    "    custom bool[] array_0 = [0, 1, 0, 1]\n"
                    "    custom half[] f4 = [0, 1.2002, inf]\n"
                    "    custom float[] f7 = [0, 1.2, 7800000000, 1]\n"
                    "    custom half3 h1 = (-4.125, 1.70703, 2.12305)\n"
                    "    custom int2[] i1 = [(-90, 100), (3000, -9000)]\n"
                    "    custom uint64 i2 = 18446744073709551615\n"
                    "    custom int64 i3 = -9223372036854775808\n"
                    "    custom uchar[] i4 = [0, 1, 255]\n"
                    "    custom matrix3d m = ( (1, 2, 3), (4, 5, 6), (7, 8, 9) )\n"
                    "    custom matrix2d[] m2 = [( (1, 0), (0, 1) ), ( (1, 0), (0, 1) )]\n"
                    "    custom pathExpression pe = \"/foo//bar\"\n"
                    "    custom point3d[] pts = [(-0.707, 0.707, 9.303), (1.23, 3.45, 9.303)]\n"
                    "    custom quatd q1 = (-3.12345678910111, 0.707, 0.123, 911.33)\n"
                    "    custom texCoord2d[] t5 = []\n"
                    "    custom timecode tc = 1.23457e+06\n"
                    "    custom token[] tok = [\"xformOp:translate\"]\n"
                    "    custom double2 v1 = (-3.12345678910111, 3.12345678910111)\n"
                    "    custom float3 v5 = (inf, -inf, inf)\n"
                    "}\n"
                    "\n");
  std::string single;
  appendUsdaValue(single, Value(Vec3f{{0, 0.1f, 0.9f}}));
  CHECK(single == "(0, 0.1, 0.9)");
}

TEST_CASE("time samples, connections and splines", "[usdawriter]") {
  Builder b;
  // 183_time_samples "Sphere"
  Path sphere = b.prim("Sphere", Specifier::Def, "GprimSphere");
  b.rel(sphere, "constraint", false, Variability::Varying);
  Spec& desc = b.attr(sphere, "desc", "string");
  desc.set(b.f.timeSamples, TimeSamples{{{1.23, std::string("foo")},
                                         {3.23, std::string("bar")},
                                         {6, std::string("baz")},
                                         {7, ValueBlock{}}}});
  b.attr(sphere, "empty", "double").set(b.f.timeSamples, TimeSamples{});
  Spec& pts = b.attr(sphere, "points", "point3d[]");
  pts.set(b.f.timeSamples,
          TimeSamples{{{0, std::vector<Vec3d>{{{0, 158.785, 79.57}}, {{-67.82, 75.581, 80.12}}}}, {3, ValueBlock{}}}});
  CHECK(b.text() == R"(#sdf 1.4.32

def GprimSphere "Sphere"
{
    varying rel constraint
    string desc.timeSamples = {
        1.23: "foo",
        3.23: "bar",
        6: "baz",
        7: None,
    }
    double empty.timeSamples = {
    }
    point3d[] points.timeSamples = {
        0: [(0, 158.785, 79.57), (-67.82, 75.581, 80.12)],
        3: None,
    }
}

)");

  // 38_attribute_connections and 185_namespaced_properties.
  Builder c;
  Path t = c.prim("attribute_connect_tests", Specifier::Def, "MfScope");
  c.attr(t, "a0", "double", {}, true).set(c.f.connectionPaths, explicitPaths({"/Bar.blah"}));
  Spec& a2 = c.attr(t, "a2", "double", 123.0, true);
  a2.set(c.f.comment, std::string("blah blah"));
  a2.set(c.f.documentation, std::string("test"));
  a2.set(c.f.connectionPaths, explicitPaths({"/Bar.blah"}));
  c.attr(t, "a3", "double", {}, true).set(c.f.connectionPaths, explicitPaths({"/Bar.blah", "/Blah/Blah.boo"}));
  c.attr(t, "a6", "double", {}, true).set(c.f.connectionPaths, explicitPaths({}));
  Spec& argle = c.attr(t, "bar:argle", "double", 3.4);
  argle.set(c.f.timeSamples, TimeSamples{{{1, 2.0}, {2, 4.0}}});
  PathListOp edits;
  edits.orderedItems = paths({"/Prim.foo:argle"});
  edits.addedItems = paths({"/Prim.foo:argle"});
  edits.deletedItems = paths({"/Prim.foo:argle"});
  c.attr(t, "foo:bargle", "double").set(c.f.connectionPaths, edits);
  c.attr(t, "u", "float", {}, false, Variability::Uniform).set(c.f.timeSamples, TimeSamples{{{1, 2.5f}}});
  CHECK(c.text() == R"(#sdf 1.4.32

def MfScope "attribute_connect_tests"
{
    custom double a0
    double a0.connect = </Bar.blah>
    custom double a2 = 123 (
        "blah blah"
        doc = "test"
    )
    double a2.connect = </Bar.blah>
    custom double a3
    double a3.connect = [
        </Bar.blah>,
        </Blah/Blah.boo>,
    ]
    custom double a6
    double a6.connect = None
    double bar:argle = 3.4
    double bar:argle.timeSamples = {
        1: 2,
        2: 4,
    }
    delete double foo:bargle.connect = </Prim.foo:argle>
    add double foo:bargle.connect = </Prim.foo:argle>
    reorder double foo:bargle.connect = </Prim.foo:argle>
    uniform float u.timeSamples = {
        1: 2.5,
    }
}

)");

}


TEST_CASE("Writer refuses prims nested too deep for its recursion instead of overflowing the stack") {
  // A crate file can hold a chain deeper than the usda reader accepts.
  auto build = [](int depth) {
    auto layer = std::make_unique<usdkit::Layer>();
    const usdkit::FieldNames& f = usdkit::fieldNames();
    usdkit::Path parent = usdkit::Path::absoluteRoot();
    for (int i = 0; i < depth; ++i) {
      const usdkit::Path child = parent.appendChild("P");
      layer->createSpec(child, usdkit::SpecType::Prim).set(f.specifier, usdkit::Specifier::Def);
      (parent.isAbsoluteRoot() ? layer->pseudoRoot() : *layer->findSpec(parent))
          .set(f.primChildren, usdkit::TokenVector{{usdkit::Token("P")}});
      parent = child;
    }
    return layer;
  };
  CHECK(usdkit::writeUsdaToString(*build(1500)).ok());
  CHECK(usdkit::writeUsdaToString(*build(2001)).ok());  // indents 0 .. 2000
  auto deep = usdkit::writeUsdaToString(*build(5000));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().message.find("nested more than") != std::string::npos);
  // Refused before any text is written: a streaming caller gets nothing.
  std::size_t streamed = 0;
  usdkit::UsdaWriteOptions options;
  options.sink = [&](std::string_view chunk) { streamed += chunk.size(); };
  std::string out;
  CHECK_FALSE(usdkit::writeUsda(*build(2002), out, options).ok());
  CHECK(streamed == 0);
  CHECK(out.empty());
}
