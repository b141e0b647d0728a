// libFuzzer entry point for the zip reader under .usdz: validates the
// archive, reads every entry (checking CRCs) and, as a package is opened,
// reads the root entry as a layer when it is one.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "io/usdz/ZipArchive.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto zip = usdkit::usdz::ZipArchive::open(bytes, "fuzz.usdz");
  if (!zip) return 0;
  std::uint32_t sink = 0;
  for (const usdkit::usdz::ZipEntry& entry : zip->entries()) {
    auto read = zip->read(entry.name, usdkit::usdz::CrcCheck::Verify);
    if (read) sink ^= usdkit::usdz::crc32(*read);
    if (zip->find(entry.name) != &entry) __builtin_trap();  // names are unique and found
  }
  // Entries must lie inside the archive and not overlap (the reader's promise).
  std::uint64_t end = 0;
  for (const usdkit::usdz::ZipEntry& entry : zip->entries()) {
    if (entry.dataOffset < end || entry.dataOffset + entry.data.size() > size) __builtin_trap();
    end = entry.dataOffset + entry.data.size();
  }
  (void)sink;
  return 0;
}
