// Scene-description paths as interned canonical text.
//
// The canonical text is exactly the spelling OpenUSD's SdfPath::GetString()
// produces, so two equal paths always have the same Token. Every structural
// question is answered by scanning that text; canonical text is trusted (it
// came from parse() or from the append functions), which keeps the scanners
// small: names never contain any of "/.{}[]", variant selections never
// contain braces or brackets, and target paths are balanced in brackets.
//
// Facts about SdfPath that shape this file (learned from OpenUSD's
// pathParser.h, path.cpp and pathNode.h; no code taken from there):
//  * ".." may only lead a relative path ("../../A"); "/A/.." and "A/.." are
//    not valid path text. Appending ".." as a child (appendPath,
//    makeAbsolute) is what folds it into the parent.
//  * The parser's last rule is "end of line or end of input", so text such as
//    "/A\n..." parses as "/A"; parse() mirrors that.
//  * Elements are nodes of these kinds, in this order, and operator< compares
//    differing siblings of different kinds by it: prim < variant selection;
//    property < target < mapper < relational attribute < mapper arg <
//    expression. Siblings of the same kind compare by name bytes (variant
//    selections by set, then selection; targets by their target path).
//  * The prim part (prims, "..", variant selections) is compared before the
//    property part: "/A.z" sorts before "/A/B", "/A/B" before "/A{v=x}".
//  * Property names written after ".." get a separator: "../.prop".
//  * Element counts exclude the roots: "/" and "." have 0, "/A{v=x}B.c" 4.

#include "sdf/Path.h"

#include "base/Unicode.h"
#include "sdf/PathElements.h"
#include "sdf/PathGrammar.h"
#include "sdf/PathNodes.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace usdkit {


namespace {

using path_detail::Elem;
using path_detail::ElemList;
using path_detail::Elements;
using path_detail::elemText;
using path_detail::Kind;
using path_detail::sameElem;

constexpr std::size_t npos = std::string_view::npos;

// Target paths nest; a bound keeps hostile input from exhausting the stack.
constexpr int kMaxTargetDepth = detail::kMaxPathTargetDepth;

// ---------------------------------------------------------------------------
// Small buffers, so building a path's text does not allocate for ordinary
// lengths. Functions here recurse into target paths, which rules out one
// shared thread_local buffer.

class TextBuf {
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
  void push(char c) { append(std::string_view(&c, 1)); }
  // `s` must not point into this buffer.
  void assign(std::string_view s) {
    clear();
    append(s);
  }
  void clear() {
    size_ = 0;
    heap_.clear();
    spilled_ = false;
  }
  void truncate(std::size_t n) {
    if (spilled_) heap_.resize(n);
    size_ = n;
  }
  std::string_view view() const { return {data(), size_}; }

 private:
  const char* data() const { return spilled_ ? heap_.data() : inline_.data(); }

  std::array<char, 256> inline_;
  std::string heap_;
  std::size_t size_ = 0;
  bool spilled_ = false;
};

// Small helpers of the scanners below.

bool isBlank(char c) { return c == ' ' || c == '\t'; }

// ---------------------------------------------------------------------------
// Scanners over canonical text.

bool isNameDelim(char c) { return c == '/' || c == '.' || c == '{' || c == '}' || c == '[' || c == ']'; }

std::size_t matchClose(std::string_view t, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < t.size(); ++i) {
    if (t[i] == '[') ++depth;
    else if (t[i] == ']' && --depth == 0) return i;
  }
  return t.size() - 1;
}

std::size_t matchOpen(std::string_view t, std::size_t close) {
  int depth = 0;
  for (std::size_t i = close + 1; i-- > 0;) {
    if (t[i] == ']') ++depth;
    else if (t[i] == '[' && --depth == 0) return i;
  }
  return npos;  // only for non-canonical text
}

// True when the element ending at `end` is a property or relational
// attribute: a name introduced by '.'. Prim names are introduced by '/', '}'
// or nothing.
bool endsWithPropertyName(std::string_view t, std::size_t end) {
  if (end == 0 || isNameDelim(t[end - 1])) return false;
  std::size_t k = end - 1;
  while (k > 0 && !isNameDelim(t[k - 1])) --k;
  return k > 0 && t[k - 1] == '.';
}

