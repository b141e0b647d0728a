// The zip container under .usdz packages: a validating reader over bytes the
// caller owns, and a writer that lays entries out the way OpenUSD's
// UsdZipFileWriter does (crate-format.md §18).
//
// Only what usdz needs is supported: stored (uncompressed) entries, one disk,
// no encryption, no data descriptors, no ZIP64. The reader rejects anything
// else, and anything OpenUSD would see differently from us: OpenUSD ignores
// the central directory and walks local headers from byte 0, so we require
// the central directory to describe exactly that walk (first entry at 0,
// entries back to back in directory order, central directory right after the
// last entry's data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/Expected.h"

namespace usdkit {
class OutputFile;
}

namespace usdkit::usdz {

// CRC-32 as zip uses it (reflected polynomial 0xEDB88320, pre- and
// post-inverted). Chains like zlib: crc32(b, crc32(a)) == crc32(a + b).
std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc = 0) noexcept;

// usdz requires every entry's data to start at a multiple of this many bytes
// from the start of the archive, so that crate files can be mapped in place.
inline constexpr std::uint64_t kDataAlignment = 64;

// Header id of the extra-field record that carries the alignment padding.
// OpenUSD picked it; other tools treat unknown ids as opaque.
inline constexpr std::uint16_t kPaddingExtraFieldId = 0x1986;

// OpenUSD stamps each entry with its source file's mtime. We have only bytes
// and want reproducible output, so every entry gets the earliest date MS-DOS
// time can express: 1980-01-01 00:00:00 (date 0 would be the invalid day
// 1980-00-00, which some tools print as 1979-11-30).
inline constexpr std::uint16_t kDosTime = 0;
inline constexpr std::uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;

// Why `name` may not be a zip entry name, or an empty view when it may.
// Shared by reader and writer: a relative path with '/' separators, no
// empty, "." or ".." components, no leading '/', drive letter, backslash or
// NUL. A trailing '/' (a directory entry, as `zip -r` writes) is allowed.
std::string_view entryNameProblem(std::string_view name) noexcept;

struct ZipEntry {
  std::string_view name;            // points into the archive bytes
  std::span<const std::byte> data;  // the stored bytes, in the archive
  std::uint64_t headerOffset = 0;   // local file header
  std::uint64_t dataOffset = 0;     // == data's position in the archive
  std::uint32_t crc32 = 0;          // as recorded, checked only on request
  // Compressed or encrypted entries are listed (a package checker reports
  // them) but read() refuses them; `data` is then the raw stored bytes.
  std::uint16_t method = 0;
  std::uint16_t flags = 0;
  std::uint32_t uncompressedSize = 0;
  bool usable() const noexcept { return method == 0 && (flags & 0x41) == 0; }
};

enum class CrcCheck { Skip, Verify };

// A validated view of an archive. Holds no bytes itself: entries point into
// the span given to open(), which must outlive the archive and its entries.
class ZipArchive {
 public:
  // Validates the whole archive structure up front, so that every entry
  // handed out afterwards is safe to use. CRCs are not checked here (that
  // would read every byte; see verifyCrc). Errors read
  // "<displayName>: zip error at offset N: <what>".
  static Expected<ZipArchive> open(std::span<const std::byte> bytes, std::string displayName);
  static Expected<ZipArchive> open(std::string_view bytes, std::string displayName);

  // In archive order; the first entry is a usdz package's root layer.
  std::span<const ZipEntry> entries() const noexcept { return entries_; }

  // Exact, byte-wise name match (as OpenUSD looks entries up); nullptr when
  // there is no such entry.
  const ZipEntry* find(std::string_view name) const noexcept;

  // The entry's data, optionally after checking its CRC. Errors name the
  // archive and, for a missing entry, the name asked for.
  Expected<std::span<const std::byte>> read(std::string_view name, CrcCheck check = CrcCheck::Skip) const;

  // Checks one entry's data against its recorded CRC.
  Status verifyCrc(const ZipEntry& entry) const;

  const std::string& displayName() const noexcept { return displayName_; }
  std::size_t archiveSize() const noexcept { return bytes_.size(); }

 private:
  ZipArchive() = default;

  std::span<const std::byte> bytes_;
  std::string displayName_;
  std::vector<ZipEntry> entries_;
  // Keys point into the archive bytes, not into this object, so moving the
  // archive keeps them valid.
  std::unordered_map<std::string_view, std::size_t> byName_;
};

// Builds an archive entry by entry, in call order, byte-identical to what
// OpenUSD writes for the same names and data (apart from the timestamps, see
// kDosDate). Either collects the archive in memory (default constructor;
// take it with takeBytes() after finish()) or streams it into an OutputFile
// as entries are added, so large packages are never held twice.
class ZipWriter {
 public:
  ZipWriter() = default;
  // `out` must outlive the writer. The writer never commits it: the caller
  // does, after finish() succeeded.
  explicit ZipWriter(OutputFile& out);

  ZipWriter(ZipWriter&&) noexcept = default;
  ZipWriter& operator=(ZipWriter&&) noexcept = default;

  // Appends a stored entry. Rejects names entryNameProblem() objects to,
  // duplicate names (OpenUSD silently keeps the first; a caller adding two
  // different files under one name has a bug we should not hide) and
  // anything that would need ZIP64 (entries or archive of 4 GiB and more,
  // 65535 entries or more). A failed write to the output makes every later
  // call fail as well.
  Status addFile(std::string name, std::span<const std::byte> data);
  Status addFile(std::string name, std::string_view data);

  // Writes the central directory and the end record. Call once.
  Status finish();

  // The archive so far (complete after finish()); empty when streaming.
  std::vector<std::byte> takeBytes() noexcept { return std::move(buffer_); }

  std::size_t entryCount() const noexcept { return records_.size(); }

 private:
  struct Record {
    std::string name;
    std::uint32_t crc = 0;
    std::uint32_t size = 0;
    std::uint32_t headerOffset = 0;
    std::uint16_t extraLength = 0;
  };

  Status emit(std::span<const std::byte> bytes);
  Error fail(std::string_view what) const;

  OutputFile* out_ = nullptr;
  std::vector<std::byte> buffer_;
  std::vector<Record> records_;
  std::unordered_set<std::string> names_;
  std::uint64_t offset_ = 0;            // bytes written so far
  std::uint64_t centralDirSize_ = 0;    // what finish() will add, minus the end record
  bool finished_ = false;
  bool broken_ = false;
};

}  // namespace usdkit::usdz
