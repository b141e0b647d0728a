#include "tree/StageLayersReport.h"

#include "base/Json.h"

namespace usdkit {

std::string formatStageLayers(std::span<const StageLayer> layers, bool json) {
  std::string out = json ? "[" : "";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const StageLayer& l = layers[i];
    if (json) {
      out += i ? ", {\"layer\": " : "{\"layer\": ";
      appendJsonString(out, l.identifier);
      out += ", \"arc\": ";
      appendJsonString(out, l.arc);
      out += ", \"prim\": ";
      appendJsonString(out, l.prim.string());
      out += "}";
    } else if (l.arc == "unresolved") {
      out += "unresolved: " + l.identifier + "\n";
    } else {
      out += "@" + l.identifier + "@ (" + l.arc + (l.prim.empty() ? std::string() : " on <" + l.prim.string() + ">") +
             ")\n";
    }
  }
  if (json) out += "]\n";
  return out;
}

}  // namespace usdkit
