// Turning authored asset paths into layer identifiers and files, the way
// OpenUSD's default resolver does: anchoring to the layer that authored the
// path, a search path for "search-relative" paths, and package-relative
// paths inside .usdz files ("pkg.usdz[inner/file.usda]").
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/FilePaths.h"  // normalizePath, used with the resolver

namespace usdkit {

class AssetResolver {
 public:
  // `searchPath` is consulted, in order, for search-relative paths after the
  // current directory.
  explicit AssetResolver(std::vector<std::string> searchPath = {});

  // A resolver for a stage opened from `rootLayerPath`: the root layer's
  // directory first (OpenUSD's default context), then the directories in
  // PXR_AR_DEFAULT_SEARCH_PATH (':'-separated).
  static AssetResolver forRootLayer(std::string_view rootLayerPath);

  const std::vector<std::string>& searchPath() const noexcept { return searchPath_; }

  // The identifier of `assetPath` authored in the layer whose identifier is
  // `anchorLayer` (empty: no anchor). File-relative paths ("./x", "../x")
  // are always joined to the anchor's directory; search-relative paths
  // ("x/y.usda") are joined only when that file exists and are otherwise
  // kept as written, to be found through the search path by resolve().
  // Inside a package the anchor is the package entry's directory; for a
  // package's root layer (anchorLayer "pkg.usdz") the package's top.
  std::string anchor(std::string_view assetPath, std::string_view anchorLayer) const;

  // The absolute, normalised path of an existing file for an identifier,
  // or nullopt when it cannot be found. A package-relative identifier
  // resolves when its package file exists (the entry is checked on open).
  // Each identifier is looked for once per resolver (and its copies): a
  // shot referencing one asset 10,000 times asks the file system once.
  std::optional<std::string> resolve(std::string_view identifier) const;

 private:
  std::optional<std::string> find(const std::string& identifier) const;
  bool exists(const std::string& path) const;
  // Whether a package file holds an entry; each package's listing is read
  // once (anchoring asks for every search-relative path inside it).
  bool packageHasEntry(std::string_view package, std::string_view entry) const;
  // The first entry of a package: its root layer, "" when it cannot be read.
  std::string packageRootEntry(std::string_view package) const;

  struct PackageListing {
    std::set<std::string> names;
    std::string root;  // the first entry
  };
  struct PackageListings {
    std::mutex mutex;
    std::map<std::string, PackageListing, std::less<>> entries;  // by package path
  };
  const PackageListing& listing(std::string_view package) const;  // with mutex held
  struct Resolutions {
    std::mutex mutex;
    std::unordered_map<std::string, std::optional<std::string>> byIdentifier;
  };
  std::vector<std::string> searchPath_;
  std::shared_ptr<PackageListings> listings_ = std::make_shared<PackageListings>();
  std::shared_ptr<Resolutions> resolutions_ = std::make_shared<Resolutions>();
};

// True for "./x" and "../x" (and "." / "..").
bool isFileRelativePath(std::string_view path) noexcept;

}  // namespace usdkit
