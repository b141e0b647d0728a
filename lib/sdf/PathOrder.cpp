// SdfPath's ordering (Path's operator<): element-wise
// from the root, the prim part before the property part, siblings of
// different kinds by node kind, names byte-wise.
//
// Facts it follows (learned from OpenUSD's path.cpp and pathNode.h; no code
// taken from there):
//  * Elements are nodes of these kinds, in this order, and differing
//    siblings of different kinds compare by it: prim < variant selection;
//    property < target < mapper < relational attribute < mapper arg <
//    expression. Siblings of the same kind compare by name bytes (variant
//    selections by set, then selection; targets by their target path).
//  * The prim part (prims, "..", variant selections) is compared before the
//    property part: "/A.z" sorts before "/A/B", "/A/B" before "/A{v=x}".
//  * A prefix sorts before its extensions; absolute before relative.
//
// On nodes this is a walk up to where the two paths part, which costs the
// depth below that point, not the length of the texts.
#include "sdf/Path.h"
#include "sdf/PathBuild.h"

namespace usdkit {

namespace {

using detail::PathNode;
using path_detail::kindOf;
using path_detail::Kind;
using path_detail::parentNode;

bool variantSelectionLess(std::string_view a, std::string_view b) {
  const std::size_t ea = a.find('='), eb = b.find('=');
  const std::string_view setA = a.substr(1, ea - 1), setB = b.substr(1, eb - 1);
  if (setA != setB) return setA < setB;
  return a.substr(ea + 1, a.size() - ea - 2) < b.substr(eb + 1, b.size() - eb - 2);
}

// Order of two differing siblings (same parent).
bool siblingLess(const PathNode* x, const PathNode* y) {
  if (x->kind != y->kind) return x->kind < y->kind;
  switch (kindOf(x)) {
    case Kind::VariantSel:
      return variantSelectionLess(detail::pathSuffix(x), detail::pathSuffix(y));
    case Kind::Target:
    case Kind::Mapper:
      // Target paths nest at most kMaxTargetNesting deep (the grammar's
      // bound), which bounds this recursion.
      return Path::fromCanonical(path_detail::bracketedPath(x)) < Path::fromCanonical(path_detail::bracketedPath(y));
    case Kind::Expression:
      return false;
    default:
      // Same separator before both (same parent), so the names decide.
      return path_detail::spelling(x) < path_detail::spelling(y);
  }
}

// Order of two different nodes by their elements from the root: a prefix
// first, else the first pair of differing siblings decides.
bool chainLess(const PathNode* a, const PathNode* b) {
  const PathNode* x = a;
  const PathNode* y = b;
  while (x->elementCount > y->elementCount) x = parentNode(x);
  while (y->elementCount > x->elementCount) y = parentNode(y);
  if (x == y) return a->elementCount < b->elementCount;
  for (;;) {
    const PathNode* px = parentNode(x);
    const PathNode* py = parentNode(y);
    if (px == py) return siblingLess(x, y);
    x = px;
    y = py;
  }
}

const PathNode* primPartOf(const PathNode* n) {
  while (!path_detail::isPrimLikeKind(kindOf(n))) n = parentNode(n);
  return n;
}

}  // namespace

bool operator<(const Path& a, const Path& b) {
  if (a == b) return false;
  if (a.empty() || b.empty()) return a.empty();
  const PathNode* x = PathAccess::node(a);
  const PathNode* y = PathAccess::node(b);
  const bool absA = x->flags & detail::kPathAbsolute, absB = y->flags & detail::kPathAbsolute;
  if (absA != absB) return absA;
  const PathNode* primA = primPartOf(x);
  const PathNode* primB = primPartOf(y);
  if (primA != primB) return chainLess(primA, primB);
  return chainLess(x, y);
}

}  // namespace usdkit
