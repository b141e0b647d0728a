// Low-level scanning for the usda reader: padding and comments, keywords,
// identifiers, numbers, strings, asset and path literals. Everything works on
// a pointer into the (memory-mapped) input; nothing here allocates except
// when a string literal actually contains escapes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace usdkit::usda {

// Thrown inside the reader only; readUsda turns it into an Error with the
// file, line and column of `pos`.
struct ParseFailure {
  const char* pos;
  std::string message;
};

// `text` with control bytes (not tabs) and bytes that are not UTF-8 written as \xNN,
// for messages that quote the input.
std::string printableText(std::string_view text);

struct NumberToken {
  enum class Kind : std::uint8_t { Int64, UInt64, Double } kind = Kind::Double;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  std::string_view text;
  bool outOfRange = false;  // integer literal too large: parsed as double
  double asDouble() const {
    switch (kind) {
      case Kind::Int64: return static_cast<double>(i);
      case Kind::UInt64: return static_cast<double>(u);
      default: return d;
    }
  }
};

class Scanner {
 public:
  Scanner(const char* begin, const char* end) : p(begin), begin_(begin), end_(end) {}

  const char* begin() const { return begin_; }
  const char* end() const { return end_; }
  bool atEnd() const { return p >= end_; }
  char peek(std::size_t ahead = 0) const { return p + ahead < end_ ? p[ahead] : '\0'; }

  // A failure at a byte that cannot start any token (a control byte or
  // one that is not UTF-8) names that byte, whatever was expected there.
  // Text quoted from the file into `message` is made printable.
  [[noreturn]] void fail(const char* at, std::string message) const {
    throw ParseFailure{at, printableText(message) + describeStrayByte(at)};
  }
  [[noreturn]] void fail(std::string message) const { fail(p, std::move(message)); }
  // ", found byte 0xNN" for a control or non-UTF-8 byte at `at`, else "".
  std::string describeStrayByte(const char* at) const;

  // Warnings go to `sink` (none when null) as "name:line:col: warning: ...".
  void setWarnings(std::vector<std::string>* sink, std::string_view displayName) {
    warnings_ = sink;
    displayName_ = displayName;
  }
  void warn(const char* at, std::string_view message) const;

  // Padding classes of the grammar.
  void skipInlinePad();  // spaces, tabs, /* */ comments
  void skipLinePad();    // also # and // comments (not the newline)
  void skipAnyPad();     // also newlines
  // Sep: block comments, then at least one space or tab, then inline pad.
  bool trySep();
  void expectSep(const char* what);
  // After a statement: LinePad*, then ';' or a newline (or, when allowed, the
  // end of input). Returns false when none is there (nothing consumed
  // beyond the pad).
  bool tryStatementEnd(bool allowSemicolon, bool allowEof);
  bool tryEol();

  bool tryChar(char c) {
    if (p < end_ && *p == c) { ++p; return true; }
    return false;
  }
  void expectChar(char c, const char* message) {
    if (!tryChar(c)) fail(message);
  }

