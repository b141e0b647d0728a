#include "base/FilePaths.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "base/FileIO.h"

namespace usdkit {

namespace {

// The non-empty components of `path` between its slashes.
std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

}  // namespace

std::string normalizePath(std::string_view path) {
  if (path.empty()) return {};
  const bool absolute = path.front() == '/';
  std::vector<std::string_view> parts;
  for (std::string_view part : components(path)) {
    if (part == ".") continue;
    if (part != "..") {
      parts.push_back(part);
    } else if (!parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (!absolute) {
      parts.push_back(part);
    }
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  if (out.empty()) return std::string(1, '.');
  return out;
}

std::string currentDirectory() {
  std::string cwd;
  // Allocated by getcwd: no limit on the length.
  if (char* buf = ::getcwd(nullptr, 0)) {
    cwd = buf;
    std::free(buf);
  }
  return cwd;
}

std::string absolutePath(std::string_view path) {
  if (path.empty()) return {};
  if (path.front() == '/') return normalizePath(path);
  const std::string cwd = currentDirectory();
  if (cwd.empty()) return normalizePath(path);
  return normalizePath(joinPath(cwd, path));
}

std::string joinPath(std::string_view dir, std::string_view rel) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += rel;
  return out;
}

std::string relativePath(std::string_view path, std::string_view base) {
  const std::vector<std::string_view> to = components(path), from = components(base);
  std::size_t common = 0;
  while (common < to.size() && common < from.size() && to[common] == from[common]) ++common;
  std::string out;
  for (std::size_t i = common; i < from.size(); ++i) out += out.empty() ? ".." : "/..";
  for (std::size_t i = common; i < to.size(); ++i) {
    if (!out.empty()) out += '/';
    out += to[i];
  }
  return out.empty() ? "." : out;
}

std::string_view directoryOf(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  const std::size_t end = path.find_last_not_of('/', slash);
  if (end == std::string_view::npos) return path.substr(0, 1);
  return path.substr(0, end + 1);
}

std::string_view directoryPrefix(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

std::string siblingPath(std::string_view path, std::string_view name) {
  const std::string_view prefix = directoryPrefix(path);
  std::string out(prefix.empty() ? std::string_view("./") : prefix);
  out += name;
  return out;
}

std::string_view fileNameOf(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view fileStem(std::string_view path) {
  const std::string_view name = fileNameOf(path);
  if (name == "." || name == "..") return name;
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return name;
  return name.substr(0, dot);
}

std::string_view extensionAfterLastDot(std::string_view path) {
  const std::string_view name = fileNameOf(path);
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

std::string_view fileExtension(std::string_view path) {
  const std::string_view name = fileNameOf(path);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return name.substr(dot + 1);
}

std::string_view formatExtension(std::string_view path) { return extensionAfterLastDot(stripZstdSuffix(path)); }

std::optional<std::pair<std::string_view, std::string_view>> splitPackagePath(std::string_view path) noexcept {
  if (path.size() < 3 || path.back() != ']') return std::nullopt;
  // The '[' that balances the final ']' opens the outermost inner path.
  int depth = 0;
  for (std::size_t i = path.size(); i-- > 0;) {
    if (path[i] == ']') {
      ++depth;
    } else if (path[i] == '[' && --depth == 0) {
      std::string_view outer = path.substr(0, i);
      std::string_view inner = path.substr(i + 1, path.size() - i - 2);
      if (outer.empty() || inner.empty()) return std::nullopt;
      return std::pair{outer, inner};
    }
  }
  return std::nullopt;
}

std::string joinPackagePath(std::string_view package, std::string_view entry) {
  // A package inside a package takes the entry inside its own brackets:
  // "a.usdz[b.usdz]" + "c" -> "a.usdz[b.usdz[c]]".
  std::size_t closing = 0;
  if (splitPackagePath(package))
    while (closing < package.size() && package[package.size() - 1 - closing] == ']') ++closing;
  std::string out;
  out.reserve(package.size() + entry.size() + 2);
  out.append(package.substr(0, package.size() - closing)).append(1, '[').append(entry).append(1, ']');
  out.append(closing, ']');
  return out;
}

std::string enclosingPackagePath(std::string_view path) {
  if (path.empty() || path.back() != ']') return std::string(path);
  const std::size_t open = path.rfind('[');
  if (open == std::string_view::npos) return std::string(path);
  // "a[b[c]]": drop "[c" and one of the closing brackets.
  std::size_t closing = 0;
  for (std::size_t i = path.size(); i > 0 && path[i - 1] == ']'; --i) ++closing;
  return std::string(path.substr(0, open)) + std::string(closing - 1, ']');
}

std::string_view innermostPackageEntry(std::string_view path) {
  if (!path.ends_with(']')) return path;
  // Entries nest at the end ("a[b[c]]"), so the last '[' opens the innermost.
  const std::size_t open = path.rfind('[');
  if (open == std::string_view::npos) return path;
  std::string_view entry = path.substr(open + 1);
  while (entry.ends_with(']')) entry.remove_suffix(1);
  return entry;
}

std::string_view innermostFormatExtension(std::string_view path) {
  std::string_view entry = innermostPackageEntry(path);
  while (entry.ends_with(']')) entry.remove_suffix(1);
  return formatExtension(entry);
}

std::string_view innermostFileExtension(std::string_view path) { return fileExtension(innermostPackageEntry(path)); }

}  // namespace usdkit
