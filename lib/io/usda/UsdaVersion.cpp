// The `#usda` header version of a new file, as current OpenUSD chooses it
// (SdfUsdaFileFormat): USD_WRITE_NEW_USDA_FILES_AS_VERSION (1.0 when unset
// or not writable here), raised to 1.1 when a spline writes a tangent
// algorithm.
#include <charconv>
#include <cstdlib>

#include "io/usda/UsdaWriter.h"
#include "io/usda/ValueWriter.h"
#include "sdf/Fields.h"

namespace usdkit {

namespace {

constexpr std::string_view kUsdaVersionEnvVar = "USD_WRITE_NEW_USDA_FILES_AS_VERSION";

// "1.0" or "1.1", optionally with a ".0" patch; the minor, or -1.
int writableMinor(std::string_view text) {
  unsigned parts[3] = {0, 0, 0};
  int count = 0;
  while (count < 3) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parts[count]);
    if (ec != std::errc() || end == text.data()) return -1;
    ++count;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (text.empty()) break;
    if (text.front() != '.') return -1;
    text.remove_prefix(1);
    if (text.empty()) return -1;
  }
  if (!text.empty() || count < 2) return -1;
  if (parts[0] != 1 || parts[1] > static_cast<unsigned>(kUsdaMaxMinorVersion) || parts[2] != 0) return -1;
  return static_cast<int>(parts[1]);
}

bool layerWritesTangentAlgorithms(const Layer& layer) {
  const Token splineField = fieldNames().spline;
  bool found = false;
  layer.forEachSpec([&](const Path&, const Spec& spec) {
    if (found || spec.type() != SpecType::Attribute) return;
    if (const Spline* s = spec.getAs<Spline>(splineField)) found = usda::writesTangentAlgorithm(*s);
  });
  return found;
}

}  // namespace

std::string usdaHeader(const Layer& layer, std::vector<std::string>* warnings) {
  return usdaHeader(layerWritesTangentAlgorithms(layer), layer.identifier(), warnings);
}

std::string usdaHeader(bool writesTangentAlgorithm, const std::string& identifier,
                       std::vector<std::string>* warnings) {
  int minor = 0;
  if (const char* env = std::getenv(std::string(kUsdaVersionEnvVar).c_str()); env && *env) {
    minor = writableMinor(env);
    if (minor < 0) {
      if (warnings)
        warnings->push_back("Invalid value '" + std::string(env) + "' for " + std::string(kUsdaVersionEnvVar) +
                            " - falling back to default '1.0'");
      minor = 0;
    }
  }
  if (minor < 1 && writesTangentAlgorithm) {
    if (warnings)
      warnings->push_back("Upgrading usda file '" + identifier +
                          "' from version 1.0 to 1.1: A tangent algorithm was detected which requires usda "
                          "version 1.1.");
    minor = 1;
  }
  return "#usda 1." + std::to_string(minor);
}

}  // namespace usdkit
