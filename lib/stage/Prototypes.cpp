// Instances and their prototypes; see Prototypes.h.
#include "stage/Prototypes.h"

#include <algorithm>
#include <charconv>

namespace usdkit {

namespace {
constexpr std::string_view kPrototypePrefix = "__Prototype_";
}

Prototypes::Added Prototypes::addInstance(const Path& instance, const PrimIndex& index) {
  auto [it, added] = byKey_.try_emplace(index.instanceKey(), prototypes_.size());
  instances_.emplace(instance, it->second);
  if (added) prototypes_.push_back({instance, 0});
  return {it->second, added};
}

void Prototypes::finish(std::size_t id) {
  byNumber_.push_back(id);
  prototypes_[id].number = static_cast<int>(byNumber_.size());
}

Path Prototypes::stagePath(std::size_t id) const {
  return Path::absoluteRoot().appendChild(std::string(kPrototypePrefix) + std::to_string(prototypes_[id].number));
}

std::optional<std::size_t> Prototypes::of(const Path& instance) const {
  const auto it = instances_.find(instance);
  if (it == instances_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> Prototypes::byStagePath(const Path& root) const {
  if (!root.isRootPrimPath()) return std::nullopt;
  const std::string_view name = root.nameToken().str();
  if (!name.starts_with(kPrototypePrefix)) return std::nullopt;
  const std::string_view digits = name.substr(kPrototypePrefix.size());
  int n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.starts_with('0')) return std::nullopt;
  if (n < 1 || static_cast<std::size_t>(n) > byNumber_.size()) return std::nullopt;
  return byNumber_[static_cast<std::size_t>(n) - 1];
}

std::vector<std::size_t> Prototypes::inStageOrder() const {
  std::vector<std::size_t> order(prototypes_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::to_string(prototypes_[a].number) < std::to_string(prototypes_[b].number);
  });
  return order;
}

}  // namespace usdkit
