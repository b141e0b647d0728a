// Expectations come from OpenUSD's SdfPath grammar (pathParser.h) and the
// behaviour its own tests pin down (testSdfPath.py, testSdfPath2.py), plus
// cases derived by hand from those rules.

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "sdf/Path.h"

using usdkit::Path;

#include "PathTestSupport.h"

using path_test::P;
using path_test::texts;

TEST_CASE("Path parse: valid text round-trips unchanged", "[path]") {
  const char* valid[] = {
      "/",
      ".",
      "..",
      "../..",
      "../../..",
      "../A",
      "../../A/B",
      "../.prop",
      "../../.rel[/targ].attr",
      "/Foo/Bar.baz",
      "Foo",
      "Foo/Bar",
      "Foo.bar",
      ".bar",
      "/Some/Kinda/Long/Path/Just/To/Make/Sure",
      "../../Some/Kinda/Long/Path/Just/To/Make/Sure.property",
      "/Foo/Bar.baz[targ].boom",
      "Foo.bar[targ].boom",
      ".bar[targ].boom",
      "Foo.bar[targ.attr].boom",
      "/A/B/C.rel3[/Blah].attr3",
      "A/B.rel2[/A/B/C.rel3[/Blah].attr3].attr2",
      "/A.rel1[/A/B.rel2[/A/B/C.rel3[/Blah].attr3].attr2].attr1",
      "/Foo.bar:baz:qux",
      "/A{v=x}",
      "/A{v=x}B",
      "/A{v=x}{w=y}",
      "/A{v=}",
      "/A{v=x}B{w=y}C.attr",
      "/A{v=.x}",  // variant names may start with '.'
      "/A{v=a|b-c}",
      "/A{v-1=x}",  // '-' is allowed in set names inside paths
      "/A{v=1}",
      "/A.rel[/B]",
      "/A.rel[/]",
      "/A.rel[.]",
      "/A.rel[../B.c]",
      "/A.rel[/B].attr[/C.d]",
      "/A.attr.mapper[/B.c]",
      "/A.attr.mapper[/B.c].arg",
      "/A.rel[/B].attr.mapper[/C.d].arg",
      "/A.attr.expression",
      "/A.rel[/B].attr.expression",
      "/A.expression",  // a property that happens to be called "expression"
      "/A.mapper",
      "/A.mapper[/B]",  // target on a property called "mapper"
      "/A.rel[/B{v=x}C.d]",
      "/root_utf8_umlaute_ß_3",
      "Süßigkeiten.bar",
      "/ß34/情報/información",
      "情報._جيد",
      "/_private/x1",
  };
  for (const char* text : valid) {
    INFO(text);
    auto p = Path::parse(text);
    REQUIRE(p.has_value());
    CHECK(p->string() == text);
  }
}

TEST_CASE("Path parse: blanks inside variant selections are dropped", "[path]") {
  CHECK(P("/A{ v = x }B").string() == "/A{v=x}B");
  CHECK(P("/A {v=x} B").string() == "/A{v=x}B");
  CHECK(P("/A{\tv\t=\t}").string() == "/A{v=}");
  CHECK(P("/A{v=x} {w=y} ").string() == "/A{v=x}{w=y}");
  CHECK(P("/A.rel[/B{ v = x }C]").string() == "/A.rel[/B{v=x}C]");
  // Equal paths share one token.
  CHECK(P("/A{ v = x }") == P("/A{v=x}"));
}

TEST_CASE("Path parse: the grammar ends at a line break", "[path]") {
  // OpenUSD's path rule ends in "end of line or end of input".
  CHECK(P("/A/B\n").string() == "/A/B");
  CHECK(P("/A\r\nrest").string() == "/A");
  CHECK_FALSE(Path::parse("/A\r").has_value());
}

TEST_CASE("Path parse: empty text is the empty path", "[path]") {
  auto p = Path::parse("");
  REQUIRE(p.has_value());
  CHECK(p->empty());
  CHECK(*p == Path());
}

TEST_CASE("Path parse: invalid text is rejected", "[path]") {
  const char* invalid[] = {
      // From OpenUSD's list of bad paths.
      "DD/DDD.&ddf$",
      "DD[]/DDD",
      "DD[]/DDD.bar",
      "foo.prop/bar",
      "/foo.prop/bar.blah",
      "/foo//bar",
      "/foo/.bar",
      "/foo..bar",
      "/foo.bar.baz",
      "/.foo",
      "</foo.bar",
      "</Foo/Bar/>",
      "/Foo/Bar/",
      "/Foo.bar[targ]/Bar",
      "/Foo.bar[targ].foo.foo",
      "123",
      "123test",
      "/Foo:Bar",
      "/Foo.bar.mapper[/Targ.attr].arg:name:space",
      // ".." is only allowed at the start of a relative path.
      "/A/B/..",
      "A/..",
      "A/../B",
      "/..",
      "./A",
      "...",
      "../",
      "..A",
      "//A",
      "/A/",
      "A.",
      "/A.b.c",
      "/A.b:",
      "/A.b::c",
      "/A.:b",
      "/A{",
      "/A{v",
      "/A{v=",
      "/A{v=x",
      "/A{=x}",
      "/A{1v=x}",
      "/A{v=x y}",
      "/A{v=x}/B",
      "/{v=x}",
      "{v=x}",
      "/A[",
      "/A.b[",
      "/A.b[]",
      "/A.b[/C",
      "/A.b[/C][/D]",
      "/A.b[/C].d[/E].f",
      "/A.b[/C].",
      "/A.b.mapper",
      "/A.b.mapper[]",
      "/A.b.mapperX[/C]",
      "/A.b.mapper[/C].ä",
      "/A.b.mapper[/C].x.y",
      "/A.b.expressionX",
      "/A.b.expression.c",
      "/A.b.expression[/C]",
      "/A ",
      " /A",
      "/A\t",
      "A B",
      "/A\xE2\x82\xAC",  // U+20AC EURO SIGN is not XID_Continue
      "/\xC3\x97",       // U+00D7 MULTIPLICATION SIGN is not XID_Start
      "/A\xFF",          // not UTF-8
  };
  for (const char* text : invalid) {
    INFO("<" << text << ">");
    CHECK_FALSE(Path::parse(text).has_value());
  }
  CHECK_FALSE(Path::parse(std::string_view("/A\0B", 4)).has_value());
}

TEST_CASE("Path parse: deeply nested targets are bounded", "[path]") {
  std::string deep = "/A.r";
  for (int i = 0; i < 200; ++i) deep += "[/A.r";
  deep += "[/B]";
  for (int i = 0; i < 200; ++i) deep += "]";
  CHECK_FALSE(Path::parse(deep).has_value());

  std::string ok = "/A.r";
  for (int i = 0; i < 10; ++i) ok += "[/A.r";
  ok += "[/B]";
  for (int i = 0; i < 10; ++i) ok += "]";
  CHECK(Path::parse(ok).has_value());
}

