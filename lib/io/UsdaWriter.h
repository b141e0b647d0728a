// The usda text writer: output byte-identical to OpenUSD's
// SdfLayer::ExportToString for the same layer.
#pragma once

#include <string>

#include "sdf/Layer.h"

namespace usdkit {

struct UsdaWriteOptions {
  // Header cookie. Empty: from the layer's format id ("sdf" -> "#sdf 1.4.32",
  // anything else -> "#usda 1.0").
  std::string cookie;
};

// Appends the layer's text to `out`.
void writeUsda(const Layer& layer, std::string& out, const UsdaWriteOptions& options = {});
std::string writeUsdaToString(const Layer& layer, const UsdaWriteOptions& options = {});

// Text of one value as the writer prints an attribute default or a
// time-sample value (used by tools that print values, e.g. usdtree).
void appendUsdaValue(std::string& out, const Value& value);

}  // namespace usdkit
