// Cutting canonical path text into its elements (internal to lib/sdf): what
// Path::fromCanonical interns one node per element from.
#include "sdf/PathElements.h"

#include <algorithm>

namespace usdkit::path_detail {

namespace {

std::size_t matchClose(std::string_view t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i] == '[') ++depth;
    else if (t[i] == ']' && --depth == 0) return i;
  }
  return t.size() - 1;
}

}  // namespace

// Forward scan into elements.
void scanPathElements(std::string_view t, Elements& out) {
  const std::size_t n = t.size();
  std::size_t i = 0;
  out.absolute = n > 0 && t[0] == '/';
  if (out.absolute) i = 1;
  if (t == ".") return;
  auto push = [&](Kind k, std::size_t b, std::size_t e) {
    out.list.push_back({k, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)});
  };
  while (i < n) {
    const char c = t[i];
    if (c == '/') {
      ++i;
      continue;
    }
    if (c == '.') {
      if (i + 1 < n && t[i + 1] == '.') {
        push(Kind::Prim, i, i + 2);
        i += 2;
        continue;
      }
      break;
    }
    if (c == '{') {
      const std::size_t close = std::min(t.find('}', i), n - 1);
      push(Kind::VariantSel, i, close + 1);
      i = close + 1;
      continue;
    }
    std::size_t j = i;
    while (j < n && t[j] != '/' && t[j] != '.' && t[j] != '{') ++j;
    push(Kind::Prim, i, j);
    i = j;
  }
  out.primCount = out.list.size();
  Kind prev = out.primCount ? out.list[out.primCount - 1].kind : Kind::Root;
  while (i < n) {
    if (t[i] == '[') {
      const std::size_t close = matchClose(t, i);
      push(Kind::Target, i, close + 1);
      prev = Kind::Target;
      i = close + 1;
      continue;
    }
    std::size_t j = i + 1;
    while (j < n && t[j] != '.' && t[j] != '[') ++j;
    const std::string_view name = t.substr(i + 1, j - i - 1);
    Kind k = Kind::Property;
    if (prev == Kind::Target) {
      k = Kind::RelAttr;
    } else if (prev == Kind::Mapper) {
      k = Kind::MapperArg;
    } else if (prev == Kind::Property || prev == Kind::RelAttr) {
      if (name == "mapper" && j < n && t[j] == '[') {
        const std::size_t close = matchClose(t, j);
        push(Kind::Mapper, i, close + 1);
        prev = Kind::Mapper;
        i = close + 1;
        continue;
      }
      k = Kind::Expression;
    }
    push(k, i, j);
    prev = k;
    i = j;
  }
}

}  // namespace usdkit::path_detail
