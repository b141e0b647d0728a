// Sorting many paths. Path's operator< walks the two paths' nodes up to
// where they part, so it needs no key of its own; PathSortKey stays as the
// name for "a path in a sort" that callers already use.
#pragma once

#include "sdf/Path.h"

namespace usdkit {

// Orders exactly as operator< on the paths.
struct PathSortKey {
  explicit PathSortKey(const Path& p) : path(p) {}
  Path path;
  friend bool operator<(const PathSortKey& a, const PathSortKey& b);
};

}  // namespace usdkit
