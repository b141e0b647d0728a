// The container and structural sections of a crate file: bootstrap, table of
// contents, TOKENS, STRINGS, FIELDS, FIELDSETS, PATHS and SPECS
// (docs/crate-format.md §3-§6, hardening per §21).
#include <algorithm>
#include <cstring>
#include <mutex>
#include <optional>

#include "io/crate/Compression.h"
#include "io/crate/CrateInternal.h"

namespace usdkit::crate {

namespace {

// Compressed structural sections appeared in 0.4.0 (§16.4).
constexpr Version kCompressedStructure{0, 4, 0};
constexpr Version kFirstFixedLayout{0, 1, 0};
constexpr Version kVersion001{0, 0, 1};

template <class T>
std::vector<T> readIntBlock(ByteReader& r, std::uint64_t count, Budget& budget, std::string_view what) {
  const std::uint64_t at = r.pos();
  budget.charge(Budget::times(count, sizeof(T)), at);
  auto block = decodeIntBlock<T>(r.rest(), static_cast<std::size_t>(count));
  if (!block) throwNested(at, Error{std::string(what) + ": " + block.error().message});
  r.seek(at + block->byteSize);
  return std::move(block->values);
}

template <class T>
std::vector<T> readRawVector(ByteReader& r, std::uint64_t count, Budget& budget, std::string_view what) {
  r.need(Budget::times(count, sizeof(T)), what);
  budget.charge(Budget::times(count, sizeof(T)), r.pos());
  std::vector<T> out(static_cast<std::size_t>(count));
  if (count) std::memcpy(out.data(), r.bytes(count * sizeof(T), what).data(), count * sizeof(T));
  return out;
}

Section findSection(ByteReader toc, std::uint64_t count, std::uint64_t fileSize, std::string_view name) {
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t at = toc.pos();
    auto raw = toc.bytes(kSectionNameSize, "a section name");
    const char* chars = reinterpret_cast<const char*>(raw.data());
    const void* nul = std::memchr(chars, 0, kSectionNameSize);
    if (!nul) throwAt(at, "section name is not NUL-terminated within 16 bytes");
    const std::string_view sectionName(chars, static_cast<std::size_t>(static_cast<const char*>(nul) - chars));
    const auto start = toc.read<std::int64_t>("a section start");
    const auto size = toc.read<std::int64_t>("a section size");
    if (sectionName != name) continue;  // first match wins, as in OpenUSD
    if (start < 0 || size < 0 || static_cast<std::uint64_t>(start) > fileSize ||
        static_cast<std::uint64_t>(size) > fileSize - static_cast<std::uint64_t>(start))
      throwAt(at, "section " + std::string(name) + " (start " + std::to_string(start) + ", size " + std::to_string(size) +
                      ") does not lie within the " + std::to_string(fileSize) + "-byte file");
    return Section{static_cast<std::uint64_t>(start), static_cast<std::uint64_t>(size)};
  }
  throwAt(toc.pos(), "missing " + std::string(name) + " section in the table of contents");
}

ByteReader sectionReader(const CrateFile& file, Section s) { return ByteReader(file.data, s.start, s.start + s.size); }

void readTokens(CrateFile& file, Section s, Budget& budget) {
  ByteReader r = sectionReader(file, s);
  const std::uint64_t countAt = r.pos();
  const auto numTokens = r.read<std::uint64_t>("the token count");
  const auto rawSize = r.read<std::uint64_t>("the token text size");
  std::string text;
  if (file.version >= kCompressedStructure) {
    const std::uint64_t compressedAt = r.pos();
    const auto compressedSize = r.read<std::uint64_t>("the compressed token text size");
    r.need(compressedSize, "the compressed token text");
    if (rawSize > tfcMaxDecodedSize(static_cast<std::size_t>(compressedSize)))
      throwAt(compressedAt, "token text of " + std::to_string(rawSize) + " bytes cannot come from " +
                                std::to_string(compressedSize) + " compressed bytes");
    budget.charge(rawSize, countAt);
    text.resize(static_cast<std::size_t>(rawSize));
    const std::uint64_t streamAt = r.pos();
    auto stream = r.bytes(compressedSize, "the compressed token text");
    Status st = decompressTfcExact(stream, std::as_writable_bytes(std::span<char>(text.data(), text.size())));
    if (!st) throwNested(streamAt, st.error());
  } else {
    r.need(rawSize, "the token text");
    budget.charge(rawSize, countAt);
    auto raw = r.bytes(rawSize, "the token text");
    text.assign(reinterpret_cast<const char*>(raw.data()), raw.size());
  }
  // Every token ends with a NUL, so there cannot be more tokens than bytes.
  if (numTokens > rawSize) throwAt(countAt, std::to_string(numTokens) + " tokens cannot fit in " + std::to_string(rawSize) + " bytes of text");
  if (!text.empty() && text.back() != '\0') throwAt(countAt, "token text does not end with a NUL byte");
  budget.charge(Budget::times(numTokens, sizeof(Token)), countAt);
  file.tokens.reserve(static_cast<std::size_t>(numTokens));
  std::size_t pos = 0;
  while (file.tokens.size() < numTokens && pos < text.size()) {
    const std::size_t nul = text.find('\0', pos);
    file.tokens.emplace_back(std::string_view(text).substr(pos, nul - pos));
    pos = nul + 1;
  }
  if (file.tokens.size() != numTokens)
    throwAt(countAt, "expected " + std::to_string(numTokens) + " tokens but the text holds only " + std::to_string(file.tokens.size()));
}

void readStrings(CrateFile& file, Section s, Budget& budget) {
  ByteReader r = sectionReader(file, s);
  const std::uint64_t count = r.readCount(4, "string count");
  const std::uint64_t at = r.pos();
  file.strings = readRawVector<std::uint32_t>(r, count, budget, "the string table");
  for (std::size_t i = 0; i < file.strings.size(); ++i)
    if (file.strings[i] >= file.tokens.size())
      throwAt(at + 4 * i, "string " + std::to_string(i) + " refers to token " + std::to_string(file.strings[i]) +
                              " but there are only " + std::to_string(file.tokens.size()) + " tokens");
}

void readFields(const CrateFile& file, CrateStructure& out, Budget& budget) {
  ByteReader r = sectionReader(file, out.sections.fields);
  const std::uint64_t at = r.pos();
  if (file.version >= kCompressedStructure) {
    const auto numFields = r.read<std::uint64_t>("the field count");
    out.fieldTokens = readIntBlock<std::uint32_t>(r, numFields, budget, "field name tokens");
    const std::uint64_t sizeAt = r.pos();
    const auto repsSize = r.read<std::uint64_t>("the compressed field values size");
    r.need(repsSize, "the compressed field values");
    if (Budget::times(numFields, 8) > tfcMaxDecodedSize(static_cast<std::size_t>(repsSize)))
      throwAt(sizeAt, std::to_string(numFields) + " field values cannot come from " + std::to_string(repsSize) + " compressed bytes");
    budget.charge(numFields * 8, sizeAt);
    std::vector<std::uint64_t> bits(static_cast<std::size_t>(numFields));
    const std::uint64_t streamAt = r.pos();
    Status st = decompressTfcExact(r.bytes(repsSize, "the compressed field values"), std::as_writable_bytes(std::span(bits)));
    if (!st) throwNested(streamAt, st.error());
    out.fieldReps.reserve(bits.size());
    for (std::uint64_t b : bits) out.fieldReps.emplace_back(b);
  } else {
    // 16-byte records: 4 padding bytes, token index, value rep.
    const std::uint64_t numFields = r.readCount(16, "field count");
    budget.charge(numFields * 12, at);
    out.fieldTokens.reserve(static_cast<std::size_t>(numFields));
    out.fieldReps.reserve(static_cast<std::size_t>(numFields));
    for (std::uint64_t i = 0; i < numFields; ++i) {
      r.read<std::uint32_t>();
      out.fieldTokens.push_back(r.read<std::uint32_t>());
      out.fieldReps.emplace_back(r.read<std::uint64_t>());
    }
  }
  for (std::size_t i = 0; i < out.fieldTokens.size(); ++i)
    if (out.fieldTokens[i] >= file.tokens.size())
      throwAt(at, "field " + std::to_string(i) + " names token " + std::to_string(out.fieldTokens[i]) +
                      " but there are only " + std::to_string(file.tokens.size()) + " tokens");
}

void readFieldSets(const CrateFile& file, CrateStructure& out, Budget& budget) {
  ByteReader r = sectionReader(file, out.sections.fieldSets);
  const std::uint64_t at = r.pos();
  if (file.version >= kCompressedStructure) {
    const auto count = r.read<std::uint64_t>("the field set entry count");
    out.fieldSets = readIntBlock<std::uint32_t>(r, count, budget, "field sets");
  } else {
    const std::uint64_t count = r.readCount(4, "field set entry count");
    out.fieldSets = readRawVector<std::uint32_t>(r, count, budget, "field sets");
  }
  if (!out.fieldSets.empty() && out.fieldSets.back() != kInvalidIndex)
    throwAt(at, "field sets do not end with a terminator");
  for (std::size_t i = 0; i < out.fieldSets.size(); ++i)
    if (out.fieldSets[i] != kInvalidIndex && out.fieldSets[i] >= out.fieldReps.size())
      throwAt(at, "field set entry " + std::to_string(i) + " refers to field " + std::to_string(out.fieldSets[i]) +
                      " but there are only " + std::to_string(out.fieldReps.size()) + " fields");
}

[[noreturn]] void badElement(std::uint64_t at, const Path& parent, std::string_view elem, bool property) {
  throwAt(at, "path element '" + std::string(elem) + "' cannot be appended to <" + parent.string() + ">" +
                  (property ? " as a property" : ""));
}

// The parent of the path tree entry being read.
struct TreeParent {
  Path path;
  bool root = true;  // no parent: the entry is the root
};

// The path of one tree entry (SdfPath::AppendElementToken: the element text
// says what kind of element it is, §6.5.1). Returns the entry as the parent
// of its children. Appending costs the element, so a path of any depth
// costs its length once.
TreeParent treeEntry(const CrateFile& file, const TreeParent& parent, std::uint32_t tokenIndex, bool property,
                     std::uint64_t tokenAt) {
  if (parent.root) return TreeParent{Path::absoluteRoot(), false};
  const Token& elem = file.token(tokenIndex, tokenAt);
  Path path = property ? parent.path.appendProperty(elem.str()) : parent.path.appendElementText(elem.str());
  if (path.empty()) badElement(tokenAt, parent.path, elem.str(), property);
  return TreeParent{std::move(path), false};
}

void readCompressedPaths(CrateFile& file, ByteReader& r, Budget& budget) {
  const std::uint64_t at = r.pos();
  const auto numEncoded = r.read<std::uint64_t>("the encoded path count");
  if (numEncoded > file.paths.size())
    throwAt(at, std::to_string(numEncoded) + " encoded paths do not fit in a table of " + std::to_string(file.paths.size()));
  const std::uint64_t indexesAt = r.pos();
  std::vector<std::uint32_t> pathIndexes = readIntBlock<std::uint32_t>(r, numEncoded, budget, "path indexes");
  const std::uint64_t tokensAt = r.pos();
  std::vector<std::int32_t> elementTokens = readIntBlock<std::int32_t>(r, numEncoded, budget, "path element tokens");
  const std::uint64_t jumpsAt = r.pos();
  std::vector<std::int32_t> jumps = readIntBlock<std::int32_t>(r, numEncoded, budget, "path jumps");
  if (numEncoded == 0) return;

  const std::size_t n = pathIndexes.size();
  std::vector<bool> visited(n), filled(file.paths.size());
  // Explicit stack of (entry, parent) for sibling subtrees: no recursion, and
  // each entry is visited at most once, so hostile jumps cannot loop.
  std::vector<std::pair<std::size_t, TreeParent>> pending;
  pending.emplace_back(0, TreeParent{});
  while (!pending.empty()) {
    auto [i, parent] = std::move(pending.back());
    pending.pop_back();
    for (;;) {
      if (i >= n) throwAt(jumpsAt, "path tree refers to entry " + std::to_string(i) + " of " + std::to_string(n));
      if (visited[i]) throwAt(jumpsAt, "path tree visits entry " + std::to_string(i) + " twice");
      visited[i] = true;
      if (parent.root && i != 0) throwAt(jumpsAt, "path tree has a second root at entry " + std::to_string(i));
      const std::int32_t t = elementTokens[i];
      if (!parent.root && t == std::numeric_limits<std::int32_t>::min())
        throwAt(tokensAt, "path element token " + std::to_string(t) + " is out of range");
      const bool property = t < 0;
      const std::uint32_t index = static_cast<std::uint32_t>(property ? -t : t);
      const std::uint32_t slot = pathIndexes[i];
      if (slot >= file.paths.size())
        throwAt(indexesAt, "path index " + std::to_string(slot) + " out of range (" + std::to_string(file.paths.size()) + " paths)");
      if (filled[slot]) throwAt(indexesAt, "path index " + std::to_string(slot) + " is encoded twice");
      filled[slot] = true;
      TreeParent entry = treeEntry(file, parent, index, property, tokensAt);
      file.paths[slot] = entry.path;

      const std::int32_t j = jumps[i];
      const bool hasChild = j > 0 || j == -1;
      const bool hasSibling = j >= 0;
      if (i == 0 && hasSibling) throwAt(jumpsAt, "the root path has a sibling");
      if (hasChild && hasSibling) {
        if (j < 2 || static_cast<std::uint64_t>(j) >= n - i)
          throwAt(jumpsAt, "path entry " + std::to_string(i) + " jumps " + std::to_string(j) + " entries, outside the tree");
        pending.emplace_back(i + static_cast<std::size_t>(j), parent);
      }
      if (hasChild) parent = std::move(entry);
      else if (!hasSibling) break;
      ++i;
    }
  }
}

void readLegacyPaths(CrateFile& file, ByteReader& r) {
  const bool padded = file.version == kVersion001;
  std::vector<bool> filled(file.paths.size());
  std::vector<std::pair<std::uint64_t, TreeParent>> pending;  // (header offset, parent)
  pending.emplace_back(r.pos(), TreeParent{});
  std::uint64_t headers = 0;
  while (!pending.empty()) {
    auto [pos, parent] = std::move(pending.back());
    pending.pop_back();
    r.seek(pos);
    for (;;) {
      const std::uint64_t at = r.pos();
      if (++headers > file.paths.size()) throwAt(at, "path tree has more entries than path table slots");
      if (padded) r.read<std::uint32_t>("path header padding");
      const auto slot = r.read<std::uint32_t>("a path index");
      const auto tokenIndex = r.read<std::uint32_t>("a path element token");
      const auto bits = r.read<std::uint8_t>("path header bits");
      r.bytes(3, "path header padding");
      const bool hasChild = bits & 1, hasSibling = bits & 2, property = bits & 4;
      if (parent.root && headers != 1) throwAt(at, "path tree has a second root");
      if (slot >= file.paths.size())
        throwAt(at, "path index " + std::to_string(slot) + " out of range (" + std::to_string(file.paths.size()) + " paths)");
      if (filled[slot]) throwAt(at, "path index " + std::to_string(slot) + " is encoded twice");
      filled[slot] = true;
      TreeParent entry = treeEntry(file, parent, tokenIndex, property, at);
      file.paths[slot] = entry.path;
      if (hasChild && hasSibling) {
        const std::uint64_t offsetAt = r.pos();
        const auto sibling = r.read<std::int64_t>("a sibling offset");
        // Siblings only ever lie further on; anything else could loop.
        if (sibling <= static_cast<std::int64_t>(at) || static_cast<std::uint64_t>(sibling) >= r.end())
          throwAt(offsetAt, "sibling offset " + std::to_string(sibling) + " is not after its entry and inside the PATHS section");
        pending.emplace_back(static_cast<std::uint64_t>(sibling), parent);
      }
      if (hasChild) parent = std::move(entry);
      else if (!hasSibling) break;
    }
  }
}

void readPaths(CrateFile& file, Section s, Budget& budget) {
  ByteReader r = sectionReader(file, s);
  const std::uint64_t at = r.pos();
  const auto tableSize = r.read<std::uint64_t>("the path table size");
  // Slots are either encoded in the tree or referenced by a 4-byte index
  // somewhere in the file. Compressed trees hold far more entries than
  // bytes (a deep chain of equal names compresses to almost nothing), but
  // their integer blocks cannot decode to more than 1024 per byte.
  std::uint64_t encoded = 0;
  if (file.version >= kCompressedStructure) {
    ByteReader peek = r;
    encoded = peek.read<std::uint64_t>("the encoded path count");
    if (encoded > Budget::times(file.data.size(), 1024))
      throwAt(at + 8, std::to_string(encoded) + " encoded paths are impossible for a " + std::to_string(file.data.size()) + "-byte file");
  }
  if (tableSize > encoded + file.data.size() / 4)
    throwAt(at, "path table size " + std::to_string(tableSize) + " is impossible for a " + std::to_string(file.data.size()) + "-byte file");
  budget.charge(Budget::times(tableSize, sizeof(Path) + 1), at);
  file.paths.assign(static_cast<std::size_t>(tableSize), Path());
  file.pathsAt = at;
  if (file.version >= kCompressedStructure) readCompressedPaths(file, r, budget);
  else if (tableSize != 0) readLegacyPaths(file, r);
}

void readSpecs(const CrateFile& file, CrateStructure& out, Budget& budget) {
  ByteReader r = sectionReader(file, out.sections.specs);
  if (file.version >= kCompressedStructure) {
    const auto count = r.read<std::uint64_t>("the spec count");
    std::vector<std::uint32_t> paths = readIntBlock<std::uint32_t>(r, count, budget, "spec paths");
    std::vector<std::uint32_t> sets = readIntBlock<std::uint32_t>(r, count, budget, "spec field sets");
    std::vector<std::uint32_t> types = readIntBlock<std::uint32_t>(r, count, budget, "spec types");
    budget.charge(Budget::times(count, sizeof(CrateStructure::Spec)), r.pos());
    out.specs.resize(paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) out.specs[i] = {paths[i], sets[i], types[i]};
  } else {
    const bool padded = file.version < kFirstFixedLayout;
    const std::uint64_t count = r.readCount(padded ? 16 : 12, "spec count");
    budget.charge(Budget::times(count, sizeof(CrateStructure::Spec)), r.pos());
    out.specs.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t i = 0; i < count; ++i) {
      if (padded) r.read<std::uint32_t>();
      CrateStructure::Spec spec;
      spec.path = r.read<std::uint32_t>();
      spec.fieldSet = r.read<std::uint32_t>();
      spec.type = r.read<std::uint32_t>();
      out.specs.push_back(spec);
    }
  }
}

}  // namespace

