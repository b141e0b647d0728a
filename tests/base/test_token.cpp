#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "base/Token.h"

using usdkit::Token;

TEST_CASE("Token: equal text interns to the same record", "[token]") {
  const std::string owned = "primvars:displayColor";
  Token a(owned);
  Token b(std::string_view("primvars:displayColor"));
  Token c(std::string(owned.begin(), owned.end()));
  CHECK(a == b);
  CHECK(b == c);
  // One shared record, not merely equal text.
  CHECK(a.c_str() == b.c_str());
  CHECK(a.c_str() == c.c_str());
  CHECK(a.c_str() != owned.c_str());
  CHECK(a.hash() == b.hash());

  Token other("primvars:displayOpacity");
  CHECK_FALSE(a == other);
  CHECK(a.c_str() != other.c_str());
}

TEST_CASE("Token: empty token", "[token]") {
  Token def;
  Token fromEmpty("");
  Token fromEmptyString{std::string()};
  CHECK(def.empty());
  CHECK(fromEmpty.empty());
  CHECK(def == fromEmpty);
  CHECK(def == fromEmptyString);
  CHECK(def.size() == 0);
  CHECK(def.str().empty());
  CHECK(def.string().empty());
  REQUIRE(def.c_str() != nullptr);
  CHECK(std::strcmp(def.c_str(), "") == 0);
  CHECK(def == std::string_view(""));
  CHECK_FALSE(Token("a").empty());
  CHECK_FALSE(def == Token("a"));
}

TEST_CASE("Token: text accessors", "[token]") {
  Token t("xformOp:translate");
  CHECK(t.str() == "xformOp:translate");
  CHECK(t.string() == "xformOp:translate");
  CHECK(t.size() == 17);
  CHECK(std::strlen(t.c_str()) == 17);
  CHECK(std::strcmp(t.c_str(), "xformOp:translate") == 0);
  CHECK(t == std::string_view("xformOp:translate"));
  CHECK_FALSE(t == std::string_view("xformOp:translat"));
  CHECK_FALSE(t == std::string_view("xformOp:translate:pivot"));

  // A token made from a slice holds only the slice.
  std::string_view whole = "prefix_and_rest";
  Token slice(whole.substr(0, 6));
  CHECK(slice.str() == "prefix");
  CHECK(slice.c_str()[6] == '\0');
  CHECK(slice == Token("prefix"));

  // Embedded NUL bytes are part of the text.
  Token withNul(std::string_view("a\0b", 3));
  CHECK(withNul.size() == 3);
  CHECK(withNul.str() == std::string_view("a\0b", 3));
  CHECK_FALSE(withNul == Token("a"));
  CHECK(withNul == Token(std::string_view("a\0b", 3)));

  // UTF-8 text is stored byte for byte.
  Token utf8("caf\xC3\xA9");
  CHECK(utf8.size() == 5);
  CHECK(utf8.str() == "caf\xC3\xA9");
}

TEST_CASE("Token: hash agrees with hashText and std::hash", "[token]") {
  Token t("points");
  CHECK(t.hash() == usdkit::hashText("points"));
  CHECK(std::hash<Token>{}(t) == t.hash());
  CHECK(Token().hash() == 0);

  std::unordered_set<Token> set;
  set.insert(Token("a"));
  set.insert(Token("b"));
  set.insert(Token(std::string("a")));
  CHECK(set.size() == 2);
  CHECK(set.count(Token("b")) == 1);
  CHECK(set.count(Token("c")) == 0);
}

TEST_CASE("Token: ordering is byte-wise on the text", "[token]") {
  // Byte order, not dictionary order: upper case before lower case,
  // '_' (0x5F) between them, a prefix before its extensions.
  CHECK(Token("B") < Token("a"));
  CHECK_FALSE(Token("a") < Token("B"));
  CHECK(Token("Z") < Token("_"));
  CHECK(Token("_") < Token("a"));
  CHECK(Token("a") < Token("ab"));
  CHECK(Token("ab") < Token("b"));
  CHECK(Token("x10") < Token("x2"));
  CHECK(Token("foo:bar") < Token("fooBar"));
  CHECK(Token("fooBar") < Token("foo_bar"));
  CHECK(Token("z") < Token("\xC3\xA4"));  // bytes >= 0x80 compare unsigned
  CHECK(Token() < Token("a"));
  CHECK_FALSE(Token("a") < Token());
  CHECK_FALSE(Token("same") < Token("same"));
  CHECK_FALSE(Token() < Token());

  std::vector<Token> v = {Token("b"), Token("B"), Token("_"), Token("a"), Token("A"),
                          Token("ab"), Token("")};
  std::sort(v.begin(), v.end());
  std::vector<std::string> texts;
  for (Token t : v) texts.push_back(t.string());
  CHECK(texts == std::vector<std::string>{"", "A", "B", "_", "a", "ab", "b"});
}

TEST_CASE("Token: records stay valid while the table grows", "[token]") {
  Token first("token-growth-anchor");
  const char* text = first.c_str();
  std::vector<Token> many;
  many.reserve(50000);
  for (int i = 0; i < 50000; ++i) many.emplace_back("token-growth-" + std::to_string(i));
  CHECK(std::strcmp(text, "token-growth-anchor") == 0);
  CHECK(Token("token-growth-anchor").c_str() == text);
  for (int i = 0; i < 50000; i += 997) {
    CHECK(many[i].str() == "token-growth-" + std::to_string(i));
    CHECK(Token("token-growth-" + std::to_string(i)) == many[i]);
  }

  // Text longer than an arena block.
  std::string big(200000, 'q');
  big.back() = 'z';
  Token large(big);
  CHECK(large.size() == big.size());
  CHECK(large.str() == big);
  CHECK(Token(big).c_str() == large.c_str());
}

TEST_CASE("Token: concurrent interning gives identical tokens", "[token]") {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20000;
  // Thread t interns names [t * kPerThread / 2, t * kPerThread / 2 + kPerThread):
  // each half-range is shared with a neighbouring thread.
  std::vector<std::vector<const char*>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &seen] {
      auto& out = seen[t];
      out.reserve(kPerThread);
      const int base = t * kPerThread / 2;
      for (int i = 0; i < kPerThread; ++i) {
        // Alternate directions so threads race on the same names.
        const int k = (t % 2 == 0) ? base + i : base + kPerThread - 1 - i;
        out.push_back(Token("concurrent/" + std::to_string(k)).c_str());
      }
      if (t % 2 != 0) std::reverse(out.begin(), out.end());
    });
  }
  for (auto& th : threads) th.join();

  // Index by name number: every thread that interned name k got the same record.
  const int total = (kThreads - 1) * kPerThread / 2 + kPerThread;
  std::vector<const char*> byName(total, nullptr);
  std::size_t mismatches = 0;
  for (int t = 0; t < kThreads; ++t) {
    const int base = t * kPerThread / 2;
    for (int i = 0; i < kPerThread; ++i) {
      const char* p = seen[t][i];
      const char*& slot = byName[base + i];
      if (slot == nullptr) slot = p;
      else if (slot != p) ++mismatches;
      if (std::string_view(p) != "concurrent/" + std::to_string(base + i)) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
  // And interning afterwards on this thread finds the same records.
  for (int k = 0; k < total; k += 101)
    CHECK(Token("concurrent/" + std::to_string(k)).c_str() == byName[k]);
  // Distinct names have distinct records.
  std::unordered_set<const char*> unique(byName.begin(), byName.end());
  CHECK(unique.size() == static_cast<std::size_t>(total));
}