TEST_CASE("Path queries on each kind of path", "[path]") {
  struct Row {
    const char* text;
    bool absolute, prim, rootPrim, primOrVariant, variant, containsVariant, property, primProperty,
        namespaced, target, mapper, expression, relAttr, containsTarget;
    const char* name;
    std::size_t count;
  };
  const Row rows[] = {
      // text              abs    prim   root   pOrV   var    cVar   prop   pProp  ns     targ   map    expr   rel    cTarg  name          n
      {"/",                  true,  false, false, false, false, false, false, false, false, false, false, false, false, false, "",           0},
      {".",                  false, true,  false, true,  false, false, false, false, false, false, false, false, false, false, ".",          0},
      {"..",                 false, true,  false, true,  false, false, false, false, false, false, false, false, false, false, "..",         1},
      {"../..",              false, true,  false, true,  false, false, false, false, false, false, false, false, false, false, "..",         2},
      {"/A",                 true,  true,  true,  true,  false, false, false, false, false, false, false, false, false, false, "A",          1},
      {"A/B",                false, true,  false, true,  false, false, false, false, false, false, false, false, false, false, "B",          2},
      {"/A{v=x}",            true,  false, false, true,  true,  true,  false, false, false, false, false, false, false, false, "{v=x}",      2},
      {"/A{v=x}B",           true,  true,  false, true,  false, true,  false, false, false, false, false, false, false, false, "B",          3},
      {"/A.b",               true,  false, false, false, false, false, true,  true,  false, false, false, false, false, false, "b",          2},
      {"/A{v=x}.b:c",        true,  false, false, false, false, true,  true,  true,  true,  false, false, false, false, false, "b:c",        3},
      {".b",                 false, false, false, false, false, false, true,  true,  false, false, false, false, false, false, "b",          1},
      {"../.b",              false, false, false, false, false, false, true,  true,  false, false, false, false, false, false, "b",          2},
      {"/A.r[/B]",           true,  false, false, false, false, false, false, false, false, true,  false, false, false, true,  "",           3},
      {"/A.r[/B].c:d",       true,  false, false, false, false, false, true,  false, true,  false, false, false, true,  true,  "c:d",        4},
      {"/A.b.mapper[/B.c]",  true,  false, false, false, false, false, false, false, false, false, true,  false, false, true,  "",           3},
      {"/A.b.mapper[/B].arg",true,  false, false, false, false, false, false, false, false, false, false, false, false, true,  "arg",        4},
      {"/A.b.expression",    true,  false, false, false, false, false, false, false, false, false, false, true,  false, false, "expression", 3},
      {"/A.expression",      true,  false, false, false, false, false, true,  true,  false, false, false, false, false, false, "expression", 2},
      {"/A.mapper[/B]",      true,  false, false, false, false, false, false, false, false, true,  false, false, false, true,  "",           3},
      {"/A.r[/B].mapper[/C]",true,  false, false, false, false, false, false, false, false, true,  false, false, false, true,  "",           5},
      {"/A.b[/C{v=x}D]",     true,  false, false, false, false, false, false, false, false, true,  false, false, false, true,  "",           3},
      {".r[/B].a.expression",false, false, false, false, false, false, false, false, false, false, false, true,  false, true,  "expression", 4},
  };
  for (const Row& r : rows) {
    INFO(r.text);
    const Path p = P(r.text);
    CHECK(p.isAbsolute() == r.absolute);
    CHECK(p.isAbsoluteRoot() == (std::string_view(r.text) == "/"));
    CHECK(p.isPrimPath() == r.prim);
    CHECK(p.isRootPrimPath() == r.rootPrim);
    CHECK(p.isPrimOrPrimVariantSelectionPath() == r.primOrVariant);
    CHECK(p.isPrimVariantSelectionPath() == r.variant);
    CHECK(p.containsPrimVariantSelection() == r.containsVariant);
    CHECK(p.isPropertyPath() == r.property);
    CHECK(p.isPrimPropertyPath() == r.primProperty);
    CHECK(p.isNamespacedPropertyPath() == r.namespaced);
    CHECK(p.isTargetPath() == r.target);
    CHECK(p.isMapperPath() == r.mapper);
    CHECK(p.isExpressionPath() == r.expression);
    CHECK(p.isRelationalAttributePath() == r.relAttr);
    CHECK(p.containsTargetPath() == r.containsTarget);
    CHECK(p.name() == r.name);
    CHECK(p.nameToken() == usdkit::Token(r.name));
    CHECK(p.elementCount() == r.count);
  }
}

TEST_CASE("Path queries on the empty path", "[path]") {
  const Path e;
  CHECK(e.empty());
  CHECK_FALSE(e.isAbsolute());
  CHECK_FALSE(e.isPrimPath());
  CHECK_FALSE(e.isPropertyPath());
  CHECK_FALSE(e.isPrimOrPrimVariantSelectionPath());
  CHECK(e.name().empty());
  CHECK(e.elementCount() == 0);
  CHECK(e.prefixes().empty());
  CHECK(e.parent().empty());
  CHECK(e.primPath().empty());
  CHECK(e.targetPath().empty());
}

TEST_CASE("Path roots", "[path]") {
  CHECK(Path::absoluteRoot().string() == "/");
  CHECK(Path::reflexiveRelative().string() == ".");
  CHECK(Path::absoluteRoot() == P("/"));
  CHECK(Path::reflexiveRelative() == P("."));
}

TEST_CASE("Path variantSelection and targetPath", "[path]") {
  using Sel = std::pair<std::string_view, std::string_view>;
  CHECK(P("/foo/bar{var=sel}").variantSelection() == Sel("var", "sel"));
  CHECK(P("/foo{var=sel}bar").variantSelection() == Sel("", ""));
  CHECK(P("/foo{var=sel}bar").parent().variantSelection() == Sel("var", "sel"));
  CHECK(P("/a{x=a}{y=b}").variantSelection() == Sel("y", "b"));
  CHECK(P("/a{x=}").variantSelection() == Sel("x", ""));
  CHECK(P("/a{x=.v|w}").variantSelection() == Sel("x", ".v|w"));

  CHECK(P("/Lights/Lkey.shinesOn[/Chars/Buzz/Helmet].intensity").targetPath() == P("/Chars/Buzz/Helmet"));
  CHECK(P("/Lights/Lkey.shinesOn[../../Buzz/Helmet].intensity").targetPath() == P("../../Buzz/Helmet"));
  CHECK(P("/Lights/Lkey.shinesOn[/Chars/Buzz/Helmet.blah].intensity").targetPath() ==
        P("/Chars/Buzz/Helmet.blah"));
  CHECK(P("/A/B.a[/C/D.a[/E/F.a]].a").targetPath() == P("/C/D.a[/E/F.a]"));
  CHECK(P("/A.r[/B].c[/D]").targetPath() == P("/D"));
  CHECK(P("/A.b.mapper[/C.d].arg").targetPath() == P("/C.d"));
  CHECK(P("/A.r[/B].c.expression").targetPath() == P("/B"));
  CHECK(P("/foo").targetPath().empty());
  CHECK(P("/foo.bar").targetPath().empty());
}

