#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/DictionaryOrder.h"

using usdkit::dictionaryLess;
using usdkit::DictionaryLess;

namespace {

// Strictly less one way and not the other.
void requireOrdered(const std::string& a, const std::string& b) {
  INFO("expected '" << a << "' < '" << b << "'");
  CHECK(dictionaryLess(a, b));
  CHECK_FALSE(dictionaryLess(b, a));
}

// The sorted vector from usda-format.md §7.6 (verified against OpenUSD).
const std::vector<std::string> kSortedVector = {
    "9a",    "_",     "_x",     "A",       "a",   "a:b:d", "ab1c",    "abc1",   "abc_",
    "argle:bargle",   "B",      "b",       "clips", "clipSets", "foo", "foo:bar", "foo_bar",
    "fooBar", "i9",   "i10",    "x1",      "x2",  "x02",   "x10",     "Z",      "z",
    "zz",    "\xC3\xA4" /* ä */};

}  // namespace

TEST_CASE("dictionaryLess: documented test vector is strictly ordered", "[dictionary_order]") {
  const auto& v = kSortedVector;
  for (std::size_t i = 0; i < v.size(); ++i) {
    CHECK_FALSE(dictionaryLess(v[i], v[i]));
    for (std::size_t j = i + 1; j < v.size(); ++j) requireOrdered(v[i], v[j]);
  }
}

TEST_CASE("dictionaryLess: sorting a shuffled vector reproduces the documented order",
          "[dictionary_order]") {
  std::vector<std::string> shuffled = kSortedVector;
  std::mt19937 rng(12345);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::sort(shuffled.begin(), shuffled.end(), DictionaryLess{});
    CHECK(shuffled == kSortedVector);
  }
}

TEST_CASE("dictionaryLess: equality and empty strings", "[dictionary_order]") {
  CHECK_FALSE(dictionaryLess("", ""));
  CHECK_FALSE(dictionaryLess("abc", "abc"));
  requireOrdered("", "a");
  requireOrdered("", "0");
  requireOrdered("", "_");
}

TEST_CASE("dictionaryLess: letters compare case-insensitively first", "[dictionary_order]") {
  requireOrdered("apple", "Banana");
  requireOrdered("Apple", "banana");
  requireOrdered("abc", "ABD");
  // Only a case difference: upper case sorts first.
  requireOrdered("ABC", "abc");
  requireOrdered("Abc", "abc");
  requireOrdered("aBc", "abc");
  // A later letter difference beats an earlier case difference.
  requireOrdered("abX", "ABy");
  requireOrdered("Aa", "ab");
}

TEST_CASE("dictionaryLess: underscore and punctuation before letters", "[dictionary_order]") {
  requireOrdered("_a", "a");
  requireOrdered("_", "A");
  requireOrdered("a_", "aa");
  // '@' and '[' also sit in the letter zone (>= 0x40) and map below 'a'.
  requireOrdered("@", "a");
  requireOrdered("[", "a");
  // Below 0x40, bytes compare raw: ':' (0x3A) < '_' (0x5F) < letters.
  requireOrdered("a:b", "a_b");
  requireOrdered("a.b", "a:b");
  requireOrdered("a b", "a.b");
}

TEST_CASE("dictionaryLess: property-name style comparisons", "[dictionary_order]") {
  // ':' (0x3A) is below 'O' so the namespaced name sorts first.
  requireOrdered("xformOp:translate", "xformOpOrder");
  requireOrdered("xformOp:rotateXYZ", "xformOp:translate");
  requireOrdered("xformOp:translate", "xformOp:translate:pivot");
  requireOrdered("foo", "foo_bar");
  requireOrdered("foo", "fooBar");
  requireOrdered("foo_bar", "fooBar");
  requireOrdered("foo:bar", "foo_bar");
  requireOrdered("primvars:displayColor", "primvars:displayOpacity");
  requireOrdered("points", "primvars:st");
  requireOrdered("extent", "faceVertexCounts");
  requireOrdered("faceVertexCounts", "faceVertexIndices");
}

