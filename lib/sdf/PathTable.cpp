#include "sdf/PathTable.h"

#include "sdf/PathNodes.h"

namespace usdkit {

std::uint32_t PathTable::find(const Path& path) const noexcept {
  if (path.empty()) return 0;
  const std::uint32_t key = detail::pathNodeKey(path.rep());
  const std::size_t page = key >> kPageBits;
  if (page >= pages_.size() || !pages_[page]) return 0;
  return pages_[page][key & ((1u << kPageBits) - 1)];
}

std::uint32_t& PathTable::slot(const Path& path) {
  const std::uint32_t key = detail::pathNodeKey(path.rep());
  const std::size_t page = key >> kPageBits;
  if (page >= pages_.size()) pages_.resize(page + 1);
  if (!pages_[page]) pages_[page] = std::make_unique<std::uint32_t[]>(std::size_t(1) << kPageBits);
  return pages_[page][key & ((1u << kPageBits) - 1)];
}

}  // namespace usdkit