TEST_CASE("Path parent", "[path]") {
  const std::pair<const char*, const char*> cases[] = {
      {"/foo/bar/baz", "/foo/bar"},
      {"/foo", "/"},
      {"/foo/bar/baz.prop", "/foo/bar/baz"},
      {"/foo/bar/baz.rel[/targ].attr", "/foo/bar/baz.rel[/targ]"},
      {"/foo/bar/baz.rel[/targ]", "/foo/bar/baz.rel"},
      {"../../..", "../../../.."},
      {"..", "../.."},
      {".", ".."},
      {"../../../.prop", "../../.."},
      {"../../../.rel[/targ]", "../../../.rel"},
      {"../../../.rel[/targ].attr", "../../../.rel[/targ]"},
      {"foo/bar/baz", "foo/bar"},
      {"foo", "."},
      {".prop", "."},
      {"../foo", ".."},
      {"foo/bar/baz.prop", "foo/bar/baz"},
      {"foo/bar/baz.rel[/targ]", "foo/bar/baz.rel"},
      {"/A{v=x}B", "/A{v=x}"},
      {"/A{v=x}", "/A"},
      {"/A{v=x}{w=y}", "/A{v=x}"},
      {"/A{v=x}.b", "/A{v=x}"},
      {"/A.b.mapper[/C.d]", "/A.b"},
      {"/A.b.mapper[/C.d].arg", "/A.b.mapper[/C.d]"},
      {"/A.b.expression", "/A.b"},
      {"/A.mapper[/B]", "/A.mapper"},
      {"/A.r[/B.c[/D]]", "/A.r"},
      {"/A.r[/B{v=x}].c", "/A.r[/B{v=x}]"},
  };
  for (const auto& [path, parent] : cases) {
    INFO(path);
    CHECK(P(path).parent().string() == parent);
  }
  CHECK(P("/").parent().empty());
  CHECK(Path().parent().empty());

  // The full chain of a path through a variant selection.
  std::vector<std::string> chain;
  for (Path p = P("/A{v=x}B/C.d"); !p.empty(); p = p.parent()) chain.push_back(p.string());
  CHECK(chain == std::vector<std::string>{"/A{v=x}B/C.d", "/A{v=x}B/C", "/A{v=x}B", "/A{v=x}", "/A", "/"});
}

TEST_CASE("Path prefixes", "[path]") {
  using V = std::vector<std::string>;
  CHECK(texts(P("/foo/bar/goo/loo").prefixes()) == V{"/foo", "/foo/bar", "/foo/bar/goo", "/foo/bar/goo/loo"});
  CHECK(texts(P("/Foo/Bar.baz").prefixes()) == V{"/Foo", "/Foo/Bar", "/Foo/Bar.baz"});
  CHECK(texts(P(".bar").prefixes()) == V{".bar"});
  CHECK(texts(P("../../Some.property").prefixes()) == V{"..", "../..", "../../Some", "../../Some.property"});
  CHECK(texts(P("/Foo/Bar.baz[targ].boom").prefixes()) ==
        V{"/Foo", "/Foo/Bar", "/Foo/Bar.baz", "/Foo/Bar.baz[targ]", "/Foo/Bar.baz[targ].boom"});
  CHECK(texts(P(".bar[targ].boom").prefixes()) == V{".bar", ".bar[targ]", ".bar[targ].boom"});
  CHECK(texts(P("/A.rel1[/A/B.rel2[/A/B/C.rel3[/Blah].attr3].attr2].attr1").prefixes()) ==
        V{"/A", "/A.rel1", "/A.rel1[/A/B.rel2[/A/B/C.rel3[/Blah].attr3].attr2]",
          "/A.rel1[/A/B.rel2[/A/B/C.rel3[/Blah].attr3].attr2].attr1"});
  CHECK(texts(P("/A{v=x}B{w=}.c").prefixes()) == V{"/A", "/A{v=x}", "/A{v=x}B", "/A{v=x}B{w=}", "/A{v=x}B{w=}.c"});
  CHECK(texts(P("/A.b.mapper[/C].arg").prefixes()) == V{"/A", "/A.b", "/A.b.mapper[/C]", "/A.b.mapper[/C].arg"});
  CHECK(texts(P("../bar.rel[/targ].attr").prefixes()) ==
        V{"..", "../bar", "../bar.rel", "../bar.rel[/targ]", "../bar.rel[/targ].attr"});
  CHECK(P("/").prefixes().empty());
  CHECK(P(".").prefixes().empty());
}

TEST_CASE("Path structure is self-consistent", "[path]") {
  // Forward scanning (prefixes) and backward scanning (parent) must agree,
  // and every prefix must be valid text that is a prefix of the path.
  const char* paths[] = {
      "/A/B/C",  "A/B.c",      "../../A{v=x}B.c[/D.e].f",          "/A.r[/B.s[/C]].x.mapper[/D].y",
      "../.b",   ".a[/B].c",   "/A{v=.x}{w=a|b}C/D.e:f",           "/A.b.expression",
      "/A.mapper[/B.mapper[/C]]", "/A.expression", "/A.b.mapper[/C.mapper[/D]].expression",
      "/ß34/情報/información.x", "/A.r[../B{v=x}.c].d.expression",
  };
  for (const char* text : paths) {
    INFO(text);
    const Path p = P(text);
    const auto pre = p.prefixes();
    REQUIRE(pre.size() == p.elementCount());
    REQUIRE_FALSE(pre.empty());
    CHECK(pre.back() == p);
    for (std::size_t i = 0; i < pre.size(); ++i) {
      INFO(pre[i].string());
      CHECK(Path::parse(pre[i].string()) == std::optional<Path>(pre[i]));
      CHECK(p.hasPrefix(pre[i]));
      CHECK(pre[i].elementCount() == i + 1);
      // (The parent of a ".." prefix is one more "..", not the shorter prefix.)
      if (i > 0 && pre[i].name() != "..") CHECK(pre[i].parent() == pre[i - 1]);
    }
    if (pre.front().string() != "..")
      CHECK(pre.front().parent() == (p.isAbsolute() ? Path::absoluteRoot() : Path::reflexiveRelative()));
  }
}

