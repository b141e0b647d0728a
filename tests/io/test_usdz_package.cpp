// Asset-path traversal and usdz packaging: which paths a layer depends on,
// how a package lays out and renames them, and how package-relative paths
// are split.
#include <catch2/catch.hpp>

#include "TempDirectory.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "base/FileIO.h"
#include "io/LayerIO.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"
#include "io/usdz/UsdzPackage.h"
#include "io/usdz/ZipArchive.h"
#include "sdf/AssetPaths.h"

using namespace usdkit;
using usdkit::testing::TempDirectory;

namespace {

namespace fs = std::filesystem;

std::unique_ptr<Layer> parse(std::string_view text, std::string name = "test.usda") {
  auto layer = readUsda(text, name);
  REQUIRE(layer.ok());
  return std::move(layer.value());
}

void writeFile(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string textOf(std::span<const std::byte> b) { return std::string(reinterpret_cast<const char*>(b.data()), b.size()); }


constexpr std::string_view kDependent = R"(#usda 1.0
(
    subLayers = [@./sub/weak.usda@, @missing.usda@]
)

def "A" (
    references = [@ref.usda@</X>, </Internal>]
    payload = @pay.usdc@
    customData = {
        asset tex = @dict.png@
        dictionary nested = {
            asset[] more = [@n1.png@, @n2.png@]
        }
    }
)
{
    asset file = @a.png@
    asset[] files = [@b.png@, @@]
    asset anim.timeSamples = {
        1: @t1.png@,
        2: None,
    }
}
)";

}  // namespace

TEST_CASE("every asset path of a layer is found with its role", "[usdz][assets]") {
  auto layer = parse(kDependent);
  std::vector<std::pair<AssetRole, std::string>> found;
  REQUIRE(forEachAssetPath(*layer, [&](const AssetPathUse& use) {
            found.emplace_back(use.role, std::string(use.path));
          }).ok());
  std::multimap<std::string, AssetRole> byPath;
  for (auto& [role, path] : found) byPath.emplace(path, role);
  CHECK(found.size() == 10);
  CHECK(byPath.find("./sub/weak.usda")->second == AssetRole::SubLayer);
  CHECK(byPath.find("missing.usda")->second == AssetRole::SubLayer);
  CHECK(byPath.find("ref.usda")->second == AssetRole::Reference);
  CHECK(byPath.find("pay.usdc")->second == AssetRole::Payload);
  for (const char* value : {"dict.png", "n1.png", "n2.png", "a.png", "b.png", "t1.png"}) {
    INFO(value);
    REQUIRE(byPath.count(value) == 1);
    CHECK(byPath.find(value)->second == AssetRole::Value);
  }
  CHECK(byPath.count("") == 0);  // internal references and empty assets are not dependencies
}

TEST_CASE("remapping rewrites only the paths asked for and keeps the rest", "[usdz][assets]") {
  auto layer = parse(kDependent);
  REQUIRE(remapAssetPaths(*layer, [](const AssetPathUse& use) -> std::optional<std::string> {
            if (use.path == "ref.usda") return "deps/ref.usda";
            if (use.path == "n2.png") return "tex/n2.png";
            if (use.path == "t1.png") return "tex/t1.png";
            return std::nullopt;
          }).ok());
  std::string text = writeUsdaToString(*layer).value();
  CHECK(text.find("@deps/ref.usda@</X>") != std::string::npos);
  CHECK(text.find("</Internal>") != std::string::npos);
  CHECK(text.find("[@n1.png@, @tex/n2.png@]") != std::string::npos);
  CHECK(text.find("1: @tex/t1.png@") != std::string::npos);
  CHECK(text.find("2: None") != std::string::npos);
  CHECK(text.find("@./sub/weak.usda@") != std::string::npos);
  CHECK(text.find("@pay.usdc@") != std::string::npos);
}

