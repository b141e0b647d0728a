// The usda writer on hand-built layers. Every expected text reproduces (a
// part of) an OpenUSD 24.11 `usdcat` baseline from
// ../shared/conformance/sdf-parsing/expected-usdcat/<case>.sdf, named in each
// test, or a rule of the usda fact sheet (§ numbers). The layers are built to
// the storage contract in sdf/Fields.h.
#include <catch2/catch.hpp>

#include <cstdio>

#include "io/UsdaWriter.h"
#include "sdf/Fields.h"

using namespace usdkit;

namespace {

Path path(std::string_view text) { return *Path::parse(text); }

struct Builder {
  Layer layer;
  const FieldNames& f = fieldNames();

  explicit Builder(std::string format = "sdf") { layer.setFormatId(std::move(format)); }

  Spec& root() { return layer.pseudoRoot(); }

  void appendName(const Path& owner, Token field, std::string_view name) {
    Spec* s = layer.findSpec(owner);
    TokenVector names;
    if (const TokenVector* old = s->getAs<TokenVector>(field)) names = *old;
    names.items.emplace_back(name);
    s->set(field, names);
  }

  Path prim(const Path& parent, std::string_view name, Specifier specifier = Specifier::Def,
            std::string_view type = {}) {
    Path p = parent.appendChild(name);
    Spec& s = layer.createSpec(p, SpecType::Prim);
    s.set(f.specifier, specifier);
    if (!type.empty()) s.set(f.typeName, Token(type));
    appendName(parent, f.primChildren, name);
    return p;
  }
  Path prim(std::string_view name, Specifier specifier = Specifier::Def, std::string_view type = {}) {
    return prim(Path::absoluteRoot(), name, specifier, type);
  }
  Spec& spec(const Path& p) { return *layer.findSpec(p); }

  Spec& attr(const Path& owner, std::string_view name, std::string_view type, Value value = {},
             bool custom = false, Variability variability = Variability::Varying) {
    Spec& s = layer.createSpec(owner.appendProperty(name), SpecType::Attribute);
    s.set(f.typeName, Token(type));
    if (custom) s.set(f.custom, true);
    s.set(f.variability, variability);
    if (!value.empty()) s.set(f.defaultValue, std::move(value));
    appendName(owner, f.properties, name);
    return s;
  }
  Spec& rel(const Path& owner, std::string_view name, bool custom = false,
            Variability variability = Variability::Uniform) {
    Spec& s = layer.createSpec(owner.appendProperty(name), SpecType::Relationship);
    if (custom) s.set(f.custom, true);
    s.set(f.variability, variability);
    appendName(owner, f.properties, name);
    return s;
  }
  Path variant(const Path& owner, std::string_view set, std::string_view name) {
    Path setPath = owner.appendVariantSelection(set, "");
    if (!layer.findSpec(setPath)) {
      layer.createSpec(setPath, SpecType::VariantSet);
      appendName(owner, f.variantSetChildren, set);
    }
    Path v = owner.appendVariantSelection(set, name);
    layer.createSpec(v, SpecType::Variant);
    appendName(setPath, f.variantChildren, name);
    return v;
  }

  std::string text() const { return writeUsdaToString(layer); }
};

PathListOp explicitPaths(std::initializer_list<const char*> items) {
  PathListOp op;
  op.isExplicit = true;
  for (const char* p : items) op.explicitItems.push_back(path(p));
  return op;
}
std::vector<Path> paths(std::initializer_list<const char*> items) {
  std::vector<Path> out;
  for (const char* p : items) out.push_back(path(p));
  return out;
}
std::string quoted(const std::string& s) {
  std::string text;
  appendUsdaValue(text, Value(s));
  return text;
}

}  // namespace

