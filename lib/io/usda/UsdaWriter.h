// The usda text writer: output byte-identical to OpenUSD's
// SdfLayer::ExportToString for the same layer.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/Expected.h"
#include "sdf/Layer.h"

namespace usdkit {

struct UsdaWriteOptions {
  // Header cookie. Empty: from the layer's format id ("sdf" -> "#sdf 1.4.32",
  // anything else -> "#usda 1.0").
  std::string cookie;
  // When set, called with the text written so far whenever it grows past
  // about a megabyte (between statements) and once at the end; the callee
  // consumes the text and the writer clears it. Lets a big layer stream to
  // a file without holding all of its text.
  std::function<void(std::string_view)> sink;
  // When set, called with each attribute default value and time-sample
  // value before it is written; when it returns true it has appended the
  // value's text itself. usddiff uses this to stand short placeholders in
  // for big arrays, so comparing huge layers does not format every number.
  std::function<bool(std::string& out, const Value& value)> valueText;
};

// Appends the layer's text to `out`. Fails only when a lazy value (see
// LazyValue) cannot be decoded; the text is then incomplete.
Status writeUsda(const Layer& layer, std::string& out, const UsdaWriteOptions& options = {});
Expected<std::string> writeUsdaToString(const Layer& layer, const UsdaWriteOptions& options = {});

}  // namespace usdkit
