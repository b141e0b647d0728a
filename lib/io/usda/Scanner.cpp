#include "io/usda/Scanner.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "base/Unicode.h"

namespace usdkit::usda {

namespace {

bool isAsciiIdStart(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isAsciiIdContinue(unsigned char c) { return isAsciiIdStart(c) || (c >= '0' && c <= '9'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

constexpr std::array<std::string_view, 55> kKeywords = {
    "add", "append", "bezier", "class", "config", "connect", "curve", "custom", "customData",
    "def", "default", "delete", "dictionary", "displayUnit", "doc", "held", "hermite", "inherits",
    "kind", "linear", "loop", "None", "none", "nameChildren", "offset", "oscillate", "over",
    "payload", "permission", "post", "pre", "prefixSubstitutions", "prepend", "properties",
    "references", "relocates", "rel", "reorder", "rootPrims", "repeat", "reset", "scale", "sloped",
    "subLayers", "suffixSubstitutions", "specializes", "spline", "symmetryArguments",
    "symmetryFunction", "timeSamples", "uniform", "variantSet", "variantSets", "variants", "varying"};

}  // namespace

bool Scanner::isKeyword(std::string_view word) {
  // Keywords start with a lower-case letter or 'N' and are 2..19 bytes long;
  // most identifiers are rejected by those checks before any comparison.
  if (word.size() < 2 || word.size() > 19) return false;
  char c = word[0];
  if (!((c >= 'a' && c <= 'z') || c == 'N')) return false;
  // Buckets by (first letter, length) built once; most buckets are empty.
  struct Table {
    std::array<std::array<std::uint8_t, 20>, 27> first{};  // 1-based index into kKeywords
    Table() {
      for (std::size_t i = 0; i < kKeywords.size(); ++i) {
        std::string_view k = kKeywords[i];
        int letter = k[0] == 'N' ? 26 : k[0] - 'a';
        auto& slot = first[static_cast<std::size_t>(letter)][k.size()];
        if (!slot) slot = static_cast<std::uint8_t>(i + 1);
      }
    }
  };
  static const Table table;
  int letter = c == 'N' ? 26 : c - 'a';
  std::size_t i = table.first[static_cast<std::size_t>(letter)][word.size()];
  if (!i) return false;
  // Keywords of one bucket are not adjacent in the list: test the first
  // letter before comparing texts (most same-length keywords differ there).
  for (--i; i < kKeywords.size(); ++i) {
    const std::string_view k = kKeywords[i];
    if (k.size() == word.size() && k[0] == c && k == word) return true;
  }
  return false;
}

bool Scanner::skipBlockComment() {
  const char* start = p;
  p += 2;
  while (p + 1 < end_) {
    if (p[0] == '*' && p[1] == '/') {
      p += 2;
      return true;
    }
    ++p;
  }
  fail(start, "unterminated /* comment");
}

// The three padding classes differ only in whether line comments and
// newlines count; one loop, specialised at compile time for each.
template <bool LineComments, bool Newlines>
void Scanner::skipPad() {
  while (p < end_) {
    char c = *p;
    if (c == ' ' || c == '\t' || (Newlines && (c == '\n' || c == '\r'))) {
      ++p;
    } else if (c == '/' && peek(1) == '*') {
      skipBlockComment();
    } else if (LineComments && (c == '#' || (c == '/' && peek(1) == '/'))) {
      while (p < end_ && *p != '\n' && *p != '\r') ++p;
    } else {
      return;
    }
  }
}

void Scanner::skipInlinePad() { skipPad<false, false>(); }
void Scanner::skipLinePad() { skipPad<true, false>(); }
void Scanner::skipAnyPad() { skipPad<true, true>(); }

bool Scanner::trySep() {
  const char* save = p;
  while (p + 1 < end_ && p[0] == '/' && p[1] == '*') skipBlockComment();
  if (p < end_ && (*p == ' ' || *p == '\t')) {
    skipInlinePad();
    return true;
  }
  p = save;
  return false;
}

void Scanner::expectSep(const char* what) {
  if (!trySep()) fail(what);
}

bool Scanner::tryEol() {
  if (p < end_ && (*p == '\n' || *p == '\r')) {
    ++p;
    return true;
  }
  return false;
}

bool Scanner::tryStatementEnd(bool allowSemicolon, bool allowEof) {
  skipLinePad();
  if (allowSemicolon && tryChar(';')) return true;
  if (tryEol()) return true;
  return allowEof && atEnd();
}

std::string_view Scanner::peekBaseId() const {
  Scanner copy = *this;
  return copy.scanBaseId();
}

std::string_view Scanner::scanBaseId() {
  const char* start = p;
  bool first = true;
  while (p < end_) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      if (first ? isAsciiIdStart(c) : isAsciiIdContinue(c)) {
        ++p;
        first = false;
        continue;
      }
      break;
    }
    std::size_t pos = static_cast<std::size_t>(p - begin_);
    char32_t cp = 0;
    std::string_view all(begin_, static_cast<std::size_t>(end_ - begin_));
    if (!decodeUtf8(all, pos, cp)) break;
    if (first ? !isXidStart(cp) : !isXidContinue(cp)) break;
    p = begin_ + pos;
    first = false;
  }
  return std::string_view(start, static_cast<std::size_t>(p - start));
}

std::string_view Scanner::scanIdentifier() {
  const char* start = p;
  std::string_view id = scanBaseId();
  if (id.empty() || isKeyword(id)) {
    p = start;
    return {};
  }
  while (p + 2 < end_ && p[0] == ':' && p[1] == ':') {
    const char* save = p;
    p += 2;
    if (scanBaseId().empty()) {
      p = save;
      break;
    }
  }
  return std::string_view(start, static_cast<std::size_t>(p - start));
}

std::string Scanner::scanTypeName() {
  std::string name(scanIdentifier());
  if (name.empty()) return name;
  const char* save = p;
  skipInlinePad();
  if (tryChar('[')) {
    skipInlinePad();
    if (!tryChar(']')) fail("Expected ]");
    name += "[]";
  } else {
    p = save;
  }
  return name;
}

std::string_view Scanner::scanNamespacedName() {
  const char* start = p;
  if (scanBaseId().empty()) return {};
  while (p < end_ && *p == ':' && peek(1) != ':') {
    const char* save = p;
    ++p;
    if (scanBaseId().empty()) {
      p = save;
      break;
    }
  }
  return std::string_view(start, static_cast<std::size_t>(p - start));
}

bool Scanner::atNumberStart() const {
  char c = peek();
  if (isDigit(c) || c == '.') return isDigit(c) || isDigit(peek(1));
  if (c == '-') {
    char d = peek(1);
    return isDigit(d) || (d == '.' && isDigit(peek(2))) || Scanner(p + 1, end_).peekKeyword("inf");
  }
  return peekKeyword("inf") || peekKeyword("nan");
}

bool Scanner::scanNumber(NumberToken& out) {
  const char* start = p;
  out = NumberToken{};
  if (p < end_ && isDigit(*p)) {
    // Plain integers are the common case in arrays: no keyword checks.
    const char* q = p;
    std::uint64_t v = 0;
    while (q < end_ && isDigit(*q) && q - p < 19) v = v * 10 + static_cast<unsigned>(*q++ - '0');
    if (q >= end_ || !(isDigit(*q) || *q == '.' || *q == 'e' || *q == 'E')) {
      out.kind = NumberToken::Kind::UInt64;
      out.u = v;
      out.text = std::string_view(p, static_cast<std::size_t>(q - p));
      p = q;
      return true;
    }
  }
  if (p < end_ && *p == 'n' && tryKeyword("nan")) {
    out.kind = NumberToken::Kind::Double;
    out.d = std::numeric_limits<double>::quiet_NaN();
    out.text = std::string_view(start, 3);
    return true;
  }
  bool negative = tryChar('-');
  if (p < end_ && *p == 'i' && tryKeyword("inf")) {
    out.kind = NumberToken::Kind::Double;
    out.d = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    out.text = std::string_view(start, static_cast<std::size_t>(p - start));
    return true;
  }
  bool isFloat = false;
  if (p < end_ && isDigit(*p)) {
    while (p < end_ && isDigit(*p)) ++p;
    if (p < end_ && *p == '.') {
      isFloat = true;
      ++p;
      while (p < end_ && isDigit(*p)) ++p;
    }
  } else if (p + 1 < end_ && *p == '.' && isDigit(p[1])) {
    isFloat = true;
    ++p;
    while (p < end_ && isDigit(*p)) ++p;
  } else {
    p = start;
    return false;
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    isFloat = true;
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p >= end_ || !isDigit(*p)) fail("Expected number [0-9]");
    while (p < end_ && isDigit(*p)) ++p;
  }
  out.text = std::string_view(start, static_cast<std::size_t>(p - start));
  const char* first = start;
  const char* last = p;
  if (out.text == "-0") {
    out.kind = NumberToken::Kind::Double;
    out.d = -0.0;
    return true;
  }
  auto parseDouble = [&] {
    out.kind = NumberToken::Kind::Double;
    // from_chars rejects a leading '.'? No: it accepts ".5". It does not
    // accept '+', which the grammar excludes anyway.
    auto [ptr, ec] = std::from_chars(first, last, out.d);
    if (ec != std::errc()) {
      // Overflow or underflow: strtod gives +-inf / the nearest denormal
      // or zero, as OpenUSD's conversion does.
      std::string copy(first, last);
      out.d = std::strtod(copy.c_str(), nullptr);
    }
  };
  if (isFloat) {
    parseDouble();
  } else if (negative) {
    auto [ptr, ec] = std::from_chars(first, last, out.i);
    if (ec == std::errc()) {
      out.kind = NumberToken::Kind::Int64;
    } else {
      out.outOfRange = true;
      parseDouble();
    }
  } else {
    auto [ptr, ec] = std::from_chars(first, last, out.u);
    if (ec == std::errc()) {
      out.kind = NumberToken::Kind::UInt64;
    } else {
      out.outOfRange = true;
      parseDouble();
    }
  }
  return true;
}

void unescapeString(std::string_view body, std::string& out) {
  out.clear();
  out.reserve(body.size());
  const char* s = body.data();
  const char* e = s + body.size();
  while (s < e) {
    const char* bs = static_cast<const char*>(std::memchr(s, '\\', static_cast<std::size_t>(e - s)));
    if (!bs) {
      out.append(s, e);
      break;
    }
    out.append(s, bs);
    s = bs + 1;
    if (s >= e) break;  // cannot happen: the scanner never ends a body on '\'
    char c = *s++;
    switch (c) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case 'x': {
        int value = 0;
        for (int n = 0; n < 2 && s < e && std::isxdigit(static_cast<unsigned char>(*s)); ++n, ++s) {
          char h = *s;
          value = value * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        out += static_cast<char>(value);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          int value = c - '0';
          for (int n = 1; n < 3 && s < e && *s >= '0' && *s <= '7'; ++n, ++s) value = value * 8 + (*s - '0');
          out += static_cast<char>(value);
        } else {
          out += c;
        }
    }
  }
}

std::string Scanner::describeStrayByte(const char* at) const {
  if (at < begin_ || at >= end_) return {};
  const unsigned char c = static_cast<unsigned char>(*at);
  bool stray = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
  if (c >= 0x80) {
    std::size_t pos = static_cast<std::size_t>(at - begin_);
    char32_t cp = 0;
    stray = !decodeUtf8(std::string_view(begin_, static_cast<std::size_t>(end_ - begin_)), pos, cp);
  }
  if (!stray) return {};
  char hex[8];
  std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned>(c));
  return std::string(", found byte 0x") + hex + (c >= 0x80 ? " (not UTF-8)" : " (a control character)");
}