TEST_CASE("a package holds the root layer first and every dependency once, aligned", "[usdz]") {
  TempDirectory tmp;
  const fs::path root = tmp.path / "scene";
  writeFile(root / "sub/ref.usda", "#usda 1.0\n\ndef \"X\" (\n    references = @../scene.usda@</Y>\n)\n{\n    asset t = @../tex/a.png@\n}\n");
  writeFile(root / "tex/a.png", "PNGDATA-A");
  writeFile(tmp.path / "outside/b.png", "PNGDATA-B");
  writeFile(tmp.path / "other/b.png", "PNGDATA-B2");
  auto layer = parse(
      "#usda 1.0\n\ndef \"Y\" (\n    references = @./sub/ref.usda@</X>\n)\n{\n"
      "    asset[] t = [@tex/a.png@, @../outside/b.png@, @../other/b.png@, @nowhere.png@]\n}\n",
      (root / "scene.usda").string());
  writeFile(root / "scene.usda", writeUsdaToString(*layer).value());

  const fs::path out = tmp.path / "scene.usdz";
  auto file = OutputFile::create(out.string());
  REQUIRE(file.ok());
  std::vector<std::string> warnings;
  usdz::PackageOptions options;
  options.rootEntryName = "scene.usda";
  options.rootDirectory = root.string();
  options.rootSourcePath = (root / "scene.usda").string();
  options.openLayer = [](const std::string& p) { return openLayer(p); };
  options.serialize = [](const Layer& l, std::string_view) { return writeUsdaToString(l); };
  options.warnings = &warnings;
  REQUIRE(usdz::writePackage(*layer, *file, options).ok());
  REQUIRE(file->commit().ok());

  auto bytes = readInput(out.string());
  REQUIRE(bytes.ok());
  auto zip = usdz::ZipArchive::open(bytes->data(), out.string());
  REQUIRE(zip.ok());
  std::vector<std::string> names;
  for (const auto& e : zip->entries()) {
    names.emplace_back(e.name);
    CHECK(e.dataOffset % usdz::kDataAlignment == 0);
    CHECK(zip->verifyCrc(e).ok());
  }
  // Breadth-first from the root; the self-reference of ref.usda leads back
  // to the root entry instead of a copy; same-named outside files are
  // numbered.
  CHECK(names == std::vector<std::string>{"scene.usda", "sub/ref.usda", "tex/a.png", "external/b.png",
                                          "external/b_2.png"});
  std::string rootText = textOf(zip->read("scene.usda").value());
  CHECK(rootText.find("[@tex/a.png@, @external/b.png@, @external/b_2.png@, @nowhere.png@]") != std::string::npos);
  CHECK(rootText.find("@./sub/ref.usda@</X>") != std::string::npos);  // already right: unchanged
  // ref.usda needed no rewriting, so it is stored byte for byte.
  std::ifstream refFile(root / "sub/ref.usda", std::ios::binary);
  std::string refOnDisk((std::istreambuf_iterator<char>(refFile)), std::istreambuf_iterator<char>());
  CHECK(textOf(zip->read("sub/ref.usda").value()) == refOnDisk);
  CHECK(textOf(zip->read("external/b_2.png").value()) == "PNGDATA-B2");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("nowhere.png") != std::string::npos);
  CHECK(warnings[0].find("/Y.t") != std::string::npos);

  // The packaged root layer opens through the package, and so does a
  // package-relative path to a dependency.
  auto reopened = openLayer(out.string());
  REQUIRE(reopened.ok());
  CHECK((*reopened)->findSpec(Path::parse("/Y").value()) != nullptr);
  auto inner = openLayer(out.string() + "[sub/ref.usda]");
  REQUIRE(inner.ok());
  CHECK((*inner)->findSpec(Path::parse("/X").value()) != nullptr);
  auto missing = openLayer(out.string() + "[sub/none.usda]");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("no entry 'sub/none.usda'") != std::string::npos);
}

TEST_CASE("a package whose first entry is not a layer has no root layer", "[usdz]") {
  usdz::ZipWriter zip;
  REQUIRE(zip.addFile("tex.png", std::string_view("PNG")).ok());
  REQUIRE(zip.addFile("root.usda", std::string_view("#usda 1.0\n")).ok());
  REQUIRE(zip.finish().ok());
  std::vector<std::byte> bytes = zip.takeBytes();
  TempDirectory tmp;
  const fs::path file = tmp.path / "odd.usdz";
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
  auto layer = openLayer(file.string());
  REQUIRE_FALSE(layer.ok());
  CHECK(layer.error().message.find("first entry 'tex.png' is not a layer") != std::string::npos);
  // Addressing the layer entry directly still works.
  CHECK(openLayer(file.string() + "[root.usda]").ok());
}
