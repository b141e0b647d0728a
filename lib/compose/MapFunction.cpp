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

MapFunction MapFunction::create(std::vector<PathPair> pairs, const LayerOffset& offset) {
  MapFunction f;
  canonicalize(pairs, f.rootIdentity_);
  f.pairs_ = std::move(pairs);
  f.offset_ = offset;
  return f;
}

MapFunction MapFunction::identity() {
  MapFunction f;
  f.rootIdentity_ = true;
  return f;
}

Path MapFunction::map(const Path& path, bool invert) const {
  if (path.empty()) return {};
  std::size_t best = invert ? bestTarget(path, pairs_) : bestSource(path, pairs_);
  Path result;
  if (best == kNone) {
    if (rootIdentity_) result = path;
  } else if (invert) {
    result = path.replacePrefix(pairs_[best].second, pairs_[best].first, false);
  } else {
    if (pairs_[best].second.empty()) return {};
    result = path.replacePrefix(pairs_[best].first, pairs_[best].second, false);
  }
  if (result.empty()) return result;
  if (hasBetterTarget(result, pairs_, best, invert)) return {};
  return result;
}

Path MapFunction::mapSourceToTarget(const Path& path) const { return map(path, false); }
Path MapFunction::mapTargetToSource(const Path& path) const { return map(path, true); }

MapFunction MapFunction::compose(const MapFunction& inner) const {
  if (isIdentity()) return inner;
  if (inner.isIdentity()) return *this;
  Pairs out;
  if (rootIdentity_ && inner.rootIdentity_) out.emplace_back(Path::absoluteRoot(), Path::absoluteRoot());
  for (const PathPair& p : inner.pairs_) out.emplace_back(p.first, p.second.empty() ? Path() : mapSourceToTarget(p.second));
  const std::size_t innerCount = out.size();
  for (const PathPair& p : pairs_) {
    Path source = inner.mapTargetToSource(p.first);
    if (source.empty()) continue;
    bool present = false;
    for (std::size_t k = 0; k < innerCount; ++k)
      if (out[k].first == source) present = true;
    if (!present) out.emplace_back(source, p.second);
  }
  MapFunction f = create(std::move(out), composeOffsets(offset_, inner.offset_));
  return f;
}

MapFunction MapFunction::inverse() const {
  Pairs out;
  if (rootIdentity_) out.emplace_back(Path::absoluteRoot(), Path::absoluteRoot());
  for (const PathPair& p : pairs_)
    if (!p.second.empty()) out.emplace_back(p.second, p.first);
  return create(std::move(out), inverseOffset(offset_));
}

MapFunction MapFunction::withOffset(const LayerOffset& offset) const {
  MapFunction f = *this;
  f.offset_ = offset;
  return f;
}

MapFunction MapFunction::withRootIdentity() const {
  if (rootIdentity_) return *this;
  Pairs out = pairs_;
  out.emplace_back(Path::absoluteRoot(), Path::absoluteRoot());
  return create(std::move(out), offset_);
}

}  // namespace usdkit
