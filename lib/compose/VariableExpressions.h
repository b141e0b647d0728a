// Variable expressions in asset paths (`"./${NAME}.usda"`): a backquoted
// string literal in which ${NAME} is replaced by the layer stack's
// expression variable NAME.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/Expected.h"
#include "sdf/Layer.h"

namespace usdkit {

using ExpressionVariables = std::map<std::string, std::string>;

// True when `text` is a variable expression (enclosed in backquotes).
bool isVariableExpression(std::string_view text) noexcept;

// Evaluates an expression; the error text is OpenUSD's ("Missing ending
// '}' at character 9"), without naming where the expression came from.
Expected<std::string> evaluateVariableExpression(std::string_view text, const ExpressionVariables& variables);

// The `expressionVariables` metadata of a layer, values as text.
ExpressionVariables layerExpressionVariables(const Layer& layer);

}  // namespace usdkit
