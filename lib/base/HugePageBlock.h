// One block of raw bytes from HugePageAllocator, owned and never moved in
// memory: the unit the token and path-node arenas grow by.
#pragma once

#include <cstddef>
#include <utility>

#include "base/HugePageAllocator.h"

namespace usdkit {

struct HugePageBlock {
  std::byte* data = nullptr;
  std::size_t size = 0;
  explicit HugePageBlock(std::size_t n) : data(HugePageAllocator<std::byte>().allocate(n)), size(n) {}
  HugePageBlock(HugePageBlock&& o) noexcept : data(std::exchange(o.data, nullptr)), size(o.size) {}
  HugePageBlock& operator=(HugePageBlock&&) = delete;
  ~HugePageBlock() {
    if (data) HugePageAllocator<std::byte>().deallocate(data, size);
  }
};

}  // namespace usdkit
