// Equality of scene-description values with a tolerance for floating point:
// what `usddiff --tolerance EPS` means by "the same value".
#pragma once

#include "sdf/Value.h"

namespace usdkit::diff {

// True when `a` and `b` hold the same value, where floating-point
// components (half, float, double and the vectors, quaternions, matrices
// and time codes built from them) may differ by at most `tolerance`,
// element by element in arrays, dictionaries and time samples. Arrays of
// different lengths and values of different types are never equal. NaN
// equals NaN (both print as `nan`). Lazy values are decoded first; a value
// that cannot be decoded equals nothing.
bool valuesEqual(const Value& a, const Value& b, double tolerance = 0.0);

// True when both are held as source text (LazyValue::SourceText) of the
// same type and the texts are equal: then the values are equal, without
// decoding either. False says nothing.
bool sameSourceText(const Value& a, const Value& b);

}  // namespace usdkit::diff
