// Namespace mapping between a node of a prim index and its parent (or the
// root): pairs of path prefixes (source -> target), an optional identity
// for everything else ("root identity"), and a time offset. Immutable:
// copies share one set of pairs, so that the copies each prim index makes
// of its parent's nodes cost no more than a pointer (relocations give a
// map as many pairs as there are relocations below the arc).
#pragma once

#include <memory>
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
  // Pairs given to create() so far on this thread (compositions and
  // inverses make theirs through it): composition counts them as work.
  static std::size_t pairsMade() noexcept;

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

  bool isIdentity() const noexcept { return pairs().empty() && hasRootIdentity() && isIdentityTime(); }
  bool isNull() const noexcept { return pairs().empty() && !hasRootIdentity(); }
  bool hasRootIdentity() const noexcept { return data_ && data_->rootIdentity; }
  const std::vector<PathPair>& pairs() const noexcept;
  const LayerOffset& timeOffset() const noexcept;

  friend bool operator==(const MapFunction& a, const MapFunction& b);

 private:
  struct Data {
    std::vector<PathPair> pairs;  // sorted by source element count, then source
    bool rootIdentity = false;
    LayerOffset offset;
  };
  explicit MapFunction(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  bool isIdentityTime() const noexcept { return timeOffset().offset == 0 && timeOffset().scale == 1; }
  Path map(const Path& path, bool invert) const;
  std::shared_ptr<const Data> data_;  // null: maps nothing, no offset
};

}  // namespace usdkit
