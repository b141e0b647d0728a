#include "sdf/PathExpressionText.h"

#include <optional>

namespace usdkit {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// Characters that separate terms of an expression (set operators, groups).
bool isOperator(char c) { return c == '(' || c == ')' || c == '+' || c == '&' || c == '-' || c == '~'; }
// Characters that make a path component a pattern rather than a name.
bool isWildcard(char c) { return c == '*' || c == '?' || c == '[' || c == '{'; }

// Where one term starting at `i` ends: at whitespace or an operator outside
// a predicate's braces (which may hold anything, nested).
std::size_t termEnd(std::string_view text, std::size_t i) {
  int braces = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{') ++braces;
    else if (c == '}' && braces > 0) --braces;
    else if (braces == 0 && (isSpace(c) || isOperator(c))) break;
  }
  return i;
}

// `pattern` (relative) made absolute: its leading exact path, up to a "//"
// or the component holding the first wildcard, joined to `anchor`.
std::optional<std::string> absolutePattern(std::string_view pattern, const Path& anchor) {
  std::size_t cut = pattern.size();
  if (std::size_t search = pattern.find("//"); search != std::string_view::npos) cut = search;
  for (std::size_t i = 0; i < cut; ++i)
    if (isWildcard(pattern[i])) {
      // Back to the start of that component (or of a property part).
      std::size_t start = pattern.find_last_of("/.", i);
      cut = start == std::string_view::npos ? 0 : start;
      // "../*": the ".." before the '/' stays whole.
      if (cut > 0 && pattern[cut] == '.' && pattern[cut - 1] == '.') cut = pattern.rfind('/', cut);
      if (cut == std::string_view::npos) cut = 0;
      break;
    }
  std::string_view prefix = pattern.substr(0, cut);
  std::string_view rest = pattern.substr(cut);
  const std::optional<Path> relative = Path::parse(prefix.empty() ? std::string_view(".") : prefix);
  if (!relative) return std::nullopt;
  const Path absolute = relative->makeAbsolute(anchor);
  if (absolute.empty()) return std::nullopt;
  std::string out = absolute.string();
  if (rest.empty()) return out;
  // A name part right after the prefix needs its separator.
  if (rest.front() != '/' && rest.front() != '.' && out.back() != '/') out += '/';
  if (out == "/" && rest.starts_with("//")) rest.remove_prefix(1);
  out.append(rest);
  return out;
}

}  // namespace

std::string makePathExpressionAbsolute(std::string_view text, const Path& anchor) {
  std::string out;
  out.reserve(text.size() + anchor.string().size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (isSpace(c) || isOperator(c)) {
      out += c;
      ++i;
      continue;
    }
    const std::size_t end = termEnd(text, i);
    const std::string_view term = text.substr(i, end - i);
    std::optional<std::string> absolute;
    if (term.front() != '/' && term.front() != '%') absolute = absolutePattern(term, anchor);
    out.append(absolute ? std::string_view(*absolute) : term);
    i = end;
  }
  return out;
}

}  // namespace usdkit