TEST_CASE("Path primPath, primOrPrimVariantSelectionPath, stripAllVariantSelections", "[path]") {
  CHECK(P("/A/B/C").primPath() == P("/A/B/C"));
  CHECK(P("/A/B/C{set=sel}").primPath() == P("/A/B/C"));
  CHECK(P("/A/B{set=sel}C").primPath() == P("/A/B{set=sel}C"));
  CHECK(P("/A/B/C.foo:bar:baz").primPath() == P("/A/B/C"));
  CHECK(P("/A/B/C.foo[target].bar").primPath() == P("/A/B/C"));
  CHECK(P("A/B/C.foo[target].bar:baz").primPath() == P("A/B/C"));
  CHECK(P("../C.foo").primPath() == P("../C"));
  CHECK(P("../.foo[target].bar").primPath() == P(".."));
  CHECK(P("foo.bar[foo].bar").primPath() == P("foo"));
  CHECK(P("/A{v=x}.b").primPath() == P("/A"));
  CHECK(P(".").primPath().empty());
  CHECK(P(".foo").primPath().empty());
  CHECK(P("/").primPath().empty());

  CHECK(P("/A/B/C{set=sel}").primOrPrimVariantSelectionPath() == P("/A/B/C{set=sel}"));
  CHECK(P("/A/B/C{set=sel}.foo").primOrPrimVariantSelectionPath() == P("/A/B/C{set=sel}"));
  CHECK(P("/A/B/C{set=sel}.foo[target].bar:baz").primOrPrimVariantSelectionPath() == P("/A/B/C{set=sel}"));
  CHECK(P("A/B/C{set=sel}.foo[target].bar").primOrPrimVariantSelectionPath() == P("A/B/C{set=sel}"));
  CHECK(P("../C{set=sel}.foo").primOrPrimVariantSelectionPath() == P("../C{set=sel}"));
  CHECK(P("/A/B.c").primOrPrimVariantSelectionPath() == P("/A/B"));
  CHECK(P(".c").primOrPrimVariantSelectionPath().empty());
  CHECK(P("/").primOrPrimVariantSelectionPath().empty());

  CHECK(P("/foo/bar").stripAllVariantSelections() == P("/foo/bar"));
  CHECK(P("/foo/bar{var=sel}").stripAllVariantSelections() == P("/foo/bar"));
  CHECK(P("/foo/bar{var=sel}baz/frob").stripAllVariantSelections() == P("/foo/bar/baz/frob"));
  CHECK(P("/foo{bond=connery}bar{captain=picard}baz/frob{doctor=tennent}").stripAllVariantSelections() ==
        P("/foo/bar/baz/frob"));
  CHECK(P("/ᄆfoo{刷ꡟ=鞏bar}bar/baz/𓌘ascii𓋏").stripAllVariantSelections() == P("/ᄆfoo/bar/baz/𓌘ascii𓋏"));
  CHECK(P("../A{v=x}B.c").stripAllVariantSelections() == P("../A/B.c"));
  // Only the prim part is stripped; target paths are left alone.
  CHECK(P("/A{v=x}.r[/B{w=y}C]").stripAllVariantSelections() == P("/A.r[/B{w=y}C]"));
}

TEST_CASE("Path appendChild", "[path]") {
  CHECK(P("/foo").appendChild("bar") == P("/foo/bar"));
  CHECK(P("foo").appendChild("bar") == P("foo/bar"));
  CHECK(P("/").appendChild("bar") == P("/bar"));
  CHECK(P(".").appendChild("bar") == P("bar"));
  CHECK(P("..").appendChild("bar") == P("../bar"));
  CHECK(P("/A{v=x}").appendChild("bar") == P("/A{v=x}bar"));
  CHECK(P("/foo").appendChild("情報") == P("/foo/情報"));
  CHECK(P("/foo.prop").appendChild("bar").empty());
  CHECK(P("/foo.r[/B]").appendChild("bar").empty());
  CHECK(Path().appendChild("bar").empty());
  // ".." is the parent.
  CHECK(P("/A/B").appendChild("..") == P("/A"));
  CHECK(P("/A").appendChild("..") == P("/"));
  CHECK(P("A").appendChild("..") == P("."));
  CHECK(P("..").appendChild("..") == P("../.."));
  CHECK(P("/A{v=x}").appendChild("..") == P("/A"));
  CHECK(P("/").appendChild("..").empty());
  for (const char* bad : {"", "1a", "a.b", "a b", "a:b", "!@#$$>.", ".", "a/b", "a{"}) {
    INFO(bad);
    CHECK(P("/foo").appendChild(bad).empty());
  }
}

TEST_CASE("Path appendProperty and the other property appends", "[path]") {
  CHECK(P("/foo").appendProperty("prop") == P("/foo.prop"));
  CHECK(P("/foo").appendProperty("prop:foo:bar") == P("/foo.prop:foo:bar"));
  CHECK(P("/A{v=x}").appendProperty("p") == P("/A{v=x}.p"));
  CHECK(P(".").appendProperty("p") == P(".p"));
  CHECK(P("..").appendProperty("p") == P("../.p"));
  CHECK(P("/foo.prop").appendProperty("prop2").empty());
  CHECK(P("/").appendProperty("p").empty());
  CHECK(P("foo.bar").appendProperty("a").empty());
  for (const char* bad : {"", ".", "a:", ":a", "a::b", "1a", "a.b"}) {
    INFO(bad);
    CHECK(P("/foo").appendProperty(bad).empty());
  }

  CHECK(P("/foo.rel").appendTarget(P("/Bar/Baz")) == P("/foo.rel[/Bar/Baz]"));
  CHECK(P("/foo.rel[/T].a").appendTarget(P("/C.d")) == P("/foo.rel[/T].a[/C.d]"));
  CHECK(P("/foo").appendTarget(P("/Bar/Baz")).empty());
  CHECK(P("foo.bar").appendTarget(Path()).empty());
  CHECK(P("/foo.rel[/T]").appendTarget(P("/C")).empty());

  CHECK(P("/foo.rel[/Bar/Baz]").appendRelationalAttribute("attr") == P("/foo.rel[/Bar/Baz].attr"));
  CHECK(P("/foo.rel[/Bar/Baz]").appendRelationalAttribute("attr:foo:bar") == P("/foo.rel[/Bar/Baz].attr:foo:bar"));
  CHECK(P("/foo").appendRelationalAttribute("attr").empty());
  CHECK(P("/foo.rel").appendRelationalAttribute("attr").empty());
  CHECK(P("foo.prop[foo]").appendRelationalAttribute(".").empty());

  CHECK(P("/A.attr").appendMapper(P("/B.c")) == P("/A.attr.mapper[/B.c]"));
  CHECK(P("/A.r[/T].attr").appendMapper(P("/B.c")) == P("/A.r[/T].attr.mapper[/B.c]"));
  CHECK(P("foo").appendMapper(P("/conn.target")).empty());
  CHECK(P("foo.attr").appendMapper(Path()).empty());

  CHECK(P("/A.b").appendExpression() == P("/A.b.expression"));
  CHECK(P("/A.r[/B].c").appendExpression() == P("/A.r[/B].c.expression"));
  CHECK(P("foo").appendExpression().empty());
  CHECK(P("/A.r[/B]").appendExpression().empty());
}

TEST_CASE("Path appendVariantSelection", "[path]") {
  const Path p1 = P("/a");
  const Path p2 = p1.appendVariantSelection("x", "a");
  const Path p3 = p2.appendVariantSelection("y", "b");
  CHECK(p2 == P("/a{x=a}"));
  CHECK(p3 == P("/a{x=a}{y=b}"));
  // Repeated selections of the same set are allowed.
  CHECK(p2.appendVariantSelection("x", "a") == P("/a{x=a}{x=a}"));
  CHECK(p3.appendVariantSelection("x", "a") == P("/a{x=a}{y=b}{x=a}"));
  CHECK(p1 == p2.parent());
  CHECK(p2 == p3.parent());
  CHECK(p3.hasPrefix(p2));
  CHECK(p2.hasPrefix(p1));
  CHECK(p1.appendVariantSelection("x", "") == P("/a{x=}"));
  CHECK(P("/a/b").appendVariantSelection("x", ".y|z-w") == P("/a/b{x=.y|z-w}"));
  CHECK(P("/").appendVariantSelection("x", "a").empty());
  CHECK(P("/a.b").appendVariantSelection("x", "a").empty());
  CHECK(P("/a").appendVariantSelection("", "a").empty());
  CHECK(P("/a").appendVariantSelection("x}", "a").empty());
  CHECK(P("/a").appendVariantSelection("x", "a=b").empty());
  CHECK(P("/a").appendVariantSelection("x", "a b").empty());
}

