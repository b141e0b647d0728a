#include "io/usdz/UsdzPackage.h"

#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "base/FileIO.h"
#include "base/FilePaths.h"
#include "io/FileFormat.h"
#include "io/usdz/ZipArchive.h"
#include "sdf/AssetPaths.h"

namespace usdkit::usdz {

namespace fs = std::filesystem;

namespace {

// One file of the package, in the order entries are written.
struct Item {
  std::string source;  // file on disk; empty for the in-memory root layer
  std::string entry;   // name inside the package
  bool isLayer = false;
};

// Plans the package breadth-first: each processed layer adds the files it
// names (once each, however often they are named), and learns how its own
// asset paths must be spelled to find them inside the package.
class Packager {
 public:
  Packager(const PackageOptions& options, ZipWriter& zip) : options_(options), zip_(zip) {}

  Status run(const Layer& root) {
    std::error_code ec;
    rootDir_ = fs::absolute(options_.rootDirectory.empty() ? fs::path(".") : fs::path(options_.rootDirectory), ec)
                   .lexically_normal();
    if (!options_.rootSourcePath.empty()) {
      fs::path self = fs::weakly_canonical(fs::absolute(options_.rootSourcePath, ec), ec);
      if (!ec) entryOf_.emplace(self.string(), options_.rootEntryName);
    }
    used_.insert(options_.rootEntryName);
    if (Status s = writeLayer(root, rootDir_, options_.rootEntryName, /*root=*/true); !s) return s;
    while (!queue_.empty()) {
      Item item = std::move(queue_.front());
      queue_.pop_front();
      if (Status s = writeItem(item); !s) return s;
    }
    return Ok{};
  }

 private:
  void warn(std::string message) {
    if (options_.warnings) options_.warnings->push_back(std::move(message));
  }

  // Entry name for a file on disk, queuing it the first time it is seen.
  std::string entryFor(const fs::path& file, bool isLayer) {
    const std::string key = file.string();
    if (auto it = entryOf_.find(key); it != entryOf_.end()) return it->second;
    std::string entry;
    fs::path rel = file.lexically_relative(rootDir_);
    if (!rel.empty() && *rel.begin() != ".." && rel.is_relative()) {
      entry = rel.generic_string();
    } else {
      entry = "external/" + file.filename().string();
    }
    if (used_.count(entry)) {
      // Two files want one name (e.g. two "external/tex.png"): number them.
      fs::path p(entry);
      std::string stem = (p.parent_path() / p.stem()).generic_string();
      std::string ext = p.extension().string();
      for (int n = 2; used_.count(entry); ++n) entry = stem + "_" + std::to_string(n) + ext;
    }
    used_.insert(entry);
    entryOf_.emplace(key, entry);
    queue_.push_back(Item{key, entry, isLayer});
    return entry;
  }

  // Plans the dependencies of `layer` (anchored at `dir`, stored as
  // `entry`) and returns how its asset paths must change.
  Expected<std::map<std::string, std::string>> planDependencies(const Layer& layer, const fs::path& dir,
                                                               std::string_view entry) {
    std::map<std::string, std::string> rewrites;
    const fs::path entryDir = fs::path(entry).parent_path();
    Status scanned = forEachAssetPath(layer, [&](const AssetPathUse& use) {
      const std::string authored(use.path);
      if (rewrites.count(authored)) return;
      // URLs, resolver-specific and package-relative paths cannot be read
      // from disk here; they are kept as written.
      if (authored.find("://") != std::string::npos || splitPackagePath(authored)) return;
      fs::path file = fs::path(authored).is_absolute() ? fs::path(authored) : dir / authored;
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) {
        warn(layer.identifier() + ": " + use.spec.string() + ": asset '" + authored +
             "' was not found; the package does not include it");
        return;
      }
      file = fs::weakly_canonical(file, ec);
      const bool isLayer = use.role != AssetRole::Value || isPackageRootName(authored);
      const std::string target = entryFor(file, isLayer);
      std::string spelled = fs::path(target).lexically_relative(entryDir).generic_string();
      if (fs::path(authored).lexically_normal().generic_string() != spelled) rewrites.emplace(authored, spelled);
    });
    if (!scanned) return std::move(scanned).error();
    return rewrites;
  }

  Status writeLayer(const Layer& layer, const fs::path& dir, const std::string& entry, bool root,
                    const std::string& source = {}) {
    Expected<std::map<std::string, std::string>> rewrites = planDependencies(layer, dir, entry);
    if (!rewrites) return std::move(rewrites).error();
    if (!root && rewrites->empty()) return copyFile(source, entry);
    std::unique_ptr<Layer> rewritten;
    if (!rewrites->empty()) {
      rewritten = layer.clone();
      Status remapped = remapAssetPaths(*rewritten, [&](const AssetPathUse& use) -> std::optional<std::string> {
        auto it = rewrites->find(std::string(use.path));
        if (it == rewrites->end()) return std::nullopt;
        return it->second;
      });
      if (!remapped) return remapped;
    }
    Expected<std::string> bytes = options_.serialize(rewritten ? *rewritten : layer, entry);
    if (!bytes) return std::move(bytes).error();
    return zip_.addFile(entry, *bytes);
  }

  Status copyFile(const std::string& source, const std::string& entry) {
    Expected<InputBuffer> input = readInput(source);
    if (!input) return std::move(input).error();
    return zip_.addFile(entry, input->data());
  }

  Status writeItem(const Item& item) {
    if (!item.isLayer || extensionAfterLastDot(item.entry) == "usdz") return copyFile(item.source, item.entry);
    Expected<std::shared_ptr<Layer>> layer = options_.openLayer(item.source);
    if (!layer) {
      // Still packaged (someone asked for it), but what it depends on is
      // unknown.
      warn(layer.error().message + " (packaged as is; its own dependencies are not included)");
      return copyFile(item.source, item.entry);
    }
    return writeLayer(**layer, fs::path(item.source).parent_path(), item.entry, /*root=*/false, item.source);
  }

  const PackageOptions& options_;
  ZipWriter& zip_;
  fs::path rootDir_;
  std::map<std::string, std::string> entryOf_;  // canonical source path -> entry name
  std::set<std::string> used_;                  // entry names taken
  std::deque<Item> queue_;
};

}  // namespace

Status writePackage(const Layer& root, OutputFile& out, const PackageOptions& options) {
  if (!isPackageRootName(options.rootEntryName))
    return makeError("usdz root entry '" + options.rootEntryName + "' must be a .usda, .usdc or .usd layer");
  ZipWriter zip(out);
  Packager packager(options, zip);
  if (Status s = packager.run(root); !s) return s;
  return zip.finish();
}

}  // namespace usdkit::usdz
