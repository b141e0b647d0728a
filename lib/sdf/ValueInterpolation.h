// Linear interpolation between two values of one type, as OpenUSD's value
// resolution interpolates between bracketing time samples (Usd's linear
// interpolator: GfLerp for floating-point scalars, vectors, matrices and
// timecodes, GfSlerp for quaternions, element by element for arrays).
#pragma once

#include <optional>

#include "sdf/Value.h"

namespace usdkit {

// The value a fraction `alpha` of the way from `lower` to `upper`
// ((1 - alpha) * lower + alpha * upper, with each type's own rounding).
// nullopt when the type does not interpolate (integers, strings, tokens,
// asset paths, ...), when the two values differ in type, or for arrays of
// different lengths: value resolution then holds `lower`.
std::optional<Value> interpolateLinear(const Value& lower, const Value& upper, double alpha);

}  // namespace usdkit