std::string printableText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    char32_t cp = 0;
    const bool ok = decodeUtf8(text, pos, cp);
    if (ok && (cp >= 0x20 || cp == '\t') && cp != 0x7f) {
      out.append(text.substr(start, pos - start));
      continue;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[start])));
    out += hex;
    pos = start + 1;
  }
  return out;
}

void Scanner::warn(const char* at, std::string_view message) const {
  if (!warnings_) return;
  if (++warningCount_ > kMaxWarnings) {
    const std::string note = std::string(displayName_) + ": warning: more warnings (" +
                             std::to_string(warningCount_ - kMaxWarnings) + ") not shown";
    if (warningCount_ == kMaxWarnings + 1) warnings_->push_back(note);
    else warnings_->back() = note;
    return;
  }
  std::size_t line = 0, col = 0;
  lineAndColumn(at, line, col);
  warnings_->push_back(std::string(displayName_) + ":" + std::to_string(line) + ":" + std::to_string(col) +
                       ": warning: " + printableText(message));
}

std::string Scanner::failureText(const ParseFailure& failure, std::string_view displayName) const {
  std::size_t line = 0, col = 0;
  lineAndColumn(failure.pos, line, col);
  return std::string(displayName) + ":" + std::to_string(line) + ":" + std::to_string(col) + ": error: " +
         failure.message;
}

