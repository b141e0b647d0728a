#include "base/Unicode.h"

#include <algorithm>
#include <iterator>

namespace usdkit {

namespace {

struct CodePointRange {
  char32_t first;
  char32_t last;
};

#include "base/UnicodeTables.inc"

bool inRanges(const CodePointRange* begin, const CodePointRange* end, char32_t cp) noexcept {
  // First range whose end is >= cp; cp is in the table iff that range starts
  // at or before it.
  const CodePointRange* it = std::lower_bound(
      begin, end, cp, [](const CodePointRange& r, char32_t c) { return r.last < c; });
  return it != end && it->first <= cp;
}

bool isAsciiLetter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAsciiDigit(char c) noexcept { return c >= '0' && c <= '9'; }

bool isContinuation(unsigned char b) noexcept { return (b & 0xC0) == 0x80; }

// Decodes the next code point for the identifier checks: ASCII without the
// general decoder, anything malformed reported as failure.
bool nextCodePoint(std::string_view text, std::size_t& pos, char32_t& cp) noexcept {
  const auto b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) {
    cp = b;
    ++pos;
    return true;
  }
  return decodeUtf8(text, pos, cp);
}

bool isIdentifierStart(char32_t cp) noexcept { return cp == U'_' || isXidStart(cp); }

// One identifier: `_` or XID_Start, then XID_Continue code points.
bool isIdentifierRange(std::string_view text) noexcept {
  if (text.empty()) return false;
  std::size_t pos = 0;
  char32_t cp = 0;
  if (!nextCodePoint(text, pos, cp) || !isIdentifierStart(cp)) return false;
  while (pos < text.size()) {
    // Names are nearly always ASCII: checked here without a call per
    // character (the same test isXidContinue makes for ASCII).
    const char c = text[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != '_') return false;
      ++pos;
      continue;
    }
    if (!nextCodePoint(text, pos, cp) || !isXidContinue(cp)) return false;
  }
  return true;
}

}  // namespace

bool decodeUtf8(std::string_view text, std::size_t& pos, char32_t& cp) noexcept {
  if (pos >= text.size()) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t avail = text.size() - pos;
  const unsigned char b0 = s[pos];

  if (b0 < 0x80) {
    cp = b0;
    pos += 1;
    return true;
  }

  // The lead byte fixes the length and, for the first continuation byte, a
  // narrower range that rules out overlong forms (E0, F0), surrogates (ED)
  // and values above U+10FFFF (F4). C0, C1 and F5..FF can only start overlong
  // or out-of-range sequences.
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t value = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    value = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    value = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    value = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return false;
  }
  if (avail < len) return false;

  const unsigned char b1 = s[pos + 1];
  if (b1 < lo || b1 > hi) return false;
  value = (value << 6) | (b1 & 0x3F);
  for (std::size_t i = 2; i < len; ++i) {
    const unsigned char b = s[pos + i];
    if (!isContinuation(b)) return false;
    value = (value << 6) | (b & 0x3F);
  }
  cp = value;
  pos += len;
  return true;
}

bool isValidUtf8(std::string_view text) noexcept {
  std::size_t pos = 0;
  char32_t cp = 0;
  while (pos < text.size()) {
    // Skip ASCII runs without the decoder; most USD text is ASCII.
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    if (!decodeUtf8(text, pos, cp)) return false;
  }
  return true;
}

bool isXidStart(char32_t cp) noexcept {
  if (cp < 0x80) return isAsciiLetter(static_cast<char>(cp));
  return inRanges(std::begin(kXidStartRanges), std::end(kXidStartRanges), cp);
}

bool isXidContinue(char32_t cp) noexcept {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    return isAsciiLetter(c) || isAsciiDigit(c) || c == '_';
  }
  return inRanges(std::begin(kXidContinueRanges), std::end(kXidContinueRanges), cp);
}

bool isValidUtf8Identifier(std::string_view name) noexcept { return isIdentifierRange(name); }

bool isValidAsciiIdentifier(std::string_view name) noexcept {
  if (name.empty()) return false;
  if (!isAsciiLetter(name[0]) && name[0] != '_') return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [](char c) { return isAsciiLetter(c) || isAsciiDigit(c) || c == '_'; });
}

bool isValidNamespacedUtf8Identifier(std::string_view name) noexcept {
  // Every ':'-separated component must be a full identifier, which rejects
  // empty components and therefore leading, trailing and doubled colons.
  std::size_t begin = 0;
  while (true) {
    const std::size_t colon = name.find(':', begin);
    const std::size_t end = colon == std::string_view::npos ? name.size() : colon;
    if (!isIdentifierRange(name.substr(begin, end - begin))) return false;
    if (colon == std::string_view::npos) return true;
    begin = colon + 1;
  }
}

bool isValidVariantIdentifier(std::string_view name) noexcept {
  std::size_t pos = 0;
  if (!name.empty() && name[0] == '.') pos = 1;
  char32_t cp = 0;
  while (pos < name.size()) {
    if (!nextCodePoint(name, pos, cp)) return false;
    if (cp != U'|' && cp != U'-' && !isXidContinue(cp)) return false;
  }
  return true;
}

}  // namespace usdkit
