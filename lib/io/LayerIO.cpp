#include "io/LayerIO.h"

#include <cstring>

#include "base/FileIO.h"
#include "io/UsdaReader.h"
#include "io/UsdaWriter.h"
#include "io/crate/CrateReader.h"

namespace usdkit {

std::string_view formatName(LayerFormat f) {
  switch (f) {
    case LayerFormat::Usda: return "usda";
    case LayerFormat::Sdf: return "sdf";
    case LayerFormat::Usdc: return "usdc";
    case LayerFormat::Usdz: return "usdz";
  }
  return "usda";
}

namespace {

std::string_view extensionOf(std::string_view path) {
  path = stripZstdSuffix(path);
  auto slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = base.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : base.substr(dot + 1);
}

bool startsWith(std::string_view data, std::string_view prefix) {
  return data.size() >= prefix.size() && std::memcmp(data.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

Expected<std::shared_ptr<Layer>> openLayer(const std::string& path, const OpenOptions& options) {
  Expected<InputBuffer> input = readInput(path);
  if (!input) return std::move(input).error();
  std::string_view data = input->data();
  if (looksLikeCrate(data)) {
    // Lazy values keep reading the mapped bytes, so the layer shares the buffer.
    auto buffer = std::make_shared<InputBuffer>(std::move(input.value()));
    CrateReadOptions crateOptions;
    crateOptions.metadataOnly = options.metadataOnly;
    crateOptions.warnings = options.warnings;
    return readCrate(buffer->data(), buffer, path, crateOptions);
  }
  if (startsWith(data, std::string_view("PK\x03\x04", 4)))
    return makeError(path + ": .usdz packages are not supported by this build yet");
  UsdaReadOptions readOptions;
  readOptions.metadataOnly = options.metadataOnly;
  readOptions.warnings = options.warnings;
  const InputBuffer& buffer = *input;
  readOptions.consumed = [&buffer](std::size_t offset) { buffer.releaseBefore(offset); };
  Expected<std::unique_ptr<Layer>> layer = readUsda(data, path, readOptions);
  if (!layer) return std::move(layer).error();
  return std::shared_ptr<Layer>(std::move(layer.value()));
}

Expected<LayerFormat> outputFormatFor(std::string_view path, std::optional<std::string_view> usdFormat) {
  std::string_view ext = extensionOf(path);
  if (usdFormat && ext != "usd")
    return makeError("--usdFormat is only valid with an output file ending in .usd, not '" + std::string(path) + "'");
  if (ext == "usda") return LayerFormat::Usda;
  if (ext == "sdf") return LayerFormat::Sdf;
  if (ext == "usdc") return LayerFormat::Usdc;
  if (ext == "usdz") return LayerFormat::Usdz;
  if (ext == "usd") {
    if (!usdFormat || *usdFormat == "usdc") return LayerFormat::Usdc;
    if (*usdFormat == "usda") return LayerFormat::Usda;
    return makeError("unknown --usdFormat '" + std::string(*usdFormat) + "' (expected usda or usdc)");
  }
  return makeError("cannot write '" + std::string(path) + "': unknown layer file extension '" +
                   std::string(ext) + "' (expected .usda, .usdc, .usd, .usdz or .sdf, optionally followed by .zst)");
}

Status saveLayer(const Layer& layer, const std::string& path, const SaveOptions& options) {
  LayerFormat format = LayerFormat::Usda;
  if (path != "-") {
    Expected<LayerFormat> f = outputFormatFor(path, options.usdFormat);
    if (!f) return std::move(f).error();
    format = *f;
  }
  if (format == LayerFormat::Usdc || format == LayerFormat::Usdz)
    return makeError("cannot write '" + path + "': writing ." + std::string(formatName(format)) +
                     " is not supported by this build yet");
  UsdaWriteOptions writeOptions;
  // Standard output carries the layer's own cookie, as `usdcat FILE` prints.
  if (path != "-") writeOptions.cookie = format == LayerFormat::Sdf ? "#sdf 1.4.32" : "#usda 1.0";
  Expected<OutputFile> out = OutputFile::create(path);
  if (!out) return std::move(out).error();
  // Stream in chunks so a big layer's text is never held whole.
  Status written = Ok{};
  writeOptions.sink = [&](std::string_view chunk) {
    if (written) written = out->write(chunk);
  };
  std::string buffer;
  Status complete = writeUsda(layer, buffer, writeOptions);
  if (!written) return written;
  if (!complete) return complete;
  return out->commit();
}

Expected<std::string> exportToString(const Layer& layer) { return writeUsdaToString(layer); }

}  // namespace usdkit
