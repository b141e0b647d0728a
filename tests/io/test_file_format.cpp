// The format registry (io/FileFormat.h) and reading files inside nested
// packages (io/Packages.h).
#include <catch2/catch.hpp>

#include "TempDirectory.h"

#include <fstream>
#include <string>
#include <vector>

#include "base/FilePaths.h"
#include "io/FileFormat.h"
#include "io/LayerIO.h"
#include "io/Packages.h"
#include "io/usdz/ZipArchive.h"

using namespace usdkit;

namespace {

// A stored archive holding `entries` (name, bytes) in order.
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& entries) {
  usdz::ZipWriter w;
  for (const auto& [name, bytes] : entries) REQUIRE(w.addFile(name, std::string_view(bytes)).ok());
  REQUIRE(w.finish().ok());
  std::vector<std::byte> b = w.takeBytes();
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

const std::string kLayer = "#usda 1.0\n\ndef \"P\"\n{\n}\n";

}  // namespace

TEST_CASE("file formats by extension", "[format]") {
  const FileFormat* usd = findFileFormat("usd");
  REQUIRE(usd);
  CHECK(usd->sniffed);
  CHECK(usd->writes == LayerFormat::Usdc);  // OpenUSD's default for .usd
  CHECK(findFileFormat("usda")->writes == LayerFormat::Usda);
  CHECK(findFileFormat("sdf")->writes == LayerFormat::Sdf);
  CHECK_FALSE(findFileFormat("sdf")->stageFile);
  CHECK(findFileFormat("usdz")->package);
  CHECK(findFileFormat("usdz")->stageFile);
  CHECK_FALSE(findFileFormat("usdz")->packageRoot);
  CHECK(findFileFormat("png") == nullptr);
  CHECK(findFileFormat("USDA") == nullptr);  // registered lowercase
  CHECK(findFileFormat("") == nullptr);

  CHECK(fileFormatForPath("a.usdz[b/c.usdc]")->writes == LayerFormat::Usdc);
  CHECK(fileFormatForPath("x.usda.zst")->writes == LayerFormat::Usda);
  CHECK(fileFormatForPath("a.usdz[b.usdz[c.sdf]]")->writes == LayerFormat::Sdf);
  CHECK(fileFormatForPath("notes.txt") == nullptr);

  CHECK(isPackageRootName("x/y.usdc"));
  CHECK(isPackageRootName("y.usd"));
  CHECK_FALSE(isPackageRootName("y.usdz"));
  CHECK_FALSE(isPackageRootName("y.sdf"));
  CHECK_FALSE(isPackageRootName("usda"));
}

TEST_CASE("file formats by content", "[format]") {
  CHECK(sniffFormat("#usda 1.0\n") == LayerFormat::Usda);
  CHECK(sniffFormat("#sdf 1.4.32\n") == LayerFormat::Sdf);
  CHECK(sniffFormat(std::string_view("PXR-USDC\0\x09", 10)) == LayerFormat::Usdc);
  CHECK(sniffFormat(std::string_view("PK\x03\x04rest", 8)) == LayerFormat::Usdz);
  CHECK(sniffFormat("") == std::nullopt);
  CHECK(sniffFormat("def \"P\" {}") == std::nullopt);
  CHECK(sniffFormat("#usd") == std::nullopt);  // a prefix of a cookie is not the cookie

  // A stream's first bytes: a prefix of any magic may still become a layer.
  CHECK(mayStartLayer(""));
  CHECK(mayStartLayer("#anything"));
  CHECK(mayStartLayer("PXR"));
  CHECK(mayStartLayer(std::string_view("PK\x03", 3)));
  CHECK(mayStartLayer(std::string_view("PXR-USDC\0\x0c\0", 11)));
  CHECK_FALSE(mayStartLayer(std::string_view("\0\0\0\0", 4)));
  CHECK_FALSE(mayStartLayer("PXR-USDX"));
  CHECK_FALSE(mayStartLayer("PKZIP"));
}

TEST_CASE("entries of nested packages are read with one depth limit", "[format][packages]") {
  testing::TempDirectory dir;
  const std::string inner = zipOf({{"c.usda", kLayer}, {"tex/t.png", "PNG"}});
  const std::string middle = zipOf({{"b.usda", kLayer}, {"inner.usdz", inner}});
  const std::string outer = dir / "a.usdz";
  writeFile(outer, zipOf({{"root.usda", kLayer}, {"sub/middle.usdz", middle}}));

  Expected<FileBytes> png = readFileBytes(joinPackagePath(outer, "sub/middle.usdz[inner.usdz[tex/t.png]]"));
  REQUIRE(png.ok());
  CHECK(png->data == "PNG");
  CHECK(png->packageDepth == 3);

  Expected<FileBytes> whole = readFileBytes(outer);
  REQUIRE(whole.ok());
  CHECK(whole->packageDepth == 0);
  CHECK(sniffFormat(whole->data) == LayerFormat::Usdz);

  Expected<std::vector<std::string>> names = packageEntryNames(joinPackagePath(outer, "sub/middle.usdz[inner.usdz]"));
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"c.usda", "tex/t.png"});

  // A layer two packages deep opens under its package-relative name.
  const std::string deep = joinPackagePath(outer, "sub/middle.usdz[inner.usdz[c.usda]]");
  Expected<std::shared_ptr<Layer>> layer = openLayer(deep);
  REQUIRE(layer.ok());
  CHECK((*layer)->identifier() == deep);

  Expected<FileBytes> missing = readFileBytes(joinPackagePath(outer, "sub/middle.usdz[nope.usda]"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("nope.usda") != std::string::npos);
}

TEST_CASE("packages nested past the limit are refused, not followed", "[format][packages]") {
  testing::TempDirectory dir;
  std::string bytes = zipOf({{"x.usda", kLayer}});
  std::string inner = "x.usda";
  for (int i = 0; i < kMaxPackageDepth + 1; ++i) {
    bytes = zipOf({{"n.usdz", bytes}});
    inner = "n.usdz[" + inner + "]";
  }
  const std::string file = dir / "deep.usdz";
  writeFile(file, bytes);
  Expected<FileBytes> read = readFileBytes(joinPackagePath(file, inner));
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().message.find("nested too deeply") != std::string::npos);

  // Within the limit the same shape reads.
  std::string shallowBytes = zipOf({{"x.usda", kLayer}});
  std::string shallow = "x.usda";
  for (int i = 0; i < kMaxPackageDepth - 1; ++i) {
    shallowBytes = zipOf({{"n.usdz", shallowBytes}});
    shallow = "n.usdz[" + shallow + "]";
  }
  writeFile(dir / "ok.usdz", shallowBytes);
  Expected<FileBytes> ok = readFileBytes(joinPackagePath(dir / "ok.usdz", shallow));
  REQUIRE(ok.ok());
  CHECK(ok->data == kLayer);
}
