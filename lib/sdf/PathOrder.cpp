// SdfPath's ordering (operator< of Path and PathSortKey): element-wise
// from the root, the prim part before the property part, siblings of
// different kinds by node kind, names byte-wise. See Path.cpp's header
// comment for the facts it follows.
#include <algorithm>
#include <bit>
#include <cstring>

#include "sdf/Path.h"
#include "sdf/PathElements.h"
#include "sdf/PathOrder.h"

namespace usdkit {

namespace {

using path_detail::Elem;
using path_detail::Elements;
using path_detail::elemText;
using path_detail::Kind;
using path_detail::sameElem;

void scanElements(std::string_view t, Elements& out) { path_detail::scanPathElements(t, out); }

bool variantSelectionLess(std::string_view a, std::string_view b) {
  const std::size_t ea = a.find('='), eb = b.find('=');
  const std::string_view setA = a.substr(1, ea - 1), setB = b.substr(1, eb - 1);
  if (setA != setB) return setA < setB;
  return a.substr(ea + 1, a.size() - ea - 2) < b.substr(eb + 1, b.size() - eb - 2);
}

bool lessText(std::string_view a, std::string_view b);

// Order of two differing sibling elements.
bool elemLess(std::string_view ta, const Elem& x, std::string_view tb, const Elem& y) {
  if (x.kind != y.kind) return x.kind < y.kind;
  const std::string_view ex = elemText(ta, x), ey = elemText(tb, y);
  switch (x.kind) {
    case Kind::VariantSel:
      return variantSelectionLess(ex, ey);
    case Kind::Target:
    case Kind::Mapper: {
      const std::size_t ox = ex.find('['), oy = ey.find('[');
      return lessText(ex.substr(ox + 1, ex.size() - ox - 2), ey.substr(oy + 1, ey.size() - oy - 2));
    }
    case Kind::Expression:
      return false;
    default:
      // Same leading delimiter (or none), so the names decide byte-wise.
      return ex < ey;
  }
}

// Plain prim paths ("/A/B", "A/B") are the common case when sorting. For
// them the element-wise order is the byte order with '/' ranked below every
// name byte, because names never contain '/'.
bool isPlainPrimPath(std::string_view t) {
  // (string_view::find_first_of calls memchr per character; too slow here.)
  for (char c : t) {
    if (c == '.' || c == '{' || c == '[') return false;
  }
  return true;
}

bool plainLess(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size();
  const int ca = a[i] == '/' ? -1 : static_cast<unsigned char>(a[i]);
  const int cb = b[i] == '/' ? -1 : static_cast<unsigned char>(b[i]);
  return ca < cb;
}

// True for absolute paths of prims and their properties ("/A/B", "/A/B.x"),
// most of what a layer holds. For them the SdfPath order is the byte order
// with '.' ranked below '/' and '/' below every name byte: a property comes
// before its owner's children, a prefix before its extensions.
bool isSimpleOrderPath(std::string_view t) {
  if (t.empty() || t[0] != '/') return false;
  int dots = 0;
  for (char c : t) {
    if (c == '{' || c == '[') return false;
    dots += c == '.';
  }
  return dots <= 1;
}

// Only the first differing byte matters, since the ranking above maps
// bytes one to one.
bool simpleLess(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i + 8 <= n) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) {
      if constexpr (std::endian::native == std::endian::little) {
        i += static_cast<std::size_t>(std::countr_zero(x ^ y)) / 8;
      } else {
        while (a[i] == b[i]) ++i;
      }
      break;
    }
    i += 8;
  }
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size();
  auto rank = [](char c) { return c == '.' ? -2 : c == '/' ? -1 : static_cast<int>(static_cast<unsigned char>(c)); };
  return rank(a[i]) < rank(b[i]);
}

bool lessText(std::string_view a, std::string_view b) {
  if (a == b) return false;
  if (a.empty() || b.empty()) return a.empty();
  const bool absA = a[0] == '/', absB = b[0] == '/';
  if (absA != absB) return absA;
  if (isSimpleOrderPath(a) && isSimpleOrderPath(b)) return simpleLess(a, b);
  if (isPlainPrimPath(a) && isPlainPrimPath(b)) return plainLess(a, b);
  Elements ea, eb;
  scanElements(a, ea);
  scanElements(b, eb);
  const std::size_t prims = std::min(ea.primCount, eb.primCount);
  for (std::size_t i = 0; i < prims; ++i) {
    if (!sameElem(a, ea.list[i], b, eb.list[i])) return elemLess(a, ea.list[i], b, eb.list[i]);
  }
  if (ea.primCount != eb.primCount) return ea.primCount < eb.primCount;
  const std::size_t all = std::min(ea.list.size(), eb.list.size());
  for (std::size_t i = prims; i < all; ++i) {
    if (!sameElem(a, ea.list[i], b, eb.list[i])) return elemLess(a, ea.list[i], b, eb.list[i]);
  }
  return ea.list.size() < eb.list.size();
}

// A valid prim or property name appended to a prim or variant-selection
// path that is not a root: the reader's case, a million times per big file,
// so it skips the general Builder. Null when `base` is of another kind.

}  // namespace

bool operator<(const Path& a, const Path& b) { return !(a.text_ == b.text_) && lessText(a.text(), b.text()); }

PathSortKey::PathSortKey(const Path& p) : PathSortKey(p.text()) {}

PathSortKey::PathSortKey(std::string_view canonicalText)
    : text(canonicalText), simple(isSimpleOrderPath(canonicalText)) {}

bool operator<(const PathSortKey& a, const PathSortKey& b) {
  if (a.simple && b.simple) return simpleLess(a.text, b.text);
  return a.text != b.text && lessText(a.text, b.text);
}

}  // namespace usdkit