TEST_CASE("Path appendPath", "[path]") {
  CHECK(P("/prim").appendPath(P(".")) == P("/prim"));
  CHECK(P("/").appendPath(P("A")) == P("/A"));
  CHECK(P("/A").appendPath(P("B")) == P("/A/B"));
  CHECK(P("/").appendPath(P("foo/bar.attr")) == P("/foo/bar.attr"));
  CHECK(P("/").appendPath(P("foo/bar.attr:argle:bargle")) == P("/foo/bar.attr:argle:bargle"));
  CHECK(P("/foo").appendPath(P("bar.attr")) == P("/foo/bar.attr"));
  CHECK(P("/foo").appendPath(P("bar.rel[/target].attr")) == P("/foo/bar.rel[/target].attr"));
  CHECK(P("/foo").appendPath(P("bar.attr[/target.attr]")) == P("/foo/bar.attr[/target.attr]"));
  CHECK(P("/foo").appendPath(P("bar.attr.mapper[/target].arg")) == P("/foo/bar.attr.mapper[/target].arg"));
  CHECK(P("/foo").appendPath(P(".attr")) == P("/foo.attr"));
  CHECK(P("/foo{v=x}").appendPath(P("B.c")) == P("/foo{v=x}B.c"));
  CHECK(P("/A/B").appendPath(P("../C")) == P("/A/C"));
  CHECK(P("/A/B").appendPath(P("../../C")) == P("/C"));
  CHECK(P("/A/B").appendPath(P("../../../C")).empty());
  CHECK(P("A").appendPath(P("../..")) == P(".."));
  CHECK(P("/prim").appendPath(P("/absolute")).empty());
  CHECK(P("/prim.attr").appendPath(P("prim")).empty());
  CHECK(P("/").appendPath(P(".prop")).empty());
  CHECK(Path().appendPath(P("A")).empty());
  CHECK(P("/A").appendPath(Path()).empty());
}

TEST_CASE("Path makeAbsolute", "[path]") {
  const Path anchor = P("/A/B/E/F/G");
  CHECK(P("../../../C/D").makeAbsolute(anchor) == P("/A/B/C/D"));
  CHECK(P("../../../C/D").makeAbsolute(P("/A")).empty());  // climbs past "/"
  CHECK(P("../../../..").makeAbsolute(anchor) == P("/A"));
  CHECK(P("../../.radius").makeAbsolute(anchor) == P("/A/B/E.radius"));
  CHECK(P("..").makeAbsolute(P("../../A/B")).empty());  // relative anchor
  CHECK(P("..").makeAbsolute(P("/A/B.radius")).empty());  // property anchor
  CHECK(P("..").makeAbsolute(Path()).empty());
  CHECK(anchor.makeAbsolute(anchor) == anchor);
  CHECK(P(".").makeAbsolute(anchor) == anchor);
  CHECK(P("..").makeAbsolute(P("/foo/bar")) == P("/foo"));
  CHECK(P("..").makeAbsolute(P("/foo")) == P("/"));
  CHECK(P("../..").makeAbsolute(P("/foo")).empty());
  CHECK(P("child").makeAbsolute(P("/")) == P("/child"));
  CHECK(P("../.attr").makeAbsolute(P("/foo/bar")) == P("/foo.attr"));
  CHECK(Path().makeAbsolute(P("/foo/bar")).empty());
  CHECK(P(".attr.mapper[/connection.target]").makeAbsolute(P("/foo/bar")) ==
        P("/foo/bar.attr.mapper[/connection.target]"));
  CHECK(P(".attr.mapper[/connection.target].arg").makeAbsolute(P("/foo/bar")) ==
        P("/foo/bar.attr.mapper[/connection.target].arg"));
  CHECK(P(".attr.expression").makeAbsolute(P("/foo/bar")) == P("/foo/bar.attr.expression"));
  CHECK(P("foo").makeAbsolute(P("foo")).empty());
  // The (last) target path is made absolute against the owning prim,
  // recursively, even when the path itself is already absolute.
  CHECK(P("/A/B/C/D.rel[../../E.rel[F.attr].attr].attr").makeAbsolute(P("/A/B")) ==
        P("/A/B/C/D.rel[/A/B/E.rel[/A/B/E/F.attr].attr].attr"));
  CHECK(P("C/D.rel[../../E.rel[F.attr].attr].attr").makeAbsolute(P("/A/B")) ==
        P("/A/B/C/D.rel[/A/B/E.rel[/A/B/E/F.attr].attr].attr"));
  CHECK(P("C.rel[../../X]").makeAbsolute(P("/A")) == P("/A/C.rel[/X]"));
  CHECK(P("C.rel[../../../X]").makeAbsolute(P("/A")).empty());  // target climbs past "/"
  // Variant-selection anchors.
  CHECK(P("B").makeAbsolute(P("/A{v=x}")) == P("/A{v=x}B"));
  CHECK(P(".").makeAbsolute(P("/A{v=x}")) == P("/A{v=x}"));
  CHECK(P("..").makeAbsolute(P("/A{v=x}B")) == P("/A{v=x}"));
  CHECK(P(".b").makeAbsolute(P("/A{v=x}")) == P("/A{v=x}.b"));
}

TEST_CASE("Path makeRelative", "[path]") {
  const Path anchor = P("/A/B/E/F/G");
  CHECK(P("/A/B/C/D").makeRelative(anchor) == P("../../../C/D"));
  CHECK(P("/H/I/J").makeRelative(anchor) == P("../../../../../H/I/J"));
  CHECK(P("/A/B/E/F/G/H/I/J.radius").makeRelative(anchor) == P("H/I/J.radius"));
  CHECK(P("/A.radius").makeRelative(P("/A/B")) == P("../.radius"));
  CHECK(P("/A.radius").makeRelative(P("H/I")).empty());
  CHECK(P("/A.radius").makeRelative(P("/A/B.radius")).empty());
  CHECK(P("/A.radius").makeRelative(Path()).empty());
  // Relative input is normalised to the fewest "..".
  CHECK(P("../../B/C/D").makeRelative(P("/A/B/C")) == P("D"));
  CHECK(P("../../../A").makeRelative(P("/A/B/C")) == P("../.."));
  CHECK(P("/foo/bar").makeRelative(P("/foo")) == P("bar"));
  CHECK(P("/foo").makeRelative(P("/foo")) == P("."));
  CHECK(P("/foo").makeRelative(P("/foo/bar")) == P(".."));
  CHECK(Path().makeRelative(P("/foo/bar")).empty());
  CHECK(P("foo").makeRelative(P("foo")).empty());
  CHECK(P("/source").makeRelative(P("/TestPrim")) == P("../source"));
  CHECK(P("/TestPrim/child").makeRelative(P("/TestPrim")) == P("child"));
  CHECK(P("/A.x").makeRelative(P("/A")) == P(".x"));
  CHECK(P("/").makeRelative(P("/A")) == P(".."));
  CHECK(P("/A/B").makeRelative(P("/")) == P("A/B"));
  CHECK(P("/A.rel[/B/C]").makeRelative(P("/A")) == P(".rel[/B/C]"));  // targets stay as they are
  CHECK(P("/A{v=x}B").makeRelative(P("/A{v=x}")) == P("B"));
  CHECK(P("/A{v=x}").makeRelative(P("/A{v=x}B")) == P(".."));
  // SdfPath spells a variant selection after ".." without a separator; such
  // text is not parseable, but it still round-trips through makeAbsolute.
  const Path odd = P("/A{v=x}B/C").makeRelative(P("/A{v=y}B"));
  CHECK(odd.string() == "../..{v=x}B/C");
  CHECK(odd.makeAbsolute(P("/A{v=y}B")) == P("/A{v=x}B/C"));
}