TEST_CASE("empty layers", "[usdawriter]") {
  // 204_really_empty / 01_empty (fact sheet §1.4: header, then a final "\n").
  CHECK(Builder().text() == "#sdf 1.4.32\n\n");
  CHECK(Builder("usda").text() == "#usda 1.0\n\n");
  UsdaWriteOptions options;
  options.cookie = "#usda 1.0";
  CHECK(writeUsdaToString(Builder().layer, options) == "#usda 1.0\n\n");
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

namespace {
Spline::Knot knot(double time, double value, Spline::Interp next, double postWidth = 0, double postSlope = 0) {
  Spline::Knot k;
  k.time = time;
  k.value = value;
  k.nextInterp = next;
  k.postTanWidth = postWidth;
  k.postTanSlope = postSlope;
  return k;
}
}  // namespace

TEST_CASE("splines", "[usdawriter]") {
  using I = Spline::Interp;
  // 220_splines "Prim2": every optional part of the body.
  Builder s;
  Path prim2 = s.prim("Prim2", Specifier::Def, "Xform");
  Spline sp;
  sp.preExtrapolation.mode = Spline::ExtrapMode::Linear;
  sp.postExtrapolation = {Spline::ExtrapMode::Sloped, 0.57};
  sp.hasLoops = true;
  sp.loops = {15, 25, 0, 2, 11.7};
  sp.knots = {knot(7, 7.21, I::Held), knot(15, 8.18, I::Curve, 2.49, 1.17), knot(20, 14.72, I::Curve, 1.1, -1.4)};
  sp.knots[0].dualValued = true;
  sp.knots[0].preValue = 5.5;
  sp.knots[1].customData = std::make_shared<const Dictionary>(Dictionary{{{"comment", std::string("climb!")}}});
  sp.knots[2].preTanWidth = 3.77;
  sp.knots[2].preTanSlope = -1.4;
  s.attr(prim2, "myAttr", "double", 17.12, true).set(s.f.spline, sp);
  // "Prim3" quetzalcoatl: hermite tangents are slopes only.
  Path prim3 = s.prim("Prim3", Specifier::Def, "Xform");
  Spline h;
  h.valueType = Spline::ValueType::Float;
  h.curveType = Spline::CurveType::Hermite;
  h.knots = {knot(1, 8, I::Curve, 0, 4), knot(6, 20, I::Curve, 0, 2)};
  h.knots[1].preTanSlope = 2;
  s.attr(prim3, "quetzalcoatl", "float").set(s.f.spline, h);
  // "Prim1" rotateZ (half values, no curve segment so no curve type line) with
  // the nested inline custom data of "Prim4".
  Path prim4 = s.prim("Prim4", Specifier::Def, "Xform");
  Spline d;
  d.valueType = Spline::ValueType::Half;
  d.knots = {knot(-15.75, -1, I::None), knot(88.88, -40, I::Linear)};
  Dictionary nested{{{"a", std::string("yes")}, {"b", std::int32_t{4}}}};
  nested.entries["c"] = Dictionary{{{"d", std::string("ugh")}}};
  d.knots[0].customData = std::make_shared<const Dictionary>(nested);
  s.attr(prim4, "rotateZ", "half").set(s.f.spline, d);
  // An empty spline is not written.
  s.attr(prim4, "empty", "double").set(s.f.spline, Spline{});
  CHECK(s.text() == R"(#sdf 1.4.32

def Xform "Prim2"
{
    custom double myAttr = 17.12
    double myAttr.spline = {
        bezier,
        pre: linear,
        post: sloped(0.57),
        loop: (15, 25, 0, 2, 11.7),
        7: 5.5 & 7.21; pre (0, 0); post held,
        15: 8.18; post curve (2.49, 1.17); { string comment = "climb!" },
        20: 14.72; pre (3.77, -1.4); post curve (1.1, -1.4),
    }
}

def Xform "Prim3"
{
    float quetzalcoatl.spline = {
        hermite,
        1: 8; pre (0); post curve (4),
        6: 20; pre (2); post curve (2),
    }
}

def Xform "Prim4"
{
    double empty
    half rotateZ.spline = {
        -15.75: -1; pre (0, 0); post none; { string a = "yes"; int b = 4; dictionary c = { string d = "ugh" } },
        88.88: -40; post linear,
    }
}

)");
}

TEST_CASE("relationships", "[usdawriter]") {
  // 127_varyingRelationship, exactly (note the four trailing spaces after
  // the .default line of an indent-1 relationship).
  Builder b;
  Path sphere = b.prim("Sphere", Specifier::Def, "GprimSphere");
  Spec& r = b.rel(sphere, "constraintTarget", false, Variability::Varying);
  PathListOp edits;
  edits.deletedItems = paths({"/Pivot3"});
  edits.addedItems = paths({"/Pivot3", "/Pivot2"});
  edits.orderedItems = paths({"/Pivot2", "/Pivot"});
  r.set(b.f.targetPaths, edits);
  r.set(b.f.defaultValue, path("/Pivot"));
  b.root().set(Token("framesPerSecond"), 24.0);
  b.root().set(Token("framePrecision"), std::int32_t{3});
  CHECK(b.text() == "#sdf 1.4.32\n"
                    "(\n"
                    "    framePrecision = 3\n"
                    "    framesPerSecond = 24\n"
                    ")\n"
                    "\n"
                    "def GprimSphere \"Sphere\"\n"
                    "{\n"
                    "    delete varying rel constraintTarget = </Pivot3>\n"
                    "    add varying rel constraintTarget = [\n"
                    "        </Pivot3>,\n"
                    "        </Pivot2>,\n"
                    "    ]\n"
                    "    reorder varying rel constraintTarget = [\n"
                    "        </Pivot2>,\n"
                    "        </Pivot>,\n"
                    "    ]\n"
                    "    varying rel constraintTarget.default = </Pivot>    \n"
                    "}\n"
                    "\n");

  // 32_relationship_syntax "customFoo" (excerpt) and 154_relationship_noLoadHint.
  Builder c;
  Path foo = c.prim("customFoo", Specifier::Def, "MfScope");
  Spec& complex = c.rel(foo, "complex_rel", true);
  complex.set(c.f.targetPaths, explicitPaths({"/foo/Foo/Bar", "/foo/Blah/Blah"}));
  complex.set(c.f.comment, std::string("Exercise full syntax"));
  complex.set(c.f.documentation, std::string("use this for \"stuff\"..."));
  complex.set(c.f.permission, Permission::Public);
  complex.set(c.f.symmetryFunction, Token("testSymmetryFunction"));
  c.rel(foo, "no_targets_rel", true);
  PathListOp added;
  added.addedItems = paths({"/baz", "/boom"});
  c.rel(foo, "rel_list_editing2", true).set(c.f.targetPaths, added);
  c.rel(foo, "rel_make_empty", true).set(c.f.targetPaths, explicitPaths({}));
  c.rel(foo, "single_target_rel", true).set(c.f.targetPaths, explicitPaths({"/foo/Foo"}));
  Spec& hint = c.rel(foo, "target_rel", true);
  hint.set(c.f.targetPaths, explicitPaths({"/Root/Root"}));
  hint.set(Token("noLoadHint"), true);
  c.rel(foo, "plain").set(c.f.targetPaths, explicitPaths({"/P1"}));
  CHECK(c.text() == R"(#sdf 1.4.32

def MfScope "customFoo"
{
    custom rel complex_rel = [
        </foo/Foo/Bar>,
        </foo/Blah/Blah>,
    ] (
        "Exercise full syntax"
        doc = 'use this for "stuff"...'
        permission = public
        symmetryFunction = testSymmetryFunction
    )
    custom rel no_targets_rel
    rel plain = </P1>
    custom rel rel_list_editing2
    add rel rel_list_editing2 = [
        </baz>,
        </boom>,
    ]
    custom rel rel_make_empty = None
    custom rel single_target_rel = </foo/Foo>
    custom rel target_rel = </Root/Root> (
        noLoadHint = true
    )
}

)");
}

TEST_CASE("variant sets and variants", "[usdawriter]") {
  // 39_variants "PropertyTest" and "Comp2" (excerpts).
  Builder b;
  Path pt = b.prim("PropertyTest", Specifier::Def, "MfScope");
  StringListOp names;
  names.isExplicit = true;
  names.explicitItems = {"tests"};
  b.spec(pt).set(b.f.variantSetNames, names);
  Path wp = b.variant(pt, "tests", "with_properties");
  b.rel(wp, "test_rel").set(b.f.targetPaths, explicitPaths({"/foo/bar"}));
  b.attr(wp, "x", "double", 5.0, true);

  Path comp = b.prim("Comp2", Specifier::Over, "MfScope");
  StringListOp three;
  three.isExplicit = true;
  three.explicitItems = {"standin", "brickstyle"};
  b.spec(comp).set(b.f.variantSetNames, three);
  b.spec(comp).set(b.f.variantSelection,
                   VariantSelectionMap{{{"standin", "default"}, {"brickstyle", "a"}, {"hairstyle", "a"}}});
  // Variants print sorted by name whatever the authored order.
  Path c = b.variant(comp, "brickstyle", "c");
  ReferenceListOp refs;
  refs.isExplicit = true;
  refs.explicitItems = {Reference{"FullVariant.sdf", path("/Full"), {}, nullptr}};
  b.spec(c).set(b.f.references, refs);
  Path a = b.variant(comp, "brickstyle", "a");
  Path root = b.prim(a, "root", Specifier::Def, "MfScope");
  b.attr(root, "opinion", "string", std::string("blocking"), true);
  // A set without variants is dropped (§10.8).
  b.layer.createSpec(comp.appendVariantSelection("standin", ""), SpecType::VariantSet);
  b.appendName(comp, b.f.variantSetChildren, "standin");
  CHECK(b.text() == R"(#sdf 1.4.32

def MfScope "PropertyTest" (
    variantSets = "tests"
)
{
    variantSet "tests" = {
        "with_properties" {
            rel test_rel = </foo/bar>
            custom double x = 5

        }
    }
}

over MfScope "Comp2" (
    variants = {
        string brickstyle = "a"
        string hairstyle = "a"
        string standin = "default"
    }
    variantSets = ["standin", "brickstyle"]
)
{
    variantSet "brickstyle" = {
        "a" {
            def MfScope "root"
            {
                custom string opinion = "blocking"
            }

        }
        "c" (
            references = @FullVariant.sdf@</Full>
        ) {

        }
    }
}

)");
}

TEST_CASE("dictionaries: nesting, byte-ordered keys, quoted keys, lost roles", "[usdawriter]") {
  Builder b;
  Path rootPrim = b.prim("Root", Specifier::Def, "MfScope");
  // 112_nested_dictionaries (excerpt).
  Dictionary attr08, attr04, empty, data;
  attr08.entries["attr09"] = std::string("test3");
  attr08.entries["attr10"] = false;
  attr08.entries["attr11"] = std::vector<Vec3d>{{{2, 3, 4}}, {{5, 6, 7}}};
  attr04.entries["attr05a"] = Token("test2");
  attr04.entries["attr08"] = attr08;
  data.entries["attr02"] = true;
  data.entries["attr04"] = attr04;
  data.entries["attr22"] = empty;
  data.entries["doc"] = std::string("test");
  // 217_utf8_identifiers and 222_dict_key_control_characters: keys that are
  // not ASCII identifiers are quoted (triple quotes for a newline).
  data.entries["存在する"] = std::int32_t{7};
  data.entries["jkj\n    "] = std::int32_t{15};
  // Fact sheet §7.13 / §10.3: roles are lost, path expressions unquoted.
  data.entries["p"] = std::vector<Vec3f>{{{1, 2, 3}}};
  data.entries["pe"] = PathExpression{"/a//b"};
  data.entries["h"] = Half::fromFloat(0.1f);
  b.attr(rootPrim, "attr", "double", {}, true).set(b.f.customData, data);
  CHECK(b.text() == R"(#sdf 1.4.32

def MfScope "Root"
{
    custom double attr (
        customData = {
            bool attr02 = 1
            dictionary attr04 = {
                token attr05a = "test2"
                dictionary attr08 = {
                    string attr09 = "test3"
                    bool attr10 = 0
                    double3[] attr11 = [(2, 3, 4), (5, 6, 7)]
                }
            }
            dictionary attr22 = {
            }
            string doc = "test"
            half h = 0.0999756
            int """jkj
    """ = 15
            float3[] p = [(1, 2, 3)]
            pathExpression pe = /a//b
            int "存在する" = 7
        }
    )
}

)");
}

TEST_CASE("references and payloads", "[usdawriter]") {
  Builder b;
  Dictionary cd1, cd2;
  cd1.entries["b1"] = true;
  cd1.entries["t1"] = std::int32_t{42};
  cd2.entries["b2"] = false;
  cd2.entries["t2"] = std::int32_t{420};
  // 132_references "TestPrim3"
  ReferenceListOp refs;
  refs.isExplicit = true;
  refs.explicitItems = {
      Reference{"///test/layer.sdf", path("/Prim"), {11, 22}, nullptr},
      Reference{"///test1/layer1.sdf", path("/Prim2"), {0.1, 0.2}, std::make_shared<const Dictionary>(cd1)},
      Reference{"///test2/layer2.sdf", path("/Prim3"), {}, nullptr},
      Reference{"///test3/layer3.sdf", path("/Prim4"), {}, std::make_shared<const Dictionary>(cd2)},
  };
  b.spec(b.prim("TestPrim3", Specifier::Def, "MfScope")).set(b.f.references, refs);
  // "TestSelfDefault7": internal references to the default prim keep `<>`.
  ReferenceListOp self;
  self.deletedItems = {Reference{"", Path(), {}, nullptr}};
  self.orderedItems = {Reference{"", Path(), {}, nullptr}};
  b.spec(b.prim("TestSelfDefault7", Specifier::Def, "MfScope")).set(b.f.references, self);
  // "TestPrim6": one reference with custom data still gets brackets.
  ReferenceListOp one;
  one.isExplicit = true;
  one.explicitItems = {Reference{"///test/layer.sdf", path("/Prim"), {}, std::make_shared<const Dictionary>(cd1)}};
  b.spec(b.prim("TestPrim6", Specifier::Def, "MfScope")).set(b.f.references, one);
  // 152_payloads "TestPrim3"
  PayloadListOp payloads;
  payloads.isExplicit = true;
  payloads.explicitItems = {Payload{"///test/layer.sdf", path("/Prim"), {11, 22}},
                            Payload{"///test2/layer2.sdf", path("/Prim3"), {}}};
  b.spec(b.prim("TestPayload3", Specifier::Def, "MfScope")).set(b.f.payload, payloads);
  CHECK(b.text() == R"(#sdf 1.4.32

def MfScope "TestPrim3" (
    references = [
        @///test/layer.sdf@</Prim> (offset = 11; scale = 22),
        @///test1/layer1.sdf@</Prim2> (
            offset = 0.1
            scale = 0.2
            customData = {
                bool b1 = 1
                int t1 = 42
            }
        ),
        @///test2/layer2.sdf@</Prim3>,
        @///test3/layer3.sdf@</Prim4> (
            customData = {
                bool b2 = 0
                int t2 = 420
            }
        )
    ]
)
{
}

def MfScope "TestSelfDefault7" (
    delete references = <>
    reorder references = <>
)
{
}

def MfScope "TestPrim6" (
    references = [
        @///test/layer.sdf@</Prim> (
            customData = {
                bool b1 = 1
                int t1 = 42
            }
        )
    ]
)
{
}

