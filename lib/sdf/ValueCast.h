// Numeric conversions between value kinds, as OpenUSD's VtValue casts them
// when a value is stored under another type (e.g. a `float radius` authored
// on a Sphere, whose schema says double): arithmetic scalars among each
// other, vectors among vectors of the same size, and arrays of either
// element by element.
#pragma once

#include <optional>

#include "sdf/Value.h"

namespace usdkit {

// `value` (a scalar or an array) as values of kind `to`, keeping array-ness.
// nullopt when the kinds are not both arithmetic or both vectors of one
// size, or an element does not fit the target (an integer out of range, a
// NaN or infinity for an integer): OpenUSD's cast fails there too.
std::optional<Value> castNumericValue(const Value& value, ValueKind to);

}  // namespace usdkit
