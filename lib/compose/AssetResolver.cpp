#include "compose/AssetResolver.h"

#include <sys/stat.h>

#include <cstdlib>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "io/FileFormat.h"
#include "io/Packages.h"

namespace usdkit {

bool isFileRelativePath(std::string_view path) noexcept {
  return path == "." || path == ".." || path.starts_with("./") || path.starts_with("../");
}

namespace {

// `rel` in the directory `dir`, normalised.
std::string join(std::string_view dir, std::string_view rel) { return normalizePath(joinPath(dir, rel)); }

}  // namespace

AssetResolver::AssetResolver(std::vector<std::string> searchPath) : searchPath_(std::move(searchPath)) {}

AssetResolver AssetResolver::forRootLayer(std::string_view rootLayerPath) {
  std::vector<std::string> dirs;
  std::string_view file = rootLayerPath;
  if (auto split = splitPackagePath(file)) file = split->first;
  const std::string_view directory = directoryOf(file);
  dirs.push_back(absolutePath(directory.empty() ? std::string_view(".") : directory));
  if (const char* env = std::getenv("PXR_AR_DEFAULT_SEARCH_PATH")) {
    std::string_view list(env);
    std::size_t i = 0;
    while (i <= list.size()) {
      std::size_t j = list.find(':', i);
      if (j == std::string_view::npos) j = list.size();
      if (j > i) dirs.push_back(absolutePath(list.substr(i, j - i)));
      i = j + 1;
    }
  }
  return AssetResolver(std::move(dirs));
}

bool AssetResolver::exists(const std::string& path) const {
  std::string_view file = path;
  if (auto split = splitPackagePath(file)) file = split->first;
  struct stat st;
  return ::stat(std::string(file).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

const AssetResolver::PackageListing& AssetResolver::listing(std::string_view package) const {
  auto it = listings_->entries.find(package);
  if (it == listings_->entries.end()) {
    // A package that cannot be read holds nothing: what is looked for in it
    // is looked for outside, and reading it later reports the damage.
    PackageListing listing;
    if (Expected<std::vector<std::string>> listed = packageEntryNames(std::string(package)); listed && !listed->empty()) {
      listing.root = listed->front();
      listing.names.insert(std::make_move_iterator(listed->begin()), std::make_move_iterator(listed->end()));
    }
    it = listings_->entries.emplace(std::string(package), std::move(listing)).first;
  }
  return it->second;
}

bool AssetResolver::packageHasEntry(std::string_view package, std::string_view entry) const {
  std::lock_guard lock(listings_->mutex);
  return listing(package).names.count(std::string(entry)) != 0;
}

std::string AssetResolver::packageRootEntry(std::string_view package) const {
  std::lock_guard lock(listings_->mutex);
  return listing(package).root;
}

std::string AssetResolver::anchor(std::string_view assetPath, std::string_view anchorLayer) const {
  if (assetPath.empty()) return {};
  if (assetPath.front() == '/') return normalizePath(assetPath);
  if (anchorLayer.empty()) return normalizePath(assetPath);
  // A package's root layer is known by the package's name, also inside
  // another package ("a.usdz[b.usdz]"); what it names is found inside that
  // package (its root entry sits at the top).
  // Paths are anchored at the root layer's folder inside the package (a
  // package may keep its root layer in a folder of its own).
  if (const FileFormat* format = fileFormatForPath(anchorLayer); format && format->package) {
    const std::string root = packageRootEntry(anchorLayer);
    const std::string inner = join(directoryOf(root), assetPath);
    if (!isFileRelativePath(assetPath) && !packageHasEntry(anchorLayer, inner)) return normalizePath(assetPath);
    return joinPackagePath(anchorLayer, inner);
  }
  // Package-relative anchors: paths inside a package stay inside the
  // package that holds the anchor ("a.usdz[b.usdz[c.usda]]": b.usdz).
  if (splitPackagePath(anchorLayer)) {
    const std::string_view entry = innermostPackageEntry(anchorLayer);
    const std::string inner = join(directoryOf(entry), assetPath);
    // A search-relative path the package does not hold is looked for
    // outside it, as OpenUSD's resolver does.
    if (!isFileRelativePath(assetPath) && !packageHasEntry(enclosingPackagePath(anchorLayer), inner))
      return normalizePath(assetPath);
    // The anchor with its innermost entry replaced.
    const std::size_t at = static_cast<std::size_t>(entry.data() - anchorLayer.data());
    return std::string(anchorLayer.substr(0, at)) + inner + std::string(anchorLayer.substr(at + entry.size()));
  }
  std::string anchored = join(directoryOf(anchorLayer), assetPath);
  if (isFileRelativePath(assetPath)) return anchored;
  if (exists(anchored)) return anchored;
  return normalizePath(assetPath);
}

std::optional<std::string> AssetResolver::resolve(std::string_view identifier) const {
  if (identifier.empty()) return std::nullopt;
  std::string id(identifier);
  {
    std::lock_guard lock(resolutions_->mutex);
    if (auto it = resolutions_->byIdentifier.find(id); it != resolutions_->byIdentifier.end()) return it->second;
  }
  std::optional<std::string> found = find(id);
  std::lock_guard lock(resolutions_->mutex);
  return resolutions_->byIdentifier.emplace(std::move(id), std::move(found)).first->second;
}

std::optional<std::string> AssetResolver::find(const std::string& id) const {
  if (id.front() == '/') {
    if (exists(id)) return normalizePath(id);
    return std::nullopt;
  }
  std::string local = absolutePath(id);
  if (exists(local)) return local;
  if (isFileRelativePath(id)) return std::nullopt;
  for (const std::string& dir : searchPath_) {
    std::string candidate = join(dir, id);
    if (exists(candidate)) return candidate;
  }
  return std::nullopt;
}

}  // namespace usdkit
