#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "base/Unicode.h"

using namespace usdkit;

namespace {

// Decodes all of `text`, failing the test on the first malformed sequence.
std::vector<char32_t> decodeAll(std::string_view text) {
  std::vector<char32_t> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    const std::size_t before = pos;
    REQUIRE(decodeUtf8(text, pos, cp));
    REQUIRE(pos > before);
    out.push_back(cp);
  }
  return out;
}

// A single malformed sequence: rejected, position untouched.
void requireRejected(std::string_view bytes) {
  INFO("bytes of length " << bytes.size());
  std::size_t pos = 0;
  char32_t cp = 0x1234;
  CHECK_FALSE(decodeUtf8(bytes, pos, cp));
  CHECK(pos == 0);
  CHECK_FALSE(isValidUtf8(bytes));
  // Also rejected when it follows valid text.
  const std::string prefixed = std::string("ok") + std::string(bytes);
  CHECK_FALSE(isValidUtf8(prefixed));
}

}  // namespace

TEST_CASE("decodeUtf8: code points at every encoding length boundary", "[unicode]") {
  // Expected values are the code points whose standard encodings are spelled
  // out byte by byte here.
  struct Case {
    std::string_view bytes;
    char32_t cp;
  };
  const Case cases[] = {
      {std::string_view("\x00", 1), 0x0},
      {"A", U'A'},
      {"\x7F", 0x7F},
      {"\xC2\x80", 0x80},
      {"\xC3\xA9", 0xE9},          // é
      {"\xDF\xBF", 0x7FF},
      {"\xE0\xA0\x80", 0x800},
      {"\xE4\xB8\xAD", 0x4E2D},    // 中
      {"\xED\x9F\xBF", 0xD7FF},    // last before the surrogates
      {"\xEE\x80\x80", 0xE000},    // first after the surrogates
      {"\xEF\xBF\xBF", 0xFFFF},
      {"\xF0\x90\x80\x80", 0x10000},
      {"\xF0\x9F\x98\x80", 0x1F600},  // 😀
      {"\xF4\x8F\xBF\xBF", 0x10FFFF},
  };
  for (const auto& c : cases) {
    std::size_t pos = 0;
    char32_t cp = 0;
    INFO("expected U+" << std::hex << static_cast<unsigned>(c.cp));
    REQUIRE(decodeUtf8(c.bytes, pos, cp));
    CHECK(cp == c.cp);
    CHECK(pos == c.bytes.size());
    CHECK(isValidUtf8(c.bytes));
  }
}

TEST_CASE("decodeUtf8: walks mixed text and stops at the end", "[unicode]") {
  const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80z";
  CHECK(decodeAll(text) == std::vector<char32_t>{U'a', 0xE9, 0x4E2D, 0x1F600, U'z'});

  std::size_t pos = text.size();
  char32_t cp = 0;
  CHECK_FALSE(decodeUtf8(text, pos, cp));
  CHECK(pos == text.size());

  // Decoding from the middle of the string starts at `pos`.
  pos = 1;
  REQUIRE(decodeUtf8(text, pos, cp));
  CHECK(cp == 0xE9);
  CHECK(pos == 3);
}

TEST_CASE("decodeUtf8: rejects overlong encodings", "[unicode]") {
  requireRejected("\xC0\x80");          // U+0000 in two bytes
  requireRejected("\xC0\xAF");          // '/' in two bytes
  requireRejected("\xC1\xBF");          // U+007F in two bytes
  requireRejected("\xE0\x80\xAF");      // '/' in three bytes
  requireRejected("\xE0\x9F\xBF");      // U+07FF in three bytes
  requireRejected("\xF0\x80\x80\xAF");  // '/' in four bytes
  requireRejected("\xF0\x8F\xBF\xBF");  // U+FFFF in four bytes
}

TEST_CASE("decodeUtf8: rejects surrogates", "[unicode]") {
  requireRejected("\xED\xA0\x80");  // U+D800
  requireRejected("\xED\xAD\xBF");  // U+DB7F
  requireRejected("\xED\xB0\x80");  // U+DC00
  requireRejected("\xED\xBF\xBF");  // U+DFFF
  // A CESU-8 style surrogate pair for U+1F600 is not UTF-8.
  requireRejected("\xED\xA0\xBD\xED\xB8\x80");
}

TEST_CASE("decodeUtf8: rejects values above U+10FFFF and invalid lead bytes", "[unicode]") {
  requireRejected("\xF4\x90\x80\x80");  // U+110000
  requireRejected("\xF4\xBF\xBF\xBF");
  requireRejected("\xF5\x80\x80\x80");
  requireRejected("\xF7\xBF\xBF\xBF");
  requireRejected("\xF8\x88\x80\x80\x80");  // old 5-byte form
  requireRejected("\xFC\x84\x80\x80\x80\x80");
  requireRejected("\xFE");
  requireRejected("\xFF");
}

