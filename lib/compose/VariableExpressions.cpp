// The variable expression language; see VariableExpressions.h. A recursive
// descent parser that evaluates as it goes (OpenUSD evaluates every
// argument, both branches of `if` included, so nothing is skipped), with
// nesting bounded: the text comes from input files.
#include "compose/VariableExpressions.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace usdkit {

namespace {

constexpr int kMaxNesting = 32;            // brackets and calls in one expression
constexpr std::size_t kMaxVariableDepth = 16;  // variables whose values are expressions, nested

const char* typeName(const ExpressionValue& v) {
  switch (v.index()) {
    case 0: return "None";
    case 1: return "string";
    case 2: return "bool";
    case 3: return "int";
    default: return "list";
  }
}

// A value, or the errors met computing it.
struct Result {
  ExpressionValue value;
  std::vector<std::string> errors;
  static Result error(std::string e) { return {ExpressionValue(), {std::move(e)}}; }
  bool failed() const { return !errors.empty(); }
};

// Thrown (and caught in evaluate()) for text that does not parse: OpenUSD
// reports the first such error and nothing else.
struct ParseError {
  std::string message;
  std::size_t at;
};

bool isIdentifierStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Evaluator {
 public:
  Evaluator(std::string_view text, const ExpressionVariables& variables, std::vector<std::string>& variableStack)
      : text_(text), vars_(variables), stack_(variableStack) {}

  Result run() {
    try {
      if (text_.empty() || text_.front() != '`') throw ParseError{"Expressions must begin with '`'", 0};
      pos_ = 1;
      Result r = expression(0);
      if (pos_ >= text_.size() || text_[pos_] != '`') throw ParseError{"Missing ending '`'", pos_};
      if (pos_ + 1 != text_.size()) throw ParseError{"Unexpected expression", pos_};
      return r;
    } catch (const ParseError& e) {
      return Result::error(e.message + " at character " + std::to_string(e.at));
    }
  }

 private:
  std::string_view text_;
  const ExpressionVariables& vars_;
  std::vector<std::string>& stack_;  // variables being expanded, for cycles
  std::size_t pos_ = 0;

  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  void skipSpaces() {
    while (peek() == ' ') ++pos_;
  }
  bool keyword(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word || isIdentifierChar(peek(word.size()))) return false;
    pos_ += word.size();
    return true;
  }
  std::string identifier(const char* error) {
    if (!isIdentifierStart(peek())) throw ParseError{error, pos_};
    const std::size_t start = pos_;
    while (isIdentifierChar(peek())) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  // Items separated by commas (spaces around them allowed) up to `close`,
  // which is consumed; the opening bracket already was.
  template <class ParseItem>
  std::vector<Result> separated(char close, const char* missing, ParseItem parseItem) {
    std::vector<Result> items;
    skipSpaces();
    if (peek() != close) {
      while (true) {
        skipSpaces();
        items.push_back(parseItem());
        skipSpaces();
        if (peek() != ',') break;
        ++pos_;
      }
    }
    skipSpaces();
    if (peek() != close) throw ParseError{missing, pos_};
    ++pos_;
    return items;
  }

  // "${NAME}" at the current position: the name.
  std::string variableReference() {
    pos_ += 2;
    std::string name = identifier("Variables must be a C identifier");
    if (peek() != '}') throw ParseError{"Missing ending '}'", pos_};
    ++pos_;
    return name;
  }

  Result expression(int depth) {
    if (peek() == '[') return list(depth);
    return scalar(depth);
  }

  Result scalar(int depth) {
    if (depth > kMaxNesting) throw ParseError{"Expression nested too deeply", pos_};
    const char c = peek();
    if (c == '$' && peek(1) == '{') {
      const std::string name = variableReference();
      auto [result, found] = variable(name);
      if (!found) return Result::error("No value for variable '" + name + "'");
      return result;
    }
    if (c == '"' || c == '\'') return quoted(c);
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return integer();
    if (keyword("True") || keyword("true")) return {true, {}};
    if (keyword("False") || keyword("false")) return {false, {}};
    if (keyword("None") || keyword("none")) return {};
    if (isIdentifierStart(c)) return function(depth);
    throw ParseError{"Unexpected expression", pos_};
  }

  Result integer() {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (!std::isdigit(static_cast<unsigned char>(peek()))) throw ParseError{"Unexpected expression", start};
    while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, v);
    if (ec != std::errc() || end != text_.data() + pos_)
      throw ParseError{"Integer " + std::string(text_.substr(start, pos_ - start)) + " out of range.", start};
    return {v, {}};
  }