void Scanner::endAtNul(std::string& out, const char* at, const char* what) const {
  const std::size_t nul = out.find('\0');
  if (nul == std::string::npos) return;
  out.resize(nul);
  warn(at, std::string(what) + " contains a NUL byte; its value ends before it (\"" + out + "\")");
}

// The first byte of `body` that is not part of valid UTF-8.
static const char* firstInvalidUtf8(std::string_view body) {
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t next = pos;
    char32_t cp = 0;
    if (!decodeUtf8(body, next, cp)) return body.data() + pos;
    pos = next;
  }
  return body.data() + body.size();
}

void Scanner::scanString(std::string& out) {
  const char* start = p;
  char q = *p;
  bool triple = peek(1) == q && peek(2) == q;
  p += triple ? 3 : 1;
  const char* bodyStart = p;
  const char* bodyEnd = nullptr;
  bool hasEscape = false;
  while (p < end_) {
    char c = *p;
    if (c == '\\') {
      hasEscape = true;
      if (p + 1 < end_ && (p[1] == '\\' || p[1] == q)) {
        p += 2;
        continue;
      }
      ++p;
      continue;
    }
    if (c == q) {
      if (!triple) {
        bodyEnd = p++;
        break;
      }
      if (peek(1) == q && peek(2) == q) {
        bodyEnd = p;
        p += 3;
        break;
      }
      ++p;
      continue;
    }
    if (!triple && (c == '\n' || c == '\r'))
      fail(start, q == '"' ? "Expected \" (string not closed on its line)" : "Expected ' (string not closed on its line)");
    ++p;
  }
  if (!bodyEnd) fail(start, q == '"' ? "Expected \" (unterminated string)" : "Expected ' (unterminated string)");
  std::string_view body(bodyStart, static_cast<std::size_t>(bodyEnd - bodyStart));
  if (!isValidUtf8(body)) fail(firstInvalidUtf8(body), "invalid UTF-8 in quoted string");
  if (hasEscape) {
    unescapeString(body, out);
  } else {
    out.assign(body);
  }
  if (std::memchr(out.data(), 0, out.size())) [[unlikely]] {
    // A raw NUL is reported where it is; one made by an escape at the string.
    const void* rawNul = std::memchr(bodyStart, 0, body.size());
    endAtNul(out, rawNul ? static_cast<const char*>(rawNul) : start, "quoted string");
  }
}

