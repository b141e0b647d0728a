#include "sdf/TimeSampleQueries.h"

#include <algorithm>
#include <cmath>

#include "sdf/ValueInterpolation.h"

namespace usdkit {

namespace {

template <class Times, class Get>
std::optional<TimeBracket> bracket(const Times& times, double time, Get get) {
  if (times.empty()) return std::nullopt;
  const double first = get(times.front()), last = get(times.back());
  if (time <= first) return TimeBracket{first, first};
  if (time >= last) return TimeBracket{last, last};
  auto it = std::lower_bound(times.begin(), times.end(), time,
                             [&](const auto& entry, double t) { return get(entry) < t; });
  if (get(*it) == time) return TimeBracket{time, time};
  return TimeBracket{get(*std::prev(it)), get(*it)};
}

}  // namespace

std::optional<TimeBracket> bracketingTimes(const TimeSamples& samples, double time) {
  return bracket(samples.samples, time, [](const auto& s) { return s.first; });
}

std::optional<TimeBracket> bracketingTimes(const std::vector<double>& sortedTimes, double time) {
  return bracket(sortedTimes, time, [](double t) { return t; });
}

const Value* sampleAt(const TimeSamples& samples, double time) {
  auto it = std::lower_bound(samples.samples.begin(), samples.samples.end(), time,
                             [](const auto& s, double t) { return s.first < t; });
  return it != samples.samples.end() && it->first == time ? &it->second : nullptr;
}

std::optional<Value> interpolatedSampleValue(const TimeSamples& samples, double time) {
  const std::optional<TimeBracket> b = bracketingTimes(samples, time);
  if (!b) return std::nullopt;
  const Value* lower = sampleAt(samples, b->lower);
  if (!lower || lower->is<ValueBlock>()) return std::nullopt;
  if (std::fabs(b->upper - b->lower) <= 1e-6) return *lower;
  const Value* upper = sampleAt(samples, b->upper);
  if (!upper || upper->is<ValueBlock>()) return *lower;
  std::optional<Value> mixed = interpolateLinear(*lower, *upper, (time - b->lower) / (b->upper - b->lower));
  return mixed ? std::move(*mixed) : *lower;
}

}  // namespace usdkit