Version readBootstrap(std::string_view data) {
  if (data.substr(0, kMagic.size()) != kMagic)
    throwAt(0, "not a valid crate file: expected the 'PXR-USDC' magic at byte offset 0" +
                   std::string(data.empty() ? " (the file is empty)" : ""));
  if (data.size() < kBootstrapSize)
    throwAt(0, "not a valid crate file: a file of " + std::to_string(data.size()) +
                   " bytes is too small for the 88-byte crate header");
  Version v{static_cast<std::uint8_t>(data[8]), static_cast<std::uint8_t>(data[9]), static_cast<std::uint8_t>(data[10])};
  if (!v.readableBy(kSoftwareVersion))
    throwAt(8, "file version " + std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch) +
                   " is newer than the supported " + std::to_string(kSoftwareVersion.major) + "." +
                   std::to_string(kSoftwareVersion.minor) + "." + std::to_string(kSoftwareVersion.patch));
  return v;
}

CrateStructure readStructure(CrateFile& file, Budget& budget) {
  file.version = readBootstrap(file.data);
  const std::uint64_t size = file.data.size();
  ByteReader boot(file.data, 16, kBootstrapSize);
  const auto tocOffset = boot.read<std::int64_t>();
  if (tocOffset < static_cast<std::int64_t>(kBootstrapSize) || static_cast<std::uint64_t>(tocOffset) > size - 8)
    throwAt(16, "table of contents offset " + std::to_string(tocOffset) + " is outside the file (88.." + std::to_string(size - 8) + ")");
  ByteReader toc(file.data, static_cast<std::uint64_t>(tocOffset), size);
  const std::uint64_t count = toc.readCount(32, "section count");

  CrateStructure out;
  out.sections.tokens = findSection(toc, count, size, kTokensSection);
  out.sections.strings = findSection(toc, count, size, kStringsSection);
  out.sections.fields = findSection(toc, count, size, kFieldsSection);
  out.sections.fieldSets = findSection(toc, count, size, kFieldSetsSection);
  out.sections.paths = findSection(toc, count, size, kPathsSection);
  out.sections.specs = findSection(toc, count, size, kSpecsSection);

  readTokens(file, out.sections.tokens, budget);
  readStrings(file, out.sections.strings, budget);
  readFields(file, out, budget);
  readFieldSets(file, out, budget);
  readPaths(file, out.sections.paths, budget);
  readSpecs(file, out, budget);
  return out;
}

}  // namespace usdkit::crate
