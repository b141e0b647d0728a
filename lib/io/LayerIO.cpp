#include "io/LayerIO.h"

#include <optional>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "io/Packages.h"
#include "io/crate/CrateReader.h"
#include "io/crate/CrateWriter.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"
#include "io/usdz/UsdzPackage.h"
#include "io/usdz/ZipArchive.h"

namespace usdkit {

namespace {

// Reads a layer from bytes of any format, sniffed from the content:
// crate magic, zip magic (a .usdz whose first entry is the root layer), or
// else usda text. `owner` keeps `data` alive for the layer's lazy values;
// `depth` packages enclose `data`.
Expected<std::shared_ptr<Layer>> readLayerBytes(std::string_view data, const std::shared_ptr<const InputBuffer>& owner,
                                                const std::string& name, const OpenOptions& options, int depth) {
  const std::optional<LayerFormat> sniffed = sniffFormat(data);
  // A .usdc is read as crate unless it holds usda text (which OpenUSD's
  // tools also accept), so an empty or damaged one is reported as a bad
  // crate file rather than as a bad usda layer. A .usd is sniffed.
  const FileFormat* named = fileFormatForPath(name);
  const bool namedCrate = named && !named->sniffed && named->writes == LayerFormat::Usdc && !data.starts_with("#");
  if (namedCrate || sniffed == LayerFormat::Usdc) {
    CrateReadOptions crateOptions;
    crateOptions.metadataOnly = options.metadataOnly;
    crateOptions.warnings = options.warnings;
    return readCrate(data, owner, name, crateOptions);
  }
  if (sniffed == LayerFormat::Usdz) {
    if (depth >= kMaxPackageDepth) return packagesTooDeep(name);
    Expected<usdz::ZipArchive> zip = usdz::ZipArchive::open(data, name);
    if (!zip) return std::move(zip).error();
    if (zip->entries().empty()) return makeError(name + ": the package is empty (it has no root layer)");
    const usdz::ZipEntry& root = zip->entries().front();
    if (!isPackageRootName(root.name))
      return makeError(name + ": the package's first entry '" + std::string(root.name) +
                       "' is not a layer (.usda, .usdc or .usd), so it has no root layer");
    Expected<std::span<const std::byte>> data = zip->read(root.name);  // refuses compressed entries
    if (!data) return std::move(data).error();
    std::string_view bytes(reinterpret_cast<const char*>(data->data()), data->size());
    return readLayerBytes(bytes, owner, joinPackagePath(name, root.name), options, depth + 1);
  }
  UsdaReadOptions readOptions;
  readOptions.metadataOnly = options.metadataOnly;
  readOptions.warnings = options.warnings;
  readOptions.threads = options.threads;
  readOptions.progress = options.progress;
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

// For a stream: whether its first bytes can start a layer (usda text, a
// crate file or a usdz package), so that reading /dev/zero or a binary
// stream ends at once with an error instead of filling memory.
Status checkLayerStreamHead(std::string_view head, const std::string& name) {
  if (mayStartLayer(head)) return Ok{};
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

}  // namespace

Expected<std::shared_ptr<Layer>> openLayer(const std::string& path, const OpenOptions& options) {
  const std::string name = path == "-" ? "<stdin>" : path;
  Expected<FileBytes> source = readFileBytes(path, [&](std::string_view head) { return checkLayerStreamHead(head, name); });
  if (!source) return std::move(source).error();
  Expected<std::shared_ptr<Layer>> layer = readLayerBytes(source->data, source->buffer, path, options, source->packageDepth);
  // A file truncated while it was parsed was read partly as zeros: the
  // layer (or the parse error they caused) is not the file's. Values still
  // in the file (crate arrays) are read later; outputs check again.
  if (Status whole = source->buffer->intact(); !whole) return std::move(whole).error();
  if (layer) (*layer)->setIdentifier(path);
  return layer;
}

Expected<LayerFormat> outputFormatFor(std::string_view path, std::optional<std::string_view> usdFormat) {
  std::string_view ext = formatExtension(path);
  const FileFormat* format = findFileFormat(ext);
  // Only a name whose format the content decides (".usd") can be told
  // which one to write.
  if (usdFormat && !(format && format->sniffed))
    return makeError("--usdFormat is only valid with an output file ending in .usd, not '" + std::string(path) + "'");
  if (format && format->sniffed && usdFormat) {
    if (*usdFormat == "usdc") return LayerFormat::Usdc;
    if (*usdFormat == "usda") return LayerFormat::Usda;
    return makeError("unknown --usdFormat '" + std::string(*usdFormat) + "' (expected usda or usdc)");
  }
  if (format) return format->writes;
  // /dev/stdout, /dev/null, a named pipe: text, as usdcat prints.
  if (!usdFormat && writesThrough(std::string(path))) return LayerFormat::Usda;
  return makeError("cannot write '" + std::string(path) + "': unknown layer file extension '" +
                   std::string(ext) + "' (expected .usda, .usdc, .usd, .usdz or .sdf, optionally followed by .zst)");
}

namespace {

Expected<std::string> crateBytes(const Layer& layer, const SaveOptions& options, std::string_view name = {}) {
  CrateWriteOptions crateOptions;
  crateOptions.progress = options.progress;
  crateOptions.progressSubject = name;
  crateOptions.version = options.usdcVersion;
  crateOptions.exactVersion = options.usdcVersion.has_value();
  crateOptions.warnings = options.warnings;
  crateOptions.threads = options.threads;
  return writeCrate(layer, crateOptions);
}

// Writes the text of `layer` to `out` in chunks, so a big layer's text is
// never held whole.
Status streamUsda(const Layer& layer, OutputFile& out, std::string cookie, const SaveOptions& options,
                  std::string_view name) {
  ProgressTask progress(options.progress, ProgressUnit::Bytes, 0, "writing", name);
  UsdaWriteOptions writeOptions;
  writeOptions.cookie = std::move(cookie);
  writeOptions.warnings = options.warnings;
  writeOptions.threads = options.threads;
  Status written = Ok{};
  writeOptions.sink = [&](std::string_view chunk) {
    if (written) written = out.write(chunk);
    progress.advance(chunk.size());
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
  if (auto split = splitPackagePath(source)) source = std::string(split->first);
  if (!source.empty() && source != "-") {
    packageOptions.rootDirectory = directoryOf(source);
    packageOptions.rootSourcePath = source;
  }
  packageOptions.openLayer = [](const std::string& p) { return openLayer(p); };
  // The package's own entries are not reported: a nested task per entry
  // would make the line flicker more than it would tell.
  SaveOptions entryOptions = options;
  entryOptions.progress = nullptr;
  packageOptions.serialize = [options = entryOptions](const Layer& l, std::string_view entry) -> Expected<std::string> {
    const FileFormat* format = findFileFormat(formatExtension(entry));
    const bool crate = format && format->writes == LayerFormat::Usdc && (!format->sniffed || l.formatId() == "usdc");
    if (crate) return crateBytes(l, options);
    UsdaWriteOptions text;
    text.cookie = "#usda";
    text.warnings = options.warnings;
    text.threads = options.threads;
    return writeUsdaToString(l, text);
  };
  packageOptions.warnings = options.warnings;
  return usdz::writePackage(layer, out, packageOptions);
}

Status writeLayer(const Layer& layer, const std::string& path, const SaveOptions& options) {
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
    Expected<std::string> bytes = crateBytes(layer, options, path);
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
      written = streamUsda(layer, *out, path == "-" ? std::string() : format == LayerFormat::Sdf ? "#sdf 1.4.32" : "#usda",
                           options, path == "-" ? std::string_view("standard output") : std::string_view(path));
      break;
  }
  if (!written) return written;
  return out->commit();
}

}  // namespace

Status saveLayer(const Layer& layer, const std::string& path, const SaveOptions& options) {
  Status saved = writeLayer(layer, path, options);
  // Values still in a file (crate arrays) are read while writing: one that
  // was truncated meanwhile explains a failure better than the damage its
  // zeros look like (a crate error at some offset).
  if (!saved)
    if (Status inputs = checkMappedInputs(); !inputs) return inputs;
  return saved;
}

Status saveUsdaText(const UsdaText& text, const std::string& path, const SaveOptions& options) {
  if (!text.status) return text.status;
  LayerFormat format = LayerFormat::Usda;
  if (path != "-") {
    Expected<LayerFormat> f = outputFormatFor(path, options.usdFormat);
    if (!f) return std::move(f).error();
    format = *f;
  }
  if (format != LayerFormat::Usda && format != LayerFormat::Sdf)
    return makeError("cannot write '" + path + "': text made for a usda file cannot be written in this format");
  if (options.usdcVersion)
    return makeError("cannot write '" + path + "': a crate version applies only to .usdc (or .usdz) output");
  const std::string header = format == LayerFormat::Sdf
                                 ? std::string("#sdf 1.4.32")
                                 : usdaHeader(text.writesTangentAlgorithm, text.identifier, options.warnings);
  Expected<OutputFile> out = OutputFile::create(path);
  if (!out) return std::move(out).error();
  ProgressTask progress(options.progress, ProgressUnit::Bytes, 0, "writing",
                        path == "-" ? std::string_view("standard output") : std::string_view(path));
  Status written = out->write(header + "\n");
  if (written) written = text.read([&](std::string_view piece) {
    progress.advance(piece.size());
    return out->write(piece);
  });
  if (!written) {
    if (Status inputs = checkMappedInputs(); !inputs) return inputs;
    return written;
  }
  return out->commit();
}

bool savesAsText(const std::string& path, const SaveOptions& options) {
  if (path == "-") return true;
  Expected<LayerFormat> format = outputFormatFor(path, options.usdFormat);
  return format && (*format == LayerFormat::Usda || *format == LayerFormat::Sdf);
}

Expected<std::string> exportToString(const Layer& layer) { return writeUsdaToString(layer); }

Expected<std::string> exportToString(const UsdaText& text) {
  if (!text.status) return text.status.error();
  std::string out = usdaHeader(text.writesTangentAlgorithm, text.identifier) + "\n";
  Status read = text.read([&](std::string_view piece) -> Status {
    out += piece;
    return Ok{};
  });
  if (!read) return std::move(read).error();
  return out;
}

}  // namespace usdkit
