// Scene-description paths as interned nodes of a tree of elements.
//
// A node holds its last element as the text it adds to its parent's
// canonical text (PathNodes.h), so the canonical text, exactly the spelling
// OpenUSD's SdfPath::GetString() produces, is the concatenation of the
// suffixes from the root. Structural questions read the node's kind and
// flags or walk up the tree; none of them makes the text.
//
// Facts about SdfPath that shape this file (learned from OpenUSD's
// pathParser.h, path.cpp and pathNode.h; no code taken from there):
//  * ".." may only lead a relative path ("../../A"); "/A/.." and "A/.." are
//    not valid path text. Appending ".." as a child (appendPath,
//    makeAbsolute) is what folds it into the parent.
//  * The parser's last rule is "end of line or end of input", so text such as
//    "/A\n..." parses as "/A"; parse() mirrors that.
//  * Property names written after ".." get a separator: "../.prop".
//  * Element counts exclude the roots: "/" and "." have 0, "/A{v=x}B.c" 4.
// The editing operations (replacePrefix, makeAbsolute, ...) are in
// PathEdits.cpp, the ordering in PathOrder.cpp.

#include "sdf/Path.h"

#include "base/Unicode.h"
#include "sdf/PathBuild.h"
#include "sdf/PathElements.h"
#include "sdf/PathGrammar.h"
#include "sdf/PathNodes.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace usdkit {

namespace {

using detail::PathNode;
using path_detail::kindOf;
using path_detail::Kind;
using path_detail::NodeChain;
using path_detail::parentNode;

// A small buffer, so building a suffix does not allocate for ordinary
// lengths.
class SuffixBuf {
 public:
  void append(std::string_view s) {
    if (!spilled_ && size_ + s.size() <= inline_.size()) {
      if (!s.empty()) std::memcpy(inline_.data() + size_, s.data(), s.size());
      size_ += s.size();
      return;
    }
    if (!spilled_) {
      heap_.assign(inline_.data(), size_);
      spilled_ = true;
    }
    heap_.append(s);
    size_ = heap_.size();
  }
  std::string_view view() const { return {spilled_ ? heap_.data() : inline_.data(), size_}; }

 private:
  std::array<char, 256> inline_;
  std::string heap_;
  std::size_t size_ = 0;
  bool spilled_ = false;
};

bool isBlank(char c) { return c == ' ' || c == '\t'; }

const PathNode* node(const Path& p) { return PathAccess::node(p); }
Path pathOf(const detail::TokenRep* rep) { return PathAccess::make(rep); }

std::uint8_t childFlags(const PathNode* parent, Kind kind, std::string_view spelling) {
  std::uint8_t f = parent->flags & (detail::kPathAbsolute | detail::kPathHasVariant | detail::kPathHasTarget);
  if (kind == Kind::VariantSel) f |= detail::kPathHasVariant;
  if (kind == Kind::Target || kind == Kind::Mapper) f |= detail::kPathHasTarget;
  if (kind == Kind::Prim && spelling == "..") f |= detail::kPathEndsInDotDot;
  return f;
}

const detail::TokenRep* intern(const detail::TokenRep* parent, std::string_view suffix, Kind kind,
                               std::string_view spelling) {
  return detail::internChildPath(parent, suffix, static_cast<std::uint8_t>(kind),
                                 childFlags(detail::pathNodeOf(parent), kind, spelling));
}

// The node of a canonical text: the root, then one node per element, made
// where missing.
const detail::TokenRep* internText(std::string_view t) {
  const bool absolute = t[0] == '/';
  const detail::TokenRep* rep = absolute ? detail::absoluteRootPathRep() : detail::relativeRootPathRep();
  if (t == "/" || t == ".") return rep;
  path_detail::Elements e;
  path_detail::scanPathElements(t, e);
  std::size_t prevEnd = absolute ? 1 : 0;
  for (std::size_t i = 0; i < e.list.size(); ++i) {
    const path_detail::Elem& el = e.list[i];
    const std::string_view suffix = t.substr(prevEnd, el.end - prevEnd);
    rep = intern(rep, suffix, el.kind, path_detail::elemText(t, el));
    prevEnd = el.end;
  }
  return rep;
}

}  // namespace

// ---------------------------------------------------------------------------

