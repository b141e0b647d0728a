// Array edits in value resolution; see ArrayEditResolution.h.
#include "stage/ArrayEditResolution.h"

#include <algorithm>
#include <cmath>

#include "sdf/ValueCast.h"

namespace usdkit::stage_detail {

namespace {

// The base an edit applies to: an array of its kind (numbers of another
// kind cast as OpenUSD casts them), else an empty array.
Value baseFor(const ArrayEdit& edit, const Value* weaker, const std::optional<Value>& fallback) {
  const Value* base = weaker && !weaker->is<ValueBlock>() ? weaker : fallback ? &*fallback : nullptr;
  if (!base) return emptyArrayOf(edit.kind);
  if (std::optional<Value> applied = applyArrayEdit(ArrayEdit{edit.kind, Value(), {}}, *base)) return *applied;
  if (std::optional<Value> cast = castNumericValue(*base, edit.kind); cast && cast->isArray()) return *cast;
  return emptyArrayOf(edit.kind);
}

// `held` strongest first, the first non-edit (or null) ending the chain.
// `blockStays`: edits over a value block give the block (defaults: OpenUSD
// composes no edit over a block there), else they apply as over nothing.
Value resolveChain(std::span<const Value* const> held, const std::optional<Value>& fallback, bool blockStays) {
  std::size_t n = 0;
  while (n < held.size() && held[n] && held[n]->is<ArrayEdit>()) ++n;
  if (n == 0) return held.empty() || !held[0] ? Value() : *held[0];
  if (blockStays && n < held.size() && held[n] && held[n]->is<ValueBlock>()) return *held[n];
  // The weakest edit decides the kind of the base; stronger edits of
  // another kind do not apply.
  const ArrayEdit& weakest = held[n - 1]->get<ArrayEdit>();
  Value result = baseFor(weakest, n < held.size() ? held[n] : nullptr, fallback);
  for (std::size_t i = n; i-- > 0;)
    if (std::optional<Value> next = applyArrayEdit(held[i]->get<ArrayEdit>(), result)) result = std::move(*next);
  return result;
}

// The sample of `series` held at `t`.
const Value* heldAt(const ValueSeries& series, double t) {
  const auto& s = series.samples;
  if (s.empty()) return nullptr;
  auto it = std::upper_bound(s.begin(), s.end(), t + 1e-6, [](double x, const auto& p) { return x < p.first; });
  return it == s.begin() ? &s.front().second : &std::prev(it)->second;
}

}  // namespace

Value composeDefaultWithEdits(std::span<const Value> strongestFirst, const std::optional<Value>& fallback) {
  std::vector<const Value*> held;
  for (const Value& v : strongestFirst) held.push_back(&v);
  return resolveChain(held, fallback, true);
}

TimeSamples composeSamplesWithEdits(std::span<const ValueSeries> strongestFirst, const std::optional<Value>& fallback) {
  // The times: each series' own, where every stronger series holds an edit.
  std::vector<double> times;
  for (std::size_t i = 0; i < strongestFirst.size(); ++i) {
    for (const auto& [t, v] : strongestFirst[i].samples) {
      if (t == kDefaultTime) continue;
      bool reaches = true;
      for (std::size_t j = 0; j < i && reaches; ++j) {
        const Value* h = heldAt(strongestFirst[j], t);
        reaches = !h || h->is<ArrayEdit>();
      }
      if (reaches) times.push_back(t);
    }
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end(), [](double a, double b) { return std::fabs(a - b) <= 1e-6; }),
              times.end());
  TimeSamples out;
  std::vector<const Value*> held(strongestFirst.size());
  for (double t : times) {
    for (std::size_t i = 0; i < strongestFirst.size(); ++i) held[i] = heldAt(strongestFirst[i], t);
    // Series without samples hold nothing: left out of the chain.
    std::vector<const Value*> chain;
    for (const Value* h : held)
      if (h) chain.push_back(h);
    out.samples.emplace_back(t, resolveChain(chain, fallback, false));
  }
  return out;
}

}  // namespace usdkit::stage_detail
