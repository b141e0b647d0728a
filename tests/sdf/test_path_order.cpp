// SdfPath's ordering (Path's operator<), from the rules in
// OpenUSD's path.cpp and pathNode.h and orders worked out by hand from them.

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "PathTestSupport.h"
#include "sdf/Path.h"

using path_test::P;
using path_test::texts;
using usdkit::Path;

TEST_CASE("Path ordering follows SdfPath", "[path]") {
  // Hand-sorted: absolute before relative; the prim part decides before the
  // property part; a prefix sorts before its extensions; prim children
  // before variant selections; property < target < mapper < relational
  // attribute < mapper arg < expression; names and selections byte-wise.
  const std::vector<std::string> expected = {
      "/",
      "/Bar",
      "/Foo",
      "/Foo.prop1",
      "/Foo.prop1[/FooTarget.bar]",
      "/Foo.prop1[/FooTarget.bar].barAttr",
      "/Foo.prop1[/FooTarget.bar].fooAttr",
      "/Foo.prop1[/FooTarget.bar].fooAttr:bar:baz",
      "/Foo.prop1[/Target1]",
      "/Foo.prop1[/Target1].barAttr",
      "/Foo.prop1[/Target1].fooAttr",
      "/Foo.prop1[/Target1].fooAttr[/ConnTarget1.attr]",
      "/Foo.prop1[/Target1].fooAttr[/ConnTarget2.attr]",
      "/Foo.prop1[/Target1].fooAttr.mapper[/ConnTarget1.attr]",
      "/Foo.prop1[/Target1].fooAttr.mapper[/ConnTarget1.attr].barArg",
      "/Foo.prop1[/Target1].fooAttr.mapper[/ConnTarget1.attr].fooArg",
      "/Foo.prop1[/Target1].fooAttr.mapper[/ConnTarget2.attr]",
      "/Foo.prop1[/Target1].fooAttr.expression",
      "/Foo.prop1.mapper[/ConnTarget1.attr]",
      "/Foo.prop1.mapper[/ConnTarget1.attr].barArg",
      "/Foo.prop1.mapper[/ConnTarget1.attr].fooArg",
      "/Foo.prop1.mapper[/ConnTarget2.attr]",
      "/Foo.prop1.expression",
      "/Foo.prop2",
      "/Foo.prop3:bar:baz",
      "/Foo/Bar",
      "/Foo/Bar.bar",
      "/Foo/Bar.foo",
      "/Foo/Foo",
      "/Foo{v=}",
      "/Foo{v=a}",
      "/Foo{v=a}Child",
      "/Foo{v=a}{w=b}",
      "/Foo{v=b}",
      "/Foo{v-x=a}",
      "/Foo{w=a}",
      "/ß",
      ".",
      ".a",
      "..",
      "../.a",
      "../..",
      "../A",
      "A",
      "A.b",
      "A/B",
      "Z",
      "_x",
      "a",
  };
  std::vector<Path> paths;
  for (const auto& s : expected) paths.push_back(P(s));
  for (std::size_t i = 0; i + 1 < paths.size(); ++i) {
    INFO(expected[i] << " < " << expected[i + 1]);
    CHECK(paths[i] < paths[i + 1]);
    CHECK_FALSE(paths[i + 1] < paths[i]);
    CHECK_FALSE(paths[i] < paths[i]);
  }
  // Element-wise, not byte-wise: "A" < "AB" and "A" < "A_" decide before
  // anything that follows the first element.
  CHECK(P("/A/Z") < P("/AB"));
  CHECK(P("/A/Z") < P("/A_"));
  CHECK(P("/A.z") < P("/A/B"));
  CHECK(P("/A/B") < P("/A{v=x}"));
  CHECK(P("/A{v=x}Z") < P("/A{v-=a}"));  // set "v" < "v-", unlike the bytes "v=" / "v-"
  CHECK(P("/A.b[/Z]") < P("/A.b.mapper[/A]"));
  CHECK(P("/A.b.mapper[/Z]") < P("/A.b.expression"));
  CHECK(P("/A.b[/B.c]") < P("/A.b[/B/C]"));  // the targets compare as paths
  CHECK(Path() < P("/"));
  CHECK_FALSE(Path() < Path());
  CHECK_FALSE(P("aaa") < Path());
  CHECK(P("aaa") < P("aab"));

  std::mt19937 rng(12345);
  for (int round = 0; round < 5; ++round) {
    std::vector<Path> shuffled = paths;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::sort(shuffled.begin(), shuffled.end());
    CHECK(texts(shuffled) == expected);
  }
}

TEST_CASE("Path order with long shared prefixes", "[path]") {
  // Siblings that share long name prefixes; where they part falls on a
  // separator, a name byte or the end of one path.
  const std::vector<std::string> expected = {
      "/",
      "/LongPrimName_0001",
      "/LongPrimName_0001.attribute",
      "/LongPrimName_0001.attribute_b",
      "/LongPrimName_0001.attributeb",
      "/LongPrimName_0001.attributes:x",
      "/LongPrimName_0001/Child",
      "/LongPrimName_0001/Child.a",
      "/LongPrimName_0001/Child/Grandchild_with_a_long_name",
      "/LongPrimName_0001/Child{v=a}",
      "/LongPrimName_0001/Child_",
      "/LongPrimName_0001{v=a}",
      "/LongPrimName_00010",
      "/LongPrimName_0001_",
      "/LongPrimName_0002.a[/T]",
      "/LongPrimName_0002.b",
      "A/B",
  };
  std::vector<Path> paths;
  for (const auto& s : expected) paths.push_back(P(s));
  for (std::size_t i = 0; i < paths.size(); ++i) {
    for (std::size_t j = 0; j < paths.size(); ++j) {
      INFO(expected[i] << " vs " << expected[j]);
      CHECK((paths[i] < paths[j]) == (i < j));
    }
  }
}
