#include "FilePairs.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/FilePaths.h"

namespace usdkit::diff {

namespace fs = std::filesystem;

namespace {

// Files under `dir`, as paths relative to it (os.walk: symlinked folders
// are not followed).
std::set<std::string> listFiles(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code typeError;
    if (it->is_directory(typeError)) continue;
    out.insert(it->path().lexically_relative(dir).string());
  }
  return out;
}

// os.path.relpath: relative to the working folder, without resolving links.
std::string relativeToCwd(const std::string& path) {
  const std::string cwd = currentDirectory();
  if (cwd.empty()) return path;
  return relativePath(absolutePath(path), cwd);
}

}  // namespace

Expected<FilePairs> findFilePairs(std::span<const std::string> args) {
  const std::string formsError =
      "File arguments must be one of: FILE FILE, DIR DIR, DIR FILES..., or FILES... DIR.";
  if (args.size() < 2) return makeError(formsError);
  std::vector<char> isDir(args.size()), exists(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::error_code ec;
    fs::file_status st = fs::status(args[i], ec);
    exists[i] = !ec && fs::exists(st);
    isDir[i] = exists[i] && fs::is_directory(st);
    if (!exists[i]) {
      // A path inside a package ("a.usdz[b.usda]") resolves when the
      // package exists.
      auto split = splitPackagePath(args[i]);
      if (!split || !fs::exists(std::string(split->first), ec))
        return makeError(args[i] + " does not exist, and cannot be resolved");
    }
  }
  auto anyDir = [&](std::size_t from, std::size_t to) {
    return std::any_of(isDir.begin() + from, isDir.begin() + to, [](char d) { return d != 0; });
  };
  auto requireOnDisk = [&]() -> Status {
    for (std::size_t i = 0; i < args.size(); ++i)
      if (!exists[i])
        return makeError(args[i] + " did not exist on disk, and using a directory comparison form");
    return Ok{};
  };

  FilePairs pairs;
  const std::size_t n = args.size();
  if (isDir[0] && !anyDir(1, n)) {  // DIR FILES...
    if (Status s = requireOnDisk(); !s) return s.error();
    std::set<std::string> files;
    for (std::size_t i = 1; i < n; ++i) files.insert(relativeToCwd(args[i]));
    std::set<std::string> dirFiles = listFiles(args[0]);
    for (const std::string& f : files) {
      if (dirFiles.count(f))
        pairs.common.emplace_back(joinPath(args[0], f), f);
      else
        pairs.comparisonOnly.push_back(f);
    }
    return pairs;
  }
  if (!anyDir(0, n - 1) && isDir[n - 1]) {  // FILES... DIR
    if (Status s = requireOnDisk(); !s) return s.error();
    std::set<std::string> files;
    for (std::size_t i = 0; i + 1 < n; ++i) files.insert(relativeToCwd(args[i]));
    std::set<std::string> dirFiles = listFiles(args[n - 1]);
    for (const std::string& f : files) {
      if (dirFiles.count(f))
        pairs.common.emplace_back(f, joinPath(args[n - 1], f));
      else
        pairs.baselineOnly.push_back(f);
    }
    return pairs;
  }
  if (n == 2 && isDir[0] && isDir[1]) {  // DIR DIR
    std::set<std::string> lhs = listFiles(args[0]), rhs = listFiles(args[1]);
    for (const std::string& f : lhs) {
      if (rhs.count(f))
        pairs.common.emplace_back(joinPath(args[0], f), joinPath(args[1], f));
      else
        pairs.baselineOnly.push_back(joinPath(args[0], f));
    }
    for (const std::string& f : rhs)
      if (!lhs.count(f)) pairs.comparisonOnly.push_back(joinPath(args[1], f));
    return pairs;
  }
  if (n == 2 && !isDir[0] && !isDir[1]) {  // FILE FILE
    pairs.common.emplace_back(args[0], args[1]);
    return pairs;
  }
  return makeError(formsError);
}

}  // namespace usdkit::diff
