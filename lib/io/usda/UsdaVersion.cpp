// The `#usda` header version of a new file, as current OpenUSD chooses it
// (SdfUsdaFileFormat): USD_WRITE_NEW_USDA_FILES_AS_VERSION (1.0 when unset
// or not writable here), raised to 1.1 when a spline writes a tangent
// algorithm and to 1.2 when an attribute holds an array edit. (OpenUSD's
// writer, as stored, raises it only for edits of strings, tokens, assets
// and path expressions; a file with any edit is 1.2 here, so no reader of
// 1.1 meets one.)
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

// What the layer's content needs beyond 1.0.
struct Needs {
  bool tangentAlgorithm = false;
  bool arrayEdit = false;
};

Needs layerNeeds(const Layer& layer) {
  const FieldNames& f = fieldNames();
  Needs needs;
  layer.forEachSpec([&](const Path&, const Spec& spec) {
    if (needs.arrayEdit || spec.type() != SpecType::Attribute) return;
    if (spec.getAs<ArrayEdit>(f.defaultValue)) needs.arrayEdit = true;
    if (const TimeSamples* ts = spec.getAs<TimeSamples>(f.timeSamples))
      for (const auto& sample : ts->samples)
        if (sample.second.is<ArrayEdit>()) needs.arrayEdit = true;
    if (const Spline* s = spec.getAs<Spline>(f.spline); s && !needs.tangentAlgorithm)
      needs.tangentAlgorithm = usda::writesTangentAlgorithm(*s);
  });
  return needs;
}

std::string header(Needs needs, const std::string& identifier, std::vector<std::string>* warnings);

}  // namespace

std::string usdaHeader(const Layer& layer, std::vector<std::string>* warnings) {
  return header(layerNeeds(layer), layer.identifier(), warnings);
}

std::string usdaHeader(bool writesTangentAlgorithm, const std::string& identifier,
                       std::vector<std::string>* warnings) {
  return header(Needs{writesTangentAlgorithm, false}, identifier, warnings);
}

namespace {

std::string header(Needs needs, const std::string& identifier, std::vector<std::string>* warnings) {
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
  auto upgrade = [&](int to, const char* what) {
    if (minor >= to) return;
    if (warnings)
      warnings->push_back("Upgrading usda file '" + identifier + "' from version 1." + std::to_string(minor) +
                          " to 1." + std::to_string(to) + ": " + what + " was detected which requires usda version 1." +
                          std::to_string(to) + ".");
    minor = to;
  };
  if (needs.arrayEdit) upgrade(2, "An array edit");
  if (needs.tangentAlgorithm) upgrade(1, "A tangent algorithm");
  return "#usda 1." + std::to_string(minor);
}

}  // namespace

}  // namespace usdkit
