// Line-by-line difference of two texts: Myers' O(ND) algorithm in linear
// space (middle snakes), over line numbers interned by content so each
// comparison is one integer compare. Near-linear for the common case of
// huge texts with few differences; a cost limit keeps unrelated inputs
// (large N and D) from taking quadratic time, at the price of a diff that
// may then not be minimal.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace usdkit::diff {

// Splits `text` into lines, each keeping its '\n' (the last may lack one).
std::vector<std::string_view> splitLines(std::string_view text);

// One run of changed lines: `oldCount` lines of the old text starting at
// `oldStart` replaced by `newCount` lines of the new one at `newStart`
// (0-based). Hunks are ordered and separated by at least one equal line.
struct Hunk {
  std::size_t oldStart = 0, oldCount = 0;
  std::size_t newStart = 0, newCount = 0;
  friend bool operator==(const Hunk&, const Hunk&) = default;
};

// The changes that turn `oldLines` into `newLines`; empty when equal.
std::vector<Hunk> diffLines(std::span<const std::string_view> oldLines,
                            std::span<const std::string_view> newLines);

struct UnifiedOptions {
  bool color = false;  // ANSI colours: hunk headers cyan, removals red, additions green
  // Equal lines shown around each change; hunks closer than twice this
  // merge, as in Python's difflib (OpenUSD's usddiff uses 0).
  std::size_t context = 0;
};

// Appends the hunks in unified format without file headers, as OpenUSD's
// usddiff prints them (difflib.unified_diff with the two header lines
// dropped): "@@ -a,b +c,d @@" then " ", "-" and "+" lines. A last line
// without a newline gets one.
void appendUnified(std::string& out, std::span<const std::string_view> oldLines,
                   std::span<const std::string_view> newLines, std::span<const Hunk> hunks,
                   const UnifiedOptions& options = {});

}  // namespace usdkit::diff