  // A quoted string: escapes as in C, ${NAME} replaced by a string
  // variable's value (kept as the bare name when the variable is not set).
  Result quoted(char quote) {
    ++pos_;
    std::string out;
    std::optional<Result> failure;  // the string is still read to its end
    while (true) {
      const char c = peek();
      if (pos_ >= text_.size() || c == '`')
        throw ParseError{quote == '"' ? "Missing ending '\"'" : "Missing ending \"'\"", pos_};
      if (c == quote) {
        ++pos_;
        if (failure) return std::move(*failure);
        return {std::move(out), {}};
      }
      if (c == '\\') {
        const char e = peek(1);
        if (pos_ + 1 >= text_.size()) throw ParseError{"Invalid string contents", pos_};
        pos_ += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'a': out += '\a'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'v': out += '\v'; break;
          default: out += e; break;
        }
        continue;
      }
      if (c == '$' && peek(1) == '{') {
        const std::string name = variableReference();
        auto [value, found] = variable(name);
        if (failure) continue;
        if (!found) {
          out += name;
        } else if (value.failed()) {
          failure = std::move(value);
        } else if (const std::string* s = std::get_if<std::string>(&value.value)) {
          out += *s;
        } else if (!std::holds_alternative<std::monostate>(value.value)) {
          failure = Result::error("String value required for substituting variable '" + name + "', got " +
                                  typeName(value.value) + ".");
        }
        continue;
      }
      out += c;
      ++pos_;
    }
  }

  Result list(int depth) {
    ++pos_;  // '['
    std::vector<Result> elements = separated(']', "Missing ending ']'", [&] { return scalar(depth + 1); });
    Result out;
    ExpressionValue listValue = EmptyExpressionList{};
    for (std::size_t i = 0; i < elements.size(); ++i) {
      Result& e = elements[i];
      if (e.failed()) {
        out.errors.insert(out.errors.end(), e.errors.begin(), e.errors.end());
        continue;
      }
      if (!append(listValue, e.value))
        out.errors.push_back(std::string("Unexpected value of type ") + typeName(e.value) + " in list at element " +
                             std::to_string(i));
    }
    if (!out.failed()) out.value = std::move(listValue);
    return out;
  }

  template <class T>
  static bool appendAs(ExpressionValue& list, const T& v) {
    if (std::holds_alternative<EmptyExpressionList>(list)) {
      list = std::vector<T>{v};
      return true;
    }
    if (auto* l = std::get_if<std::vector<T>>(&list)) {
      l->push_back(v);
      return true;
    }
    return false;
  }
  static bool append(ExpressionValue& list, const ExpressionValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return appendAs(list, *s);
    if (const auto* b = std::get_if<bool>(&v)) return appendAs(list, *b);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return appendAs(list, *i);
    return false;
  }

  Result function(int depth) {
    const std::size_t start = pos_;
    const std::string name = identifier("Unexpected expression");
    if (peek() != '(') throw ParseError{"Unexpected expression", start};
    ++pos_;
    std::vector<Result> args = separated(')', "Missing ending ')'", [&] { return expression(depth + 1); });
    return call(name, args, start);
  }

  Result call(const std::string& name, std::vector<Result>& args, std::size_t at) {
    struct Arity {
      const char* name;
      std::size_t min, max;  // max 0: any number
    };
    static constexpr Arity kFunctions[] = {{"if", 2, 3},   {"eq", 2, 2},       {"neq", 2, 2}, {"lt", 2, 2},
                                           {"leq", 2, 2},  {"gt", 2, 2},       {"geq", 2, 2}, {"and", 2, 0},
                                           {"or", 2, 0},   {"not", 1, 1},      {"contains", 2, 2},
                                           {"at", 2, 2},   {"len", 1, 1},      {"defined", 1, 0}};
    const Arity* f = nullptr;
    for (const Arity& a : kFunctions)
      if (name == a.name) f = &a;
    if (!f) throw ParseError{"Unknown function '" + name + "'", at};
    const std::size_t n = args.size();
    if (f->max == 0 && n < f->min)
      throw ParseError{"Function '" + name + "' requires at least " + std::to_string(f->min) + " arguments.", at};
    if (f->max != 0 && (n < f->min || n > f->max))
      throw ParseError{"Function '" + name + "' does not take " + std::to_string(n) + " arguments.", at};
    const auto fail = [&](const std::string& e) { return Result::error(name + ": " + e); };
    // Errors of the arguments come first (every argument was evaluated).
    Result collected;
    if (name != "and" && name != "or" && name != "defined") {
      for (Result& a : args) collected.errors.insert(collected.errors.end(), a.errors.begin(), a.errors.end());
      if (collected.failed()) return collected;
    }
    if (name == "if") {
      const bool* cond = std::get_if<bool>(&args[0].value);
      if (!cond) return fail("Condition must be a boolean value");
      const ExpressionValue elseValue = n == 3 ? args[2].value : ExpressionValue();
      if (n == 3 && args[1].value.index() != elseValue.index() && args[1].value.index() != 0 && elseValue.index() != 0)
        return fail("if-value and else-value must evaluate to the same type or None.");
      return {*cond ? args[1].value : elseValue, {}};
    }
    if (name == "eq" || name == "neq" || name == "lt" || name == "leq" || name == "gt" || name == "geq") {
      const ExpressionValue &x = args[0].value, &y = args[1].value;
      if (x.index() != y.index())
        return fail(std::string("Cannot compare values of type ") + typeName(x) + " and " + typeName(y));
      if (x.index() == 0) {
        if (name == "eq") return {true, {}};
        if (name == "neq") return {false, {}};
        return fail("Comparison operation not supported for None");
      }
      if (x.index() > 3) return fail("Unsupported type for comparison");
      const auto cmp = x <=> y;
      const bool r = name == "eq"    ? cmp == 0
                     : name == "neq" ? cmp != 0
                     : name == "lt"  ? cmp < 0
                     : name == "leq" ? cmp <= 0
                     : name == "gt"  ? cmp > 0
                                     : cmp >= 0;
      return {r, {}};
    }
    if (name == "and" || name == "or" || name == "defined") {
      std::optional<bool> result;
      for (std::size_t i = 0; i < n; ++i) {
        Result& a = args[i];
        if (a.failed()) {
          collected.errors.insert(collected.errors.end(), a.errors.begin(), a.errors.end());
          continue;
        }
        if (name == "defined") {
          const std::string* var = std::get_if<std::string>(&a.value);
          if (!var) {
            collected.errors.push_back(name + ": Invalid type " + typeName(a.value) + " for argument " + std::to_string(i));
            continue;
          }
          result = result.value_or(true) && vars_.count(*var) != 0;
          continue;
        }
        const bool* b = std::get_if<bool>(&a.value);
        if (!b) {
          collected.errors.push_back(name + ": Invalid type " + typeName(a.value) + " for argument " + std::to_string(i));
          continue;
        }
        result = !result ? *b : name == "and" ? (*result && *b) : (*result || *b);
      }
      if (collected.failed()) return collected;
      return {result ? ExpressionValue(*result) : ExpressionValue(), {}};
    }
    if (name == "not") {
      const bool* b = std::get_if<bool>(&args[0].value);
      if (!b) return fail(std::string("Invalid type ") + typeName(args[0].value) + " for argument");
      return {!*b, {}};
    }
    const ExpressionValue& source = args[0].value;
    if (name == "len") {
      if (const auto* s = std::get_if<std::string>(&source)) return {static_cast<std::int64_t>(s->size()), {}};
      if (std::holds_alternative<EmptyExpressionList>(source)) return {std::int64_t{0}, {}};
      std::optional<std::size_t> size;
      std::visit([&](const auto& v) {
        if constexpr (requires { v.size(); v.begin(); }) size = v.size();
      }, source);
      if (!size) return fail("Unsupported type");
      return {static_cast<std::int64_t>(*size), {}};
    }
    if (name == "contains") {
      const ExpressionValue& what = args[1].value;
      if (std::holds_alternative<EmptyExpressionList>(source)) return {false, {}};
      if (const auto* s = std::get_if<std::string>(&source)) {
        const auto* w = std::get_if<std::string>(&what);
        if (!w) return fail("Invalid search value");
        return {s->find(*w) != std::string::npos, {}};
      }
      std::optional<Result> r;
      std::visit([&](const auto& list) {
        using L = std::decay_t<decltype(list)>;
        if constexpr (requires { typename L::value_type; } && !std::is_same_v<L, std::string>) {
          using E = typename L::value_type;
          const E* w = std::get_if<E>(&what);
          r = w ? Result{std::find(list.begin(), list.end(), *w) != list.end(), {}} : fail("Invalid search value");
        }
      }, source);
      return r ? std::move(*r) : fail("Value to search must be a list or string");
    }
    // at(source, index): negative indexes count from the end.
    const std::int64_t* index = std::get_if<std::int64_t>(&args[1].value);
    if (!index) return fail("Index must be an integer");
    const auto normalized = [&](std::size_t size) -> std::optional<std::size_t> {
      std::int64_t i = *index;
      if (i < 0) i += static_cast<std::int64_t>(size);
      if (i < 0 || static_cast<std::size_t>(i) >= size) return std::nullopt;
      return static_cast<std::size_t>(i);
    };
    if (const auto* s = std::get_if<std::string>(&source)) {
      const auto i = normalized(s->size());
      return i ? Result{s->substr(*i, 1), {}} : fail("Index out of range");
    }
    if (std::holds_alternative<EmptyExpressionList>(source)) return fail("Index out of range");
    std::optional<Result> r;
    std::visit([&](const auto& list) {
      using L = std::decay_t<decltype(list)>;
      if constexpr (requires { typename L::value_type; } && !std::is_same_v<L, std::string>) {
        const auto i = normalized(list.size());
        r = i ? Result{ExpressionValue(static_cast<typename L::value_type>(list[*i])), {}} : fail("Index out of range");
      }
    }, source);
    return r ? std::move(*r) : fail("Only supported for lists or strings");
  }

  // A variable's value; one that is itself an expression is evaluated
  // (circular definitions are errors). `second`: the variable is set.
  std::pair<Result, bool> variable(const std::string& name) {
    auto it = vars_.find(name);
    if (it == vars_.end()) return {Result{}, false};
    const std::string* text = std::get_if<std::string>(&it->second);
    if (!text || !isVariableExpression(*text)) return {Result{it->second, {}}, true};
    if (std::find(stack_.begin(), stack_.end(), name) != stack_.end()) {
      std::string chain;
      for (const std::string& s : stack_) chain += "'" + s + "', ";
      return {Result::error("Encountered circular variable substitutions: [" + chain + "'" + name + "']"), true};
    }
    if (stack_.size() >= kMaxVariableDepth) return {Result::error("Variables nested too deeply at '" + name + "'"), true};
    stack_.push_back(name);
    Result r = Evaluator(*text, vars_, stack_).run();
    stack_.pop_back();
    for (std::string& e : r.errors) e += " (in variable '" + name + "')";
    return {std::move(r), true};
  }
};

}  // namespace