// "[...]" at `open` belongs to a mapper when ".mapper" precedes it and that
// follows a property; otherwise "mapper" is an ordinary property name and the
// brackets hold a relationship target.
bool isMapperOpen(std::string_view t, std::size_t open) {
  return open >= 7 && t.substr(open - 7, 7) == ".mapper" && endsWithPropertyName(t, open - 7);
}

struct LastElem {
  Kind kind;
  std::size_t begin;
};

// The last element of a canonical text that is neither empty nor a root,
// found by scanning backwards, so the common queries cost the length of one
// element.
LastElem lastElement(std::string_view t) {
  const std::size_t n = t.size();
  const char c = t[n - 1];
  if (c == ']') {
    const std::size_t open = std::min(matchOpen(t, n - 1), n - 1);
    if (isMapperOpen(t, open)) return {Kind::Mapper, open - 7};
    return {Kind::Target, open};
  }
  if (c == '}') return {Kind::VariantSel, std::min(t.rfind('{', n - 1), n - 1)};
  if (c == '.') return {Kind::Prim, n - 2};  // "..", the only element ending in a dot
  std::size_t k = n - 1;
  while (k > 0 && !isNameDelim(t[k - 1])) --k;
  if (k == 0 || t[k - 1] != '.') return {Kind::Prim, k};
  const std::size_t dot = k - 1;
  if (dot > 0 && t[dot - 1] == ']') {
    const std::size_t open = std::min(matchOpen(t, dot - 1), dot - 1);
    return {isMapperOpen(t, open) ? Kind::MapperArg : Kind::RelAttr, dot};
  }
  // A name after a property can only be "expression".
  if (endsWithPropertyName(t, dot)) return {Kind::Expression, dot};
  return {Kind::Property, dot};
}

Kind lastKind(std::string_view t) {
  if (t == "/" || t == ".") return Kind::Root;
  return lastElement(t).kind;
}

// Length of the text of the node a path's node hangs below, 0 for a root
// ("/" or "."). For every path but the roots and ".."-ending ones this is the
// text of parent(); it depends on the text alone, which keeps path nodes
// unique per text. Always shorter than `t`, so walking it up ends.
std::size_t parentTextLength(std::string_view t) {
  std::size_t cut = lastElement(t).begin;
  if (cut > 0 && t[cut - 1] == '/') --cut;  // prim separator, or "../.prop"
  if (cut == 1 && (t[0] == '/' || t[0] == '.')) return 0;
  return cut;
}

// As parentTextLength for texts up to kLongPathText; longer ones skip to
// their longest ancestor no longer than the largest power of two below
// their length (see PathNodes.h), found in one backward walk that costs
// the length of the skipped part.
std::size_t chainParentLength(std::string_view t) {
  std::size_t len = parentTextLength(t);
  if (t.size() <= detail::kLongPathText) return len;
  const std::size_t bound = std::bit_floor(t.size() - 1);
  while (len > bound) len = parentTextLength(t.substr(0, len));
  return len;
}

// The node record of any non-empty text: the root, then each ancestor from
// the top down, made where missing (or with `create` false, null when one is
// missing).
const detail::TokenRep* internText(std::string_view t, bool create = true) {
  const detail::TokenRep* root = t[0] == '/' ? detail::absoluteRootPathRep() : detail::relativeRootPathRep();
  if (t == "/" || t == ".") return root;
  std::array<std::uint32_t, 32> inlineLengths;
  std::vector<std::uint32_t> heapLengths;
  std::size_t depth = 0;
  auto push = [&](std::size_t len) {
    if (depth < inlineLengths.size()) {
      inlineLengths[depth] = static_cast<std::uint32_t>(len);
    } else {
      if (depth == inlineLengths.size()) heapLengths.assign(inlineLengths.begin(), inlineLengths.end());
      heapLengths.push_back(static_cast<std::uint32_t>(len));
    }
    ++depth;
  };
  for (std::size_t len = t.size(); len > 0; len = chainParentLength(t.substr(0, len))) push(len);
  const detail::TokenRep* node = root;
  for (std::size_t i = depth; i-- > 0;) {
    const std::size_t len = depth <= inlineLengths.size() ? inlineLengths[i] : heapLengths[i];
    const std::string_view prefix = t.substr(0, len);
    node = create ? detail::internChildPath(node, prefix) : detail::findChildPath(node, prefix);
    if (!node) return nullptr;
  }
  return node;
}

