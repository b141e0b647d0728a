#include "compose/MapFunction.h"

#include <algorithm>

#include "compose/LayerStack.h"

namespace usdkit {

namespace {

using PathPair = MapFunction::PathPair;
using Pairs = std::vector<PathPair>;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::size_t count(const Path& p) { return p.isAbsoluteRoot() ? 0 : p.elementCount(); }

// The pair whose source is the longest prefix of `path` with at least
// `minCount` elements.
// (Counting a path's elements scans it: only the pairs that match are
// counted, which with many pairs, as many relocates make, is most of the
// work saved.)
std::size_t bestSource(const Path& path, const Pairs& pairs, std::size_t minCount = 0) {
  std::size_t best = kNone, bestCount = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (!path.hasPrefix(pairs[i].first)) continue;
    std::size_t c = count(pairs[i].first);
    if (c < minCount) continue;
    if (best == kNone || c > bestCount) {
      best = i;
      bestCount = c;
    }
  }
  return best;
}

std::size_t bestTarget(const Path& path, const Pairs& pairs, std::size_t minCount = 0) {
  std::size_t best = kNone, bestCount = minCount;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].second.empty() || !path.hasPrefix(pairs[i].second)) continue;
    std::size_t c = count(pairs[i].second);
    if (c >= bestCount) {
      best = i;
      bestCount = c;
    }
  }
  return best;
}

bool hasBetterTarget(const Path& target, const Pairs& pairs, std::size_t chosen, bool invert) {
  std::size_t minCount = chosen == kNone ? 0 : count(invert ? pairs[chosen].first : pairs[chosen].second);
  std::size_t other = invert ? bestSource(target, pairs, minCount) : bestTarget(target, pairs, minCount);
  return other != kNone && other != chosen;
}

// A pair is redundant when the other pairs already map its source the same way.
bool isRedundant(std::size_t i, const Pairs& pairs) {
  const Path& src = pairs[i].first;
  const Path& dst = pairs[i].second;
  if (src.isAbsoluteRoot()) return false;
  Pairs others;
  for (std::size_t k = 0; k < pairs.size(); ++k)
    if (k != i) others.push_back(pairs[k]);
  std::size_t parentMatch = bestSource(src.parent(), others);
  if (dst.empty()) {
    if (parentMatch == kNone || others[parentMatch].second.empty()) return true;
    Path mapped = src.replacePrefix(others[parentMatch].first, others[parentMatch].second, false);
    return hasBetterTarget(mapped, others, parentMatch, false);
  }
  if (parentMatch == kNone || others[parentMatch].second.empty()) return false;
  if (src.replacePrefix(others[parentMatch].first, others[parentMatch].second, false) != dst) return false;
  return !hasBetterTarget(dst.parent(), others, parentMatch, false);
}

void canonicalize(Pairs& pairs, bool& rootIdentity) {
  {
    std::vector<std::pair<std::size_t, PathPair>> counted;
    counted.reserve(pairs.size());
    for (PathPair& p : pairs) counted.emplace_back(count(p.first), std::move(p));
    std::sort(counted.begin(), counted.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return a.second.first < b.second.first;
    });
    for (std::size_t i = 0; i < counted.size(); ++i) pairs[i] = std::move(counted[i].second);
  }
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const PathPair& a, const PathPair& b) { return a.first == b.first; }),
              pairs.end());
  for (std::size_t i = 0; i < pairs.size();) {
    if (isRedundant(i, pairs)) pairs.erase(pairs.begin() + static_cast<std::ptrdiff_t>(i));
    else ++i;
  }
  rootIdentity = false;
  if (!pairs.empty() && pairs.front().first.isAbsoluteRoot() && pairs.front().second.isAbsoluteRoot()) {
    rootIdentity = true;
    pairs.erase(pairs.begin());
  }
}

}  // namespace

const std::vector<PathPair>& MapFunction::pairs() const noexcept {
  static const Pairs kNoPairs;
  return data_ ? data_->pairs : kNoPairs;
}

const LayerOffset& MapFunction::timeOffset() const noexcept {
  static const LayerOffset kNoOffset;
  return data_ ? data_->offset : kNoOffset;
}

bool operator==(const MapFunction& a, const MapFunction& b) {
  if (a.data_ == b.data_) return true;
  return a.hasRootIdentity() == b.hasRootIdentity() && a.pairs() == b.pairs() && a.timeOffset() == b.timeOffset();
}

namespace {
thread_local std::size_t tPairsMade = 0;
}  // namespace

std::size_t MapFunction::pairsMade() noexcept { return tPairsMade; }

MapFunction MapFunction::create(std::vector<PathPair> pairs, const LayerOffset& offset) {
  tPairsMade += pairs.size();
  auto data = std::make_shared<Data>();
  canonicalize(pairs, data->rootIdentity);
  data->pairs = std::move(pairs);
  data->offset = offset;
  return MapFunction(std::move(data));
}

MapFunction MapFunction::identity() {
  static const MapFunction kIdentity(std::make_shared<const Data>(Data{{}, true, {}}));
  return kIdentity;
}

Path MapFunction::map(const Path& path, bool invert) const {
  if (path.empty()) return {};
  const Pairs& all = pairs();
  std::size_t best = invert ? bestTarget(path, all) : bestSource(path, all);
  Path result;
  if (best == kNone) {
    if (hasRootIdentity()) result = path;
  } else if (invert) {
    result = path.replacePrefix(all[best].second, all[best].first, false);
  } else {
    if (all[best].second.empty()) return {};
    result = path.replacePrefix(all[best].first, all[best].second, false);
  }
  if (result.empty()) return result;
  if (hasBetterTarget(result, all, best, invert)) return {};
  return result;
}

Path MapFunction::mapSourceToTarget(const Path& path) const { return map(path, false); }
Path MapFunction::mapTargetToSource(const Path& path) const { return map(path, true); }

MapFunction MapFunction::compose(const MapFunction& inner) const {
  if (isIdentity()) return inner;
  if (inner.isIdentity()) return *this;
  Pairs out;
  if (hasRootIdentity() && inner.hasRootIdentity()) out.emplace_back(Path::absoluteRoot(), Path::absoluteRoot());
  for (const PathPair& p : inner.pairs()) out.emplace_back(p.first, p.second.empty() ? Path() : mapSourceToTarget(p.second));
  const std::size_t innerCount = out.size();
  for (const PathPair& p : pairs()) {
    Path source = inner.mapTargetToSource(p.first);
    if (source.empty()) continue;
    bool present = false;
    for (std::size_t k = 0; k < innerCount; ++k)
      if (out[k].first == source) present = true;
    if (!present) out.emplace_back(source, p.second);
  }
  return create(std::move(out), composeOffsets(timeOffset(), inner.timeOffset()));
}

MapFunction MapFunction::inverse() const {
  Pairs out;
  if (hasRootIdentity()) out.emplace_back(Path::absoluteRoot(), Path::absoluteRoot());
  for (const PathPair& p : pairs())
    if (!p.second.empty()) out.emplace_back(p.second, p.first);
  return create(std::move(out), inverseOffset(timeOffset()));
}

MapFunction MapFunction::withOffset(const LayerOffset& offset) const {
  return MapFunction(std::make_shared<const Data>(Data{pairs(), hasRootIdentity(), offset}));
}

MapFunction MapFunction::withRootIdentity() const {
  if (hasRootIdentity()) return *this;
  Pairs out = pairs();
  out.emplace_back(Path::absoluteRoot(), Path::absoluteRoot());
  return create(std::move(out), timeOffset());
}

}  // namespace usdkit