def MfScope "TestPayload3" (
    payload = [
        @///test/layer.sdf@</Prim> (offset = 11; scale = 22),
        @///test2/layer2.sdf@</Prim3>
    ]
)
{
}

)");
}

TEST_CASE("prim relocates are relative to the prim and sorted", "[usdawriter]") {
  // 139_relocates_metadata "TestPrim"; 148_relocates_empty_map.
  Builder b;
  Path prim = b.prim("TestPrim", Specifier::Def, "MfScope");
  RelocatesMap map;
  map.entries = {{path("/TestPrim/relative/path"), path("/TestPrim/some/other/relative/path")},
                 {path("/source"), path("/target")},
                 {path("/TestPrim/to/delete"), Path()},
                 {path("/absolute"), path("/TestPrim/some/nested/relative/path")}};
  b.spec(prim).set(b.f.relocates, map);
  b.spec(b.prim("Empty", Specifier::Def, "MfScope")).set(b.f.relocates, RelocatesMap{});
  CHECK(b.text() == "#sdf 1.4.32\n"
                    "\n"
                    "def MfScope \"TestPrim\" (\n"
                    "    relocates = {\n"
                    "        <../absolute>: <some/nested/relative/path>, \n"
                    "        <../source>: <../target>, \n"
                    "        <relative/path>: <some/other/relative/path>, \n"
                    "        <to/delete>: <>\n"
                    "    }\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n"
                    "def MfScope \"Empty\" (\n"
                    "    relocates = {\n"
                    "    }\n"
                    ")\n"
                    "{\n"
                    "}\n"
                    "\n");
}

