#include "io/usdz/ZipArchive.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "base/FileIO.h"

namespace usdkit::usdz {

namespace {

// Record signatures and fixed sizes (PKWARE APPNOTE 4.3).
constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::uint64_t kLocalSize = 30;
constexpr std::uint64_t kCentralSize = 46;
constexpr std::uint64_t kEndSize = 22;
constexpr std::uint64_t kZip64LocatorSize = 20;
constexpr std::uint64_t kMaxComment = 0xFFFF;
constexpr std::uint64_t kExtraHeaderSize = 4;  // id + length of one extra record

// General purpose flag bits we cannot honour.
constexpr std::uint16_t kFlagEncrypted = 1u << 0;
constexpr std::uint16_t kFlagDataDescriptor = 1u << 3;
constexpr std::uint16_t kFlagStrongEncryption = 1u << 6;
constexpr std::uint16_t kFlagMaskedHeaders = 1u << 13;  // encrypted central directory

// Version needed to extract a stored entry: 1.0, which is what OpenUSD writes.
constexpr std::uint16_t kVersionStored = 10;

// ---------------------------------------------------------------------------
// CRC-32, slicing by 8: eight tables let the loop fold eight input bytes per
// step, several times faster than the classic byte-at-a-time table on
// package-sized inputs while staying portable.

using CrcTables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr CrcTables makeCrcTables() {
  CrcTables t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t k = 1; k < 8; ++k)
    for (std::size_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  return t;
}

constexpr CrcTables kCrc = makeCrcTables();

// ---------------------------------------------------------------------------
// Little-endian field access. Readers assume the caller checked the bounds.

std::uint16_t get16(std::span<const std::byte> b, std::uint64_t at) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(b[at]) |
                                    std::to_integer<unsigned>(b[at + 1]) << 8);
}

std::uint32_t get32(std::span<const std::byte> b, std::uint64_t at) {
  return std::to_integer<std::uint32_t>(b[at]) | std::to_integer<std::uint32_t>(b[at + 1]) << 8 |
         std::to_integer<std::uint32_t>(b[at + 2]) << 16 | std::to_integer<std::uint32_t>(b[at + 3]) << 24;
}

void put16(std::vector<std::byte>& out, std::uint16_t v) {
  out.push_back(static_cast<std::byte>(v & 0xFF));
  out.push_back(static_cast<std::byte>(v >> 8));
}

void put32(std::vector<std::byte>& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::byte>((v >> shift) & 0xFF));
}

