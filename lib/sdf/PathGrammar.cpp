// The SdfPath grammar as a validator (OpenUSD's pathParser.h restated; no
// code taken from it). Split from Path.cpp, which works on canonical text
// only and calls this for text from outside.
#include "sdf/PathGrammar.h"

#include <cstdint>

#include "base/Unicode.h"

namespace usdkit::detail {

namespace {

constexpr int kMaxTargetDepth = kMaxPathTargetDepth;

// ---------------------------------------------------------------------------
// Character classes.

bool isAsciiAlpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool isAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isAsciiIdContinue(unsigned char c) { return isAsciiAlpha(c) || isAsciiDigit(c) || c == '_'; }
bool isBlank(char c) { return c == ' ' || c == '\t'; }

// One identifier code point: '_' or XID_Start when `start`, else
// XID_Continue. Advances `pos` on a match; ASCII skips the decoder.
bool takeIdChar(std::string_view s, std::size_t& pos, bool start) {
  if (pos >= s.size()) return false;
  const auto c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) {
    if (start ? !(isAsciiAlpha(c) || c == '_') : !isAsciiIdContinue(c)) return false;
    ++pos;
    return true;
  }
  std::size_t p = pos;
  char32_t cp = 0;
  if (!decodeUtf8(s, p, cp) || !(start ? isXidStart(cp) : isXidContinue(cp))) return false;
  pos = p;
  return true;
}
bool takeIdStart(std::string_view s, std::size_t& pos) { return takeIdChar(s, pos, true); }
bool takeIdContinue(std::string_view s, std::size_t& pos) { return takeIdChar(s, pos, false); }

// Variant names (and, after their first character, variant set names) also
// allow '-' and, for variant names, '|'.
bool takeVariantChar(std::string_view s, std::size_t& pos, bool allowBar) {
  if (pos < s.size() && (s[pos] == '-' || (allowBar && s[pos] == '|'))) {
    ++pos;
    return true;
  }
  return takeIdContinue(s, pos);
}


// ---------------------------------------------------------------------------
// Parser for the SdfPath grammar. Validates only: the canonical text is the
// input without blanks, because blanks are legal only as padding around the
// braces and '=' of variant selections, and no other rewriting happens.
//
// The grammar is a PEG in OpenUSD; where it commits ("if_must") any later
// mismatch is an error, elsewhere a mismatch backtracks. Because the whole
// input must be consumed, each backtracking point here only needs to leave
// `pos_` where the PEG would.

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  // Path = "/" [PrimElts [PropElts]] | DotDots ["/" PathElts] | PathElts | "."
  bool path(int depth) {
    if (depth > kMaxTargetDepth) return fail();
    if (peek() == '/') {
      ++pos_;
      if (identifierAhead(pos_)) {
        if (!primElts()) return false;
        if (peek() == '.') propElts(depth);
      }
      return !failed_;
    }
    if (peek() == '.' && peek(1) == '.') {
      pos_ += 2;
      while (peek() == '/' && peek(1) == '.' && peek(2) == '.') pos_ += 3;
      if (peek() == '/') {
        const std::size_t save = pos_;
        ++pos_;
        if (!pathElts(depth)) {
          if (failed_) return false;
          pos_ = save;
        }
      }
      return true;
    }
    if (pathElts(depth)) return true;
    if (failed_) return false;
    if (peek() == '.') {
      ++pos_;
      return true;
    }
    return false;
  }

  std::size_t pos() const { return pos_; }

 private:
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0'; }
  bool fail() {
    failed_ = true;
    return false;
  }
  bool identifierAhead(std::size_t p) const { return takeIdStart(in_, p); }
  void skipIdentifier() {
    takeIdStart(in_, pos_);
    while (true) {
      // Names are nearly always ASCII; only leave this loop for the decoder.
      while (pos_ < in_.size() && isAsciiIdContinue(static_cast<unsigned char>(in_[pos_]))) ++pos_;
      if (pos_ >= in_.size() || static_cast<unsigned char>(in_[pos_]) < 0x80 || !takeIdContinue(in_, pos_)) return;
    }
  }
  void skipBlanks() {
    while (isBlank(peek())) ++pos_;
  }

