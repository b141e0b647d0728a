#include "io/LayerIO.h"

#include <cstring>
#include <optional>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"
#include "io/usdz/UsdzPackage.h"
#include "io/usdz/ZipArchive.h"
#include "io/crate/CrateFormat.h"
#include "io/crate/CrateReader.h"
#include "io/crate/CrateWriter.h"

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

bool startsWith(std::string_view data, std::string_view prefix) {
  return data.size() >= prefix.size() && std::memcmp(data.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

namespace {

// Packages may hold packages; nesting beyond this is refused rather than
// followed (a crafted archive could otherwise nest until memory runs out).
constexpr int kMaxPackageDepth = 8;

// Reads a layer from bytes of any format, sniffed from the content:
// crate magic, zip magic (a .usdz whose first entry is the root layer), or
// else usda text. `owner` keeps `data` alive for the layer's lazy values.
Expected<std::shared_ptr<Layer>> readLayerBytes(std::string_view data, const std::shared_ptr<const InputBuffer>& owner,
                                                const std::string& name, const OpenOptions& options, int depth) {
  // A .usdc is read as crate unless it holds usda text (which OpenUSD's
  // tools also accept), so an empty or damaged one is reported as a bad
  // crate file rather than as a bad usda layer. A .usd is sniffed.
  const bool namedCrate = innermostFormatExtension(name) == "usdc" && !startsWith(data, "#");
  if (namedCrate || looksLikeCrate(data)) {
    CrateReadOptions crateOptions;
    crateOptions.metadataOnly = options.metadataOnly;
    crateOptions.warnings = options.warnings;
    return readCrate(data, owner, name, crateOptions);
  }
  if (startsWith(data, std::string_view("PK\x03\x04", 4))) {
    if (depth >= kMaxPackageDepth) return makeError(name + ": packages nested too deeply");
    Expected<usdz::ZipArchive> zip = usdz::ZipArchive::open(data, name);
    if (!zip) return std::move(zip).error();
    if (zip->entries().empty()) return makeError(name + ": the package is empty (it has no root layer)");
    const usdz::ZipEntry& root = zip->entries().front();
    if (!usdz::isLayerFileName(root.name))
      return makeError(name + ": the package's first entry '" + std::string(root.name) +
                       "' is not a layer (.usda, .usdc or .usd), so it has no root layer");
    Expected<std::span<const std::byte>> data = zip->read(root.name);  // refuses compressed entries
    if (!data) return std::move(data).error();
    std::string inner = name + "[" + std::string(root.name) + "]";
    std::string_view bytes(reinterpret_cast<const char*>(data->data()), data->size());
    return readLayerBytes(bytes, owner, inner, options, depth + 1);
  }
  UsdaReadOptions readOptions;
  readOptions.metadataOnly = options.metadataOnly;
  readOptions.warnings = options.warnings;
  // A whole file read once, front to back: its pages can go as soon as the
  // reader has passed them (not for text inside a package, which shares
  // pages with its neighbours, nor when arrays stay as text).
  if (options.deferNumericArrays && owner) {
    // Deferred arrays point into the text, which is read again later.
    readOptions.deferNumericArrays = true;
    readOptions.textOwner = owner;
  } else if (depth == 0 && owner) {
    readOptions.consumed = [&owner](std::size_t offset) { owner->releaseBefore(offset); };
  }
  Expected<std::unique_ptr<Layer>> layer = readUsda(data, name, readOptions);
  if (!layer) return std::move(layer).error();
  return std::shared_ptr<Layer>(std::move(layer.value()));
}

// The bytes of entry `inner` of the package in `archive`; `inner` may name
// an entry of a package inside it ("b.usdz[c.usdc]").
Expected<std::string_view> packageEntry(std::string_view archive, const std::string& archiveName,
                                        std::string_view inner, int depth) {
  if (depth >= kMaxPackageDepth) return makeError(archiveName + ": packages nested too deeply");
  auto nested = usdz::splitPackagePath(inner);
  std::string_view entryName = nested ? nested->first : inner;
  Expected<usdz::ZipArchive> zip = usdz::ZipArchive::open(archive, archiveName);
  if (!zip) return std::move(zip).error();
  Expected<std::span<const std::byte>> entry = zip->read(entryName);
  if (!entry) return std::move(entry).error();
  std::string_view bytes(reinterpret_cast<const char*>(entry->data()), entry->size());
  if (!nested) return bytes;
  return packageEntry(bytes, archiveName + "[" + std::string(entryName) + "]", nested->second, depth + 1);
}

// The bytes of `path`, which may be package-relative ("a.usdz[b.usda]").
struct Source {
  std::shared_ptr<const InputBuffer> buffer;
  std::string_view data;
};

// For a stream: whether its first bytes can start a layer (usda text, a
// crate file or a usdz package), so that reading /dev/zero or a binary
// stream ends at once with an error instead of filling memory.
Status checkLayerStreamHead(std::string_view head, const std::string& name) {
  if (head.empty() || head.front() == '#') return Ok{};
  auto startsAs = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic.substr(0, head.size()); };
  if (startsAs(crate::kMagic) || startsAs(std::string_view("PK\x03\x04", 4))) return Ok{};
  std::string bytes;
  for (unsigned char c : head.substr(0, 8)) {
    static constexpr char kHex[] = "0123456789abcdef";
    if (!bytes.empty()) bytes += ' ';
    bytes += kHex[c >> 4];
    bytes += kHex[c & 15];
  }
  return makeError(name + ": not a USD layer: it starts with bytes " + bytes +
                   ", not '#usda', a crate file's 'PXR-USDC' or a zip package's 'PK'");
}

Expected<Source> readSource(const std::string& path) {
  auto split = usdz::splitPackagePath(path);
  const std::string file = split && formatExtension(split->first) == "usdz" ? std::string(split->first) : path;
  const std::string name = file == "-" ? "<stdin>" : file;
  Expected<InputBuffer> input =
      readInput(file, [&](std::string_view head) { return checkLayerStreamHead(head, name); });
  if (!input) return std::move(input).error();
  auto buffer = std::make_shared<const InputBuffer>(std::move(input.value()));
  if (file == path) return Source{buffer, buffer->data()};
  Expected<std::string_view> entry = packageEntry(buffer->data(), file, split->second, 0);
  if (!entry) return std::move(entry).error();
  return Source{buffer, *entry};
}

}  // namespace

Expected<std::shared_ptr<Layer>> openLayer(const std::string& path, const OpenOptions& options) {
  Expected<Source> source = readSource(path);
  if (!source) return std::move(source).error();
  const int depth = usdz::splitPackagePath(path) ? 1 : 0;
  Expected<std::shared_ptr<Layer>> layer = readLayerBytes(source->data, source->buffer, path, options, depth);
  if (layer) (*layer)->setIdentifier(path);
  return layer;
}

Expected<LayerFormat> outputFormatFor(std::string_view path, std::optional<std::string_view> usdFormat) {
  std::string_view ext = formatExtension(path);
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
  // /dev/stdout, /dev/null, a named pipe: text, as usdcat prints.
  if (!usdFormat && writesThrough(std::string(path))) return LayerFormat::Usda;
  return makeError("cannot write '" + std::string(path) + "': unknown layer file extension '" +
                   std::string(ext) + "' (expected .usda, .usdc, .usd, .usdz or .sdf, optionally followed by .zst)");
}

namespace {

Expected<std::string> crateBytes(const Layer& layer, const SaveOptions& options) {
  CrateWriteOptions crateOptions;
  crateOptions.version = options.usdcVersion;
  crateOptions.exactVersion = options.usdcVersion.has_value();
  crateOptions.warnings = options.warnings;
  return writeCrate(layer, crateOptions);
}

// Writes the text of `layer` to `out` in chunks, so a big layer's text is
// never held whole.
Status streamUsda(const Layer& layer, OutputFile& out, std::string cookie) {
  UsdaWriteOptions writeOptions;
  writeOptions.cookie = std::move(cookie);
  Status written = Ok{};
  writeOptions.sink = [&](std::string_view chunk) {
    if (written) written = out.write(chunk);
  };
  std::string buffer;
  Status complete = writeUsda(layer, buffer, writeOptions);
  if (!written) return written;
  return complete;
}

Status savePackage(const Layer& layer, const std::string& path, OutputFile& out, const SaveOptions& options) {
  usdz::PackageOptions packageOptions;
  // The root entry is crate, named after the package ("x.usdz" holds "x.usdc").
  std::string stem(fileStem(stripZstdSuffix(path)));
  packageOptions.rootEntryName = (stem.empty() ? std::string("root") : stem) + ".usdc";
  // Relative asset paths are anchored at the layer's own file.
  std::string source = layer.identifier();
  if (auto split = usdz::splitPackagePath(source)) source = std::string(split->first);
  if (!source.empty() && source != "-") {
    packageOptions.rootDirectory = directoryOf(source);
    packageOptions.rootSourcePath = source;
  }
  packageOptions.openLayer = [](const std::string& p) { return openLayer(p); };
  packageOptions.serialize = [&options](const Layer& l, std::string_view entry) -> Expected<std::string> {
    std::string_view ext = formatExtension(entry);
    if (ext == "usdc" || (ext == "usd" && l.formatId() == "usdc")) return crateBytes(l, options);
    UsdaWriteOptions text;
    text.cookie = "#usda 1.0";
    return writeUsdaToString(l, text);
  };
  packageOptions.warnings = options.warnings;
  return usdz::writePackage(layer, out, packageOptions);
}

}  // namespace

Status saveLayer(const Layer& layer, const std::string& path, const SaveOptions& options) {
  LayerFormat format = LayerFormat::Usda;
  if (path != "-") {
    Expected<LayerFormat> f = outputFormatFor(path, options.usdFormat);
    if (!f) return std::move(f).error();
    format = *f;
  }
  if (options.usdcVersion && format != LayerFormat::Usdc && format != LayerFormat::Usdz)
    return makeError("cannot write '" + path + "': a crate version applies only to .usdc (or .usdz) output");
  // Crate bytes are complete before the file is created, so content the
  // format cannot hold never leaves even an empty output behind.
  std::optional<std::string> crate;
  if (format == LayerFormat::Usdc) {
    Expected<std::string> bytes = crateBytes(layer, options);
    if (!bytes) return std::move(bytes).error();
    crate = std::move(bytes.value());
  }
  Expected<OutputFile> out = OutputFile::create(path);
  if (!out) return std::move(out).error();
  Status written = Ok{};
  switch (format) {
    case LayerFormat::Usdc: written = out->write(*crate); break;
    case LayerFormat::Usdz: written = savePackage(layer, path, *out, options); break;
    case LayerFormat::Usda:
    case LayerFormat::Sdf:
      // Standard output carries the layer's own cookie, as `usdcat FILE` prints.
      written = streamUsda(layer, *out, path == "-" ? std::string() : format == LayerFormat::Sdf ? "#sdf 1.4.32" : "#usda 1.0");
      break;
  }
  if (!written) return written;
  return out->commit();
}

Expected<std::string> exportToString(const Layer& layer) { return writeUsdaToString(layer); }

}  // namespace usdkit