std::span<const std::byte> asBytes(std::string_view s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

std::string_view asText(std::span<const std::byte> b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

// Names come from untrusted files and end up on terminals: escape control
// and non-ASCII bytes and cap the length so a hostile name cannot forge
// output or flood it.
std::string quoted(std::string_view name) {
  constexpr std::size_t kMaxShown = 120;
  std::string out = "'";
  for (std::size_t i = 0; i < name.size() && i < kMaxShown; ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\' && c != '\'') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  if (name.size() > kMaxShown) out += "...";
  out += "'";
  return out;
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string methodName(std::uint16_t method) {
  std::string s = std::to_string(method);
  switch (method) {
    case 8: return s + " (deflate)";
    case 9: return s + " (deflate64)";
    case 12: return s + " (bzip2)";
    case 14: return s + " (lzma)";
    case 93: return s + " (zstd)";
    case 99: return s + " (AES encryption)";
    default: return s;
  }
}

// Why an entry's data cannot be used in place (compressed or encrypted), or
// empty. Such an entry does not spoil the archive: OpenUSD opens the package
// and fails only when that entry is read, and a checker must still see it.
std::string unreadableEntry(std::string_view name, std::uint16_t flags, std::uint16_t method) {
  if (flags & (kFlagEncrypted | kFlagStrongEncryption))
    return "entry " + quoted(name) + " is encrypted; usdz entries must be plain";
  if (method != 0)
    return "entry " + quoted(name) + " uses compression method " + methodName(method) +
           "; usdz entries must be stored uncompressed (method 0)";
  return {};
}

// Layouts no reader of ours (or OpenUSD) can walk. Flags and method are
// checked in both the central and the local header, with the same words, so
// the message does not depend on which one lies.
std::string unsupportedEntry(std::string_view name, std::uint16_t flags) {
  if (flags & kFlagMaskedHeaders)
    return "entry " + quoted(name) + " has an encrypted central directory; usdz entries must be plain";
  if (flags & kFlagDataDescriptor)
    return "entry " + quoted(name) +
           " has its sizes in a trailing data descriptor (flag bit 3, written by streaming zip "
           "tools); usdz readers need them in the local header";
  return {};
}

// Alignment padding for data that would otherwise start at `dataOffset`.
// When the gap is too small for the extra record's own 4-byte header, a
// whole alignment unit is added so the data still lands on a boundary.
std::uint64_t paddingFor(std::uint64_t dataOffset) {
  std::uint64_t pad = (kDataAlignment - dataOffset % kDataAlignment) % kDataAlignment;
  if (pad != 0 && pad < kExtraHeaderSize) pad += kDataAlignment;
  return pad;
}

// What the central directory says about one entry.
struct CentralRecord {
  std::uint64_t at = 0;  // offset of the central header, for messages
  std::string_view name;
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint32_t crc = 0;
  std::uint32_t size = 0;
  std::uint32_t uncompressed = 0;
  std::uint32_t headerOffset = 0;
};

class Reader {
 public:
  Reader(std::span<const std::byte> bytes, const std::string& displayName)
      : b_(bytes), name_(displayName) {}

  Error fail(std::uint64_t offset, std::string_view what) const {
    std::string msg = name_;
    msg.append(": zip error at offset ").append(std::to_string(offset)).append(": ").append(what);
    return makeError(std::move(msg));
  }

  std::uint64_t size() const { return b_.size(); }

  std::string_view text(std::uint64_t offset, std::uint64_t length) const {
    return asText(b_.subspan(offset, length));
  }

  std::uint16_t u16(std::uint64_t at) const { return get16(b_, at); }
  std::uint32_t u32(std::uint64_t at) const { return get32(b_, at); }
  std::span<const std::byte> bytes() const { return b_; }

 private:
  std::span<const std::byte> b_;
  const std::string& name_;
};

struct EndRecord {
  std::uint64_t at = 0;
  std::uint32_t entries = 0;
  std::uint32_t dirSize = 0;
  std::uint32_t dirOffset = 0;
};

// The end record sits at the very end, followed only by its comment (at most
// 64 KiB), so a backwards scan over that window finds it. The comment may
// contain the signature too; we take the last candidate whose comment length
// reaches exactly to the end of the file, which a forged one inside the
// comment cannot do without also being self-consistent.
Expected<EndRecord> findEndRecord(const Reader& r) {
  if (r.size() < kEndSize)
    return r.fail(0, "file of " + std::to_string(r.size()) +
                         " bytes is too small for a zip archive (the end of central directory record "
                         "alone has 22)");
  const std::uint64_t last = r.size() - kEndSize;
  const std::uint64_t first = last > kMaxComment ? last - kMaxComment : 0;
  std::uint64_t liar = r.size();  // first candidate whose comment length was wrong
  for (std::uint64_t pos = last + 1; pos-- > first;) {
    if (r.u32(pos) != kEndSig) continue;
    std::uint64_t comment = r.u16(pos + 20);
    if (pos + kEndSize + comment == r.size()) {
      EndRecord e;
      e.at = pos;
      const std::uint16_t disk = r.u16(pos + 4), dirDisk = r.u16(pos + 6);
      const std::uint16_t onDisk = r.u16(pos + 8), total = r.u16(pos + 10);
      e.entries = total;
      e.dirSize = r.u32(pos + 12);
      e.dirOffset = r.u32(pos + 16);
      if (pos >= kZip64LocatorSize && r.u32(pos - kZip64LocatorSize) == kZip64LocatorSig)
        return r.fail(pos - kZip64LocatorSize, "ZIP64 archives are not supported");
      if (disk != 0 || dirDisk != 0 || onDisk != total)
        return r.fail(pos, "multi-disk (split) archives are not supported");
      if (e.dirSize == 0xFFFFFFFF || e.dirOffset == 0xFFFFFFFF)
        return r.fail(pos, "ZIP64 archives are not supported (central directory size or offset is 0xffffffff)");
      return e;
    }
    if (liar == r.size()) liar = pos;
  }
  if (liar != r.size())
    return r.fail(liar, "end of central directory record's comment length " + std::to_string(r.u16(liar + 20)) +
                            " does not match the " + std::to_string(r.size() - liar - kEndSize) +
                            " bytes that follow it");
  return r.fail(r.size(), "no end of central directory record (not a zip archive, or truncated)");
}

// Walks the central directory; everything about each entry that can be
// judged without its local header is judged here.
Expected<std::vector<CentralRecord>> readCentralDirectory(const Reader& r, const EndRecord& end) {
  const std::uint64_t dirOffset = end.dirOffset, dirSize = end.dirSize;
  if (dirOffset > end.at || dirSize > end.at - dirOffset)
    return r.fail(end.at, "central directory (offset " + std::to_string(dirOffset) + ", size " +
                              std::to_string(dirSize) + ") does not end before the end record at " +
                              std::to_string(end.at));
  if (dirOffset + dirSize != end.at)
    return r.fail(dirOffset + dirSize, std::to_string(end.at - dirOffset - dirSize) +
                                           " unexpected bytes between the central directory and the end record");
  // Each central header takes at least 46 bytes; this also bounds the
  // allocation below by the file size.
  if (end.entries > dirSize / kCentralSize)
    return r.fail(end.at, "entry count " + std::to_string(end.entries) + " cannot fit in a central directory of " +
                              std::to_string(dirSize) + " bytes");

  std::vector<CentralRecord> records;
  records.reserve(end.entries);
  std::unordered_map<std::string_view, std::uint64_t> seen;
  seen.reserve(end.entries);
  const std::uint64_t dirEnd = dirOffset + dirSize;
  std::uint64_t pos = dirOffset;
  for (std::uint32_t i = 0; i < end.entries; ++i) {
    if (dirEnd - pos < kCentralSize)
      return r.fail(pos, "central directory ends inside entry " + std::to_string(i) + " of " +
                             std::to_string(end.entries));
    if (r.u32(pos) != kCentralSig) return r.fail(pos, "missing central directory header signature");
    CentralRecord c;
    c.at = pos;
    c.flags = r.u16(pos + 8);
    c.method = r.u16(pos + 10);
    c.crc = r.u32(pos + 16);
    c.size = r.u32(pos + 20);
    const std::uint32_t uncompressed = r.u32(pos + 24);
    c.uncompressed = uncompressed;
    const std::uint64_t nameLength = r.u16(pos + 28);
    const std::uint64_t extraLength = r.u16(pos + 30);
    const std::uint64_t commentLength = r.u16(pos + 32);
    const std::uint16_t disk = r.u16(pos + 34);
    c.headerOffset = r.u32(pos + 42);
    const std::uint64_t recordSize = kCentralSize + nameLength + extraLength + commentLength;
    if (recordSize > dirEnd - pos)
      return r.fail(pos, "central directory header of " + std::to_string(recordSize) +
                             " bytes runs past the end of the central directory");
    c.name = r.text(pos + kCentralSize, nameLength);

    if (std::string_view why = entryNameProblem(c.name); !why.empty())
      return r.fail(pos, "entry name " + quoted(c.name) + " " + std::string(why));
    if (auto [it, fresh] = seen.emplace(c.name, pos); !fresh)
      return r.fail(pos, "duplicate entry name " + quoted(c.name) + " (first listed at offset " +
                             std::to_string(it->second) + ")");
    if (std::string why = unsupportedEntry(c.name, c.flags); !why.empty()) return r.fail(pos, why);
    if (c.size == 0xFFFFFFFF || uncompressed == 0xFFFFFFFF || c.headerOffset == 0xFFFFFFFF)
      return r.fail(pos, "entry " + quoted(c.name) + " needs ZIP64, which is not supported");
    if (c.method == 0 && uncompressed != c.size)
      return r.fail(pos, "stored entry " + quoted(c.name) + " has compressed size " + std::to_string(c.size) +
                             " but uncompressed size " + std::to_string(uncompressed));
    if (disk != 0) return r.fail(pos, "entry " + quoted(c.name) + " is on another disk");
    records.push_back(c);
    pos += recordSize;
  }
  if (pos != dirEnd)
    return r.fail(pos, std::to_string(dirEnd - pos) + " bytes left in the central directory after its " +
                           std::to_string(end.entries) + " entries");
  return records;
}

// Checks an entry's local header against its central record and returns the
// entry. `expectedAt` is where the header must start for the
// archive to read the same way front to back (OpenUSD) and through the
// central directory (us); `limit` is the start of the central directory.
Expected<ZipEntry> readLocalHeader(const Reader& r, const CentralRecord& c, std::uint64_t expectedAt,
                                   std::uint64_t limit, std::string_view previous) {
  const std::uint64_t at = c.headerOffset;
  if (at != expectedAt) {
    if (expectedAt == 0)
      return r.fail(c.at, "first entry " + quoted(c.name) + " starts at offset " + std::to_string(at) +
                              ", not 0; a usdz archive must start with its first local header");
    if (at < expectedAt)
      return r.fail(c.at, "entry " + quoted(c.name) + " at offset " + std::to_string(at) + " overlaps entry " +
                              quoted(previous) + ", which ends at offset " + std::to_string(expectedAt));
    return r.fail(c.at, "entry " + quoted(c.name) + " at offset " + std::to_string(at) + " leaves " +
                            std::to_string(at - expectedAt) + " unused bytes after entry " + quoted(previous) +
                            "; readers that walk local headers would stop there");
  }
  if (at > limit || limit - at < kLocalSize)
    return r.fail(at, "local header of " + quoted(c.name) + " runs into the central directory at offset " +
                          std::to_string(limit));
  if (r.u32(at) != kLocalSig) return r.fail(at, "missing local file header signature for entry " + quoted(c.name));

  const std::uint16_t flags = r.u16(at + 6), method = r.u16(at + 8);
  const std::uint32_t crc = r.u32(at + 14), size = r.u32(at + 18), uncompressed = r.u32(at + 22);
  const std::uint64_t nameLength = r.u16(at + 26), extraLength = r.u16(at + 28);
  const std::uint64_t dataOffset = at + kLocalSize + nameLength + extraLength;
  if (dataOffset > limit)
    return r.fail(at, "local header of " + quoted(c.name) + " runs into the central directory at offset " +
                          std::to_string(limit));
  std::string_view name = r.text(at + kLocalSize, nameLength);
  if (name != c.name)
    return r.fail(at + kLocalSize, "local header names the entry " + quoted(name) +
                                       " but the central directory names it " + quoted(c.name));
  if (std::string why = unsupportedEntry(name, flags); !why.empty()) return r.fail(at, why);
  if (flags != c.flags || method != c.method)
    return r.fail(at, "local header of " + quoted(name) + " gives flags/method " + std::to_string(flags) + "/" +
                          std::to_string(method) + " but the central directory says " + std::to_string(c.flags) +
                          "/" + std::to_string(c.method));
  if (size != c.size || uncompressed != c.uncompressed)
    return r.fail(at, "local header of " + quoted(name) + " gives sizes " + std::to_string(size) + "/" +
                          std::to_string(uncompressed) + " but the central directory says " +
                          std::to_string(c.size) + "/" + std::to_string(c.uncompressed));
  if (crc != c.crc)
    return r.fail(at, "local header of " + quoted(name) + " gives CRC " + hex32(crc) +
                          " but the central directory says " + hex32(c.crc));
  if (size > limit - dataOffset)
    return r.fail(dataOffset, "data of entry " + quoted(name) + " (" + std::to_string(size) +
                                  " bytes) runs past the central directory at offset " + std::to_string(limit));
  ZipEntry e;
  e.name = c.name;
  e.data = r.bytes().subspan(dataOffset, size);
  e.headerOffset = at;
  e.dataOffset = dataOffset;
  e.crc32 = c.crc;
  e.method = method;
  e.flags = flags;
  e.uncompressedSize = uncompressed;
  return e;
}

}  // namespace

std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc) noexcept {
  crc = ~crc;
  const std::byte* p = data.data();
  std::size_t n = data.size();
  while (n >= 8) {
    const std::uint32_t lo = get32(std::span(p, 4), 0) ^ crc;
    const std::uint32_t hi = get32(std::span(p + 4, 4), 0);
    crc = kCrc[7][lo & 0xFF] ^ kCrc[6][(lo >> 8) & 0xFF] ^ kCrc[5][(lo >> 16) & 0xFF] ^ kCrc[4][lo >> 24] ^
          kCrc[3][hi & 0xFF] ^ kCrc[2][(hi >> 8) & 0xFF] ^ kCrc[1][(hi >> 16) & 0xFF] ^ kCrc[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  for (; n > 0; --n, ++p) crc = (crc >> 8) ^ kCrc[0][(crc ^ std::to_integer<std::uint32_t>(*p)) & 0xFF];
  return ~crc;
}

std::string_view entryNameProblem(std::string_view name) noexcept {
  if (name.empty()) return "is empty";
  if (name.size() > 0xFFFF) return "is longer than 65535 bytes";
  if (name.find('\0') != std::string_view::npos) return "contains a NUL byte";
  // A backslash is a separator on Windows, so "..\\x" would escape there.
  if (name.find('\\') != std::string_view::npos) return "contains a backslash (zip names use '/')";
  if (name.front() == '/') return "is an absolute path";
  if (name.size() >= 2 && name[1] == ':' &&
      ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
    return "starts with a drive letter";
  std::size_t start = 0;
  for (;;) {
    std::size_t slash = name.find('/', start);
    std::string_view part = name.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part == "..") return "has a '..' component";
    if (part == ".") return "has a '.' component";
    if (slash == std::string_view::npos) return {};
    if (part.empty()) return "has an empty component ('//')";
    start = slash + 1;
    if (start == name.size()) return {};  // "dir/": a directory entry
  }
}

// ---------------------------------------------------------------------------
// ZipArchive

Expected<ZipArchive> ZipArchive::open(std::string_view bytes, std::string displayName) {
  return open(asBytes(bytes), std::move(displayName));
}

Expected<ZipArchive> ZipArchive::open(std::span<const std::byte> bytes, std::string displayName) {
  ZipArchive archive;
  archive.bytes_ = bytes;
  archive.displayName_ = std::move(displayName);
  const Reader r(bytes, archive.displayName_);

  auto end = findEndRecord(r);
  if (!end) return std::move(end).error();
  auto central = readCentralDirectory(r, *end);
  if (!central) return std::move(central).error();

  archive.entries_.reserve(central->size());
  archive.byName_.reserve(central->size());
  std::uint64_t next = 0;
  std::string_view previous;
  for (const CentralRecord& c : *central) {
    auto entry = readLocalHeader(r, c, next, end->dirOffset, previous);
    if (!entry) return std::move(entry).error();
    next = entry->dataOffset + entry->data.size();
    previous = entry->name;
    archive.byName_.emplace(entry->name, archive.entries_.size());
    archive.entries_.push_back(*entry);
  }
  if (next != end->dirOffset) {
    if (central->empty())
      return r.fail(0, "archive without entries has " + std::to_string(end->dirOffset) +
                           " bytes before its central directory");
    return r.fail(next, std::to_string(end->dirOffset - next) + " unused bytes between the data of entry " +
                            quoted(previous) + " and the central directory");
  }
  return archive;
}

const ZipEntry* ZipArchive::find(std::string_view name) const noexcept {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : &entries_[it->second];
}

Status ZipArchive::verifyCrc(const ZipEntry& entry) const {
  const std::uint32_t actual = crc32(entry.data);
  if (actual == entry.crc32) return Ok{};
  return Reader(bytes_, displayName_)
      .fail(entry.dataOffset, "CRC mismatch in entry " + quoted(entry.name) + ": recorded " + hex32(entry.crc32) +
                                  ", data has " + hex32(actual));
}

Expected<std::span<const std::byte>> ZipArchive::read(std::string_view name, CrcCheck check) const {
  const ZipEntry* entry = find(name);
  if (!entry) return makeError(displayName_ + ": no entry " + quoted(name) + " in the zip archive");
  if (std::string why = unreadableEntry(entry->name, entry->flags, entry->method); !why.empty())
    return makeError(displayName_ + ": zip error at offset " + std::to_string(entry->headerOffset) + ": " + why);
  if (check == CrcCheck::Verify) {
    Status s = verifyCrc(*entry);
    if (!s) return std::move(s).error();
  }
  return entry->data;
}

// ---------------------------------------------------------------------------
// ZipWriter

ZipWriter::ZipWriter(OutputFile& out) : out_(&out) {}

Error ZipWriter::fail(std::string_view what) const {
  std::string msg = out_ ? out_->path() : std::string("zip archive");
  msg.append(": ").append(what);
  return makeError(std::move(msg));
}

Status ZipWriter::emit(std::span<const std::byte> bytes) {
  if (!out_) {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  } else if (Status s = out_->write(asText(bytes)); !s) {
    broken_ = true;
    return s;
  }
  offset_ += bytes.size();
  return Ok{};
}

Status ZipWriter::addFile(std::string name, std::string_view data) {
  return addFile(std::move(name), asBytes(data));
}

Status ZipWriter::addFile(std::string name, std::span<const std::byte> data) {
  if (broken_) return fail("cannot add entry " + quoted(name) + " after a failed write");
  if (finished_) return fail("cannot add entry " + quoted(name) + " after finish()");
  if (std::string_view why = entryNameProblem(name); !why.empty())
    return fail("cannot add entry " + quoted(name) + ": the name " + std::string(why));
  if (names_.contains(name)) return fail("cannot add entry " + quoted(name) + " twice");
  // 0xFFFF entries and 0xFFFFFFFF sizes/offsets are ZIP64 escape values.
  if (records_.size() >= 0xFFFE) return fail("cannot add entry " + quoted(name) + ": too many entries for zip");

  const std::uint64_t headerOffset = offset_;
  const std::uint64_t extraLength = paddingFor(headerOffset + kLocalSize + name.size());
  const std::uint64_t dataOffset = headerOffset + kLocalSize + name.size() + extraLength;
  const std::uint64_t directoryEntry = kCentralSize + name.size() + extraLength;
  // Everything, including the directory finish() will write, must stay
  // addressable with 32-bit offsets and sizes.
  if (data.size() >= 0xFFFFFFFF || dataOffset + data.size() + centralDirSize_ + directoryEntry + kEndSize >= 0xFFFFFFFF)
    return fail("cannot add entry " + quoted(name) + ": the archive would reach 4 GiB, which needs ZIP64");

  Record rec;
  rec.crc = crc32(data);
  rec.size = static_cast<std::uint32_t>(data.size());
  rec.headerOffset = static_cast<std::uint32_t>(headerOffset);
  rec.extraLength = static_cast<std::uint16_t>(extraLength);

  std::vector<std::byte> header;
  header.reserve(kLocalSize + name.size() + extraLength);
  put32(header, kLocalSig);
  put16(header, kVersionStored);
  put16(header, 0);  // flags
  put16(header, 0);  // method: stored
  put16(header, kDosTime);
  put16(header, kDosDate);
  put32(header, rec.crc);
  put32(header, rec.size);  // compressed
  put32(header, rec.size);  // uncompressed
  put16(header, static_cast<std::uint16_t>(name.size()));
  put16(header, rec.extraLength);
  const auto nameBytes = asBytes(name);
  header.insert(header.end(), nameBytes.begin(), nameBytes.end());
  if (extraLength > 0) {
    put16(header, kPaddingExtraFieldId);
    put16(header, static_cast<std::uint16_t>(extraLength - kExtraHeaderSize));
    header.resize(header.size() + extraLength - kExtraHeaderSize, std::byte{0});
  }
  if (Status s = emit(header); !s) return s;
  if (Status s = emit(data); !s) return s;

  centralDirSize_ += directoryEntry;
  names_.insert(name);
  rec.name = std::move(name);
  records_.push_back(std::move(rec));
  return Ok{};
}

Status ZipWriter::finish() {
  if (broken_) return fail("cannot finish the archive after a failed write");
  if (finished_) return fail("finish() called twice");
  const std::uint64_t dirOffset = offset_;

  std::vector<std::byte> tail;
  tail.reserve(centralDirSize_ + kEndSize);
  for (const Record& rec : records_) {
    // OpenUSD repeats the local header's fields, padding record included,
    // with zero "version made by", attributes and comment.
    put32(tail, kCentralSig);
    put16(tail, 0);  // version made by
    put16(tail, kVersionStored);
    put16(tail, 0);  // flags
    put16(tail, 0);  // method
    put16(tail, kDosTime);
    put16(tail, kDosDate);
    put32(tail, rec.crc);
    put32(tail, rec.size);
    put32(tail, rec.size);
    put16(tail, static_cast<std::uint16_t>(rec.name.size()));
    put16(tail, rec.extraLength);
    put16(tail, 0);  // comment length
    put16(tail, 0);  // disk number
    put16(tail, 0);  // internal attributes
    put32(tail, 0);  // external attributes
    put32(tail, rec.headerOffset);
    const auto nameBytes = asBytes(rec.name);
    tail.insert(tail.end(), nameBytes.begin(), nameBytes.end());
    if (rec.extraLength > 0) {
      put16(tail, kPaddingExtraFieldId);
      put16(tail, static_cast<std::uint16_t>(rec.extraLength - kExtraHeaderSize));
      tail.resize(tail.size() + rec.extraLength - kExtraHeaderSize, std::byte{0});
    }
  }
  const auto count = static_cast<std::uint16_t>(records_.size());
  put32(tail, kEndSig);
  put16(tail, 0);  // this disk
  put16(tail, 0);  // disk with the central directory
  put16(tail, count);
  put16(tail, count);
  put32(tail, static_cast<std::uint32_t>(centralDirSize_));
  put32(tail, static_cast<std::uint32_t>(dirOffset));
  put16(tail, 0);  // comment length
  if (Status s = emit(tail); !s) return s;
  finished_ = true;
  return Ok{};
}

}  // namespace usdkit::usdz