// The record for `text`, made by extending `base` by one element: the node
// goes straight below base's when that is its chain parent (the common case,
// no walk from the root).
const detail::TokenRep* internExtension(const Path& base, std::string_view text) {
  const std::string_view b = base.text();
  const bool baseIsRoot = b == "/" || b == ".";
  const std::size_t parentLen = chainParentLength(text);
  const bool direct = baseIsRoot ? (parentLen == 0 && (text[0] == '/') == (b[0] == '/'))
                                 : (parentLen == b.size() && text.substr(0, parentLen) == b);
  if (direct) return detail::internChildPath(base.token().rep(), text);
  // A long text hangs below base or below base's own node parent (see
  // PathNodes.h), which saves walking (and hashing) the whole chain.
  if (!baseIsRoot && text.size() > detail::kLongPathText && parentLen < b.size()) {
    const detail::TokenRep* up = detail::parentPathRep(base.token().rep());
    if (up && up->size == parentLen && text.substr(0, b.size()) == b) return detail::internChildPath(up, text);
  }
  return internText(text);
}

bool isPrimLikeKind(Kind k) { return k == Kind::Root || k == Kind::Prim || k == Kind::VariantSel; }

// Forward scan into elements.
void scanElements(std::string_view t, Elements& out) {
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

// The prim part as a path text: "/" or "." when it has no elements.
std::string_view primPartText(std::string_view t, const Elements& e) {
  if (e.primCount == 0) return e.absolute ? std::string_view("/") : std::string_view(".");
  return t.substr(0, e.list[e.primCount - 1].end);
}

// Index where the property part starts (t.size() when there is none).
std::size_t primPartEnd(std::string_view t) {
  const std::size_t n = t.size();
  std::size_t i = (n > 0 && t[0] == '/') ? 1 : 0;
  while (i < n) {
    const char c = t[i];
    if (c == '{') {  // variant names may contain '.'
      i = std::min(t.find('}', i), n - 1) + 1;
      continue;
    }
    if (c == '.') {
      if (i + 1 < n && t[i + 1] == '.') {
        i += 2;
        continue;
      }
      break;
    }
    if (c == '[') break;
    ++i;
  }
  return i;
}

// Prim part of a non-empty text, keeping trailing variant selections; ""
// stands for the relative root.
std::string_view primOrVariantPart(std::string_view t) {
  std::size_t end = primPartEnd(t);
  if (end > 1 && t[end - 1] == '/') --end;  // "../.prop"
  return t.substr(0, end);
}

// GetPrimPath: the nearest prim element; "" when there is none.
std::string_view primPathText(std::string_view t) {
  std::string_view p = primOrVariantPart(t);
  while (!p.empty() && p.back() == '}') {
    const std::size_t open = p.rfind('{');
    if (open == npos) return {};  // only for non-canonical text
    p = p.substr(0, open);
  }
  if (p == "/") return {};
  return p;
}

bool hasPrefixText(std::string_view t, std::string_view p) {
  if (t.empty() || p.empty()) return false;
  if (p == "/") return t[0] == '/';
  if (p == ".") return t[0] != '/';
  if (t.size() < p.size() || t.compare(0, p.size(), p) != 0) return false;
  if (t.size() == p.size()) return true;
  const char next = t[p.size()];
  // The match must end on an element boundary: "/A" is not a prefix of "/AB".
  return p.back() == '}' || next == '/' || next == '.' || next == '{' || next == '[';
}

// ---------------------------------------------------------------------------
// Builds a path text element by element with SdfPath's Append* rules: each
// element kind may only follow certain kinds, and ".." as a prim element is
// the parent (SdfPath::AppendChild("..") is GetParentPath()).

class Builder {
 public:
  explicit Builder(std::string_view base) {
    buf_.assign(base);
    refresh();
  }

  std::string_view text() const { return buf_.view(); }

  // `elem` is the element's canonical spelling (see Elem).
  bool add(Kind kind, std::string_view elem) {
    const std::string_view t = text();
    const bool relRoot = t == ".";
    const bool absRoot = t == "/";
    const bool primLike = isPrimLikeKind(last_);
    switch (kind) {
      case Kind::Prim:
        if (!primLike) return false;
        if (elem == "..") return popPrim();
        if (relRoot) {
          buf_.assign(elem);
        } else {
          if (!absRoot && t.back() != '}') buf_.push('/');
          buf_.append(elem);
        }
        break;
      case Kind::VariantSel:
      case Kind::Property:
        if (!primLike || absRoot) return false;
        if (relRoot) {
          buf_.assign(elem);
        } else {
          if (kind == Kind::Property && dotdot_) buf_.push('/');
          buf_.append(elem);
        }
        break;
      case Kind::Target:
      case Kind::Mapper:
      case Kind::Expression:
        if (last_ != Kind::Property && last_ != Kind::RelAttr) return false;
        buf_.append(elem);
        break;
      case Kind::RelAttr:
        if (last_ != Kind::Target) return false;
        buf_.append(elem);
        break;
      case Kind::MapperArg:
        if (last_ != Kind::Mapper) return false;
        buf_.append(elem);
        break;
      case Kind::Root:
        return false;
    }
    last_ = kind;
    dotdot_ = false;
    return true;
  }

 private:
  void refresh() {
    const std::string_view t = text();
    last_ = lastKind(t);
    dotdot_ = last_ == Kind::Prim && t.back() == '.';
  }

  bool popPrim() {
    const std::string_view t = text();
    if (t == "/") return false;
    if (t == ".") {
      buf_.assign("..");
    } else if (dotdot_) {
      buf_.append("/..");
    } else {
      std::size_t cut = lastElement(t).begin;
      if (cut > 0 && t[cut - 1] == '/') --cut;
      if (cut == 0) {
        buf_.assign(t[0] == '/' ? "/" : ".");
      } else {
        buf_.truncate(cut);
      }
    }
    refresh();
    return true;
  }

  TextBuf buf_;
  Kind last_ = Kind::Root;
  bool dotdot_ = false;
};

bool replacePrefixText(std::string_view t, std::string_view oldP, std::string_view newP, bool fixTargets,
                       TextBuf& out, int depth);

// Adds elements [from, end) of `t` to `b`; with `fixTargets`, the paths in
// target and mapper brackets get their prefixes replaced as well.
bool addElements(Builder& b, std::string_view t, const Elements& e, std::size_t from, std::string_view oldP = {},
                 std::string_view newP = {}, bool fixTargets = false, int depth = 0) {
  for (std::size_t i = from; i < e.list.size(); ++i) {
    const Elem& el = e.list[i];
    const std::string_view et = elemText(t, el);
    if (!fixTargets || (el.kind != Kind::Target && el.kind != Kind::Mapper)) {
      if (!b.add(el.kind, et)) return false;
      continue;
    }
    const std::size_t open = et.find('[');
    TextBuf fixed;
    if (!replacePrefixText(et.substr(open + 1, et.size() - open - 2), oldP, newP, true, fixed, depth + 1))
      return false;
    TextBuf elem;
    elem.append(et.substr(0, open + 1));
    elem.append(fixed.view());
    elem.push(']');
    if (!b.add(el.kind, elem.view())) return false;
  }
  return true;
}

// SdfPath::ReplacePrefix on texts. False means the result is the empty path.
bool replacePrefixText(std::string_view t, std::string_view oldP, std::string_view newP, bool fixTargets,
                       TextBuf& out, int depth) {
  if (t.empty()) return false;
  if (oldP == newP || depth > kMaxTargetDepth) {
    out.assign(t);
    return true;
  }
  if (oldP.empty() || newP.empty()) return false;
  if (t == oldP) {
    out.assign(newP);
    return true;
  }
  Elements e;
  scanElements(t, e);
  const bool oldHasProperty = primPartEnd(oldP) < oldP.size();
  bool prefixed = hasPrefixText(t, oldP);
  if (oldHasProperty) {
    if (!e.hasProperty()) {
      out.assign(t);
      return true;
    }
    // A property-like prefix only matches when the prim parts are equal.
    if (prefixed && primOrVariantPart(t) != primOrVariantPart(oldP)) prefixed = false;
  }
  if (prefixed) {
    Elements oe;
    scanElements(oldP, oe);
    // A prim-like old prefix only replaces prims, so SdfPath uses just the
    // new prefix's prim part ("" is the relative root).
    std::string_view base = newP;
    if (!oldHasProperty) {
      base = primOrVariantPart(newP);
      if (base.empty()) base = ".";
    }
    Builder b(base);
    if (!addElements(b, t, e, oe.list.size(), oldP, newP, fixTargets, depth)) return false;
    out.assign(b.text());
    return true;
  }
  if (!fixTargets || t.find('[') == npos) {
    out.assign(t);
    return true;
  }
  Builder b(primPartText(t, e));
  if (!addElements(b, t, e, e.primCount, oldP, newP, true, depth)) return false;
  out.assign(b.text());
  return true;
}

// Anchors must be "/", an absolute prim path or a variant selection path.
bool isPrimLikeAnchor(std::string_view anchor) {
  return !anchor.empty() && anchor[0] == '/' && isPrimLikeKind(lastKind(anchor));
}

// SdfPath::MakeAbsolutePath on texts. False means the empty path.
bool makeAbsoluteText(std::string_view t, std::string_view anchor, TextBuf& out, int depth) {
  if (t.empty() || depth > kMaxTargetDepth || !isPrimLikeAnchor(anchor)) return false;
  Builder b(t[0] == '/' ? t : anchor);
  if (t[0] != '/') {
    Elements e;
    scanElements(t, e);
    if (!addElements(b, t, e, 0)) return false;
  }
  const std::string_view result = b.text();
  // As in SdfPath, only the path's last target (the one nearest its end) is
  // made absolute, against the owning prim, recursing into that target.
  const std::size_t close = result.rfind(']');
  if (close == npos) {
    out.assign(result);
    return true;
  }
  const std::size_t open = matchOpen(result, close);
  if (open == npos) {
    out.assign(result);
    return true;
  }
  const std::string_view primAnchor = primPathText(result);
  TextBuf target;
  if (primAnchor.empty() ||
      !makeAbsoluteText(result.substr(open + 1, close - open - 1), primAnchor, target, depth + 1))
    return false;
  TextBuf joined;
  joined.append(result.substr(0, open + 1));
  joined.append(target.view());
  joined.append(result.substr(close));
  out.assign(joined.view());
  return true;
}

const detail::TokenRep* appendNameToPrimLike(const Path& base, Kind kind, std::string_view name) {
  const std::string_view bt = base.text();
  if (bt == "/" || bt == ".") return nullptr;
  const char last = bt.back();
  if (last == ']') return nullptr;
  const Kind baseKind = last == '}' ? Kind::VariantSel : lastElement(bt).kind;
  if (baseKind != Kind::Prim && baseKind != Kind::VariantSel) return nullptr;
  TextBuf text;
  text.append(bt);
  if (kind == Kind::Property) {
    if (last == '.') text.push('/');  // "../.prop"
    text.push('.');
  } else if (last != '}') {
    text.push('/');
  }
  text.append(name);
  // A long text may hang below another ancestor than `base`.
  if (text.view().size() > detail::kLongPathText) return internExtension(base, text.view());
  return detail::internChildPath(base.token().rep(), text.view());
}

// Appends one element, spelled by concatenating `pieces`, under the Builder's
// rules; null when the element may not follow `base`.
const detail::TokenRep* appendElement(const Path& base, Kind kind, std::initializer_list<std::string_view> pieces) {
  TextBuf elem;
  for (std::string_view piece : pieces) elem.append(piece);
  Builder b(base.text());
  if (!b.add(kind, elem.view())) return nullptr;
  return internExtension(base, b.text());
}

}  // namespace

