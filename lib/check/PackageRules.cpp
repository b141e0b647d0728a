// Rules on files rather than prims: how packages are laid out, which layer
// formats and file kinds ARKit accepts, and whether a package is
// self-contained.
#include <algorithm>
#include <array>

#include "base/FilePaths.h"
#include "check/RuleBase.h"
#include "io/usdz/ZipArchive.h"

namespace usdkit::check::detail {

namespace {

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

class ByteAlignmentChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkZip(const usdz::ZipArchive& zip, const std::string& packagePath) override {
    for (const usdz::ZipEntry& e : zip.entries())
      if (e.dataOffset % 64 != 0)
        fail("File " + quote(e.name) + " in package " + quote(packagePath) + " has an invalid offset " +
             std::to_string(e.dataOffset) + ".");
  }
};

class CompressionChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkZip(const usdz::ZipArchive& zip, const std::string& packagePath) override {
    for (const usdz::ZipEntry& e : zip.entries())
      if (e.method != 0)
        fail("File " + quote(e.name) + " in package " + quote(packagePath) + " has compression. Compression method is " +
             quote(std::to_string(e.method)) + ", actual size is " + std::to_string(e.data.size()) +
             ". Uncompressed size is " + std::to_string(e.uncompressedSize) + ".");
  }
};

class ARKitLayerChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkLayer(const DependencyLayer& layer) override {
    const auto allowed = arkitLayerFormats();
    if (std::find(allowed.begin(), allowed.end(), layer.formatId) == allowed.end())
      fail("Layer " + quote(layer.identifier) + " has unsupported formatId " + quote(layer.formatId) + ".");
  }
};

class ARKitFileExtensionChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkZip(const usdz::ZipArchive& zip, const std::string& packagePath) override {
    for (const usdz::ZipEntry& e : zip.entries()) {
      const std::string ext(innermostFileExtension(e.name));
      const auto layers = arkitLayerFormats();
      const auto images = basicUsdzImageFormats();
      if (std::find(layers.begin(), layers.end(), ext) != layers.end() ||
          std::find(images.begin(), images.end(), ext) != images.end())
        continue;
      fail("File " + quote(e.name) + " in package " + quote(packagePath) + " has an unknown or unsupported extension " +
           quote(ext) + ".");
    }
  }
};

class ARKitPackageEncapsulationChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkDependencies(const StageFacts& stage, const Dependencies& deps) override {
    if (!stage.rootIsPackage && !stage.rootIsPackaged) return;
    // The package file itself (the outermost one when it is nested).
    std::string package = stage.rootIdentifier;
    if (const std::size_t open = package.find('['); open != std::string::npos) package.resize(open);
    for (const DependencyLayer& layer : deps.layers)
      if (!layer.identifier.starts_with(package))
        fail("Found loaded layer " + quote(layer.identifier) + " that does not belong to the package " + quote(package) +
             ".");
    for (const std::string& asset : deps.assets)
      if (!asset.starts_with(package))
        fail("Found asset reference " + quote(asset) + " that does not belong to the package " + quote(package) + ".");
  }
};

}  // namespace

std::span<const std::string_view> arkitLayerFormats() {
  static constexpr std::array<std::string_view, 4> kFormats = {"usd", "usda", "usdc", "usdz"};
  return kFormats;
}

std::unique_ptr<Rule> makePackageRule(const RuleInfo& info, const RuleContext& context) {
  const std::string_view id = info.id;
  if (id == "ByteAlignmentChecker") return std::make_unique<ByteAlignmentChecker>(info, context);
  if (id == "CompressionChecker") return std::make_unique<CompressionChecker>(info, context);
  if (id == "ARKitLayerChecker") return std::make_unique<ARKitLayerChecker>(info, context);
  if (id == "ARKitFileExtensionChecker") return std::make_unique<ARKitFileExtensionChecker>(info, context);
  if (id == "ARKitPackageEncapsulationChecker")
    return std::make_unique<ARKitPackageEncapsulationChecker>(info, context);
  return nullptr;
}

}  // namespace usdkit::check::detail