  // PathElts = PrimElts [PropElts] | PropElts. False (without failing) when
  // neither starts here.
  bool pathElts(int depth) {
    if (identifierAhead(pos_)) {
      if (!primElts()) return false;
      if (peek() == '.') propElts(depth);
      return !failed_;
    }
    if (peek() == '.' && identifierAhead(pos_ + 1)) return propElts(depth);
    return false;
  }

  // PrimName { ("/" | VarSels) PrimName } [VarSels]; the caller saw the name.
  bool primElts() {
    skipIdentifier();
    while (true) {
      if (peek() == '/' && identifierAhead(pos_ + 1)) {
        ++pos_;
        skipIdentifier();
        continue;
      }
      bool matched = false;
      if (!variantSelections(matched)) return false;
      if (!matched) return true;
      if (!identifierAhead(pos_)) return true;  // trailing selections end the prim part
      skipIdentifier();
    }
  }

  // One or more "{set=sel}" with blank padding; `matched` is false (and
  // nothing consumed) when no '{' follows.
  bool variantSelections(bool& matched) {
    matched = false;
    while (true) {
      const std::size_t save = pos_;
      skipBlanks();
      if (peek() != '{') {
        pos_ = save;
        return true;
      }
      ++pos_;
      skipBlanks();
      if (!takeIdStart(in_, pos_)) return fail();
      while (takeVariantChar(in_, pos_, false)) {
      }
      skipBlanks();
      if (peek() != '=') return fail();
      ++pos_;
      skipBlanks();
      if (peek() == '.') ++pos_;
      while (takeVariantChar(in_, pos_, true)) {
      }
      skipBlanks();
      if (peek() != '}') return fail();
      ++pos_;
      skipBlanks();
      matched = true;
    }
  }

  // Identifier { ":" Identifier }.
  bool propertyName() {
    if (!identifierAhead(pos_)) return false;
    skipIdentifier();
    while (peek() == ':' && identifierAhead(pos_ + 1)) {
      ++pos_;
      skipIdentifier();
    }
    return true;
  }

  // "." PropName [TargetSeq | MapperSeq | ".expression"]. Backtracks when no
  // name follows the dot.
  bool propElts(int depth) {
    const std::size_t save = pos_;
    ++pos_;
    if (!propertyName()) {
      pos_ = save;
      return false;
    }
    return propertySuffix(depth, false);
  }

  // What may follow a property name (or, with `relAttr`, a relational
  // attribute name): a target, a mapper, ".expression", or nothing. After a
  // property's target a relational attribute may follow.
  bool propertySuffix(int depth, bool relAttr) {
    if (peek() == '[') {
      if (!bracketPath(depth)) return false;
      if (relAttr || peek() != '.') return true;
      ++pos_;
      if (!propertyName()) return fail();
      return propertySuffix(depth, true);
    }
    if (peek() != '.') return true;
    // Any other '.' after a property is committed to ".mapper[...]" or
    // ".expression" in OpenUSD's grammar, so a mismatch is an error.
    if (keywordAt(pos_ + 1, "mapper")) {
      pos_ += 7;
      if (peek() != '[') return fail();
      if (!bracketPath(depth)) return false;
      // Mapper args are plain ASCII identifiers in the grammar.
      if (peek() == '.' && (isAsciiAlpha(static_cast<unsigned char>(peek(1))) || peek(1) == '_')) {
        pos_ += 2;
        while (isAsciiIdContinue(static_cast<unsigned char>(peek()))) ++pos_;
      }
      return true;
    }
    if (keywordAt(pos_ + 1, "expression")) {
      pos_ += 11;
      return true;
    }
    return fail();
  }

  // The keyword must not run on into more ASCII identifier characters.
  bool keywordAt(std::size_t p, std::string_view word) const {
    if (in_.substr(p, word.size()) != word) return false;
    const std::size_t after = p + word.size();
    return after >= in_.size() || !isAsciiIdContinue(static_cast<unsigned char>(in_[after]));
  }

  bool bracketPath(int depth) {
    ++pos_;  // '['
    if (!path(depth + 1)) return fail();
    if (peek() != ']') return fail();
    ++pos_;
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};


}  // namespace

std::optional<std::size_t> matchPathGrammar(std::string_view text) {
  Parser parser(text);
  if (!parser.path(0)) return std::nullopt;
  return parser.pos();
}

}  // namespace usdkit::detail