void path_detail::scanPathElements(std::string_view t, Elements& out) { scanElements(t, out); }

// ---------------------------------------------------------------------------

std::size_t detail::chainParentTextLength(std::string_view text) {
  return text == "/" || text == "." ? 0 : chainParentLength(text);
}

const detail::TokenRep* detail::findPathRep(std::string_view text) {
  return text.empty() ? nullptr : internText(text, false);
}

Path Path::fromCanonical(std::string_view text) {
  if (text.empty()) return {};
  return Path(Token::fromRep(internText(text)));
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
  TextBuf buf;
  for (char c : text) {
    if (!isBlank(c)) buf.push(c);
  }
  return fromCanonical(buf.view());
}

Path Path::absoluteRoot() {
  static const Path root(Token::fromRep(detail::absoluteRootPathRep()));
  return root;
}

Path Path::reflexiveRelative() {
  static const Path dot(Token::fromRep(detail::relativeRootPathRep()));
  return dot;
}

bool Path::isAbsolute() const { return !empty() && text()[0] == '/'; }

bool Path::isAbsoluteRoot() const { return text() == "/"; }

bool Path::isPrimPath() const {
  if (empty()) return false;
  const std::string_view t = text();
  return t == "." || lastKind(t) == Kind::Prim;
}

bool Path::isRootPrimPath() const {
  const std::string_view t = text();
  if (t.size() < 2 || t[0] != '/') return false;
  return std::none_of(t.begin() + 1, t.end(), [](char c) { return c == '/' || c == '.' || c == '{' || c == '['; });
}

