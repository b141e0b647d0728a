// The file formats usdkit reads and writes, in the spirit of OpenUSD's
// SdfFileFormat registry: what an extension means, what a file's first
// bytes announce. Every layer of the library asks here instead of
// comparing extension strings of its own.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace usdkit {

// The formats a layer is stored in.
enum class LayerFormat { Usda, Sdf, Usdc, Usdz };

// What one layer file extension means.
struct FileFormat {
  std::string_view extension;  // without the dot, as spelled in a file name
  // The format written under this extension; ".usd" is crate, as in OpenUSD.
  LayerFormat writes;
  // Read by content rather than by name (".usd" holds text or crate).
  bool sniffed = false;
  // A package of files (".usdz"), not a single layer.
  bool package = false;
  // May be a package's root layer (.usda, .usdc, .usd; OpenUSD's usdz rule).
  bool packageRoot = false;
  // What OpenUSD opens as a stage (UsdStage::IsSupportedFile): .usd, .usda,
  // .usdc, .usdz; ".sdf" is a layer format but no stage file.
  bool stageFile = false;
};

// The format of an extension (without the dot, letter case as given: OpenUSD
// registers lowercase names), nullptr when it names none.
const FileFormat* findFileFormat(std::string_view extension) noexcept;

// Every format the registry knows, e.g. for listing the extensions of
// stage files (the tools' shell completions).
std::span<const FileFormat> fileFormats() noexcept;

// The format a file's name selects: the extension of the innermost package
// entry, without a trailing ".zst" (innermostFormatExtension).
const FileFormat* fileFormatForPath(std::string_view path) noexcept;

// True for names a package's root entry may have (.usda, .usdc, .usd).
bool isPackageRootName(std::string_view name) noexcept;

// The format a file's first bytes announce: "#usda" text, "#sdf" text, the
// crate magic or a zip package's local header. nullopt for anything else,
// including text without a cookie.
std::optional<LayerFormat> sniffFormat(std::string_view head) noexcept;

// For a stream whose first bytes are all that has arrived: whether `head`
// can still begin a layer (a prefix of a magic, or text starting with '#').
bool mayStartLayer(std::string_view head) noexcept;

}  // namespace usdkit