TEST_CASE("decodeUtf8: rejects truncated and broken sequences", "[unicode]") {
  requireRejected("\xC3");
  requireRejected("\xE4\xB8");
  requireRejected("\xE4");
  requireRejected("\xF0\x9F\x98");
  requireRejected("\xF0\x9F");
  requireRejected("\xF0");
  // A continuation byte replaced by ASCII.
  requireRejected("\xC3" "A");
  requireRejected("\xE4\xB8" "a");
  requireRejected("\xF0\x9F\x98" "a");
  // A continuation byte replaced by a new lead byte.
  requireRejected("\xE4\xC3\xA9");
  // Lone continuation bytes.
  requireRejected("\x80");
  requireRejected("\xBF");

  // A string_view ending in the middle of a sequence must not read past it.
  const std::string whole = "\xE4\xB8\xAD";
  std::size_t pos = 0;
  char32_t cp = 0;
  CHECK_FALSE(decodeUtf8(std::string_view(whole).substr(0, 2), pos, cp));
  CHECK(pos == 0);
}

TEST_CASE("isValidUtf8: whole strings", "[unicode]") {
  CHECK(isValidUtf8(""));
  CHECK(isValidUtf8("plain ascii #usda 1.0\n"));
  CHECK(isValidUtf8("caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80"));
  CHECK_FALSE(isValidUtf8("caf\xC3"));
  CHECK_FALSE(isValidUtf8("caf\xE9"));  // Latin-1 é
  CHECK_FALSE(isValidUtf8("a\xED\xA0\x80z"));
}

TEST_CASE("isXidStart / isXidContinue: ASCII", "[unicode]") {
  for (char32_t c = U'a'; c <= U'z'; ++c) {
    CHECK(isXidStart(c));
    CHECK(isXidContinue(c));
  }
  for (char32_t c = U'A'; c <= U'Z'; ++c) {
    CHECK(isXidStart(c));
    CHECK(isXidContinue(c));
  }
  for (char32_t c = U'0'; c <= U'9'; ++c) {
    CHECK_FALSE(isXidStart(c));
    CHECK(isXidContinue(c));
  }
  // '_' is connector punctuation: continue only (identifiers allow it as a
  // start separately).
  CHECK_FALSE(isXidStart(U'_'));
  CHECK(isXidContinue(U'_'));
  for (char32_t c : {U' ', U'$', U'-', U'.', U':', U'|', U'@', U'`', U'~', char32_t(0),
                     char32_t(0x7F)}) {
    CHECK_FALSE(isXidStart(c));
    CHECK_FALSE(isXidContinue(c));
  }
}

TEST_CASE("isXidStart / isXidContinue: letters from several scripts", "[unicode]") {
  const char32_t letters[] = {
      0xAA,    // ª feminine ordinal (Lo)
      0xB5,    // µ micro sign
      0xC0,    // À
      0xDF,    // ß
      0xE9,    // é
      0xFF,    // ÿ
      0x391,   // Α
      0x3A9,   // Ω
      0x3B1,   // α
      0x3C9,   // ω
      0x416,   // Ж
      0x5D0,   // א
      0x627,   // ا
      0x905,   // अ
      0x3042,  // あ
      0x30A2,  // ア
      0x4E2D,  // 中
      0x9FA5,  // 龥
      0xAC00,  // 가
      0x2160,  // Ⅰ roman numeral one (Nl)
      0x212E,  // ℮ (Other_ID_Start)
      0x20000, // CJK Extension B
      0x2EBF0, // CJK Extension I (new in Unicode 15.1)
  };
  for (char32_t c : letters) {
    INFO("U+" << std::hex << static_cast<unsigned>(c));
    CHECK(isXidStart(c));
    CHECK(isXidContinue(c));
  }
}

TEST_CASE("isXidStart / isXidContinue: continue-only code points", "[unicode]") {
  const char32_t continueOnly[] = {
      0x300,   // combining grave accent (Mn)
      0x301,   // combining acute accent (Mn)
      0x36F,   // last of the combining diacritical marks block
      0x93F,   // devanagari vowel sign i (Mc)
      0x660,   // arabic-indic digit zero (Nd)
      0x966,   // devanagari digit zero (Nd)
      0xFF10,  // fullwidth digit zero (Nd)
      0xB7,    // middle dot (Other_ID_Continue)
      0x387,   // greek ano teleia (Other_ID_Continue)
      0x203F,  // undertie (Pc)
      0x200C,  // zero width non-joiner (ID_Continue since Unicode 15.1)
      0x200D,  // zero width joiner (ditto)
      0x30FB,  // katakana middle dot (ditto)
      0xFF65,  // halfwidth katakana middle dot (ditto)
      0xFE00,  // variation selector-1 (Mn)
      0xE0100, // variation selector-17 (Mn)
  };
  for (char32_t c : continueOnly) {
    INFO("U+" << std::hex << static_cast<unsigned>(c));
    CHECK_FALSE(isXidStart(c));
    CHECK(isXidContinue(c));
  }
}

