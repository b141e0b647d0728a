// Numeric arrays kept as their source text (UsdaReadOptions::deferNumericArrays).
// Only arrays in the plain form the usda writer prints are kept this way
// (`[e, e, ...]`, tuples `(c, c, c)`, numbers `-?digits(.digits)?` of at
// most 15 digits); anything else is read as usual, so every error still
// comes from the one parser. Private to lib/io.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sdf/Value.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit::usda {

// True for the array kinds that may be kept as text.
bool canDeferArray(const ValueTypeInfo& type);

struct ScannedArray {
  const char* end = nullptr;  // past the ']'; null when the text does not qualify
  std::size_t count = 0;
  std::uint64_t contentHash = 0;  // WordHash of the array's bytes as they will decode
};

// Checks the array text at `p` (its '['): every number is converted exactly
// as the reader converts it and range-checked, so decoding the text later
// gives these bytes and cannot fail. `end` is null when the text is not in
// the plain form or a number does not fit (the caller then parses it as
// usual, which reports any error).
ScannedArray scanPlainArray(const char* p, const char* end, const ValueTypeInfo& type);

// A lazy value over checked array text. `owner` keeps the text alive;
// `name` is the file's display name, for the (not expected) case that
// decoding fails.
Value deferredArray(std::shared_ptr<const void> owner, std::string_view text, const ValueTypeInfo& type,
                    const ScannedArray& scanned, std::shared_ptr<const std::string> name);

}  // namespace usdkit::usda
