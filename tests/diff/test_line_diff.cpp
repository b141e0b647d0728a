// The line diff: minimal edit scripts (checked against a dynamic-programming
// LCS on random inputs) and OpenUSD usddiff's unified format (Python
// difflib with n=0: "@@ -a,b +c,d @@", one-line ranges without a count,
// empty ranges naming the line before).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "diff/LineDiff.h"

using namespace usdkit::diff;

namespace {

std::string unified(const std::string& a, const std::string& b, std::size_t context = 0) {
  auto la = splitLines(a), lb = splitLines(b);
  auto hunks = diffLines(la, lb);
  std::string out;
  UnifiedOptions options;
  options.context = context;
  appendUnified(out, la, lb, hunks, options);
  return out;
}

// Length of the longest common subsequence, the slow and obvious way.
std::size_t lcs(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = a.size(); i-- > 0;)
    for (std::size_t j = b.size(); j-- > 0;)
      t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
  return t[0][0];
}

}  // namespace

TEST_CASE("splitLines keeps newlines and a last line without one", "[linediff]") {
  auto lines = splitLines("a\nb\n\nc");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "a\n");
  CHECK(lines[2] == "\n");
  CHECK(lines[3] == "c");
  CHECK(splitLines("").empty());
}

TEST_CASE("equal texts have no hunks", "[linediff]") {
  auto a = splitLines("x\ny\n");
  CHECK(diffLines(a, a).empty());
  CHECK(unified("x\ny\n", "x\ny\n").empty());
}

TEST_CASE("unified ranges as difflib writes them", "[linediff]") {
  CHECK(unified("a\nb\nc\n", "a\nB\nc\n") == "@@ -2 +2 @@\n-b\n+B\n");
  CHECK(unified("a\nc\n", "a\nb\nc\n") == "@@ -1,0 +2 @@\n+b\n");
  CHECK(unified("a\nb\nc\n", "a\nc\n") == "@@ -2 +1,0 @@\n-b\n");
  CHECK(unified("", "a\nb\n") == "@@ -0,0 +1,2 @@\n+a\n+b\n");
  CHECK(unified("a\nb\n", "") == "@@ -1,2 +0,0 @@\n-a\n-b\n");
  // Removals of a change print before its additions.
  CHECK(unified("1\na\nb\n2\n", "1\nc\n2\n") == "@@ -2,2 +2 @@\n-a\n-b\n+c\n");
  // Changes separated by an equal line are separate hunks with n=0.
  CHECK(unified("a\nx\nb\ny\n", "a\nX\nb\nY\n") == "@@ -2 +2 @@\n-x\n+X\n@@ -4 +4 @@\n-y\n+Y\n");
  // A last line without a newline still ends its output line.
  CHECK(unified("a\nb", "a\nc") == "@@ -2 +2 @@\n-b\n+c\n");
}

TEST_CASE("context lines and merged hunks", "[linediff]") {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string b = "1\n2\nX\n4\n5\n6\n7\nY\n9\n";
  CHECK(unified(a, b, 1) == "@@ -2,3 +2,3 @@\n 2\n-3\n+X\n 4\n@@ -7,3 +7,3 @@\n 7\n-8\n+Y\n 9\n");
  // Gaps of at most twice the context join into one hunk.
  CHECK(unified(a, b, 2) ==
        "@@ -1,9 +1,9 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n 7\n-8\n+Y\n 9\n");
}

TEST_CASE("colour marks headers, removals and additions", "[linediff]") {
  auto la = splitLines("a\n"), lb = splitLines("b\n");
  std::string out;
  UnifiedOptions options;
  options.color = true;
  appendUnified(out, la, lb, diffLines(la, lb), options);
  CHECK(out == "\033[36m@@ -1 +1 @@\033[0m\n\033[31m-a\033[0m\n\033[32m+b\033[0m\n");
}

TEST_CASE("edit scripts are minimal and turn one text into the other", "[linediff]") {
  std::mt19937 rng(12345);
  for (int round = 0; round < 400; ++round) {
    std::uniform_int_distribution<int> len(0, 30), sym(0, round % 2 ? 2 : 5);
    std::vector<std::string> sa(len(rng)), sb(len(rng));
    for (auto& s : sa) s = std::to_string(sym(rng)) + "\n";
    for (auto& s : sb) s = std::to_string(sym(rng)) + "\n";
    std::vector<std::string_view> a(sa.begin(), sa.end()), b(sb.begin(), sb.end());
    auto hunks = diffLines(a, b);
    // Applying the hunks to a gives b.
    std::vector<std::string_view> rebuilt;
    std::size_t i = 0, removed = 0, added = 0;
    for (const Hunk& h : hunks) {
      REQUIRE(h.oldStart >= i);
      while (i < h.oldStart) rebuilt.push_back(a[i++]);
      for (std::size_t k = 0; k < h.newCount; ++k) rebuilt.push_back(b[h.newStart + k]);
      i += h.oldCount;
      removed += h.oldCount;
      added += h.newCount;
    }
    while (i < a.size()) rebuilt.push_back(a[i++]);
    REQUIRE(rebuilt == b);
    // As few lines changed as possible.
    std::size_t common = lcs(a, b);
    CHECK(removed == a.size() - common);
    CHECK(added == b.size() - common);
  }
}

TEST_CASE("big texts with few changes", "[linediff]") {
  std::vector<std::string> sa;
  for (int i = 0; i < 200000; ++i) sa.push_back("line " + std::to_string(i) + "\n");
  std::vector<std::string> sb = sa;
  sb[10] = "changed\n";
  sb.erase(sb.begin() + 100000);
  sb.insert(sb.begin() + 150000, "inserted\n");
  std::vector<std::string_view> a(sa.begin(), sa.end()), b(sb.begin(), sb.end());
  auto hunks = diffLines(a, b);
  REQUIRE(hunks.size() == 3);
  CHECK(hunks[0] == Hunk{10, 1, 10, 1});
  CHECK(hunks[1] == Hunk{100000, 1, 100000, 0});
  CHECK(hunks[2] == Hunk{150001, 0, 150000, 1});
}

TEST_CASE("unrelated big texts finish (cost limit) with a valid script", "[linediff]") {
  std::vector<std::string> sa, sb;
  for (int i = 0; i < 5000; ++i) sa.push_back("a" + std::to_string(i * 7 % 1000) + "\n");
  for (int i = 0; i < 5000; ++i) sb.push_back("a" + std::to_string(i * 13 % 1000) + "\n");
  std::vector<std::string_view> a(sa.begin(), sa.end()), b(sb.begin(), sb.end());
  auto hunks = diffLines(a, b);
  std::size_t i = 0;
  std::vector<std::string_view> rebuilt;
  for (const Hunk& h : hunks) {
    while (i < h.oldStart) rebuilt.push_back(a[i++]);
    for (std::size_t k = 0; k < h.newCount; ++k) rebuilt.push_back(b[h.newStart + k]);
    i += h.oldCount;
  }
  while (i < a.size()) rebuilt.push_back(a[i++]);
  CHECK(rebuilt == b);
}