TEST_CASE("dictionaryLess: embedded numbers compare numerically", "[dictionary_order]") {
  requireOrdered("x2", "x10");
  requireOrdered("x9", "x10");
  requireOrdered("x10", "x100");
  requireOrdered("x19", "x20");
  requireOrdered("x13", "x129");
  requireOrdered("i2j", "i10j");
  requireOrdered("a1b2", "a1b10");
  requireOrdered("a2b1", "a10b1");
  requireOrdered("1", "2");
  requireOrdered("2", "10");
  requireOrdered("007", "8");
  // Equal numbers: the rest of the string decides.
  requireOrdered("x2a", "x02b");
  requireOrdered("x02a", "x2b");
  requireOrdered("v1.2", "v1.10");
}

TEST_CASE("dictionaryLess: leading zeros only break ties", "[dictionary_order]") {
  // Same value: the version without the extra zero comes first.
  requireOrdered("x2", "x02");
  requireOrdered("x02", "x002");
  requireOrdered("a0", "a00");
  requireOrdered("0", "00");
  // A shorter string with the same value is still less.
  requireOrdered("x2", "x02y");
  requireOrdered("x02", "x2y");
}

TEST_CASE("dictionaryLess: digit against non-digit", "[dictionary_order]") {
  // At position 0 raw bytes decide: '9' (0x39) < '_' (0x5F) < 'a'.
  requireOrdered("9a", "_");
  requireOrdered("0", "a");
  requireOrdered("#", "0");
  // After a non-digit, the side with the digit is less (a number starts).
  requireOrdered("ab1c", "abc");
  requireOrdered("a1", "a_");
  requireOrdered("a1", "a:");
  requireOrdered("a1", "aZ");
  // After a digit, the side with the digit is greater (its number is longer).
  requireOrdered("x1b", "x12");
  requireOrdered("x1_", "x10");
  requireOrdered("x1:", "x10");
}

TEST_CASE("dictionaryLess: prefixes and non-ASCII bytes", "[dictionary_order]") {
  requireOrdered("a", "ab");
  requireOrdered("clips", "clipSets");
  requireOrdered("clip", "Clips");
  // Non-ASCII bytes are compared raw, after all ASCII.
  requireOrdered("zz", "\xC3\xA4");
  requireOrdered("\xC3\xA4", "\xC3\xB6");  // ä < ö
  requireOrdered("a\x7F", "a\xC3\xA4");
}

TEST_CASE("dictionaryLess: strings with embedded NUL and string_view slices",
          "[dictionary_order]") {
  std::string withNul("a\0b", 3);
  requireOrdered(withNul, "ab");
  std::string_view big = "fooBarBaz";
  // A slice must not read past its end.
  CHECK(dictionaryLess(big.substr(0, 3), big.substr(0, 6)));
  CHECK_FALSE(dictionaryLess(big.substr(0, 6), big.substr(0, 3)));
  std::string_view digits = "x12345";
  CHECK(dictionaryLess(digits.substr(0, 2), digits.substr(0, 3)));  // x1 < x12
}

TEST_CASE("dictionaryLess: is a strict weak order on a mixed sample", "[dictionary_order]") {
  std::vector<std::string> sample = kSortedVector;
  for (const char* s : {"x002", "X2", "x2a", "a0", "a00", "A0", "Foo", "FOO", "fo", "f_",
                        "f1", "f01", "f10", "F1", "_1", "__", "a_b", "A_B", "ab", "aB"})
    sample.emplace_back(s);
  for (const auto& a : sample) {
    CHECK_FALSE(dictionaryLess(a, a));
    for (const auto& b : sample) {
      if (a == b) continue;
      // Totality: distinct strings are ordered one way or the other.
      CHECK(dictionaryLess(a, b) != dictionaryLess(b, a));
      for (const auto& c : sample) {
        if (dictionaryLess(a, b) && dictionaryLess(b, c)) CHECK(dictionaryLess(a, c));
      }
    }
  }
}