TEST_CASE("numeric and unregistered list-op metadata", "[usdawriter]") {
  // 192_listop_metadata: fixed statement order, brackets even for one item.
  Builder b;
  Int64ListOp ops;
  ops.orderedItems = {3, 2, 1};
  ops.appendedItems = {11, 22, 33};
  ops.prependedItems = {-1, -2, -3};
  ops.addedItems = {1, 2, 3};
  ops.deletedItems = {10, 20, 30};
  b.root().set(Token("int64ListOpTest"), ops);
  IntListOp explicitInts;
  explicitInts.isExplicit = true;
  explicitInts.explicitItems = {10, 20, 30};
  b.root().set(Token("intListOpTest"), explicitInts);
  Path p = b.prim("Unregistered");
  UnregisteredListOp dummy;
  dummy.deletedItems = {UnregisteredValue{"10"}, UnregisteredValue{"20"}, UnregisteredValue{"30"}};
  dummy.orderedItems = {UnregisteredValue{"3, 2, 1"}};  // text that already holds the commas
  b.spec(p).set(Token("dummyIntListOpTest"), dummy);
  UnregisteredListOp noneOp;
  noneOp.isExplicit = true;
  b.attr(p, "NoneAttr", "double").set(Token("dummyIntListOpTest"), noneOp);
  b.spec(p).set(Token("dummy"), UnregisteredValue{"None"});
  StringListOp strs;
  strs.isExplicit = true;
  strs.explicitItems = {"foo", "comma,separated", ""};
  b.spec(p).set(Token("stringListOpTest"), strs);
  UIntListOp one;
  one.appendedItems = {4294967295u};
  b.spec(p).set(Token("uintListOpTest"), one);
  CHECK(b.text() == R"(#sdf 1.4.32
(
    delete int64ListOpTest = [10, 20, 30]
    add int64ListOpTest = [1, 2, 3]
    prepend int64ListOpTest = [-1, -2, -3]
    append int64ListOpTest = [11, 22, 33]
    reorder int64ListOpTest = [3, 2, 1]
    intListOpTest = [10, 20, 30]
)

def "Unregistered" (
    dummy = None
    delete dummyIntListOpTest = [10, 20, 30]
    reorder dummyIntListOpTest = [3, 2, 1]
    stringListOpTest = ["foo", "comma,separated", ""]
    append uintListOpTest = [4294967295]
)
{
    double NoneAttr (
        dummyIntListOpTest = None
    )
}

)");
}