TEST_CASE("Path makeRelative / makeAbsolute round trips", "[path]") {
  const char* anchors[] = {"/", "/A", "/A/B", "/A/B/C/D", "/X/Y", "/A{v=x}", "/A{v=x}B"};
  const char* paths[] = {"/",          "/A",        "/A/B",     "/A/B/C",     "/A.b",          "/A/B.c:d",
                         "/X",         "/X/Y/Z.w",  "/A{v=x}B", "/A{v=x}B.c", "/A/B.r[/C].d",  "/Q/R.m.mapper[/S].t"};
  for (const char* a : anchors) {
    for (const char* p : paths) {
      INFO(p << " relative to " << a);
      const Path rel = P(p).makeRelative(P(a));
      REQUIRE_FALSE(rel.empty());
      CHECK_FALSE(rel.isAbsolute());
      CHECK(rel.makeAbsolute(P(a)) == P(p));
    }
  }
}

TEST_CASE("Path hasPrefix", "[path]") {
  CHECK_FALSE(Path().hasPrefix(P("A")));
  CHECK_FALSE(P("A").hasPrefix(Path()));
  CHECK(P("/Chars/Buzz_1/LArm.FB").hasPrefix(P("/Chars/Buzz_1")));
  CHECK_FALSE(P("/Chars/Buzz_1/LArm.FB").hasPrefix(P("Buzz_1")));
  CHECK(P("/A/B").hasPrefix(P("/A")));
  CHECK(P("/A.b").hasPrefix(P("/A")));
  CHECK(P("/A{v=x}B").hasPrefix(P("/A")));
  CHECK(P("/A{v=x}B").hasPrefix(P("/A{v=x}")));
  CHECK(P("/A{v=x}").hasPrefix(P("/A")));
  CHECK(P("/A").hasPrefix(P("/A")));
  CHECK(P("/A").hasPrefix(P("/")));
  CHECK(P("/").hasPrefix(P("/")));
  CHECK_FALSE(P("/AB").hasPrefix(P("/A")));
  CHECK_FALSE(P("/A.bc").hasPrefix(P("/A.b")));
  CHECK_FALSE(P("/A.b:c").hasPrefix(P("/A.b")));
  CHECK_FALSE(P("/A").hasPrefix(P("/A/B")));
  CHECK_FALSE(P("/A{v=x}").hasPrefix(P("/A{v=y}")));
  CHECK_FALSE(P("/A{v=xy}").hasPrefix(P("/A{v=x}")));
  CHECK_FALSE(P("A/B").hasPrefix(P("/")));
  CHECK_FALSE(P("/A").hasPrefix(P(".")));
  CHECK(P("A/B").hasPrefix(P(".")));
  CHECK(P("../A").hasPrefix(P("..")));
  CHECK(P("../..").hasPrefix(P("..")));
  CHECK(P("../.a").hasPrefix(P("..")));
  CHECK_FALSE(P("..").hasPrefix(P("../..")));
  CHECK(P("/A.r[/B].c").hasPrefix(P("/A.r")));
  CHECK(P("/A.r[/B].c").hasPrefix(P("/A.r[/B]")));
  CHECK_FALSE(P("/A.r[/B/C]").hasPrefix(P("/A.r[/B]")));
  CHECK(P("/A.b.mapper[/C].d").hasPrefix(P("/A.b")));
  CHECK_FALSE(P("/A.rel[/B]").hasPrefix(P("/B")));  // targets are not prefixes
}

TEST_CASE("Path replacePrefix", "[path]") {
  CHECK(P("/Chars/Buzz_1/LArm.FB").replacePrefix(P("/Chars/Buzz_1"), P("/Chars/Buzz_2")) ==
        P("/Chars/Buzz_2/LArm.FB"));
  // No match: unchanged.
  CHECK(P("/Chars/Buzz_2/LArm.FB").replacePrefix(P("/BadPrefix/Buzz_2"), P("/ReleasedChars/Buzz_2")) ==
        P("/Chars/Buzz_2/LArm.FB"));
  CHECK(P("/AB/C").replacePrefix(P("/A"), P("/X")) == P("/AB/C"));
  CHECK(P("/A.a[/B/C/D/E]").replacePrefix(P("/B/C/D/E"), P("/B/C/D/F")) == P("/A.a[/B/C/D/F]"));
  const Path p = P("/A/B.a[/C/D.a[/A/F.a]].a");
  CHECK(p.replacePrefix(P("/A"), P("/_"), false) == P("/_/B.a[/C/D.a[/A/F.a]].a"));
  CHECK(p.replacePrefix(P("/A"), P("/_"), true) == P("/_/B.a[/C/D.a[/_/F.a]].a"));
  CHECK(P("/Model/Sym/B.r[/Model/Sym/B.x]").replacePrefix(P("/Model/Sym/B.x"), P("/Model/Sym/B.x2")) ==
        P("/Model/Sym/B.r[/Model/Sym/B.x2]"));
  CHECK(P("/a.rel[/target]").replacePrefix(P("/target"), P("/other/target")) == P("/a.rel[/other/target]"));
  CHECK(P("/a.rel[/target]").replacePrefix(P("/target"), P("/other/target"), false) == P("/a.rel[/target]"));
  // Empty prefixes give the empty path; the empty path stays empty.
  CHECK(P("/A/B").replacePrefix(Path(), P("/C")).empty());
  CHECK(P("/A/B").replacePrefix(P("/A"), Path()).empty());
  CHECK(Path().replacePrefix(P("/A"), P("/B")).empty());
  CHECK(P("foo").replacePrefix(P("bar"), P("bar")) == P("foo"));

  CHECK(P("/a").replacePrefix(P("/a"), P("/b")) == P("/b"));
  CHECK(P("/a/b").replacePrefix(P("/a"), P("/b")) == P("/b/b"));
  CHECK(P("a").replacePrefix(P("a"), P("b")) == P("b"));
  CHECK(P("foo/bar").replacePrefix(P("foo"), P("bar")) == P("bar/bar"));
  CHECK(P("foo.bar").replacePrefix(P("foo"), P("bar")) == P("bar.bar"));
  CHECK(P("foo.bar:baz").replacePrefix(P("foo"), P("bar")) == P("bar.bar:baz"));
  CHECK(P("foo.bar[/foo].attr").replacePrefix(P("foo.bar"), P("a.b")) == P("a.b[/foo].attr"));
  CHECK(P("/foo.bar[foo.bar].attr").replacePrefix(P("foo.bar"), P("a.b")) == P("/foo.bar[a.b].attr"));
  CHECK(P("/foo.bar[foo.bar].attr:baz").replacePrefix(P("foo.bar"), P("a.b")) == P("/foo.bar[a.b].attr:baz"));
  CHECK(P("/foo.bar[/foo.bar].attr").replacePrefix(P("/foo.bar"), P("/a.b")) == P("/a.b[/a.b].attr"));
  CHECK(P("/foo.bar[/foo.bar[/foo.bar].attr].attr").replacePrefix(P("/foo.bar"), P("/a.b")) ==
        P("/a.b[/a.b[/a.b].attr].attr"));
  CHECK(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr]").replacePrefix(P("/foo"), P("/a/b")) ==
        P("/a/b.rel[/a/b/prim].relAttr.mapper[/a/b/prim.attr]"));
  CHECK(P("bar.rel[/foo/prim].relAttr.mapper[/foo/prim.attr]").replacePrefix(P("/foo"), P("/a/b")) ==
        P("bar.rel[/a/b/prim].relAttr.mapper[/a/b/prim.attr]"));
  CHECK(P("../bar").replacePrefix(P(".."), P("bar")) == P("bar/bar"));
  CHECK(P("/a{x=a}{y=b}").replacePrefix(P("/a{x=a}"), P("/b")) == P("/b{y=b}"));
  CHECK(P("/A{v=x}B/C").replacePrefix(P("/A{v=x}B"), P("/D")) == P("/D/C"));
  CHECK(P("/A/B/C").replacePrefix(P("/A/B"), P("/X{v=y}")) == P("/X{v=y}C"));
  CHECK(P("/A/B").replacePrefix(P("/"), P("/X")) == P("/X/A/B"));
  CHECK(P("/A/B").replacePrefix(P("/A"), P("/")) == P("/B"));
  CHECK(P("/A.x").replacePrefix(P("/A.x"), P("/B.y")) == P("/B.y"));
  // A property-like old prefix only matches under the same prim.
  CHECK(P("/B.x[/A.x]").replacePrefix(P("/A.x"), P("/C.x")) == P("/B.x[/C.x]"));
  // A target cannot hang off a prim: the result is the empty path.
  CHECK(P("/A.b[/T].c").replacePrefix(P("/A.b"), P("/X")).empty());
}

