#include "compose/AssetResolver.h"

#include <sys/stat.h>

#include <cstdlib>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "io/usdz/UsdzPackage.h"
#include "io/usdz/ZipArchive.h"

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
  if (auto split = usdz::splitPackagePath(file)) file = split->first;
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
  if (auto split = usdz::splitPackagePath(file)) file = split->first;
  struct stat st;
  return ::stat(std::string(file).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Packages inside packages are taken to hold whatever is asked for (they
// are opened when the entry is read).
bool AssetResolver::packageHasEntry(std::string_view package, std::string_view entry) const {
  if (package.ends_with("]")) return true;
  std::lock_guard lock(listings_->mutex);
  auto it = listings_->entries.find(package);
  if (it == listings_->entries.end()) {
    std::set<std::string> names;
    if (Expected<InputBuffer> bytes = readInput(std::string(package)); bytes) {
      if (Expected<usdz::ZipArchive> zip = usdz::ZipArchive::open(bytes->data(), std::string(package)); zip)
        for (const usdz::ZipEntry& e : zip->entries()) names.emplace(e.name);
    }
    it = listings_->entries.emplace(std::string(package), std::move(names)).first;
  }
  return it->second.count(std::string(entry)) != 0;
}

std::string AssetResolver::anchor(std::string_view assetPath, std::string_view anchorLayer) const {
  if (assetPath.empty()) return {};
  if (assetPath.front() == '/') return normalizePath(assetPath);
  // Package-relative anchors: paths inside a package stay inside it.
  if (auto split = usdz::splitPackagePath(anchorLayer)) {
    if (!split->second.empty() && split->second.back() == ']') {
      // nested package: anchor inside the innermost one
      std::string inner = anchor(assetPath, split->second);
      return std::string(split->first) + "[" + inner + "]";
    }
    std::string inner = join(directoryOf(split->second), assetPath);
    // A search-relative path the package does not hold is looked for
    // outside it, as OpenUSD's resolver does.
    if (!isFileRelativePath(assetPath) && !packageHasEntry(split->first, inner)) return normalizePath(assetPath);
    return std::string(split->first) + "[" + inner + "]";
  }
  if (anchorLayer.empty()) return normalizePath(assetPath);
  // A package's root layer is known by the package's name; what it names
  // is found inside the package (its root entry sits at the top).
  if (anchorLayer.ends_with(".usdz")) {
    const std::string inner = normalizePath(assetPath);
    if (!isFileRelativePath(assetPath) && !packageHasEntry(anchorLayer, inner)) return inner;
    return std::string(anchorLayer) + "[" + inner + "]";
  }
  std::string anchored = join(directoryOf(anchorLayer), assetPath);
  if (isFileRelativePath(assetPath)) return anchored;
  if (exists(anchored)) return anchored;
  return normalizePath(assetPath);
}

std::optional<std::string> AssetResolver::resolve(std::string_view identifier) const {
  if (identifier.empty()) return std::nullopt;
  std::string id(identifier);
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