bool Path::isPrimOrPrimVariantSelectionPath() const {
  if (empty()) return false;
  const std::string_view t = text();
  if (t == ".") return true;
  const Kind k = lastKind(t);
  return k == Kind::Prim || k == Kind::VariantSel;
}

bool Path::isPrimVariantSelectionPath() const { return !empty() && text().back() == '}'; }

bool Path::containsPrimVariantSelection() const {
  const std::string_view t = text();
  if (t.find('{') == npos) return false;
  return primOrVariantPart(t).find('{') != npos;
}

bool Path::isPropertyPath() const {
  if (empty()) return false;
  const Kind k = lastKind(text());
  return k == Kind::Property || k == Kind::RelAttr;
}

bool Path::isPrimPropertyPath() const { return !empty() && lastKind(text()) == Kind::Property; }

bool Path::isNamespacedPropertyPath() const { return isPropertyPath() && name().find(':') != npos; }

bool Path::isTargetPath() const { return !empty() && text().back() == ']' && lastKind(text()) == Kind::Target; }

bool Path::isMapperPath() const { return !empty() && text().back() == ']' && lastKind(text()) == Kind::Mapper; }

bool Path::isExpressionPath() const { return !empty() && lastKind(text()) == Kind::Expression; }

bool Path::isRelationalAttributePath() const { return !empty() && lastKind(text()) == Kind::RelAttr; }