const detail::TokenRep* path_detail::addElement(const detail::TokenRep* baseRep, Kind kind,
                                                std::string_view spelling) {
  const PathNode* base = detail::pathNodeOf(baseRep);
  const Kind baseKind = kindOf(base);
  const bool root = baseKind == Kind::Root;
  const bool relRoot = path_detail::isRelativeRoot(base);
  const bool absRoot = root && !relRoot;
  const bool primLike = isPrimLikeKind(baseKind);
  SuffixBuf suffix;
  switch (kind) {
    case Kind::Prim:
      if (!primLike) return nullptr;
      if (spelling == "..") {
        if (absRoot) return nullptr;
        if (relRoot) return intern(baseRep, "..", Kind::Prim, spelling);
        if (base->flags & detail::kPathEndsInDotDot) return intern(baseRep, "/..", Kind::Prim, spelling);
        return detail::parentPathRep(baseRep);
      }
      if (!root && baseKind != Kind::VariantSel) suffix.append("/");
      break;
    case Kind::VariantSel:
      if (!primLike || absRoot) return nullptr;
      break;
    case Kind::Property:
      if (!primLike || absRoot) return nullptr;
      if (base->flags & detail::kPathEndsInDotDot) suffix.append("/");
      break;
    case Kind::Target:
    case Kind::Mapper:
    case Kind::Expression:
      if (baseKind != Kind::Property && baseKind != Kind::RelAttr) return nullptr;
      break;
    case Kind::RelAttr:
      if (baseKind != Kind::Target) return nullptr;
      break;
    case Kind::MapperArg:
      if (baseKind != Kind::Mapper) return nullptr;
      break;
    case Kind::Root:
      return nullptr;
  }
  suffix.append(spelling);
  return intern(baseRep, suffix.view(), kind, spelling);
}


Path Path::fromCanonical(std::string_view text) {
  if (text.empty()) return {};
  return pathOf(internText(text));
}