  // `word` not followed by an identifier character. Inline: the reader
  // tries several keywords at every statement, nearly all of which fail on
  // the first character, which the compiler then tests without a call.
  bool peekKeyword(std::string_view word) const {
    if (p >= end_ || *p != word[0] || static_cast<std::size_t>(end_ - p) < word.size()) return false;
    if (std::memcmp(p, word.data(), word.size()) != 0) return false;
    const char* after = p + word.size();
    if (after >= end_) return true;
    const char c = *after;
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  bool tryKeyword(std::string_view word) {
    if (!peekKeyword(word)) return false;
    p += word.size();
    return true;
  }

  // BaseId: ('_' | XID_Start) XID_Continue*. Empty when none here.
  std::string_view scanBaseId();
  std::string_view peekBaseId() const;
  // Identifier: BaseId that is not a keyword, optionally joined by '::'.
  std::string_view scanIdentifier();
  // Identifier with an optional `[]` (InlinePad allowed inside): an
  // attribute or dictionary value type such as `float3[]`. Empty when no
  // identifier is here.
  std::string scanTypeName();
  // BaseId (':' BaseId)* for property names.
  std::string_view scanNamespacedName();

  static bool isKeyword(std::string_view word);

  bool atNumberStart() const;
  // Number rule of the grammar; false (nothing consumed) when none here.
  bool scanNumber(NumberToken& out);

  bool atStringStart() const { return p < end_ && (*p == '"' || *p == '\''); }
  // Quoted string in any of the four forms, unescaped into `out`.
  // A NUL byte ends the value (OpenUSD ends it there too), with a warning:
  // a value with a NUL would not survive a round trip through crate.
  void scanString(std::string& out);
  // Raw body without delimiters (for re-quoting unregistered values we need
  // only the evaluated text, so this is for diagnostics).
  bool atAssetStart() const { return p < end_ && *p == '@'; }
  void scanAssetRef(std::string& out);
  // `<...>` text without the brackets.
  std::string_view scanPathRef();

  // The rest of a bracketed list once its opening bracket is consumed:
  // `item (, item)* ,?` then `close`. Newlines may follow a comma but not
  // precede it. `item` reads one item at the cursor; with `allowEmpty`
  // false the first item is required (item() reports its absence).
  template <class F>
  void commaList(char close, F&& item, bool allowEmpty = true) {
    skipAnyPad();
    if (allowEmpty && tryChar(close)) return;
    for (;;) {
      item();
      skipInlinePad();
      if (tryChar(',')) {
        skipAnyPad();
        if (tryChar(close)) return;
        continue;
      }
      skipAnyPad();
      if (tryChar(close)) return;
      fail(std::string("Expected ") + close);
    }
  }
  // The rest of a block of statements separated by ';' or newlines
  // (metadata blocks, dictionaries, layer offsets), trailing separators
  // allowed, then `close`.
  template <class F>
  void statementList(char close, F&& item) {
    skipAnyPad();
    while (!tryChar(close)) {
      if (atEnd()) fail(std::string("Expected ") + close);
      item();
      bool separated = tryStatementEnd(true, false);
      skipAnyPad();
      if (tryChar(close)) return;
      if (!separated) fail(std::string("Expected ") + close);
    }
  }

  // 1-based line and byte column of `at`. Counting resumes from the last
  // place asked for when `at` is not before it: warnings come in file order,
  // and a file with a warning per value must not cost a rescan per warning.
  void lineAndColumn(const char* at, std::size_t& line, std::size_t& col) const;
  // The rest of the line at `at` (for messages).
  std::string_view restOfLine(const char* at) const;
  // "<displayName>:<line>:<col>: error: <message>" for a failure in this
  // scanner's text: every error the usda parser returns reads this way.
  std::string failureText(const ParseFailure& failure, std::string_view displayName) const;

  const char* p;

 private:
  bool skipBlockComment();  // at "/*"
  template <bool LineComments, bool Newlines>
  void skipPad();
  // Cuts `out` at its first NUL (see scanString); `at` is where to warn.
  void endAtNul(std::string& out, const char* at, const char* what) const;
  const char* begin_;
  const char* end_;
  std::vector<std::string>* warnings_ = nullptr;
  std::string_view displayName_;
  // Warnings kept per scanner; beyond that one note says how many were not,
  // so that a hostile file cannot make the list many times its own size.
  static constexpr std::size_t kMaxWarnings = 1000;
  mutable std::size_t warningCount_ = 0;
  // Where lineAndColumn last counted to.
  mutable const char* countedTo_ = nullptr;
  mutable const char* countedLineStart_ = nullptr;
  mutable std::size_t countedLine_ = 1;
};

void unescapeString(std::string_view body, std::string& out);

}  // namespace usdkit::usda
