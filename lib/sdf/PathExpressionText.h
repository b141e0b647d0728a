// Path expressions (`pathExpression` values, OpenUSD's SdfPathExpression)
// as text: what the stage does to the paths in them. A value keeps the
// expression's text; only the paths its patterns start with change.
#pragma once

#include <string>
#include <string_view>

#include "sdf/Path.h"

namespace usdkit {

// The expression with every relative pattern made absolute against
// `anchor` (the prim that owns the value): "../anim//*bar" at /Prop/geom
// is "/Prop/anim//*bar", "child" is "/Prop/geom/child", "*" is
// "/Prop/geom/*". Absolute patterns, expression references ("%_") and
// operators are kept as written; a pattern whose leading path does not
// parse is kept too.
std::string makePathExpressionAbsolute(std::string_view text, const Path& anchor);

}  // namespace usdkit