std::optional<Path> Path::parse(std::string_view text) {
  if (text.empty()) return Path();
  const std::optional<std::size_t> matched = detail::matchPathGrammar(text);
  if (!matched) return std::nullopt;
  const std::size_t end = *matched;
  if (end != text.size()) {
    const bool lineEnd =
        text[end] == '\n' || (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n');
    if (!lineEnd) return std::nullopt;
    text = text.substr(0, end);
  }
  if (std::none_of(text.begin(), text.end(), isBlank)) return fromCanonical(text);
  std::string buf;
  buf.reserve(text.size());
  for (char c : text) {
    if (!isBlank(c)) buf.push_back(c);
  }
  return fromCanonical(buf);
}

Path Path::absoluteRoot() { return pathOf(detail::absoluteRootPathRep()); }

Path Path::reflexiveRelative() { return pathOf(detail::relativeRootPathRep()); }

// ---------------------------------------------------------------------------
// Text

void Path::appendText(std::string& out) const {
  if (empty()) return;
  const PathNode* n = node(*this);
  if (path_detail::isRelativeRoot(n)) {
    out += '.';
    return;
  }
  out.reserve(out.size() + n->textSize);
  const std::size_t start = out.size();
  out.resize(start + n->textSize);
  // Suffixes from the end backwards; the relative root adds nothing.
  std::size_t pos = out.size();
  for (const PathNode* p = n; p && !path_detail::isRelativeRoot(p); p = parentNode(p)) {
    const std::string_view s = detail::pathSuffix(p);
    pos -= s.size();
    std::memcpy(out.data() + pos, s.data(), s.size());
  }
}

std::string Path::string() const {
  std::string s;
  appendText(s);
  return s;
}

std::size_t Path::textSize() const noexcept {
  if (empty()) return 0;
  return static_cast<std::size_t>(node(*this)->textSize);
}

// ---------------------------------------------------------------------------
// Queries

bool Path::isAbsolute() const { return !empty() && (node(*this)->flags & detail::kPathAbsolute); }

bool Path::isAbsoluteRoot() const {
  return !empty() && kindOf(node(*this)) == Kind::Root && (node(*this)->flags & detail::kPathAbsolute);
}

bool Path::isPrimPath() const {
  if (empty()) return false;
  const PathNode* n = node(*this);
  return kindOf(n) == Kind::Prim || path_detail::isRelativeRoot(n);
}

bool Path::isRootPrimPath() const {
  if (empty()) return false;
  const PathNode* n = node(*this);
  return kindOf(n) == Kind::Prim && (n->flags & detail::kPathAbsolute) && n->elementCount == 1;
}

bool Path::isPrimOrPrimVariantSelectionPath() const {
  if (empty()) return false;
  const PathNode* n = node(*this);
  const Kind k = kindOf(n);
  return k == Kind::Prim || k == Kind::VariantSel || path_detail::isRelativeRoot(n);
}

bool Path::isPrimVariantSelectionPath() const { return !empty() && kindOf(node(*this)) == Kind::VariantSel; }

bool Path::containsPrimVariantSelection() const {
  return !empty() && (node(*this)->flags & detail::kPathHasVariant);
}

bool Path::isPropertyPath() const {
  if (empty()) return false;
  const Kind k = kindOf(node(*this));
  return k == Kind::Property || k == Kind::RelAttr;
}

bool Path::isPrimPropertyPath() const { return !empty() && kindOf(node(*this)) == Kind::Property; }

bool Path::isNamespacedPropertyPath() const {
  return isPropertyPath() && name().find(':') != std::string_view::npos;
}

bool Path::isTargetPath() const { return !empty() && kindOf(node(*this)) == Kind::Target; }

bool Path::isMapperPath() const { return !empty() && kindOf(node(*this)) == Kind::Mapper; }

bool Path::isExpressionPath() const { return !empty() && kindOf(node(*this)) == Kind::Expression; }

bool Path::isRelationalAttributePath() const { return !empty() && kindOf(node(*this)) == Kind::RelAttr; }

bool Path::containsTargetPath() const { return !empty() && (node(*this)->flags & detail::kPathHasTarget); }

std::string_view Path::name() const {
  if (empty()) return {};
  const PathNode* n = node(*this);
  switch (kindOf(n)) {
    case Kind::Root:
      return path_detail::isRelativeRoot(n) ? std::string_view(".") : std::string_view();
    case Kind::Prim:
    case Kind::VariantSel:
      return path_detail::spelling(n);
    case Kind::Property:
    case Kind::RelAttr:
    case Kind::MapperArg:
    case Kind::Expression:
      return path_detail::spelling(n).substr(1);
    default:
      return {};
  }
}

std::string_view Path::elementText() const {
  if (empty() || kindOf(node(*this)) == Kind::Root) return {};
  return path_detail::spelling(node(*this));
}

std::pair<std::string_view, std::string_view> Path::variantSelection() const {
  if (!isPrimVariantSelectionPath()) return {};
  const std::string_view el = detail::pathSuffix(node(*this));
  const std::size_t eq = el.find('=');
  if (el.size() < 3 || eq == std::string_view::npos) return {};
  return {el.substr(1, eq - 1), el.substr(eq + 1, el.size() - eq - 2)};
}

Path Path::targetPath() const {
  // The last target or mapper element; only names can follow it.
  if (!containsTargetPath()) return {};
  const PathNode* n = node(*this);
  while (n && kindOf(n) != Kind::Target && kindOf(n) != Kind::Mapper) n = parentNode(n);
  if (!n) return {};
  return fromCanonical(path_detail::bracketedPath(n));
}

Path Path::parent() const {
  if (empty()) return {};
  const PathNode* n = node(*this);
  if (kindOf(n) == Kind::Root && (n->flags & detail::kPathAbsolute)) return {};
  // The parent of a path made of ".." elements is one level further up.
  if (path_detail::isRelativeRoot(n)) return pathOf(intern(rep_, "..", Kind::Prim, ".."));
  if (n->flags & detail::kPathEndsInDotDot) return pathOf(intern(rep_, "/..", Kind::Prim, ".."));
  return pathOf(detail::parentPathRep(rep_));
}

Path Path::primPath() const {
  if (empty()) return {};
  const PathNode* n = node(*this);
  while (kindOf(n) != Kind::Prim) {
    if (kindOf(n) == Kind::Root) return {};
    n = parentNode(n);
  }
  return PathAccess::make(n);
}

Path Path::primOrPrimVariantSelectionPath() const {
  if (empty()) return {};
  const PathNode* n = node(*this);
  while (kindOf(n) != Kind::Prim && kindOf(n) != Kind::VariantSel) {
    if (kindOf(n) == Kind::Root) return {};
    n = parentNode(n);
  }
  return PathAccess::make(n);
}

// ---------------------------------------------------------------------------
// Appending

Path Path::appendChild(std::string_view primName) const {
  if (empty()) return {};
  // ".." is the parent, as for SdfPath::AppendChild.
  if (primName == "..") return path_detail::isPrimLikeKind(kindOf(node(*this))) ? parent() : Path();
  if (!isValidIdentifier(primName)) return {};
  return pathOf(path_detail::addElement(rep_, Kind::Prim, primName));
}

Path Path::appendProperty(std::string_view propName) const {
  if (empty() || !isValidNamespacedIdentifier(propName)) return {};
  SuffixBuf s;
  s.append(".");
  s.append(propName);
  return pathOf(path_detail::addElement(rep_, Kind::Property, s.view()));
}

Path Path::appendVariantSelection(std::string_view set, std::string_view variant) const {
  // SdfPath does not check these names, but text that breaks the element
  // syntax could not be scanned again. Layers may use set names the path
  // grammar rejects (SdfSchema allows a leading digit or '.'), so both names
  // are held to the looser variant-identifier rule.
  if (empty() || set.empty() || !isValidVariantIdentifier(set) || !isValidVariantIdentifier(variant)) return {};
  SuffixBuf s;
  s.append("{");
  s.append(set);
  s.append("=");
  s.append(variant);
  s.append("}");
  return pathOf(path_detail::addElement(rep_, Kind::VariantSel, s.view()));
}

Path Path::appendTarget(const Path& target) const {
  if (empty() || target.empty()) return {};
  std::string s = "[";
  target.appendText(s);
  s += ']';
  return pathOf(path_detail::addElement(rep_, Kind::Target, s));
}

Path Path::appendRelationalAttribute(std::string_view attrName) const {
  if (empty() || !isValidNamespacedIdentifier(attrName)) return {};
  SuffixBuf s;
  s.append(".");
  s.append(attrName);
  return pathOf(path_detail::addElement(rep_, Kind::RelAttr, s.view()));
}

Path Path::appendMapper(const Path& target) const {
  if (empty() || target.empty()) return {};
  std::string s = ".mapper[";
  target.appendText(s);
  s += ']';
  return pathOf(path_detail::addElement(rep_, Kind::Mapper, s));
}

Path Path::appendExpression() const {
  if (empty()) return {};
  return pathOf(path_detail::addElement(rep_, Kind::Expression, ".expression"));
}

Path Path::appendElementText(std::string_view element) const {
  if (empty() || element.empty()) return {};
  const Kind baseKind = kindOf(node(*this));
  const bool afterProperty = baseKind == Kind::Property || baseKind == Kind::RelAttr;
  if (element.front() == '{') {
    const std::size_t eq = element.find('=');
    if (element.back() != '}' || eq == std::string_view::npos) return {};
    return appendVariantSelection(element.substr(1, eq - 1), element.substr(eq + 1, element.size() - eq - 2));
  }
  std::string_view inner;
  Kind kind = Kind::Target;
  if (element.front() == '[') {
    inner = element.substr(1);
  } else if (element.starts_with(".mapper[") && afterProperty) {
    inner = element.substr(8);
    kind = Kind::Mapper;
  } else if (element == ".expression" && afterProperty) {
    return appendExpression();
  } else if (element.front() == '.') {
    const std::string_view name = element.substr(1);
    if (baseKind == Kind::Target) return appendRelationalAttribute(name);
    if (baseKind == Kind::Mapper) {
      if (!isValidNamespacedIdentifier(name)) return {};
      return pathOf(path_detail::addElement(rep_, Kind::MapperArg, element));
    }
    return appendProperty(name);
  } else {
    return appendChild(element);
  }
  // A target or mapper: the bracketed text must be one path.
  if (inner.empty() || inner.back() != ']') return {};
  const std::optional<Path> target = parse(inner.substr(0, inner.size() - 1));
  if (!target || target->empty()) return {};
  return kind == Kind::Mapper ? appendMapper(*target) : appendTarget(*target);
}

// ---------------------------------------------------------------------------
// Prefixes

bool Path::hasPrefix(const Path& prefix) const {
  if (empty() || prefix.empty()) return false;
  const PathNode* p = node(prefix);
  if (kindOf(p) == Kind::Root) return ((p->flags ^ node(*this)->flags) & detail::kPathAbsolute) == 0;
  const PathNode* n = node(*this);
  if (n->elementCount < p->elementCount) return false;
  for (std::size_t up = n->elementCount - p->elementCount; up > 0; --up) n = parentNode(n);
  return n == p;
}

std::size_t Path::elementCount() const { return empty() ? 0 : node(*this)->elementCount; }

std::vector<Path> Path::prefixes() const {
  std::vector<Path> out;
  if (empty()) return out;
  const NodeChain chain(node(*this));
  out.reserve(chain.size());
  for (std::size_t i = 0; i < chain.size(); ++i) out.push_back(PathAccess::make(chain[i]));
  return out;
}

bool isValidIdentifier(std::string_view name) { return isValidUtf8Identifier(name); }

bool isValidNamespacedIdentifier(std::string_view name) { return isValidNamespacedUtf8Identifier(name); }

// isValidVariantIdentifier is defined in base/Unicode.cpp (same function).

}  // namespace usdkit
