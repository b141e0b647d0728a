// Path expressions made absolute (sdf/PathExpressionText.h).
#include <catch2/catch.hpp>

#include "sdf/PathExpressionText.h"

using namespace usdkit;

TEST_CASE("relative patterns of a path expression are made absolute at the owning prim", "[path][expression]") {
  const Path anchor = *Path::parse("/Prop/geom");
  CHECK(makePathExpressionAbsolute("//foo ../anim//*bar", anchor) == "//foo /Prop/anim//*bar");
  CHECK(makePathExpressionAbsolute("child", anchor) == "/Prop/geom/child");
  CHECK(makePathExpressionAbsolute("*", anchor) == "/Prop/geom/*");
  CHECK(makePathExpressionAbsolute("a/b*/c", anchor) == "/Prop/geom/a/b*/c");
  CHECK(makePathExpressionAbsolute("../*", anchor) == "/Prop/*");
  CHECK(makePathExpressionAbsolute(".", anchor) == "/Prop/geom");
  CHECK(makePathExpressionAbsolute("..//x", anchor) == "/Prop//x");
  // Operators, groups, references and predicates stay as written.
  CHECK(makePathExpressionAbsolute("(a + /B) - %_ & ~c{isa:Mesh}", anchor) ==
        "(/Prop/geom/a + /B) - %_ & ~/Prop/geom/c{isa:Mesh}");
  CHECK(makePathExpressionAbsolute("x{hasAPI:CollectionAPI and kind(model)}", anchor) ==
        "/Prop/geom/x{hasAPI:CollectionAPI and kind(model)}");
  CHECK(makePathExpressionAbsolute("", anchor).empty());
  CHECK(makePathExpressionAbsolute("/A//B", anchor) == "/A//B");
}
