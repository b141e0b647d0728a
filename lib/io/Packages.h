// Reading files inside .usdz packages: the bytes of an entry, however deeply
// packages nest ("a.usdz[b.usdz[c.usda]]"), with one depth limit, and the
// names a package holds. Used by layer reading, the asset resolver,
// usdchecker and usddiff. Package-relative paths as text are base's
// (splitPackagePath, joinPackagePath in base/FilePaths.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "base/FileIO.h"

namespace usdkit {

// Packages may hold packages; nesting deeper than this is refused rather
// than followed (a crafted archive could otherwise nest until memory runs
// out).
inline constexpr int kMaxPackageDepth = 8;

// The error for `name` when packages nest deeper than kMaxPackageDepth.
Error packagesTooDeep(const std::string& name);

// The bytes of a file, or of an entry of a package inside it.
struct FileBytes {
  std::shared_ptr<const InputBuffer> buffer;  // the file read (keeps `data` alive)
  std::string_view data;                      // all of it, or the entry's bytes
  int packageDepth = 0;                       // packages enclosing `data`
};

// The bytes of `path`: a file, "-" (stdin) or a package-relative path whose
// outermost package is a file (".usdz", or ".usdz.zst"). `checkStreamHead`
// is readInput's. Errors name the file and, inside a package, the entry.
Expected<FileBytes> readFileBytes(const std::string& path,
                                  const std::function<Status(std::string_view)>& checkStreamHead = {});

// The bytes of `innerPath` in the package whose bytes are `archive`;
// `innerPath` may itself name an entry of a package inside ("b.usdz[c.usda]").
// `depth` counts the packages that already enclose `archive`.
Expected<std::string_view> readPackageEntry(std::string_view archive, const std::string& archiveName,
                                            std::string_view innerPath, int depth = 0);

// The names of the entries of the package `packagePath` (a file, or a
// package inside packages), in archive order.
Expected<std::vector<std::string>> packageEntryNames(const std::string& packagePath);

}  // namespace usdkit
