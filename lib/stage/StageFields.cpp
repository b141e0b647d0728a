#include "stage/StageFields.h"

#include <algorithm>
#include <unordered_set>

#include "base/DictionaryOrder.h"

namespace usdkit {

bool isPrivateStageField(Token name) {
  static const std::unordered_set<Token> kPrivate = [] {
    std::unordered_set<Token> s;
    for (const char* n :
         {"inheritPaths", "layerRelocates", "payload", "references", "specializes", "subLayers", "subLayerOffsets",
          "variantSelection", "variantSetNames", "clips", "clipSets", "clipActive", "clipAssetPaths",
          "clipManifestAssetPath", "clipPrimPath", "clipTemplateAssetPath", "clipTemplateEndTime",
          "clipTemplateStartTime", "clipTemplateStride", "clipTemplateActiveOffset", "clipTimes", "default",
          "timeSamples", "spline", "targetPaths", "connectionPaths", "primChildren", "properties",
          "variantSetChildren", "variantChildren"})
      s.insert(Token(n));
    return s;
  }();
  return kPrivate.count(name) != 0;
}

void orderPropertyNames(std::vector<Token>& names, std::span<const Token> propertyOrder) {
  std::sort(names.begin(), names.end(), [](Token a, Token b) { return dictionaryLess(a.str(), b.str()); });
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (propertyOrder.empty() || names.empty()) return;
  // Listed names that are present come first, in the order of their first
  // mention; the others follow in dictionary order. (OpenUSD moves each
  // listed name to the front in turn, which gives the same list, in time
  // proportional to both lengths multiplied.)
  std::unordered_set<Token> present(names.begin(), names.end()), listed;
  std::vector<Token> out;
  out.reserve(names.size());
  for (Token name : propertyOrder)
    if (present.count(name) && listed.insert(name).second) out.push_back(name);
  if (out.empty()) return;
  for (Token name : names)
    if (!listed.count(name)) out.push_back(name);
  names = std::move(out);
}

}  // namespace usdkit