TEST_CASE("Path commonPrefix", "[path]") {
  CHECK(P("/a").commonPrefix(P("/a")) == P("/a"));
  CHECK(P("/a/b").commonPrefix(P("/a/b")) == P("/a/b"));
  CHECK(P("/a.b").commonPrefix(P("/a.b")) == P("/a.b"));
  CHECK(P("/a/b").commonPrefix(P("/b/a")) == P("/"));
  CHECK(P("/a/b/c").commonPrefix(P("/a/b")) == P("/a/b"));
  CHECK(P("/a/b").commonPrefix(P("/a/b/c")) == P("/a/b"));
  CHECK(P("/a/b.c").commonPrefix(P("/a/b")) == P("/a/b"));
  CHECK(P("/a/b").commonPrefix(P("/a/b.c")) == P("/a/b"));
  CHECK(P("/foo.bar[/foo].attr").commonPrefix(P("/foo.foo[/foo].attr")) == P("/foo"));
  CHECK(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr]")
            .commonPrefix(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr]")) ==
        P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr]"));
  CHECK(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr].x")
            .commonPrefix(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr].y")) ==
        P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr]"));
  CHECK(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr1]")
            .commonPrefix(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr2]")) ==
        P("/foo.rel[/foo/prim].relAttr"));
  CHECK(P("/foo.rel[/foo/prim].relAttr.mapper[/foo/prim.attr]")
            .commonPrefix(P("/foo.rel[/foo/prim2].relAttr.mapper[/foo/prim.attr]")) == P("/foo.rel"));
  CHECK(P("foo").commonPrefix(Path()).empty());
  CHECK(P("/A").commonPrefix(P("B")).empty());
  CHECK(P("A/B").commonPrefix(P("A/C")) == P("A"));
  CHECK(P("A").commonPrefix(P("B")) == P("."));
  CHECK(P(".x").commonPrefix(P(".y")) == P("."));
  CHECK(P("../.x").commonPrefix(P("../.y")) == P(".."));
  CHECK(P("/AB").commonPrefix(P("/A")) == P("/"));
  CHECK(P("/A{v=x}B").commonPrefix(P("/A{v=x}C")) == P("/A{v=x}"));
  CHECK(P("/A{v=x}B").commonPrefix(P("/A{v=y}B")) == P("/A"));
}

TEST_CASE("Path identifier helpers", "[path]") {
  CHECK(usdkit::isValidIdentifier("foo"));
  CHECK(usdkit::isValidIdentifier("_foo1"));
  CHECK(usdkit::isValidIdentifier("情報"));
  CHECK_FALSE(usdkit::isValidIdentifier(""));
  CHECK_FALSE(usdkit::isValidIdentifier("1foo"));
  CHECK_FALSE(usdkit::isValidIdentifier("foo:bar"));
  CHECK(usdkit::isValidNamespacedIdentifier("foo:bar:baz"));
  CHECK(usdkit::isValidNamespacedIdentifier("foo"));
  CHECK_FALSE(usdkit::isValidNamespacedIdentifier("foo::baz"));
  CHECK_FALSE(usdkit::isValidNamespacedIdentifier(":foo"));
  CHECK_FALSE(usdkit::isValidNamespacedIdentifier("foo:"));
  CHECK_FALSE(usdkit::isValidNamespacedIdentifier("0:abc"));
}

TEST_CASE("Path hashing and equality", "[path]") {
  const Path a = P("/A/B.c");
  const Path b = P("/A").appendChild("B").appendProperty("c");
  CHECK(a == b);
  CHECK(std::hash<Path>()(a) == std::hash<Path>()(b));
  CHECK_FALSE(a == P("/A/B.d"));
}

TEST_CASE("Path long paths beyond the inline buffers", "[path]") {
  // More elements and characters than the scanners keep on the stack.
  Path p = Path::absoluteRoot();
  std::string expected;
  for (int i = 0; i < 60; ++i) {
    const std::string name = "Prim_" + std::to_string(i) + "_with_a_fairly_long_name";
    p = p.appendChild(name);
    expected += "/" + name;
  }
  REQUIRE(p.string() == expected);
  CHECK(p.elementCount() == 60);
  CHECK(P(expected) == p);
  const Path prop = p.appendProperty("rel").appendTarget(p).appendRelationalAttribute("attr");
  CHECK(prop.elementCount() == 63);
  CHECK(prop.isRelationalAttributePath());
  CHECK(prop.targetPath() == p);
  CHECK(prop.parent().parent() == p.appendProperty("rel"));
  const auto pre = prop.prefixes();
  REQUIRE(pre.size() == 63);
  CHECK(pre[59] == p);
  const Path moved = prop.replacePrefix(P("/Prim_0_with_a_fairly_long_name"), P("/X"));
  CHECK(moved.string().substr(0, 3) == "/X/");
  CHECK(moved.targetPath().string().substr(0, 3) == "/X/");
  CHECK(moved.elementCount() == 63);
  CHECK(p.makeRelative(pre[9]).makeAbsolute(pre[9]) == p);
  CHECK(pre[10] < pre[11]);
  CHECK(pre[11] < prop);
}