TEST_CASE("isXidStart / isXidContinue: neither", "[unicode]") {
  const char32_t neither[] = {
      0xA0,     // no-break space
      0xB2,     // superscript two (No)
      0xD7,     // multiplication sign
      0xF7,     // division sign
      0x37E,    // greek question mark
      0x37A,    // greek ypogegrammeni: ID_Start but not XID (NFKC)
      0x309B,   // katakana voiced sound mark: ID_Start but not XID (NFKC)
      0x2028,   // line separator
      0x3000,   // ideographic space
      0xD800,   // surrogate
      0xDFFF,   // surrogate
      0xE000,   // private use
      0xFEFF,   // byte order mark
      0xFFFD,   // replacement character
      0xFFFF,   // noncharacter
      0x1F600,  // emoji
      0x10FFFF, // last code point
      0x110000, // beyond Unicode
      0xFFFFFFFF,
  };
  for (char32_t c : neither) {
    INFO("U+" << std::hex << static_cast<unsigned>(c));
    CHECK_FALSE(isXidStart(c));
    CHECK_FALSE(isXidContinue(c));
  }
}

TEST_CASE("XID class sizes match Unicode 15.1", "[unicode]") {
  std::size_t starts = 0, continues = 0;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    const bool start = isXidStart(c), cont = isXidContinue(c);
    starts += start;
    continues += cont;
    if (start && !cont) FAIL("XID_Start but not XID_Continue: " << std::hex << unsigned(c));
  }
  // "Total code points" of DerivedCoreProperties-15.0.0 (136322 / 139463)
  // plus the 15.1 additions: 622 CJK Extension I ideographs in both, and
  // U+200C, U+200D, U+30FB, U+FF65 in XID_Continue.
  CHECK(starts == 136322 + 622);
  CHECK(continues == 139463 + 622 + 4);
}

TEST_CASE("isValidUtf8Identifier", "[unicode]") {
  for (const char* ok : {"a", "A", "_", "__", "_a1", "foo", "foo_bar", "fooBar2", "x02",
                         "caf\xC3\xA9",                  // café
                         "\xC3\xA9t\xC3\xA9",            // été
                         "\xE4\xB8\xAD\xE6\x96\x87",     // 中文
                         "\xCE\xB1\xCE\xB2\xCE\xB3",     // αβγ
                         "e\xCC\x81",                    // e + combining acute
                         "_\xCC\x81",                    // _ + combining acute
                         "a\xD9\xA0"}) {                 // a + arabic-indic zero
    INFO(ok);
    CHECK(isValidUtf8Identifier(ok));
  }
  for (const char* bad : {"", "1a", "9", "a-b", "a b", "a:b", "a.b", "a$", "$a", "-",
                          "\xCC\x81" "e",                // starts with a combining mark
                          "\xD9\xA0",                    // starts with a digit
                          "a\xF0\x9F\x98\x80",           // emoji
                          "a\xC3",                       // truncated UTF-8
                          "a\xC1\x81",                   // overlong 'A'
                          "a\xED\xA0\x80"}) {            // surrogate
    INFO(bad);
    CHECK_FALSE(isValidUtf8Identifier(bad));
  }
}

TEST_CASE("isValidAsciiIdentifier", "[unicode]") {
  for (const char* ok : {"a", "_", "A1", "_private", "foo_Bar9"}) CHECK(isValidAsciiIdentifier(ok));
  for (const char* bad : {"", "1a", "a-b", "a:b", "a b", "caf\xC3\xA9", "\xC3\xA9"})
    CHECK_FALSE(isValidAsciiIdentifier(bad));
}

TEST_CASE("isValidNamespacedUtf8Identifier", "[unicode]") {
  for (const char* ok : {"a", "a:b", "a:b:c", "xformOp:translate", "primvars:st",
                         "_a:_b", "a1:b2:c3", "ns:caf\xC3\xA9", "\xE4\xB8\xAD:\xE6\x96\x87"}) {
    INFO(ok);
    CHECK(isValidNamespacedUtf8Identifier(ok));
  }
  for (const char* bad : {"", ":", "::", ":a", "a:", "a::b", "a:b:", ":a:b", "a:1b",
                          "a:b-c", "a.b", "a:b c", "a:\xC3"}) {
    INFO(bad);
    CHECK_FALSE(isValidNamespacedUtf8Identifier(bad));
  }
}

TEST_CASE("isValidVariantIdentifier", "[unicode]") {
  for (const char* ok : {"", "a", "foo", ".foo", "a|b-c", "1abc", "-", "|", "_",
                         ".", "x-1|y_2", "caf\xC3\xA9", "1\xE4\xB8\xAD"}) {
    INFO(ok);
    CHECK(isValidVariantIdentifier(ok));
  }
  for (const char* bad : {"bad:name", "bad.name", "v1.", "..foo", "a b", "a/b", "a{b", "a=b",
                          "a\xF0\x9F\x98\x80", "a\xC3", "a\xED\xA0\x80"}) {
    INFO(bad);
    CHECK_FALSE(isValidVariantIdentifier(bad));
  }
}
