// Namespace mapping between a node of a prim index and its parent (or the
// root): pairs of path prefixes (source -> target), an optional identity
// for everything else ("root identity"), and a time offset.
#pragma once

#include <utility>
#include <vector>

#include "sdf/Path.h"
#include "sdf/ValueTypes.h"

namespace usdkit {

class MapFunction {
 public:
  using PathPair = std::pair<Path, Path>;  // source prefix -> target prefix (empty target: blocked)

  MapFunction() = default;  // maps nothing
  // Redundant pairs are dropped; a "/" -> "/" pair becomes the root identity.
  static MapFunction create(std::vector<PathPair> pairs, const LayerOffset& offset = {});
  static MapFunction identity();  // "/" -> "/", no offset

  // Maps a path with the pair whose source is its longest prefix (or the
  // root identity). Empty when no pair applies, the pair blocks, or the
  // result would map back through a different pair (so that mapping is a
  // bijection). Variant selections are not special: callers strip them.
  Path mapSourceToTarget(const Path& path) const;
  Path mapTargetToSource(const Path& path) const;

  // this ∘ inner: apply `inner`, then this.
  MapFunction compose(const MapFunction& inner) const;
  MapFunction inverse() const;
  MapFunction withOffset(const LayerOffset& offset) const;
  MapFunction withRootIdentity() const;

  bool isIdentity() const noexcept { return pairs_.empty() && rootIdentity_ && isIdentityTime(); }
  bool isNull() const noexcept { return pairs_.empty() && !rootIdentity_; }
  bool hasRootIdentity() const noexcept { return rootIdentity_; }
  const std::vector<PathPair>& pairs() const noexcept { return pairs_; }
  const LayerOffset& timeOffset() const noexcept { return offset_; }

  friend bool operator==(const MapFunction& a, const MapFunction& b) {
    return a.rootIdentity_ == b.rootIdentity_ && a.pairs_ == b.pairs_ && a.offset_ == b.offset_;
  }

 private:
  bool isIdentityTime() const noexcept { return offset_.offset == 0 && offset_.scale == 1; }
  Path map(const Path& path, bool invert) const;
  std::vector<PathPair> pairs_;  // sorted by source element count, then source
  bool rootIdentity_ = false;
  LayerOffset offset_;
};

}  // namespace usdkit