TEST_CASE("Path text is made on demand and matches its size", "[path]") {
  for (const char* text : {"/", ".", "..", "../../A.b", "../.x", "/A{v=x}B.c[/T.u].d", "A/B", ".x", "/A.r.mapper[/B.c].arg",
                            "/A.r.expression", "/A/B{s=t}C"}) {
    INFO(text);
    const Path p = P(text);
    CHECK(p.string() == text);
    CHECK(p.textSize() == std::string_view(text).size());
    std::string out = "x";
    p.appendText(out);
    CHECK(out == std::string("x") + text);
  }
  CHECK(Path().string().empty());
  CHECK(Path().textSize() == 0);
  CHECK(P("/A/B").elementText() == "B");
  CHECK(P("/A{v=x}").elementText() == "{v=x}");
  CHECK(P("/A{v=x}B").elementText() == "B");
  CHECK(P("/A.b").elementText() == ".b");
  CHECK(P("../.b").elementText() == ".b");
  CHECK(P("/A.b[/T]").elementText() == "[/T]");
  CHECK(P("/A.b.mapper[/T]").elementText() == ".mapper[/T]");
  CHECK(P("/A.b.mapper[/T].x").elementText() == ".x");
  CHECK(P("/A.b.expression").elementText() == ".expression");
  CHECK(P("..").elementText() == "..");
  CHECK(Path::absoluteRoot().elementText().empty());
  CHECK(Path::reflexiveRelative().elementText().empty());
}

TEST_CASE("Path 100,000 elements deep: appending, text and queries", "[path]") {
  // Each node holds one element, so a deep path costs its length once: the
  // walk below would take gigabytes if every prefix kept its own text.
  const std::string name(40, 'n');
  Path p = Path::absoluteRoot();
  for (int i = 0; i < 100000; ++i) p = p.appendChild(name);
  CHECK(p.elementCount() == 100000);
  CHECK(p.textSize() == 100000 * 41);
  const std::string text = p.string();
  REQUIRE(text.size() == 100000 * 41);
  CHECK(Path::fromCanonical(text) == p);
  const Path sibling = p.parent().appendChild("other");
  CHECK((sibling < p) == (std::string_view("other") < std::string_view(name)));
  CHECK(sibling.commonPrefix(p) == p.parent());
  CHECK(p.hasPrefix(p.prefixes()[50000]));
  const Path moved = p.replacePrefix(p.prefixes()[99990], P("/X"));
  CHECK(moved.elementCount() == 10);
  CHECK(moved.string().substr(0, 3) == "/X/");
}

TEST_CASE("Path parse survives random text", "[path]") {
  // Whatever parses must be canonical, stable, and safe to take apart.
  // Random edits of valid paths, so braces and brackets are exercised too.
  const std::string alphabet = "/./.{}[]=AB_ :|-\t1xe";
  const std::vector<std::string> seeds = {
      "/A{v=x}B.r[/C{w=y}.d].e.mapper[/F].g", "../.a[../B].c.expression", "/A.b[/C.d[/E]].f[/G]",
      "A/B{v=.x|y}{w=}C.d:e", "/A.b.mapper[../C.d].arg", "../../A.r[.].x",
  };
  std::mt19937 rng(4242);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> edits(1, 3);
  int accepted = 0;
  for (int i = 0; i < 60000; ++i) {
    std::string s = seeds[i % seeds.size()];
    for (int k = edits(rng); k > 0; --k) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, s.size())(rng);
      switch (rng() % 3) {
        case 0:
          if (at < s.size()) s.erase(at, 1);
          break;
        case 1:
          s.insert(at, 1, alphabet[pick(rng)]);
          break;
        default:
          s.insert(at, s.substr(at / 2, at - at / 2));
      }
    }
    const auto p = Path::parse(s);
    if (!p || p->empty()) continue;
    ++accepted;
    INFO("<" << s << "> -> <" << p->string() << ">");
    REQUIRE(Path::parse(p->string()) == p);
    const auto pre = p->prefixes();
    REQUIRE(pre.size() == p->elementCount());
    for (const Path& q : pre) REQUIRE(p->hasPrefix(q));
    if (!pre.empty()) REQUIRE(pre.back() == *p);
    (void)p->parent();
    (void)p->name();
    (void)p->primPath();
    REQUIRE_FALSE(*p < *p);
  }
  CHECK(accepted > 100);
}

TEST_CASE("Path operations on non-canonical text do not hang or crash", "[path]") {
  // fromCanonical trusts its input; misuse may give odd answers, but must
  // stay memory-safe and terminate.
  const std::string alphabet = "/./.{}[]=AB:_";
  std::mt19937 rng(9);
  const Path anchor = P("/A");
  const Path z = P("/Z");
  std::size_t sink = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 10);
    for (int k = 0; k < n; ++k) s += alphabet[rng() % alphabet.size()];
    const Path p = Path::fromCanonical(s);
    const Path q = Path::fromCanonical(alphabet.substr(rng() % 5, 1 + rng() % 6));
    sink += p.isPrimPath() + p.isPropertyPath() + p.isTargetPath() + p.isMapperPath() + p.isExpressionPath() +
            p.isRelationalAttributePath() + p.isRootPrimPath() + p.containsPrimVariantSelection() + p.hasPrefix(q) +
            (p < q) + (q < p);
    sink += p.name().size() + p.variantSelection().first.size() + p.targetPath().string().size() +
            p.parent().string().size() + p.primPath().string().size() + p.primOrPrimVariantSelectionPath().string().size() +
            p.stripAllVariantSelections().string().size() + p.appendChild("x").string().size() +
            p.appendProperty("y").string().size() + p.appendPath(q).string().size() +
            p.makeAbsolute(anchor).string().size() + p.makeRelative(anchor).string().size() +
            p.replacePrefix(q, z).string().size() + p.commonPrefix(q).string().size() + p.elementCount() +
            p.prefixes().size();
  }
  CHECK(sink > 0);
}

TEST_CASE("Path every way of making a path gives the same path", "[path]") {
  // Paths are nodes found under their parent: appending, parsing and
  // taking parents must meet at the same node, also past the point where a
  // parent's children move from a list into an index.
  std::vector<Path> made;
  const Path root = P("/Fan");
  for (int i = 0; i < 40; ++i) made.push_back(root.appendChild("C" + std::to_string(i)));
  std::mt19937 rng(11);
  std::vector<int> order(40);
  for (int i = 0; i < 40; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (int i : order) {
    INFO(i);
    const std::string text = "/Fan/C" + std::to_string(i);
    CHECK(P(text) == made[i]);
    CHECK(Path::fromCanonical(text) == made[i]);
    CHECK(made[i].parent() == root);
    const Path prop = P(text + ".attr");
    CHECK(prop == made[i].appendProperty("attr"));
    CHECK(prop.parent() == made[i]);
    CHECK(P(text + "{v=a}B") == made[i].appendVariantSelection("v", "a").appendChild("B"));
    CHECK(P(text + "{v=a}B").parent().parent() == made[i]);
  }
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j) CHECK((made[i] == made[j]) == (i == j));
  // Relative paths hang below ".", ".." chains below each other.
  CHECK(P("../../A") == P("..").appendChild("..").appendChild("A"));
  CHECK(P("../../A").parent() == P("../.."));
  CHECK(P("../.x").parent() == P(".."));
  CHECK(P("A/B").parent().parent() == Path::reflexiveRelative());
  CHECK(P("/A").parent() == Path::absoluteRoot());
}
