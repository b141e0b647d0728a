#include "stage/ValueClips.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "sdf/Fields.h"
#include "sdf/ValueInterpolation.h"
#include "stage/ClipSetDefinitions.h"

namespace usdkit {

namespace {

constexpr double kEarliest = -std::numeric_limits<double>::max();
constexpr double kLatest = std::numeric_limits<double>::max();
// How far before a jump's stage time its left side is moved
// (UsdTimeCode::SafeStep(): 1e6 * epsilon * 10 * 2).
constexpr double kSafeStep = 1e6 * std::numeric_limits<double>::epsilon() * 10.0 * 2.0;

// Linear mapping through two points of a time mapping, with the exact end
// values where the input is an end (no rounding on the common path).
double throughPoints(double x, double x1, double y1, double x2, double y2) {
  if (x1 == x2) return y1;
  if (x == x1) return y1;
  if (x == x2) return y2;
  return (y2 - y1) / (x2 - x1) * (x - x1) + y1;
}

// The two mappings whose stage times enclose `time` (the sentinels at both
// ends make a pair exist for every time).
std::pair<std::size_t, std::size_t> segmentFor(const std::vector<ClipTimeMapping>& times, double time) {
  if (time <= times.front().external) return {0, 1};
  if (time >= times.back().external) return {times.size() - 2, times.size() - 1};
  const std::size_t m2 = static_cast<std::size_t>(
      std::lower_bound(times.begin(), times.end(), time,
                       [](const ClipTimeMapping& m, double t) { return m.external < t; }) -
      times.begin());
  return {m2 - 1, m2};
}

void shiftTimeCodes(Value& value, double delta) {
  if (delta == 0) return;
  if (const TimeCode* t = value.getIf<TimeCode>()) {
    value = TimeCode{t->time + delta};
  } else if (const auto* ts = value.getIf<std::vector<TimeCode>>()) {
    std::vector<TimeCode> shifted = *ts;
    for (TimeCode& c : shifted) c.time += delta;
    value = Value(std::move(shifted));
  }
}

bool isVaryingAttribute(const Spec* spec) {
  if (!spec || spec->type() != SpecType::Attribute) return false;
  // Our readers leave the fallback (varying) unstored.
  const Variability* v = spec->getAs<Variability>(fieldNames().variability);
  return !v || *v == Variability::Varying;
}

}  // namespace

std::shared_ptr<const Layer> ClipLayers::open(const std::string& identifier) {
  auto [it, added] = opened_.try_emplace(identifier);
  if (!added) return it->second;
  Expected<std::shared_ptr<const Layer>> layer = registry_.open(identifier);
  if (layer && *layer) {
    it->second = *layer;
  } else {
    warn("Unable to open clip layer @" + identifier + "@" + (layer ? "" : ": " + layer.error().message));
    auto empty = std::make_shared<Layer>();
    empty->setIdentifier(identifier);
    it->second = std::move(empty);
  }
  return it->second;
}

// ValueClip

const Layer& ValueClip::layer() const {
  if (!layer_) layer_ = set_->layers_->open(identifier_);
  return *layer_;
}

Path ValueClip::toClipPath(const Path& specPath) const {
  return specPath.replacePrefix(set_->sourcePrimPath, set_->clipPrimPath);
}

const TimeSamples* ValueClip::samples(const Path& specPath) const {
  const Path clipPath = toClipPath(specPath);
  if (cachedPath_ != clipPath || clipPath.empty()) {
    cachedPath_ = clipPath;
    cachedSamples_ = Value();
    const Spec* spec = layer().findSpec(clipPath);
    if (const Value* raw = spec ? spec->get(fieldNames().timeSamples) : nullptr) {
      Expected<Value> loaded = raw->loaded();
      if (loaded) cachedSamples_ = std::move(*loaded);
      else set_->layers_->warn(loaded.error().message);
    }
  }
  // Values are shared, immutable blocks: the pointer lives as long as the cache holds it.
  const TimeSamples* ts = cachedSamples_.getIf<TimeSamples>();
  return ts && !ts->samples.empty() ? ts : nullptr;
}

bool ValueClip::hasAuthoredSamples(const Path& specPath) const { return samples(specPath) != nullptr; }

double ValueClip::toInternal(double external) const {
  const std::vector<ClipTimeMapping>& times = *set_->times_;
  if (times.empty()) return external;
  const auto [i1, i2] = segmentFor(times, external);
  const ClipTimeMapping &m1 = times[i1], &m2 = times[i2];
  // A segment ending at a jump's left side maps with the jump's authored
  // stage time, so clip samples land on whole stage times.
  const double x2 = m2.jump ? times[i2 + 1].external : m2.external;
  return throughPoints(external, m1.external, m1.internal, x2, m2.internal);
}

double ValueClip::toExternal(double internal, std::size_t i1, std::size_t i2) const {
  const std::vector<ClipTimeMapping>& times = *set_->times_;
  const ClipTimeMapping &m1 = times[i1], &m2 = times[i2];
  const double x2 = m2.jump ? times[i2 + 1].external : m2.external;
  return throughPoints(internal, m1.internal, m1.external, m2.internal, x2);
}

std::vector<double> ValueClip::timeSamples(const Path& specPath) const {
  std::vector<double> out;
  const auto inRange = [&](double t) { return start <= t && t < end; };
  const std::vector<ClipTimeMapping>& times = *set_->times_;
  // The first segment whose end reaches the clip's start.
  std::size_t firstSegment = static_cast<std::size_t>(
      std::lower_bound(times.begin(), times.end(), start,
                       [](const ClipTimeMapping& m, double t) { return m.external < t; }) -
      times.begin());
  if (firstSegment > 0) --firstSegment;
  if (const TimeSamples* ts = samples(specPath)) {
    for (const auto& [t, value] : ts->samples) {
      if (!std::isfinite(t)) continue;  // a crate file can hold any double
      if (times.empty()) {
        if (inRange(t)) out.push_back(t);
        continue;
      }
      // Several stage times may map to one clip time: every segment of
      // the mapping that covers it gives one. Only segments that overlap
      // the clip's active range count (the mapping is sorted by stage time).
      for (std::size_t i = firstSegment; i + 1 < times.size() && times[i].external < end; ++i) {
        const ClipTimeMapping &m1 = times[i], &m2 = times[i + 1];
        if (m2.external < start || m1.jump) continue;
        if (t < std::min(m1.internal, m2.internal) || t > std::max(m1.internal, m2.internal)) continue;
        if (m1.internal == m2.internal) {
          if (inRange(m1.external)) out.push_back(m1.external);
          if (inRange(m2.external)) out.push_back(m2.external);
        } else if (const double e = toExternal(t, i, i + 1); inRange(e)) {
          out.push_back(e);
        }
      }
    }
  }
  // Every point of the mapping is a sample, and so is the clip's start,
  // which keeps each clip's values apart from its neighbours'.
  for (const ClipTimeMapping& m : times)
    if (inRange(m.external)) out.push_back(m.external);
  out.push_back(authoredStart);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<TimeBracket> ValueClip::clipLayerBracket(const Path& specPath, double time) const {
  const TimeSamples* ts = samples(specPath);
  if (!ts) return std::nullopt;
  const std::optional<TimeBracket> inClip = usdkit::bracketingTimes(*ts, toInternal(time));
  const std::vector<ClipTimeMapping>& times = *set_->times_;
  if (!inClip || times.empty()) return inClip;
  // Back to stage times: the clip time of each side is looked for in the
  // segments around `time`, walking away from it (the mapping need not be
  // monotonic).
  const auto [m1, m2] = segmentFor(times, time);
  std::optional<double> lower, upper;
  const auto translate = [&](std::size_t i1, std::size_t i2, bool isLower) {
    const ClipTimeMapping &a = times[i1], &b = times[i2];
    if (a.jump) return false;
    const double t = isLower ? inClip->lower : inClip->upper;
    std::optional<double>& result = isLower ? lower : upper;
    if (t < std::min(a.internal, b.internal) || t > std::max(a.internal, b.internal)) return false;
    if (a.internal != b.internal) {
      result = toExternal(t, i1, i2);
    } else {
      const bool same = inClip->lower == inClip->upper;
      if (same && time == a.external) result = a.external;
      else if (same && time == b.external) result = b.external;
      else result = isLower ? a.external : b.external;
    }
    return true;
  };
  for (std::size_t i1 = m1 + 1, i2 = m2 + 1; i1-- > 0 && i2-- > 0;)
    if (translate(i1, i2, true)) break;
  for (std::size_t i1 = m1, i2 = m2; i2 < times.size(); ++i1, ++i2)
    if (translate(i1, i2, false)) break;
  if (lower && !upper) upper = lower;
  if (upper && !lower) lower = upper;
  if (!lower) {
    // Outside the mapping's clip times: clamped to its ends.
    const auto clamp = [&](double t) {
      if (t < times.front().internal) return times.front().external;
      if (t > times.back().internal) return times.back().external;
      return time;
    };
    lower = clamp(inClip->lower);
    upper = clamp(inClip->upper);
  }
  return TimeBracket{*lower, *upper};
}

std::optional<TimeBracket> ValueClip::bracketingTimes(const Path& specPath, double time) const {
  std::vector<double> candidates;
  if (std::optional<TimeBracket> b = clipLayerBracket(specPath, time)) {
    candidates.push_back(b->lower);
    candidates.push_back(b->upper);
  }
  if (!set_->externalTimes_.empty()) {
    if (std::optional<TimeBracket> b = usdkit::bracketingTimes(set_->externalTimes_, time)) {
      candidates.push_back(b->lower);
      candidates.push_back(b->upper);
    }
  }
  candidates.push_back(authoredStart);
  std::erase_if(candidates, [&](double t) { return t < start || t >= end; });
  if (candidates.empty()) return std::nullopt;
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  return usdkit::bracketingTimes(candidates, time);
}

std::optional<Value> ValueClip::query(const Path& specPath, double time) const {
  const TimeSamples* ts = samples(specPath);
  if (!ts) return std::nullopt;
  const double internal = toInternal(time);
  std::optional<Value> value;
  if (const Value* exact = sampleAt(*ts, internal)) value = *exact;
  else value = interpolatedSampleValue(*ts, internal);
  // Timecodes count from the clip's own time: moved to stage time.
  if (value) shiftTimeCodes(*value, time - internal);
  return value;
}

// ClipSet

bool ClipSet::holdsValuesFor(const Path& specPath) const {
  return isVaryingAttribute(manifest_.layer().findSpec(manifest_.toClipPath(specPath)));
}

std::size_t ClipSet::activeClip(double time) const {
  auto it = std::upper_bound(clips_.begin(), clips_.end(), time,
                             [](double t, const ValueClip& c) { return t < c.start; });
  return it == clips_.begin() ? 0 : static_cast<std::size_t>(it - clips_.begin()) - 1;
}

bool ClipSet::contributes(const ValueClip& clip, const Path& specPath) const {
  if (!interpolateMissing) return true;
  // A block in the manifest at the clip's start says the clip has no
  // samples without opening it. OpenUSD looks the block up at the stage
  // path, untranslated; so does this.
  bool blocked = false;
  if (const Spec* spec = manifest_.layer().findSpec(specPath)) {
    if (const Value* raw = spec->get(fieldNames().timeSamples)) {
      Expected<Value> loaded = raw->loaded();
      const TimeSamples* ts = loaded ? loaded->getIf<TimeSamples>() : nullptr;
      const Value* v = ts ? sampleAt(*ts, clip.authoredStart) : nullptr;
      blocked = v && v->is<ValueBlock>();
    }
  }
  if (!blocked && clip.hasAuthoredSamples(specPath)) return true;
  const Spec* spec = manifest_.layer().findSpec(manifest_.toClipPath(specPath));
  return spec && spec->has(fieldNames().defaultValue);
}

std::vector<double> ClipSet::timeSamples(const Path& specPath) const {
  std::vector<double> out;
  for (const ValueClip& clip : clips_) {
    if (!contributes(clip, specPath)) continue;
    std::vector<double> times = clip.timeSamples(specPath);
    out.insert(out.end(), times.begin(), times.end());
  }
  // No clip has a value: the first clip's start still counts as a sample.
  if (out.empty()) out.push_back(clips_.front().authoredStart);
  return out;
}

std::optional<TimeBracket> ClipSet::bracketingTimes(const Path& specPath, double time) const {
  const std::size_t active = activeClip(time);
  std::optional<double> lower, upper;
  if (contributes(clips_[active], specPath)) {
    if (std::optional<TimeBracket> b = clips_[active].bracketingTimes(specPath, time)) {
      lower = b->lower;
      upper = b->upper;
      // Past the clip's last sample: the next contributing clip's start
      // is the upper side.
      if (b->lower == b->upper && time > b->upper) upper.reset();
    }
  }
  for (std::size_t i = active; !lower && i-- > 0;) {
    if (!contributes(clips_[i], specPath)) continue;
    if (std::optional<TimeBracket> b = clips_[i].bracketingTimes(specPath, time)) lower = b->upper;
  }
  for (std::size_t i = active + 1; !upper && i < clips_.size(); ++i)
    if (contributes(clips_[i], specPath)) upper = clips_[i].start;
  if (lower && !upper) upper = lower;
  if (upper && !lower) lower = upper;
  if (!lower) lower = upper = clips_.front().authoredStart;
  return TimeBracket{*lower, *upper};
}

std::optional<Value> ClipSet::query(const Path& specPath, double time) const {
  if (std::optional<Value> v = clips_[activeClip(time)].query(specPath, time)) return v;
  // No samples in the clip: the manifest's default, if any.
  const Spec* spec = manifest_.layer().findSpec(manifest_.toClipPath(specPath));
  const Value* d = spec ? spec->get(fieldNames().defaultValue) : nullptr;
  if (!d) return std::nullopt;
  Expected<Value> loaded = d->loaded();
  if (!loaded || loaded->is<ValueBlock>()) return std::nullopt;
  return std::move(*loaded);
}

ClipSet::Resolved ClipSet::valueAt(const Path& specPath, double time) const {
  const ValueClip& active = clips_[activeClip(time)];
  const Layer* from = active.hasAuthoredSamples(specPath) ? &active.layer() : &manifest_.layer();
  const TimeBracket b = *bracketingTimes(specPath, time);
  std::optional<Value> value;
  if (std::fabs(b.upper - b.lower) < 1e-6) {
    value = query(specPath, b.lower);
  } else if (std::optional<Value> lower = query(specPath, b.lower); lower && !lower->is<ValueBlock>()) {
    std::optional<Value> upper = query(specPath, b.upper);
    if (!upper || upper->is<ValueBlock>()) upper = lower;
    value = interpolateLinear(*lower, *upper, (time - b.lower) / (b.upper - b.lower));
    if (!value) value = std::move(lower);
  }
  const double clipTime = active.toInternal(time);
  if (!value || value->is<ValueBlock>()) return {Value(ValueBlock{}), from, clipTime};
  return {std::move(*value), from, clipTime};
}

// Building the sets

namespace {

// A clip index as OpenUSD prints it (an int), for indexes that fit one.
std::string formatNumber(double v) {
  return std::abs(v) < 2147483647.0 ? std::to_string(static_cast<int>(v)) : std::to_string(v);
}

// A definition that cannot make a clip set, said the way OpenUSD says it;
// empty when it can.
std::string invalidClipSet(const ClipSetDefinition& def) {
  const std::vector<std::string>& paths = *def.assetPaths;
  const std::string& primPath = *def.primPath;
  if (primPath.empty()) return "No clip prim path specified in 'primPath'";
  for (const std::string& p : paths)
    if (p.empty()) return "Empty clip asset path in 'assetPaths'";
  const std::optional<Path> path = Path::parse(primPath);
  if (!path || path->empty() || !path->isAbsolute() || !path->isPrimPath())
    return "Path '" + primPath + "' in 'primPath' must be an absolute path to a prim";
  // Times that are not finite numbers cannot be ordered (OpenUSD does not
  // check; sorting them would be undefined).
  const auto finite = [](const std::vector<Vec2d>& pairs) {
    return std::all_of(pairs.begin(), pairs.end(), [](const Vec2d& p) { return std::isfinite(p[0]) && std::isfinite(p[1]); });
  };
  if (!finite(*def.active)) return "Times in 'active' must be finite numbers";
  if (def.times && !finite(*def.times)) return "Times in 'times' must be finite numbers";
  std::map<double, int> activeAt;
  for (const Vec2d& a : *def.active) {
    if (!(a[1] >= 0 && a[1] < static_cast<double>(paths.size())))
      return "Invalid clip index " + formatNumber(a[1]) + " in 'active'";
    auto [it, added] = activeAt.emplace(a[0], static_cast<int>(a[1]));
    if (!added) {
      char at[64];
      std::snprintf(at, sizeof at, "%.3f", a[0]);
      return "Clip " + formatNumber(a[1]) + " cannot be active at time " + at +
             " in 'active' because clip " + std::to_string(it->second) + " was already specified as active at this time.";
    }
  }
  if (def.times) {
    std::unordered_map<double, int> seen;
    for (const Vec2d& t : *def.times) {
      if (++seen[t[0]] > 2) {
        char at[64];
        std::snprintf(at, sizeof at, "%.3f", t[0]);
        return std::string("Cannot have more than two entries in 'times' with the same stage time (") + at + ").";
      }
    }
  }
  return {};
}

}  // namespace

ClipSets clipSetsAuthoredOn(const PrimIndex& index, ClipLayers& layers) {
  ClipSets out;
  const auto warn = [&](std::string text) { layers.warn(std::move(text)); };
  for (ClipSetDefinition& def : clipSetDefinitions(index, layers.resolver(), warn)) {
    // Without asset paths, a prim path and active times there is no set
    // (clipTimes and the manifest are optional).
    if (!def.assetPaths || !def.primPath || !def.active) continue;
    if (std::string problem = invalidClipSet(def); !problem.empty()) {
      warn("Invalid clips specified for prim <" + index.path().string() + ">: " + problem);
      continue;
    }
    if (def.active->empty()) continue;  // an empty list blocks weaker clips
    auto set = std::make_shared<ClipSet>();
    set->name = def.name;
    set->sourceStack = def.sourceStack;
    set->sourcePrimPath = def.sourcePrimPath;
    set->sourceLayer = def.sourceLayer;
    set->clipPrimPath = *Path::parse(*def.primPath);
    set->interpolateMissing = def.interpolateMissingClipValues.value_or(false);
    set->layers_ = &layers;
    auto times = std::make_shared<std::vector<ClipTimeMapping>>();
    if (def.times) {
      for (const Vec2d& t : *def.times) times->push_back({t[0], t[1], false});
      // Entries at one stage time keep their authored order: a jump.
      std::stable_sort(times->begin(), times->end(),
                       [](const ClipTimeMapping& a, const ClipTimeMapping& b) { return a.external < b.external; });
      for (std::size_t i = 0; i + 1 < times->size(); ++i) {
        if ((*times)[i].external != (*times)[i + 1].external) continue;
        (*times)[i].external -= kSafeStep;
        (*times)[i].jump = true;
      }
      if (!times->empty()) {
        times->insert(times->begin(), times->front());
        times->push_back(times->back());
      }
    }
    for (const ClipTimeMapping& m : *times) set->externalTimes_.push_back(m.external);
    set->times_ = std::move(times);
    std::map<double, std::size_t> starts;  // stage time -> clip (validated: no time twice)
    for (const Vec2d& a : *def.active) starts.emplace(a[0], static_cast<std::size_t>(a[1]));
    const auto anchorToSource = [&](const std::string& assetPath) {
      return layers.resolver().anchor(assetPath, def.sourceLayer->identifier());
    };
    for (auto it = starts.begin(); it != starts.end(); ++it) {
      ValueClip& clip = set->clips_.emplace_back();
      clip.set_ = set.get();
      clip.identifier_ = anchorToSource((*def.assetPaths)[it->second]);
      clip.authoredStart = it->first;
      clip.start = it == starts.begin() ? kEarliest : it->first;
      clip.end = std::next(it) == starts.end() ? kLatest : std::next(it)->first;
    }
    ValueClip& manifest = set->manifest_;
    manifest.set_ = set.get();
    manifest.authoredStart = manifest.start = kEarliest;
    manifest.end = kLatest;
    if (def.manifestAssetPath) {
      manifest.identifier_ = anchorToSource(*def.manifestAssetPath);
    } else {
      // No manifest: one listing every varying attribute with samples in
      // some clip, with the first clip's type.
      auto generated = std::make_shared<Layer>();
      generated->setIdentifier("generated_manifest.usda");
      const FieldNames& f = fieldNames();
      for (const ValueClip& clip : set->clips_) {
        const Layer& layer = clip.layer();
        layer.forEachSpec([&](const Path& path, const Spec& spec) {
          if (spec.type() != SpecType::Attribute || !path.hasPrefix(set->clipPrimPath)) return;
          if (generated->findSpec(path)) return;
          const Token* typeName = spec.getAs<Token>(f.typeName);
          const Value* samples = spec.get(f.timeSamples);
          if (!typeName || !samples) return;
          Expected<Value> loaded = samples->loaded();
          const TimeSamples* ts = loaded ? loaded->getIf<TimeSamples>() : nullptr;
          if (!ts || ts->samples.empty()) return;
          Spec& out = generated->createSpec(path, SpecType::Attribute);
          out.set(f.typeName, *typeName);
          if (const Variability* v = spec.getAs<Variability>(f.variability)) out.set(f.variability, *v);
        });
      }
      manifest.layer_ = std::move(generated);
    }
    out.push_back(std::move(set));
  }
  return out;
}

ClipSets clipSetsOfPrim(const PrimIndex& index, const ClipSets& parents, ClipLayers& layers) {
  static const Token kClips("clips");
  const std::vector<PrimStackEntry> stack = index.primStack();
  if (std::none_of(stack.begin(), stack.end(), [](const PrimStackEntry& e) {
        const Spec* spec = e.layer->findSpec(e.path);
        return spec && spec->has(kClips);
      }))
    return parents;
  ClipSets own = clipSetsAuthoredOn(index, layers);
  if (own.empty()) return parents;
  own.insert(own.end(), parents.begin(), parents.end());
  return own;
}

}  // namespace usdkit
