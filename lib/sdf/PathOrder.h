// Sorting many paths fast. Path's operator< parses both texts on every
// comparison; a PathSortKey classifies its path once, so the O(n log n)
// comparisons of a big sort need no scan of the texts.
#pragma once

#include <string_view>

#include "sdf/Path.h"

namespace usdkit {

// Orders exactly as operator< on the paths. Views the path's text: the path
// must outlive the key.
struct PathSortKey {
  explicit PathSortKey(const Path& p);
  // Canonical path text (e.g. a prefix of a path's text) that must outlive
  // the key.
  explicit PathSortKey(std::string_view canonicalText);
  std::string_view text;
  bool simple;  // absolute, no '{' or '[', at most one '.' (prims and their properties)
  friend bool operator<(const PathSortKey& a, const PathSortKey& b);
};

}  // namespace usdkit
