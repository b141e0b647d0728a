// Internal to lib/stage: value resolution where array edits (current
// OpenUSD's VtArrayEdit) compose over weaker opinions instead of hiding
// them, as OpenUSD 26.x's UsdStage resolves them (stage.cpp and
// composeTimeSampleSeries.h of its stored copies): what a flatten writes
// is the composed, plain arrays.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "sdf/Value.h"

namespace usdkit::stage_detail {

// One opinion's values in stage time: its time samples, or its default as
// one sample before all times (kDefaultTime).
struct ValueSeries {
  std::vector<std::pair<double, Value>> samples;
};
inline constexpr double kDefaultTime = -std::numeric_limits<double>::infinity();

// The composed default from the opinions' defaults, strongest first: the
// array edits down to the first other value, applied to it (a value block
// stays a block) or, with none, to `fallback` (the schema's) or an empty
// array.
Value composeDefaultWithEdits(std::span<const Value> strongestFirst, const std::optional<Value>& fallback);

// The composed time samples from the opinions' series, strongest first.
// A series takes part at the times where every stronger series holds an
// edit (the value held at a time is the latest sample at or before it, or
// the first sample before them all); at each time the held edits apply to
// the first held value that is no edit (a block, or no value, gives the
// fallback or an empty array). Times within 1e-6 are one time; the default
// time is never a sample time.
TimeSamples composeSamplesWithEdits(std::span<const ValueSeries> strongestFirst, const std::optional<Value>& fallback);

}  // namespace usdkit::stage_detail
