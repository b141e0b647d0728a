// Internal to lib/sdf (Path.cpp, PathEdits.cpp, PathOrder.cpp): a path's
// nodes as elements, and appending one element under SdfPath's rules.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "sdf/Path.h"
#include "sdf/PathElements.h"
#include "sdf/PathGrammar.h"
#include "sdf/PathNodes.h"

namespace usdkit {

// Path's private side, for the files that implement it.
struct PathAccess {
  static const detail::PathNode* node(const Path& p) noexcept { return detail::pathNodeOf(p.rep_); }
  static Path make(const detail::TokenRep* rep) noexcept { return Path(rep); }
  static Path make(const detail::PathNode* node) noexcept { return node ? Path(&node->rep) : Path(); }
};

namespace path_detail {

// Target paths nest; a bound keeps hostile input from exhausting the stack.
inline constexpr int kMaxTargetNesting = detail::kMaxPathTargetDepth;

inline Kind kindOf(const detail::PathNode* n) noexcept { return static_cast<Kind>(n->kind); }
inline bool isPrimLikeKind(Kind k) noexcept { return k == Kind::Root || k == Kind::Prim || k == Kind::VariantSel; }
inline bool isRelativeRoot(const detail::PathNode* n) noexcept {
  return n->kind == static_cast<std::uint8_t>(Kind::Root) && !(n->flags & detail::kPathAbsolute);
}
inline const detail::PathNode* parentNode(const detail::PathNode* n) noexcept {
  const detail::TokenRep* up = detail::parentPathRep(&n->rep);
  return up ? detail::pathNodeOf(up) : nullptr;
}

// The element as it is appended: its suffix without a prim separator or the
// "/" of "../.prop" ("B", "..", "{v=x}", ".prop", "[/T]", ".mapper[/T]").
inline std::string_view spelling(const detail::PathNode* n) noexcept {
  std::string_view s = detail::pathSuffix(n);
  if (s.size() > 1 && s[0] == '/') s.remove_prefix(1);
  return s;
}

// The path inside the brackets of a target or mapper element.
inline std::string_view bracketedPath(const detail::PathNode* n) noexcept {
  const std::string_view s = detail::pathSuffix(n);
  const std::size_t open = s.find('[');
  return s.substr(open + 1, s.size() - open - 2);
}

// Appends one element, spelled as spelling() gives it, under SdfPath's
// Append rules (each kind may only follow certain kinds; ".." as a prim
// element is the parent). Null when the element may not follow `base`.
const detail::TokenRep* addElement(const detail::TokenRep* base, Kind kind, std::string_view spelling);

// A path's elements from the root down (the root itself not included).
class NodeChain {
 public:
  explicit NodeChain(const detail::PathNode* last) {
    std::size_t n = last->elementCount;
    size_ = n;
    if (n > inline_.size()) heap_.resize(n);
    const detail::PathNode** out = n > inline_.size() ? heap_.data() : inline_.data();
    for (const detail::PathNode* p = last; n > 0; p = parentNode(p)) out[--n] = p;
    for (std::size_t i = 0; i < size_ && isPrimLikeKind(kindOf(out[i])); ++i) primCount_ = i + 1;
  }
  std::size_t size() const noexcept { return size_; }
  // Leading elements that form the prim part (prims, "..", variant selections).
  std::size_t primCount() const noexcept { return primCount_; }
  bool hasProperty() const noexcept { return size_ > primCount_; }
  const detail::PathNode* operator[](std::size_t i) const noexcept {
    return size_ > inline_.size() ? heap_[i] : inline_[i];
  }

 private:
  std::array<const detail::PathNode*, 24> inline_;
  std::vector<const detail::PathNode*> heap_;
  std::size_t size_ = 0;
  std::size_t primCount_ = 0;
};

}  // namespace path_detail
}  // namespace usdkit