bool Path::containsTargetPath() const { return text().find('[') != npos; }

std::string_view Path::name() const {
  const std::string_view t = text();
  if (t.empty() || t == "/") return {};
  if (t == ".") return t;
  const LastElem le = lastElement(t);
  switch (le.kind) {
    case Kind::Prim:
    case Kind::VariantSel:
      return t.substr(le.begin);
    case Kind::Property:
    case Kind::RelAttr:
    case Kind::MapperArg:
    case Kind::Expression:
      return t.substr(le.begin + 1);
    default:
      return {};
  }
}

std::string_view Path::elementText() const {
  const std::string_view t = text();
  if (t.empty() || t == "/" || t == ".") return {};
  return t.substr(lastElement(t).begin);
}

std::pair<std::string_view, std::string_view> Path::variantSelection() const {
  if (!isPrimVariantSelectionPath()) return {};
  const std::string_view t = text();
  const std::string_view el = t.substr(lastElement(t).begin);
  const std::size_t eq = el.find('=');
  if (el.size() < 3 || eq == npos) return {};  // only for non-canonical text
  return {el.substr(1, eq - 1), el.substr(eq + 1, el.size() - eq - 2)};
}

Path Path::targetPath() const {
  // The last ']' closes the last (outermost) target or mapper element; only
  // names can follow it.
  const std::string_view t = text();
  const std::size_t close = t.rfind(']');
  if (close == npos) return {};
  const std::size_t open = matchOpen(t, close);
  if (open == npos) return {};
  return fromCanonical(t.substr(open + 1, close - open - 1));
}

