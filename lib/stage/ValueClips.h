// Value clips (OpenUSD's Usd_ClipSet and Usd_Clip): time samples that a
// prim's `clips` metadata pulls from other layers, one clip layer active at
// a time, with stage times mapped to clip times.
//
// A clip set is authored in the `clips` dictionary of a prim spec (and
// listed or removed through `clipSets`); its opinions sit just after the
// layer that authored its asset paths, in every node of that layer stack at
// or below the prim. Clips give time samples only, never defaults, and only
// for attributes their manifest declares varying. Clip sets authored on a
// prim apply to its descendants too (weaker than their own).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compose/LayerRegistry.h"
#include "compose/LayerStack.h"
#include "compose/PrimIndex.h"
#include "sdf/Layer.h"
#include "sdf/TimeSampleQueries.h"

namespace usdkit {

// Opens the layers clip sets name, each once, and says once when one cannot
// be opened (value resolution then sees an empty layer in its place, as
// OpenUSD's does).
class ClipLayers {
 public:
  ClipLayers(LayerRegistry& registry, std::function<void(std::string)> warn)
      : registry_(registry), warn_(std::move(warn)) {}
  const AssetResolver& resolver() const noexcept { return registry_.resolver(); }
  std::shared_ptr<const Layer> open(const std::string& identifier);
  void warn(std::string text) const { warn_(std::move(text)); }

 private:
  LayerRegistry& registry_;
  std::function<void(std::string)> warn_;
  std::unordered_map<std::string, std::shared_ptr<const Layer>> opened_;
};

// One point of a clip set's `times`: stage time -> time in the clip.
struct ClipTimeMapping {
  double external = 0, internal = 0;
  // The left side of a jump: two entries at one stage time, the first
  // moved just before it.
  bool jump = false;
};

class ClipSet;
using ClipSets = std::vector<std::shared_ptr<const ClipSet>>;

// One clip layer and the stage times it is active for: [start, end).
class ValueClip {
 public:
  // Stage time the clip was authored to become active at.
  double authoredStart = 0;
  double start = 0, end = 0;

  bool hasAuthoredSamples(const Path& specPath) const;
  // The clip's layer, opened on first use.
  const Layer& layer() const;

 private:
  friend class ClipSet;
  friend ClipSets clipSetsAuthoredOn(const PrimIndex&, ClipLayers&);
  const ClipSet* set_ = nullptr;
  std::string identifier_;
  mutable std::shared_ptr<const Layer> layer_;
  // The clip layer's samples of the last attribute asked about, loaded
  // (flattening asks about one attribute at many times in a row).
  mutable Path cachedPath_;
  mutable Value cachedSamples_;

  const TimeSamples* samples(const Path& specPath) const;
  Path toClipPath(const Path& specPath) const;
  double toInternal(double external) const;
  double toExternal(double internal, std::size_t i1, std::size_t i2) const;
  std::vector<double> timeSamples(const Path& specPath) const;
  std::optional<TimeBracket> bracketingTimes(const Path& specPath, double time) const;
  std::optional<TimeBracket> clipLayerBracket(const Path& specPath, double time) const;
  std::optional<Value> query(const Path& specPath, double time) const;
};

class ClipSet {
 public:
  std::string name;
  // Where the set was authored: its asset paths' layer stack, prim (node
  // path, may hold variant selections) and layer.
  const LayerStack* sourceStack = nullptr;
  Path sourcePrimPath;
  const Layer* sourceLayer = nullptr;
  Path clipPrimPath;  // the prim in each clip layer that stands for sourcePrimPath
  bool interpolateMissing = false;

  // Whether the set's opinions count at a node: the node's layer stack is
  // the set's and its path is at or below the set's prim.
  bool appliesTo(const LayerStack* stack, const Path& nodePath) const {
    return stack == sourceStack && nodePath.hasPrefix(sourcePrimPath);
  }
  // Whether the manifest declares `specPath` (an attribute path in the
  // source layer stack's namespace) a varying attribute: only those are
  // looked up in clips.
  bool holdsValuesFor(const Path& specPath) const;

  // Every stage time the set has a sample of the attribute at, ascending.
  std::vector<double> timeSamples(const Path& specPath) const;
  std::optional<TimeBracket> bracketingTimes(const Path& specPath, double time) const;

  struct Resolved {
    Value value;          // a ValueBlock when the clips give no value
    const Layer* layer;   // the layer it came from: asset paths anchor there
    double clipTime;      // `time` in the clip active then
  };
  // The value at stage time `time`, interpolated linearly between the
  // bracketing samples (held where the type does not interpolate).
  Resolved valueAt(const Path& specPath, double time) const;

 private:
  friend class ValueClip;
  friend ClipSets clipSetsAuthoredOn(const PrimIndex&, ClipLayers&);
  ClipLayers* layers_ = nullptr;
  std::shared_ptr<const std::vector<ClipTimeMapping>> times_;
  std::vector<double> externalTimes_;  // times_'s stage times, for bracketing
  std::vector<ValueClip> clips_;  // ascending start times
  ValueClip manifest_;            // active over all time, no time mapping

  std::size_t activeClip(double time) const;
  bool contributes(const ValueClip& clip, const Path& specPath) const;
  std::optional<Value> query(const Path& specPath, double time) const;
};

// The clip sets authored on the prim of `index` itself (not its
// ancestors'), strongest first; invalid ones are reported through `layers`
// and left out.
ClipSets clipSetsAuthoredOn(const PrimIndex& index, ClipLayers& layers);

// The clip sets that apply to the prim of `index`: those authored on it,
// then its parent's (`parents`, which hold its ancestors'). Only a prim
// with a `clips` opinion is looked at further.
ClipSets clipSetsOfPrim(const PrimIndex& index, const ClipSets& parents, ClipLayers& layers);

}  // namespace usdkit
