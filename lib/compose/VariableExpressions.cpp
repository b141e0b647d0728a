#include "compose/VariableExpressions.h"

#include "base/NumberFormat.h"

namespace usdkit {

bool isVariableExpression(std::string_view text) noexcept {
  return text.size() >= 2 && text.front() == '`' && text.back() == '`';
}

Expected<std::string> evaluateVariableExpression(std::string_view text, const ExpressionVariables& variables) {
  std::string_view expr = text.substr(1, text.size() - 2);
  std::size_t i = 0;
  while (i < expr.size() && expr[i] == ' ') ++i;
  // A variable on its own: its value (`${NAME}`).
  if (expr.substr(i, 2) == "${") {
    const std::size_t close = expr.find('}', i + 2);
    if (close == std::string_view::npos) return makeError("Missing ending '}' at character " + std::to_string(expr.size()));
    if (expr.find_first_not_of(' ', close + 1) != std::string_view::npos)
      return makeError("Unexpected text after the variable at character " + std::to_string(close + 1) +
                       " (only string literals, variables and None are evaluated)");
    const std::string name(expr.substr(i + 2, close - i - 2));
    auto it = variables.find(name);
    if (it == variables.end()) return makeError("No value for expression variable '" + name + "'");
    return it->second;
  }
  // None: no value (an expression asset path that gives none drops its arc).
  const std::string_view rest = expr.substr(i, expr.find_last_not_of(' ') + 1 - std::min(i, expr.size()));
  if (rest == "None" || rest == "none") return std::string();
  if (i >= expr.size() || (expr[i] != '"' && expr[i] != '\''))
    return makeError("Expected a string literal, a variable or None at character " + std::to_string(i) +
                     " (expression functions are not evaluated yet)");
  const char quote = expr[i++];
  std::string out;
  while (true) {
    if (i >= expr.size()) return makeError("Missing ending quote at character " + std::to_string(i));
    char c = expr[i];
    if (c == quote) break;
    if (c == '\\' && i + 1 < expr.size()) {
      out += expr[i + 1];
      i += 2;
      continue;
    }
    if (c == '$' && i + 1 < expr.size() && expr[i + 1] == '{') {
      std::size_t close = expr.find('}', i + 2);
      std::size_t endQuote = expr.find(quote, i + 2);
      if (close == std::string_view::npos || (endQuote != std::string_view::npos && endQuote < close))
        return makeError("Missing ending '}' at character " + std::to_string(expr.size()));
      std::string name(expr.substr(i + 2, close - i - 2));
      auto it = variables.find(name);
      if (it == variables.end()) return makeError("No value for expression variable '" + name + "'");
      out += it->second;
      i = close + 1;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

ExpressionVariables layerExpressionVariables(const Layer& layer) {
  ExpressionVariables vars;
  const Value* raw = layer.pseudoRoot().get(Token("expressionVariables"));
  if (!raw) return vars;
  // A crate file's dictionaries are read when first used.
  const Expected<Value> loaded = raw->loaded();
  const Dictionary* dict = loaded ? loaded->getIf<Dictionary>() : nullptr;
  if (!dict) return vars;
  for (const auto& [key, value] : dict->entries) {
    if (const std::string* s = value.getIf<std::string>()) vars[key] = *s;
    else if (const bool* b = value.getIf<bool>()) vars[key] = *b ? "true" : "false";
    else if (const std::int64_t* l = value.getIf<std::int64_t>()) vars[key] = std::to_string(*l);
    else if (const std::int32_t* n = value.getIf<std::int32_t>()) vars[key] = std::to_string(*n);
  }
  return vars;
}

}  // namespace usdkit