Path Path::parent() const {
  const std::string_view t = text();
  if (t.empty() || t == "/") return {};
  if (t == ".") return fromCanonical("..");
  if (t.back() == '.') {
    // The parent of a path made of ".." elements is one level further up.
    TextBuf buf;
    buf.append(t);
    buf.append("/..");
    return fromCanonical(buf.view());
  }
  // Otherwise the parent is the node this one hangs below, unless the text
  // is long enough to hang further up.
  if (t.size() > detail::kLongPathText) {
    const std::size_t len = parentTextLength(t);
    if (len == 0) return t[0] == '/' ? absoluteRoot() : reflexiveRelative();
    return fromCanonical(t.substr(0, len));
  }
  return Path(Token::fromRep(detail::parentPathRep(text_.rep())));
}

Path Path::primPath() const {
  if (empty()) return {};
  const std::string_view p = primPathText(text());
  if (p.empty()) return {};
  return p.size() == text().size() ? *this : fromCanonical(p);
}

Path Path::primOrPrimVariantSelectionPath() const {
  if (empty()) return {};
  const std::string_view p = primOrVariantPart(text());
  if (p.empty() || p == "/") return {};
  return p.size() == text().size() ? *this : fromCanonical(p);
}

Path Path::stripAllVariantSelections() const {
  if (!containsPrimVariantSelection()) return *this;
  const std::string_view t = text();
  Elements e;
  scanElements(t, e);
  Builder b(e.absolute ? "/" : ".");
  for (std::size_t i = 0; i < e.list.size(); ++i) {
    if (i < e.primCount && e.list[i].kind == Kind::VariantSel) continue;
    if (!b.add(e.list[i].kind, elemText(t, e.list[i]))) return {};
  }
  return fromCanonical(b.text());
}

Path Path::appendChild(std::string_view primName) const {
  if (empty()) return {};
  // ".." is the parent, as for SdfPath::AppendChild.
  if (primName == "..") return isPrimLikeKind(lastKind(text())) ? parent() : Path();
  if (!isValidIdentifier(primName)) return {};
  const detail::TokenRep* r = appendNameToPrimLike(*this, Kind::Prim, primName);
  if (!r) r = appendElement(*this, Kind::Prim, {primName});
  return r ? Path(Token::fromRep(r)) : Path();
}

Path Path::appendProperty(std::string_view propName) const {
  if (empty() || !isValidNamespacedIdentifier(propName)) return {};
  const detail::TokenRep* r = appendNameToPrimLike(*this, Kind::Property, propName);
  if (!r) r = appendElement(*this, Kind::Property, {".", propName});
  return r ? Path(Token::fromRep(r)) : Path();
}

Path Path::appendVariantSelection(std::string_view set, std::string_view variant) const {
  // SdfPath does not check these names, but text that breaks the element
  // syntax could not be scanned again. Layers may use set names the path
  // grammar rejects (SdfSchema allows a leading digit or '.'), so both names
  // are held to the looser variant-identifier rule.
  if (empty() || set.empty() || !isValidVariantIdentifier(set) || !isValidVariantIdentifier(variant)) return {};
  const detail::TokenRep* r = appendElement(*this, Kind::VariantSel, {"{", set, "=", variant, "}"});
  return r ? Path(Token::fromRep(r)) : Path();
}

Path Path::appendTarget(const Path& target) const {
  if (empty() || target.empty()) return {};
  const detail::TokenRep* r = appendElement(*this, Kind::Target, {"[", target.text(), "]"});
  return r ? Path(Token::fromRep(r)) : Path();
}

Path Path::appendRelationalAttribute(std::string_view attrName) const {
  if (empty() || !isValidNamespacedIdentifier(attrName)) return {};
  const detail::TokenRep* r = appendElement(*this, Kind::RelAttr, {".", attrName});
  return r ? Path(Token::fromRep(r)) : Path();
}

Path Path::appendMapper(const Path& target) const {
  if (empty() || target.empty()) return {};
  const detail::TokenRep* r = appendElement(*this, Kind::Mapper, {".mapper[", target.text(), "]"});
  return r ? Path(Token::fromRep(r)) : Path();
}

Path Path::appendExpression() const {
  if (empty()) return {};
  const detail::TokenRep* r = appendElement(*this, Kind::Expression, {".expression"});
  return r ? Path(Token::fromRep(r)) : Path();
}

