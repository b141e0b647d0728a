// Writing a .usdz package from a root layer plus every file it depends on
// (reading files inside packages: io/Packages.h).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Expected.h"
#include "sdf/Layer.h"

namespace usdkit {
class OutputFile;
}

namespace usdkit::usdz {

struct PackageOptions {
  // Entry name of the root layer, e.g. "scene.usdc"; its extension decides
  // the root layer's format.
  std::string rootEntryName;
  // Folder the root layer's relative asset paths are anchored at ("" is the
  // current directory).
  std::string rootDirectory;
  // The root layer's own file, when it has one, so that paths naming it
  // lead back to the root entry instead of a second copy.
  std::string rootSourcePath;
  // Reads a dependent layer from disk (for its own dependencies).
  std::function<Expected<std::shared_ptr<Layer>>(const std::string& path)> openLayer;
  // The bytes of `layer` in the format `entryName`'s extension selects.
  std::function<Expected<std::string>(const Layer& layer, std::string_view entryName)> serialize;
  // Dependencies that cannot be found or read are packaged without (as
  // OpenUSD's packaging does) and reported here.
  std::vector<std::string>* warnings = nullptr;
};

// Writes a usdz package to `out` (not committed): the root layer first, then
// every file it depends on, found through sublayers, references, payloads and
// asset-valued data, recursively through dependent layers. Files inside the
// root layer's folder keep their relative path; files elsewhere are stored
// under "external/" and the layers that name them are rewritten to match.
// Layers that need no rewriting are stored byte for byte.
Status writePackage(const Layer& root, OutputFile& out, const PackageOptions& options);

}  // namespace usdkit::usdz