bool isVariableExpression(std::string_view text) noexcept {
  return text.size() >= 2 && text.front() == '`' && text.back() == '`';
}

Expected<std::string> evaluateVariableExpression(std::string_view text, const ExpressionVariables& variables) {
  std::vector<std::string> stack;
  Result r = Evaluator(text, variables, stack).run();
  if (r.failed()) {
    std::string joined;
    for (const std::string& e : r.errors) joined += (joined.empty() ? "" : "; ") + e;
    return makeError(std::move(joined));
  }
  if (std::holds_alternative<std::monostate>(r.value)) return std::string();
  if (std::string* s = std::get_if<std::string>(&r.value)) return std::move(*s);
  return makeError(std::string("Expression evaluated to '") + typeName(r.value) + "' but expected 'string'");
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
    // int and int[] count as the language's 64-bit integers.
    if (const auto* s = value.getIf<std::string>()) vars[key] = *s;
    else if (const auto* b = value.getIf<bool>()) vars[key] = *b;
    else if (const auto* l = value.getIf<std::int64_t>()) vars[key] = *l;
    else if (const auto* n = value.getIf<std::int32_t>()) vars[key] = std::int64_t{*n};
    else if (const auto* ss = value.getIf<std::vector<std::string>>()) vars[key] = *ss;
    else if (const auto* bs = value.getIf<std::vector<bool>>()) vars[key] = *bs;
    else if (const auto* ls = value.getIf<std::vector<std::int64_t>>()) vars[key] = *ls;
    else if (const auto* ns = value.getIf<std::vector<std::int32_t>>())
      vars[key] = std::vector<std::int64_t>(ns->begin(), ns->end());
  }
  return vars;
}

}  // namespace usdkit
