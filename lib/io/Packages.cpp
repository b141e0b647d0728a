#include "io/Packages.h"

#include "base/FilePaths.h"
#include "io/FileFormat.h"
#include "io/usdz/ZipArchive.h"

namespace usdkit {

Error packagesTooDeep(const std::string& name) {
  return makeError(name + ": packages nested too deeply (more than " + std::to_string(kMaxPackageDepth) + " levels)");
}

namespace {

// The outermost package of `path` when it is package-relative and that
// package is a file of a package format.
std::optional<std::pair<std::string_view, std::string_view>> splitOnDisk(std::string_view path) {
  auto split = splitPackagePath(path);
  if (!split) return std::nullopt;
  const FileFormat* format = findFileFormat(formatExtension(split->first));
  if (!format || !format->package) return std::nullopt;
  return split;
}

}  // namespace

Expected<std::string_view> readPackageEntry(std::string_view archive, const std::string& archiveName,
                                            std::string_view innerPath, int depth) {
  // Iterative: each round opens one package and steps into the next.
  std::string name = archiveName;
  for (;;) {
    if (depth >= kMaxPackageDepth) return packagesTooDeep(name);
    auto nested = splitPackagePath(innerPath);
    const std::string_view entryName = nested ? nested->first : innerPath;
    Expected<usdz::ZipArchive> zip = usdz::ZipArchive::open(archive, name);
    if (!zip) return std::move(zip).error();
    Expected<std::span<const std::byte>> entry = zip->read(entryName);  // refuses compressed entries
    if (!entry) return std::move(entry).error();
    archive = std::string_view(reinterpret_cast<const char*>(entry->data()), entry->size());
    if (!nested) return archive;
    name = joinPackagePath(name, entryName);
    innerPath = nested->second;
    ++depth;
  }
}

Expected<FileBytes> readFileBytes(const std::string& path, const std::function<Status(std::string_view)>& checkStreamHead) {
  const auto split = splitOnDisk(path);
  const std::string file = split ? std::string(split->first) : path;
  Expected<InputBuffer> input = readInput(file, checkStreamHead);
  if (!input) return std::move(input).error();
  FileBytes out;
  out.buffer = std::make_shared<const InputBuffer>(std::move(input.value()));
  out.data = out.buffer->data();
  if (!split) return out;
  Expected<std::string_view> entry = readPackageEntry(out.data, file, split->second);
  if (!entry) return std::move(entry).error();
  out.data = *entry;
  std::string_view rest = path;
  while (const auto inner = splitPackagePath(rest)) {
    ++out.packageDepth;
    rest = inner->second;
  }
  return out;
}

Expected<std::vector<std::string>> packageEntryNames(const std::string& packagePath) {
  Expected<FileBytes> bytes = readFileBytes(packagePath);
  if (!bytes) return std::move(bytes).error();
  if (bytes->packageDepth >= kMaxPackageDepth) return packagesTooDeep(packagePath);
  Expected<usdz::ZipArchive> zip = usdz::ZipArchive::open(bytes->data, packagePath);
  if (!zip) return std::move(zip).error();
  std::vector<std::string> names;
  names.reserve(zip->entries().size());
  for (const usdz::ZipEntry& e : zip->entries()) names.emplace_back(e.name);
  return names;
}

}  // namespace usdkit