TEST_CASE("string quoting", "[usdawriter]") {
  // 46_weirdStringContent and 31_attribute_values string_tests.
  CHECK(quoted(" \" ' ' ") == R"(" \" ' ' ")");
  CHECK(quoted(R"( \" \' " ' ' )") == R"(" \\\" \\' \" ' ' ")");
  CHECK(quoted("a b \\") == R"("a b \\")");
  CHECK(quoted("'a'") == R"("'a'")");
  CHECK(quoted("\"a\"") == R"('"a"')");
  CHECK(quoted("fo\\\"o") == R"('fo\\"o')");
  CHECK(quoted("fo'o''o\\\"o\\\"\\\"o") == R"("fo'o''o\\\"o\\\"\\\"o")");
  CHECK(quoted("a\n") == "\"\"\"a\n\"\"\"");
  CHECK(quoted("a\\n") == R"("a\\n")");
  CHECK(quoted("\nTesting multiline string \nAnd another line.") ==
        "\"\"\"\nTesting multiline string \nAnd another line.\"\"\"");
  // §7.16: the quote character is escaped inside triple quotes too.
  CHECK(quoted("ends with quote\"\n") == "'''ends with quote\"\n'''");
  CHECK(quoted("say \"hi\" it's\n") == "\"\"\"say \\\"hi\\\" it's\n\"\"\"");
  // Control and non-UTF-8 bytes as lowercase \x escapes, tab and CR named.
  CHECK(quoted("\x01\x7f\t\r\x0b") == R"("\x01\x7f\t\r\x0b")");
  CHECK(quoted(std::string("\x80\xff\xc3", 3)) == R"("\x80\xff\xc3")");
  // Valid UTF-8 is kept (46: s17..s21).
  CHECK(quoted("É00") == "\"É00\"");
  CHECK(quoted("€") == "\"€\"");
  CHECK(quoted("Можам") == "\"Можам\"");
  // §7.16.4: output stops at a NUL byte.
  CHECK(quoted(std::string("ab\0cd", 5)) == "\"ab\"");
  // 31: empty strings.
  CHECK(quoted("") == "\"\"");
}

TEST_CASE("asset paths", "[usdawriter]") {
  // 180_asset_paths "AssetPathTest2" (excerpt).
  Builder b;
  Path p = b.prim("AssetPathTest2", Specifier::Over);
  b.attr(p, "empty", "asset", AssetPath{""});
  b.attr(p, "escapeddelimiter", "asset", AssetPath{"foo.sdf@@@testing\\@@@"});
  b.attr(p, "beginandendwithextradelim", "asset", AssetPath{"@foo.sdf@"});
  b.attr(p, "looksLikeEscapes", "asset", AssetPath{"\\x01\\x03\\x7f"});
  b.attr(p, "wdate", "asset", AssetPath{"//menv30/global/unit_defs.sdf@2012/06/20"});
  b.attr(p, "wversion", "asset", AssetPath{"//menv30/global/unit_defs.sdf#20"});
  // 196_colorConfiguration_metadata: asset-valued metadata.
  b.root().set(Token("colorConfiguration"), AssetPath{"https://example.com/config.ocio"});
  CHECK(b.text() == R"(#sdf 1.4.32
(
    colorConfiguration = @https://example.com/config.ocio@
)

over "AssetPathTest2"
{
    asset beginandendwithextradelim = @@@@foo.sdf@@@@
    asset empty = @@
    asset escapeddelimiter = @@@foo.sdf\@@@testing\\@@@@@@
    asset looksLikeEscapes = @\x01\x03\x7f@
    asset wdate = @@@//menv30/global/unit_defs.sdf@2012/06/20@@@
    asset wversion = @//menv30/global/unit_defs.sdf#20@
}

)");
}

TEST_CASE("every half value prints as printf %g of its float", "[usdawriter]") {
  // Fact sheet §7.15: half goes through float and the default ostream format.
  std::string text;
  char expected[32];
  for (std::uint32_t bits = 0; bits < 65536; ++bits) {
    const Half h = Half::fromBits(static_cast<std::uint16_t>(bits));
    text.clear();
    appendUsdaValue(text, Value(h));
    std::snprintf(expected, sizeof expected, "%g", static_cast<double>(h.toFloat()));
    REQUIRE(text == expected);
  }
}
