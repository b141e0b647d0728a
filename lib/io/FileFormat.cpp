#include "io/FileFormat.h"

#include <array>

#include "base/FilePaths.h"
#include "io/crate/CrateFormat.h"

namespace usdkit {

namespace {

constexpr std::array<FileFormat, 5> kFormats = {{
    {.extension = "usda", .writes = LayerFormat::Usda, .packageRoot = true, .stageFile = true},
    {.extension = "usdc", .writes = LayerFormat::Usdc, .packageRoot = true, .stageFile = true},
    {.extension = "usd", .writes = LayerFormat::Usdc, .sniffed = true, .packageRoot = true, .stageFile = true},
    {.extension = "sdf", .writes = LayerFormat::Sdf},
    {.extension = "usdz", .writes = LayerFormat::Usdz, .package = true, .stageFile = true},
}};

constexpr std::string_view kZipMagic("PK\x03\x04", 4);

struct Magic {
  std::string_view bytes;
  LayerFormat format;
};
constexpr std::array<Magic, 4> kMagics = {{
    {"#usda", LayerFormat::Usda},
    {"#sdf", LayerFormat::Sdf},
    {crate::kMagic, LayerFormat::Usdc},
    {kZipMagic, LayerFormat::Usdz},
}};

}  // namespace

std::span<const FileFormat> fileFormats() noexcept { return kFormats; }

const FileFormat* findFileFormat(std::string_view extension) noexcept {
  for (const FileFormat& f : kFormats)
    if (f.extension == extension) return &f;
  return nullptr;
}

const FileFormat* fileFormatForPath(std::string_view path) noexcept {
  return findFileFormat(innermostFormatExtension(path));
}

bool isPackageRootName(std::string_view name) noexcept {
  const FileFormat* f = findFileFormat(extensionAfterLastDot(name));
  return f && f->packageRoot;
}

std::optional<LayerFormat> sniffFormat(std::string_view head) noexcept {
  for (const Magic& m : kMagics)
    if (head.starts_with(m.bytes)) return m.format;
  return std::nullopt;
}

bool mayStartLayer(std::string_view head) noexcept {
  // Text needs no cookie to be read (OpenUSD's tools accept "#sdf" and
  // other comments first), so any '#' may start one.
  if (head.empty() || head.front() == '#') return true;
  for (const Magic& m : kMagics)
    if (m.bytes.starts_with(head.substr(0, m.bytes.size()))) return true;
  return false;
}

}  // namespace usdkit
