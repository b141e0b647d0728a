// Variable expressions (OpenUSD's SdfVariableExpression): text in backquotes
// in asset paths of references, payloads and sublayers, in variant
// selections and asset-valued attributes, evaluated with a layer stack's
// `expressionVariables`. The language: string literals with ${NAME}
// substitutions, ${NAME} on its own, integers, true/false, None, lists, and
// the functions if, eq, neq, lt, leq, gt, geq, and, or, not, contains, at,
// len and defined.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/Expected.h"
#include "sdf/Layer.h"

namespace usdkit {

// A value of the expression language: None (monostate), a string, a bool,
// an integer or a list of one of them; EmptyList is a list of no type yet.
struct EmptyExpressionList {
  friend auto operator<=>(const EmptyExpressionList&, const EmptyExpressionList&) = default;
};
using ExpressionValue = std::variant<std::monostate, std::string, bool, std::int64_t, std::vector<std::string>,
                                     std::vector<bool>, std::vector<std::int64_t>, EmptyExpressionList>;
using ExpressionVariables = std::map<std::string, ExpressionValue>;

// True when `text` is a variable expression (enclosed in backquotes).
bool isVariableExpression(std::string_view text) noexcept;
// Evaluates an expression that must give a string (or None: an empty
// string). The error text is OpenUSD's ("Missing ending '}' at character
// 9"; several errors joined with "; "), without naming where the expression
// came from.
Expected<std::string> evaluateVariableExpression(std::string_view text, const ExpressionVariables& variables);
// The `expressionVariables` metadata of a layer (values of other types than
// the language's are left out).
ExpressionVariables layerExpressionVariables(const Layer& layer);

}  // namespace usdkit
