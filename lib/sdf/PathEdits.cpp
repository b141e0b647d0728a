// Path operations that make a new path out of another's elements:
// appendPath, makeAbsolute, makeRelative, replacePrefix, commonPrefix and
// stripAllVariantSelections, each as SdfPath defines it. They work on
// nodes: elements are re-appended one by one under the Append rules
// (addElement), so ".." folds into the parent as it does in SdfPath, and
// a path's text is only made for the paths inside target brackets.

#include "sdf/Path.h"
#include "sdf/PathBuild.h"

#include <algorithm>
#include <string>

namespace usdkit {

namespace {

using detail::PathNode;
using detail::TokenRep;
using path_detail::addElement;
using path_detail::kindOf;
using path_detail::Kind;
using path_detail::NodeChain;
using path_detail::parentNode;

constexpr int kMaxTargetDepth = path_detail::kMaxTargetNesting;

const PathNode* node(const Path& p) { return PathAccess::node(p); }
Path pathOf(const TokenRep* rep) { return PathAccess::make(rep); }
Path pathOf(const PathNode* n) { return PathAccess::make(n); }
const PathNode* root(const PathNode* n) {
  return detail::pathNodeOf((n->flags & detail::kPathAbsolute) ? detail::absoluteRootPathRep()
                                                                : detail::relativeRootPathRep());
}

// The nearest prim or variant-selection node at or above `n` (a root when
// there is none): the path's prim part.
const PathNode* primPartOf(const PathNode* n) {
  while (!path_detail::isPrimLikeKind(kindOf(n))) n = parentNode(n);
  return n;
}

// Anchors must be "/", an absolute prim path or a variant selection path.
bool isPrimLikeAnchor(const Path& anchor) {
  return !anchor.empty() && anchor.isAbsolute() && path_detail::isPrimLikeKind(kindOf(node(anchor)));
}

// A target or mapper element around another path.
std::string bracketed(Kind kind, const Path& inner) {
  std::string s = kind == Kind::Mapper ? ".mapper[" : "[";
  inner.appendText(s);
  s += ']';
  return s;
}

Path replacePrefixIn(const Path& t, const Path& oldP, const Path& newP, bool fixTargets, int depth);

// Appends elements [from, end) of `chain` to `base`; with `fixTargets`, the
// paths in target and mapper brackets get their prefixes replaced as well.
// Null when an element may not follow.
const TokenRep* addElements(const TokenRep* base, const NodeChain& chain, std::size_t from,
                            const Path* oldP = nullptr, const Path* newP = nullptr, bool fixTargets = false,
                            int depth = 0) {
  for (std::size_t i = from; i < chain.size() && base; ++i) {
    const PathNode* el = chain[i];
    const Kind kind = kindOf(el);
    if (!fixTargets || (kind != Kind::Target && kind != Kind::Mapper)) {
      base = addElement(base, kind, path_detail::spelling(el));
      continue;
    }
    const Path fixed =
        replacePrefixIn(Path::fromCanonical(path_detail::bracketedPath(el)), *oldP, *newP, true, depth + 1);
    if (fixed.empty()) return nullptr;
    base = addElement(base, kind, bracketed(kind, fixed));
  }
  return base;
}

// SdfPath::ReplacePrefix. Empty means the result is the empty path.
Path replacePrefixIn(const Path& t, const Path& oldP, const Path& newP, bool fixTargets, int depth) {
  if (t.empty()) return {};
  if (oldP == newP || depth > kMaxTargetDepth) return t;
  if (oldP.empty() || newP.empty()) return {};
  if (t == oldP) return newP;
  const PathNode* tn = node(t);
  const PathNode* on = node(oldP);
  // The relative root counts as a property-like prefix here, as it does
  // for SdfPath (its prim part is empty).
  const bool oldHasProperty = path_detail::isRelativeRoot(on) || !path_detail::isPrimLikeKind(kindOf(on));
  bool prefixed = t.hasPrefix(oldP);
  if (oldHasProperty) {
    if (path_detail::isPrimLikeKind(kindOf(tn))) return t;
    // A property-like prefix only matches when the prim parts are equal.
    if (prefixed && primPartOf(tn) != primPartOf(on)) prefixed = false;
  }
  const NodeChain chain(tn);
  if (prefixed) {
    // A prim-like old prefix only replaces prims, so SdfPath uses just the
    // new prefix's prim part.
    const PathNode* base = oldHasProperty ? node(newP) : primPartOf(node(newP));
    return pathOf(addElements(&base->rep, chain, on->elementCount, &oldP, &newP, fixTargets, depth));
  }
  if (!fixTargets || !(tn->flags & detail::kPathHasTarget)) return t;
  const PathNode* primPart = chain.primCount() ? chain[chain.primCount() - 1] : root(tn);
  return pathOf(addElements(&primPart->rep, chain, chain.primCount(), &oldP, &newP, true, depth));
}

// SdfPath::MakeAbsolutePath. Empty means the empty path.
Path makeAbsoluteIn(const Path& t, const Path& anchor, int depth) {
  if (t.empty() || depth > kMaxTargetDepth || !isPrimLikeAnchor(anchor)) return {};
  Path result = t;
  if (!t.isAbsolute()) {
    const NodeChain chain(node(t));
    result = pathOf(addElements(anchor.rep(), chain, 0));
    if (result.empty()) return {};
  }
  if (!result.containsTargetPath()) return result;
  // As in SdfPath, only the path's last target (the one nearest its end) is
  // made absolute, against the owning prim, recursing into that target.
  const NodeChain chain(node(result));
  std::size_t last = chain.size();
  while (last-- > 0) {
    const Kind k = kindOf(chain[last]);
    if (k == Kind::Target || k == Kind::Mapper) break;
  }
  const Path primAnchor = result.primPath();
  if (primAnchor.empty()) return {};
  const PathNode* el = chain[last];
  const Path inner = Path::fromCanonical(path_detail::bracketedPath(el));
  const Path absolute = makeAbsoluteIn(inner, primAnchor, depth + 1);
  if (absolute.empty()) return {};
  if (absolute == inner) return result;
  const TokenRep* base = addElement(&parentNode(el)->rep, kindOf(el), bracketed(kindOf(el), absolute));
  return base ? pathOf(addElements(base, chain, last + 1)) : Path();
}

}  // namespace

Path Path::stripAllVariantSelections() const {
  if (!containsPrimVariantSelection()) return *this;
  const NodeChain chain(node(*this));
  const TokenRep* base = &root(node(*this))->rep;
  for (std::size_t i = 0; i < chain.size() && base; ++i) {
    if (i < chain.primCount() && kindOf(chain[i]) == Kind::VariantSel) continue;
    base = addElement(base, kindOf(chain[i]), path_detail::spelling(chain[i]));
  }
  return pathOf(base);
}

Path Path::appendPath(const Path& relative) const {
  if (empty() || relative.empty() || relative.isAbsolute()) return {};
  if (relative == reflexiveRelative()) return *this;
  if (!path_detail::isPrimLikeKind(kindOf(node(*this)))) return {};
  return pathOf(addElements(rep_, NodeChain(node(relative)), 0));
}

Path Path::makeAbsolute(const Path& anchor) const { return makeAbsoluteIn(*this, anchor, 0); }

Path Path::makeRelative(const Path& anchor) const {
  if (empty() || !isPrimLikeAnchor(anchor)) return {};
  // A relative path is first made absolute, which also gives it the fewest
  // ".." elements.
  const Path t = isAbsolute() ? *this : makeAbsoluteIn(*this, anchor, 0);
  if (t.empty()) return {};
  const NodeChain te(node(t)), ae(node(anchor));
  const std::size_t limit = std::min(te.primCount(), ae.primCount());
  std::size_t common = 0;
  while (common < limit && te[common] == ae[common]) ++common;
  const TokenRep* base = detail::relativeRootPathRep();
  for (std::size_t i = common; i < ae.primCount() && base; ++i) base = addElement(base, Kind::Prim, "..");
  return base ? pathOf(addElements(base, te, common)) : Path();
}

Path Path::replacePrefix(const Path& oldPrefix, const Path& newPrefix, bool fixTargets) const {
  if (empty()) return *this;
  return replacePrefixIn(*this, oldPrefix, newPrefix, fixTargets, 0);
}

Path Path::commonPrefix(const Path& other) const {
  if (empty() || other.empty()) return {};
  if (*this == other) return *this;
  if (isAbsolute() != other.isAbsolute()) return {};
  const NodeChain ea(node(*this)), eb(node(other));
  const PathNode* primA = ea.primCount() ? ea[ea.primCount() - 1] : root(node(*this));
  const PathNode* primB = eb.primCount() ? eb[eb.primCount() - 1] : root(node(other));
  if (ea.hasProperty() && eb.hasProperty() && primA == primB) {
    // Same prim part: the answer lies in the property part.
    const std::size_t limit = std::min(ea.size(), eb.size());
    std::size_t i = ea.primCount();
    while (i < limit && ea[i] == eb[i]) ++i;
    return pathOf(i == ea.primCount() ? primA : ea[i - 1]);
  }
  const std::size_t limit = std::min(ea.primCount(), eb.primCount());
  std::size_t i = 0;
  while (i < limit && ea[i] == eb[i]) ++i;
  return pathOf(i == 0 ? root(node(*this)) : ea[i - 1]);
}

}  // namespace usdkit
