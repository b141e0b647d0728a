#include "compose/AssetResolver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "base/FileIO.h"
#include "io/usdz/UsdzPackage.h"
#include "io/usdz/ZipArchive.h"

namespace usdkit {

std::string normalizePath(std::string_view path) {
  if (path.empty()) return {};
  const bool absolute = path.front() == '/';
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
    } else if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  if (out.empty()) return std::string(1, '.');
  return out;
}

bool isFileRelativePath(std::string_view path) noexcept {
  return path == "." || path == ".." || path.starts_with("./") || path.starts_with("../");
}

namespace {

std::string directoryOf(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string join(std::string_view dir, std::string_view rel) {
  if (dir.empty()) return normalizePath(rel);
  std::string s(dir);
  if (s.back() != '/') s += '/';
  s += rel;
  return normalizePath(s);
}

std::string currentDirectory() {
  std::string buf(4096, '\0');
  if (::getcwd(buf.data(), buf.size()) == nullptr) return ".";
  buf.resize(std::char_traits<char>::length(buf.c_str()));
  return buf;
}

std::string makeAbsolute(std::string_view path) {
  if (!path.empty() && path.front() == '/') return normalizePath(path);
  return join(currentDirectory(), path);
}

}  // namespace

AssetResolver::AssetResolver(std::vector<std::string> searchPath) : searchPath_(std::move(searchPath)) {}

AssetResolver AssetResolver::forRootLayer(std::string_view rootLayerPath) {
  std::vector<std::string> dirs;
  std::string_view file = rootLayerPath;
  if (auto split = usdz::splitPackagePath(file)) file = split->first;
  dirs.push_back(makeAbsolute(directoryOf(file).empty() ? std::string_view(".") : std::string_view(directoryOf(file))));
  if (const char* env = std::getenv("PXR_AR_DEFAULT_SEARCH_PATH")) {
    std::string_view list(env);
    std::size_t i = 0;
    while (i <= list.size()) {
      std::size_t j = list.find(':', i);
      if (j == std::string_view::npos) j = list.size();
      if (j > i) dirs.push_back(makeAbsolute(list.substr(i, j - i)));
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
  std::string local = makeAbsolute(id);
  if (exists(local)) return local;
  if (isFileRelativePath(id)) return std::nullopt;
  for (const std::string& dir : searchPath_) {
    std::string candidate = join(dir, id);
    if (exists(candidate)) return candidate;
  }
  return std::nullopt;
}

}  // namespace usdkit