Path Path::appendPath(const Path& relative) const {
  if (empty() || relative.empty() || relative.isAbsolute()) return {};
  if (relative.text() == ".") return *this;
  const std::string_view t = text();
  if (!isPrimLikeKind(lastKind(t))) return {};
  const std::string_view r = relative.text();
  Elements e;
  scanElements(r, e);
  Builder b(t);
  if (!addElements(b, r, e, 0)) return {};
  return fromCanonical(b.text());
}

Path Path::makeAbsolute(const Path& anchor) const {
  TextBuf out;
  if (!makeAbsoluteText(text(), anchor.text(), out, 0)) return {};
  return out.view() == text() ? *this : fromCanonical(out.view());
}

Path Path::makeRelative(const Path& anchor) const {
  const std::string_view a = anchor.text();
  if (empty() || !isPrimLikeAnchor(a)) return {};
  // A relative path is first made absolute, which also gives it the fewest
  // ".." elements.
  TextBuf absBuf;
  std::string_view t = text();
  if (!isAbsolute()) {
    if (!makeAbsoluteText(t, a, absBuf, 0)) return {};
    t = absBuf.view();
  }
  Elements te, ae;
  scanElements(t, te);
  scanElements(a, ae);
  const std::size_t limit = std::min(te.primCount, ae.primCount);
  std::size_t common = 0;
  while (common < limit && sameElem(t, te.list[common], a, ae.list[common])) ++common;
  Builder b(".");
  for (std::size_t i = common; i < ae.primCount; ++i) b.add(Kind::Prim, "..");
  if (!addElements(b, t, te, common)) return {};
  return fromCanonical(b.text());
}

bool Path::hasPrefix(const Path& prefix) const { return hasPrefixText(text(), prefix.text()); }

Path Path::replacePrefix(const Path& oldPrefix, const Path& newPrefix, bool fixTargets) const {
  if (empty()) return *this;
  TextBuf out;
  if (!replacePrefixText(text(), oldPrefix.text(), newPrefix.text(), fixTargets, out, 0)) return {};
  return out.view() == text() ? *this : fromCanonical(out.view());
}

Path Path::commonPrefix(const Path& other) const {
  if (empty() || other.empty()) return {};
  if (*this == other) return *this;
  const std::string_view a = text(), b = other.text();
  Elements ea, eb;
  scanElements(a, ea);
  scanElements(b, eb);
  if (ea.absolute != eb.absolute) return {};
  const std::string_view primA = primPartText(a, ea);
  if (ea.hasProperty() && eb.hasProperty() && primA == primPartText(b, eb)) {
    // Same prim part: the answer lies in the property part.
    const std::size_t limit = std::min(ea.list.size(), eb.list.size());
    std::size_t i = ea.primCount;
    while (i < limit && sameElem(a, ea.list[i], b, eb.list[i])) ++i;
    if (i == ea.primCount) return fromCanonical(primA);
    return fromCanonical(a.substr(0, ea.list[i - 1].end));
  }
  const std::size_t limit = std::min(ea.primCount, eb.primCount);
  std::size_t i = 0;
  while (i < limit && sameElem(a, ea.list[i], b, eb.list[i])) ++i;
  if (i == 0) return ea.absolute ? absoluteRoot() : reflexiveRelative();
  return fromCanonical(a.substr(0, ea.list[i - 1].end));
}

std::size_t Path::elementCount() const {
  if (empty()) return 0;
  Elements e;
  scanElements(text(), e);
  return e.list.size();
}

std::vector<Path> Path::prefixes() const {
  std::vector<Path> out;
  if (empty()) return out;
  const std::string_view t = text();
  Elements e;
  scanElements(t, e);
  out.reserve(e.list.size());
  for (std::size_t i = 0; i + 1 < e.list.size(); ++i) out.push_back(fromCanonical(t.substr(0, e.list[i].end)));
  if (e.list.size() > 0) out.push_back(*this);
  return out;
}

bool isValidIdentifier(std::string_view name) { return isValidUtf8Identifier(name); }

bool isValidNamespacedIdentifier(std::string_view name) { return isValidNamespacedUtf8Identifier(name); }

// isValidVariantIdentifier is defined in base/Unicode.cpp (same function).

}  // namespace usdkit
