// Opening and saving layers by file name: picks the format from the content
// and the extension, handles "-" and ".zst", writes outputs atomically.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "base/Progress.h"
#include "io/CrateVersion.h"
#include "io/FileFormat.h"
#include "io/usda/UsdaWriter.h"
#include "sdf/Layer.h"

namespace usdkit {

struct OpenOptions {
  bool metadataOnly = false;
  // usda text: keep numeric arrays printed in the writer's form as checked
  // text (see UsdaReadOptions::deferNumericArrays); for comparing layers.
  bool deferNumericArrays = false;
  std::vector<std::string>* warnings = nullptr;
  // Threads the readers may use (the tools' -j); the layer, warnings and
  // errors are the same for every count.
  unsigned threads = 1;
  // Told how far reading usda text has got (bytes). Crate files are read
  // lazily and quickly, so they report nothing.
  ProgressSink* progress = nullptr;
};

// Reads a layer. "-" is stdin (text). Names ending in ".zst" are
// decompressed first. The layer's identifier is `path`.
Expected<std::shared_ptr<Layer>> openLayer(const std::string& path, const OpenOptions& options = {});

// Output format for a file name (after stripping ".zst"): .usda, .sdf, .usd
// (crate, as in OpenUSD, unless `usdFormat` says "usda"), .usdc, .usdz. Error names the
// extension when it is not a layer format this build can write.
Expected<LayerFormat> outputFormatFor(std::string_view path, std::optional<std::string_view> usdFormat = {});

struct SaveOptions {
  std::optional<std::string_view> usdFormat;  // "usda" / "usdc" for ".usd"
  // Crate version for .usdc output (and the root layer of .usdz): content
  // that needs a newer version is refused. Unset: chosen as OpenUSD does.
  std::optional<crate::Version> usdcVersion;
  // Receives warnings (crate version upgrades, dependencies a package
  // could not include).
  std::vector<std::string>* warnings = nullptr;
  // Threads the writers may use (the tools' -j); 1 writes on the calling
  // thread alone. The bytes written are the same for every count.
  unsigned threads = 1;
  // Told how far writing has got: usda text in bytes (the total is not
  // known in advance), crate files in specs. Packages report nothing.
  ProgressSink* progress = nullptr;
};

// Writes `layer` to `path` in the format the name selects; "-" writes the
// text `usdcat FILE` prints to stdout. Text is streamed in chunks. A .usdz
// holds the layer as crate plus every file it depends on (see
// usdz::writePackage), found relative to the layer's identifier. Nothing is
// left behind on failure.
Status saveLayer(const Layer& layer, const std::string& path, const SaveOptions& options = {});

// Writes usda text made a prim at a time (a streaming flatten) to `path`,
// whose format must be text (.usda, .sdf, .usd with usdFormat "usda", a
// device or pipe, "-"), with the header line saveLayer would write for a
// layer of the same content. Atomic as saveLayer.
Status saveUsdaText(const UsdaText& text, const std::string& path, const SaveOptions& options = {});
// Whether saveLayer writes `path` as usda text (false also when the name
// is not a layer format: saveLayer then says why).
bool savesAsText(const std::string& path, const SaveOptions& options = {});

// The usda text of a layer (what `usdcat FILE` prints).
Expected<std::string> exportToString(const Layer& layer);
// The same for text made a prim at a time: what saveUsdaText writes to "-".
Expected<std::string> exportToString(const UsdaText& text);

}  // namespace usdkit
