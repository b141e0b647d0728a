// Numeric arrays kept as their source text (UsdaReadOptions::deferNumericArrays).
// Only text exactly in the form the usda writer prints is kept this way:
// then equal text means an equal value and the text is what printing the
// value would give, so a comparison of two layers (usddiff) needs neither
// to convert the numbers nor to format them again. Everything else is read
// as usual. Private to lib/io.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sdf/Value.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit::usda {

// True for the array kinds that may be kept as text.
bool canDeferArray(const ValueTypeInfo& type);

// The end of the array text at `p` (its '[') when it is a well-formed array
// of `type` in the writer's exact form with every element in range, so that
// reading it later cannot fail; null otherwise (the caller then parses it
// as usual, which reports any error). See DeferredArray.cpp for the form.
const char* scanPrintedArray(const char* p, const char* end, const ValueTypeInfo& type);

// A lazy value over validated array text. `owner` keeps the text alive;
// `name` is the file's display name, for the (not expected) case that
// reading it fails.
Value deferredArray(std::shared_ptr<const void> owner, std::string_view text, const ValueTypeInfo& type,
                    std::shared_ptr<const std::string> name);

}  // namespace usdkit::usda
