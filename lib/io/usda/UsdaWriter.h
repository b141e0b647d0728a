// The usda text writer: output byte-identical to OpenUSD's
// SdfLayer::ExportToString for the same layer.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "sdf/Layer.h"

namespace usdkit {

// usda versions written and read: 1.0, and 1.1 (spline tangent algorithms).
inline constexpr int kUsdaMaxMinorVersion = 1;

struct UsdaWriteOptions {
  // Header cookie. Empty: from the layer's format id ("sdf" -> "#sdf 1.4.32",
  // anything else as "#usda"). "#usda": the version current OpenUSD gives a
  // new file (usdaHeader). Anything else is written as it is.
  std::string cookie;
  // Receives warnings (a usda version upgrade, an invalid
  // USD_WRITE_NEW_USDA_FILES_AS_VERSION).
  std::vector<std::string>* warnings = nullptr;
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
  // Threads that may format the text (see writeUsda); the text is the same
  // for every count.
  unsigned threads = 1;
};

// Appends the layer's text to `out`. Fails only when a lazy value (see
// LazyValue) cannot be decoded; the text is then incomplete.
Status writeUsda(const Layer& layer, std::string& out, const UsdaWriteOptions& options = {});
// "#usda 1.0" or "#usda 1.1": USD_WRITE_NEW_USDA_FILES_AS_VERSION (1.0 when
// unset; an invalid value is warned about), raised to 1.1 when a spline in
// the layer writes a tangent algorithm, as OpenUSD does.
std::string usdaHeader(const Layer& layer, std::vector<std::string>* warnings = nullptr);
Expected<std::string> writeUsdaToString(const Layer& layer, const UsdaWriteOptions& options = {});

}  // namespace usdkit
