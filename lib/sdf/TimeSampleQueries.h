// Questions value resolution asks of one attribute's time samples (OpenUSD's
// SdfLayer::GetBracketingTimeSamplesForPath and QueryTimeSample, and Usd's
// "get or interpolate" step on top of them).
#pragma once

#include <optional>
#include <vector>

#include "sdf/Value.h"

namespace usdkit {

struct TimeBracket {
  double lower = 0, upper = 0;
};

// The samples around `time`: both equal to `time` on a sample, to the first
// (last) sample before (after) all of them. nullopt without samples.
std::optional<TimeBracket> bracketingTimes(const TimeSamples& samples, double time);
// The same over sorted times.
std::optional<TimeBracket> bracketingTimes(const std::vector<double>& sortedTimes, double time);

// The sample authored at exactly `time`, or null.
const Value* sampleAt(const TimeSamples& samples, double time);

// The value at `time` with linear interpolation: the sample at the lower
// bracketing time when the two are within 1e-6 of each other, otherwise the
// two samples interpolated (held at the lower one for types that do not
// interpolate, or when the upper one is blocked). nullopt without samples,
// or when the value found is a block.
std::optional<Value> interpolatedSampleValue(const TimeSamples& samples, double time);

}  // namespace usdkit
