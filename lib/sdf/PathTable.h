// A table from paths to 32-bit numbers, for the structures that number
// every path of a layer (the layer's spec index, the crate writer's PATHS
// table). Every path node has a small key (sdf/PathNodes.h), close to the
// keys of nodes made just before it, so the table is an array indexed by
// key, in pages made on first use: 4 bytes a path, and reading a file then
// writing it out touches it almost in order, where a hash table would cost
// a node allocation and a cache miss per path.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sdf/Path.h"

namespace usdkit {

class PathTable {
 public:
  // The number stored for `path`; 0 when none was (or for the empty path).
  std::uint32_t find(const Path& path) const noexcept;
  // Where the number for `path` (not empty) is stored, 0 when new. The
  // reference stays valid for the table's life: pages never move.
  std::uint32_t& slot(const Path& path);

 private:
  static constexpr unsigned kPageBits = 10;  // 4 KiB pages: a small layer touches one or two
  std::vector<std::unique_ptr<std::uint32_t[]>> pages_;
};

}  // namespace usdkit
