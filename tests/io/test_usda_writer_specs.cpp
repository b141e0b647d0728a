// The usda writer on hand-built layers, part two: splines, relationships,
// variants, dictionaries, references, relocates, list ops, quoting. Expected
// texts reproduce OpenUSD 24.11 `usdcat` baselines named in each test, or a
// rule of the usda fact sheet (§ numbers).
#include <catch2/catch.hpp>

#include <cstdio>

#include "UsdaWriterTestSupport.h"

using namespace usdkit;
using namespace usdkit::writer_test;

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

TEST_CASE("names listed as children that name no child are skipped", "[usdawriter]") {
  // Children are found by appending each listed name to the parent's path;
  // ".." would give the parent itself (a loop), other non-names no path.
  // The same layer twice: /A with a child, an attribute and a variant.
  auto build = [](Builder& layer) {
    const Path a = layer.prim("A");
    layer.prim(a, "B");
    layer.attr(a, "x", "int", Value(std::int32_t{1}));
    const Path v = layer.variant(a, "v", "one");
    layer.prim(v, "C");
    return std::pair{a, v};
  };
  Builder clean;
  build(clean);

  Builder b;
  const auto [a, v] = build(b);
  for (const char* bogus : {"..", ".", "not a name", "B/C", ""}) {
    b.appendName(Path::absoluteRoot(), b.f.primChildren, bogus);
    b.appendName(a, b.f.primChildren, bogus);
    b.appendName(v, b.f.primChildren, bogus);
    b.appendName(a, b.f.properties, bogus);
  }
  b.appendName(a.appendVariantSelection("v", ""), b.f.variantChildren, "..");
  b.appendName(a, b.f.variantSetChildren, "..");
  CHECK(b.text() == clean.text());
}