void Scanner::scanAssetRef(std::string& out) {
  const char* start = p;
  if (peek(1) == '@' && peek(2) == '@') {
    p += 3;
    out.clear();
    while (p < end_) {
      char c = *p;
      if (c == '\n' || c == '\r') break;
      if (c == '\\' && peek(1) == '@' && peek(2) == '@' && peek(3) == '@') {
        out += "@@@";
        p += 4;
        continue;
      }
      if (c == '@' && peek(1) == '@' && peek(2) == '@') {
        std::size_t run = 0;
        while (p + run < end_ && p[run] == '@') ++run;
        std::size_t extra = std::min<std::size_t>(run - 3, 2);
        out.append(extra, '@');
        p += extra + 3;
        if (!isValidUtf8(out)) fail(start, "invalid UTF-8 in asset path");
        if (std::memchr(out.data(), 0, out.size())) endAtNul(out, start, "asset path");
        return;
      }
      out += c;
      ++p;
    }
    fail(start, "Expected @@@ (unterminated asset path)");
  }
  ++p;
  const char* body = p;
  while (p < end_ && *p != '@' && *p != '\n' && *p != '\r') ++p;
  if (p >= end_ || *p != '@') fail(start, "Expected @ (unterminated asset path)");
  out.assign(body, p);
  ++p;
  if (!isValidUtf8(out)) fail(start, "invalid UTF-8 in asset path");
  if (const void* nul = std::memchr(body, 0, out.size())) endAtNul(out, static_cast<const char*>(nul), "asset path");
}

std::string_view Scanner::scanPathRef() {
  const char* start = p;
  ++p;  // '<'
  const char* body = p;
  while (p < end_ && *p != '>' && *p != '\n' && *p != '\r') ++p;
  if (p >= end_ || *p != '>') fail(start, "Expected >");
  std::string_view text(body, static_cast<std::size_t>(p - body));
  ++p;
  return text;
}

void Scanner::lineAndColumn(const char* at, std::size_t& line, std::size_t& col) const {
  if (!countedTo_ || at < countedTo_) {
    countedTo_ = begin_;
    countedLineStart_ = begin_;
    countedLine_ = 1;
  }
  for (const char* s = countedTo_; s < at && s < end_; ++s) {
    if (*s == '\n') {
      ++countedLine_;
      countedLineStart_ = s + 1;
    }
  }
  if (at > countedTo_) countedTo_ = std::min(at, end_);
  line = countedLine_;
  col = static_cast<std::size_t>(at - countedLineStart_) + 1;
}

std::string_view Scanner::restOfLine(const char* at) const {
  const char* e = at;
  while (e < end_ && *e != '\n' && *e != '\r') ++e;
  return std::string_view(at, static_cast<std::size_t>(e - at));
}

}  // namespace usdkit::usda
