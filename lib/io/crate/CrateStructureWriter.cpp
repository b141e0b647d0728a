// The crate writer's structural tables and their sections (TOKENS, STRINGS,
// FIELDS, FIELDSETS, PATHS, SPECS; docs/crate-format.md §6).
#include <algorithm>

#include "io/crate/Compression.h"
#include "sdf/PathOrder.h"
#include "io/crate/CratePacking.h"

namespace usdkit::crate {

namespace {

// Element text of a path below its parent: "B" for /A/B, "{v=x}" for
// /A{v=x}, "[/T]" for a target, ".attr" for a relational attribute.
std::string_view elementText(std::string_view path, std::string_view parent) {
  std::string_view text = path.substr(parent.size());
  if (!text.empty() && text.front() == '/') text.remove_prefix(1);
  return text;
}

// The parent's text of an absolute prim or prim-property path other than
// "/" ("/A/B.x" -> "/A/B", "/A" -> "/"), a prefix of the path's own text;
// empty for every other kind of path.
std::string_view simpleParentText(std::string_view t) {
  if (t.size() < 2 || t[0] != '/') return {};
  std::size_t cut = 0;
  int dots = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '{' || c == '[') return {};
    if (c == '/' || c == '.') cut = i;
    dots += c == '.';
  }
  if (dots > 1) return {};
  return t.substr(0, cut == 0 ? 1 : cut);
}

template <class T>
void putIntBlock(ByteSink& out, std::span<const T> values) {
  out.putBytes(encodeIntBlock<T>(values));
}

}  // namespace

StructureTables::StructureTables() {
  // Compressed PATHS mark prim properties by negating their name's token
  // index, which cannot work for index 0. OpenUSD therefore reserves index
  // 0 for a token no property can be named.
  token(std::string_view(";-)"));
}

std::uint32_t StructureTables::token(std::string_view text) {
  auto it = tokenByText_.find(text);
  if (it != tokenByText_.end()) return it->second;
  const auto index = static_cast<std::uint32_t>(tokens_.size());
  auto inserted = tokenByText_.emplace(std::pmr::string(text, &arena_), index).first;
  tokens_.push_back(inserted->first);
  tokenBytes_ += text.size() + 1;
  return index;
}

std::uint32_t StructureTables::token(Token t) {
  auto it = tokenByToken_.find(t);
  if (it != tokenByToken_.end()) return it->second;
  const std::uint32_t index = token(t.str());
  tokenByToken_.emplace(t, index);
  return index;
}

std::uint32_t StructureTables::string(std::string_view text) {
  auto it = stringIndex_.find(text);
  if (it != stringIndex_.end()) return it->second;
  const auto index = static_cast<std::uint32_t>(strings_.size());
  stringIndex_.emplace(std::pmr::string(text, &arena_), index);
  strings_.push_back(token(text));
  return index;
}

std::uint32_t StructureTables::path(const Path& p) {
  // Reserve the entry first so the recursion below terminates (the empty
  // path is its own parent in this scheme). The slot's reference survives
  // rehashing.
  auto [it, added] = pathIndex_.try_emplace(p.text(), kInvalidIndex);
  if (!added) return it->second;
  std::uint32_t& slot = it->second;
  if (p.isTargetPath()) path(p.targetPath());
  std::uint32_t parentSlot = kInvalidIndex;
  std::string_view parentText;
  if (!p.isAbsoluteRoot()) {
    parentText = simpleParentText(p.text());
    if (parentText.empty()) {
      parentSlot = path(p.parent());
    } else if (auto found = pathIndex_.find(parentText); found != pathIndex_.end()) {
      parentSlot = found->second;
    } else {
      parentSlot = path(Path::fromCanonical(parentText));
    }
    // (The empty path is its own parent: its slot is still unassigned here.)
    if (parentSlot != kInvalidIndex) parentText = paths_[parentSlot].path.text();
  }
  const bool primProperty = p.isPrimPropertyPath();
  const std::uint32_t elem =
      primProperty ? token(p.name()) : token(p.isAbsoluteRoot() ? std::string_view() : elementText(p.text(), parentText));
  const auto index = static_cast<std::uint32_t>(paths_.size());
  paths_.push_back({p, p.empty() ? kInvalidIndex : parentSlot, elem, primProperty});
  slot = index;
  return index;
}

std::uint32_t StructureTables::field(std::uint32_t nameToken, ValueRep rep) {
  const FieldKey key{nameToken, rep.bits()};
  auto [it, added] = fieldIndex_.emplace(key, static_cast<std::uint32_t>(fields_.size()));
  if (added) fields_.push_back(key);
  return it->second;
}

std::uint32_t StructureTables::fieldSet(std::span<const std::uint32_t> fields) {
  const std::string_view key(reinterpret_cast<const char*>(fields.data()), fields.size_bytes());
  if (auto it = fieldSetIndex_.find(key); it != fieldSetIndex_.end()) return it->second;
  const auto index = static_cast<std::uint32_t>(fieldSets_.size());
  fieldSetIndex_.emplace(std::pmr::string(key, &arena_), index);
  fieldSets_.insert(fieldSets_.end(), fields.begin(), fields.end());
  fieldSets_.push_back(kInvalidIndex);
  return index;
}

void StructureTables::writeSections(ByteSink& out, Version version, std::vector<Section>& toc) const {
  auto section = [&](std::string_view name, auto&& write) {
    Section s{name, out.tell(), 0};
    write();
    s.size = out.tell() - s.start;
    toc.push_back(s);
  };
  section(kTokensSection, [&] { writeTokens(out, version); });
  section(kStringsSection, [&] {
    out.put<std::uint64_t>(strings_.size());
    out.putArray(std::span<const std::uint32_t>(strings_));
  });
  section(kFieldsSection, [&] { writeFields(out, version); });
  section(kFieldSetsSection, [&] { writeFieldSets(out, version); });
  section(kPathsSection, [&] { writePaths(out, version); });
  section(kSpecsSection, [&] { writeSpecs(out, version); });
}

void StructureTables::writeTokens(ByteSink& out, Version version) const {
  out.put<std::uint64_t>(tokens_.size());
  std::string blob;
  blob.reserve(tokenBytes_);
  for (std::string_view t : tokens_) {
    blob.append(t);
    blob.push_back('\0');
  }
  out.put<std::uint64_t>(blob.size());
  if (version < Version{0, 4, 0}) {
    out.putBytes(blob.data(), blob.size());
    return;
  }
  const auto compressed = compressTfc(std::as_bytes(std::span<const char>(blob)));
  out.put<std::uint64_t>(compressed.size());
  out.putBytes(compressed);
}

void StructureTables::writeFields(ByteSink& out, Version version) const {
  out.put<std::uint64_t>(fields_.size());
  if (version < Version{0, 4, 0}) {
    // 16-byte records with 4 leading padding bytes (a historical layout).
    for (const FieldKey& f : fields_) {
      out.put<std::uint32_t>(0);
      out.put<std::uint32_t>(f.token);
      out.put<std::uint64_t>(f.rep);
    }
    return;
  }
  std::vector<std::uint32_t> tokens(fields_.size());
  std::vector<std::uint64_t> reps(fields_.size());
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    tokens[i] = fields_[i].token;
    reps[i] = fields_[i].rep;
  }
  putIntBlock(out, std::span<const std::uint32_t>(tokens));
  // The reps are only LZ4-compressed, not integer-coded.
  const auto compressed = compressTfc(std::as_bytes(std::span<const std::uint64_t>(reps)));
  out.put<std::uint64_t>(compressed.size());
  out.putBytes(compressed);
}

void StructureTables::writeFieldSets(ByteSink& out, Version version) const {
  out.put<std::uint64_t>(fieldSets_.size());
  if (version < Version{0, 4, 0}) {
    out.putArray(std::span<const std::uint32_t>(fieldSets_));
    return;
  }
  putIntBlock(out, std::span<const std::uint32_t>(fieldSets_));
}

void StructureTables::writePaths(ByteSink& out, Version version) const {
  out.put<std::uint64_t>(paths_.size());

  // The tree lists every non-empty path in SdfPath order, which places each
  // path after its parent and keeps subtrees contiguous (depth-first
  // pre-order). The empty path keeps its slot but is not encoded.
  std::vector<std::uint32_t> order;
  std::vector<PathSortKey> keys;
  order.reserve(paths_.size());
  keys.reserve(paths_.size());
  for (std::uint32_t i = 0; i < paths_.size(); ++i) {
    keys.emplace_back(paths_[i].path);
    if (!paths_[i].path.empty()) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
  keys = {};
  const std::size_t n = order.size();

  // Where each entry's subtree ends: an entry stays open until one arrives
  // whose parent is not inside it.
  std::vector<std::uint32_t> subtreeEnd(n, static_cast<std::uint32_t>(n));
  std::vector<std::uint32_t> open;  // positions in `order`
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t parent = paths_[order[i]].parent;
    while (!open.empty() && order[open.back()] != parent) {
      subtreeEnd[open.back()] = i;
      open.pop_back();
    }
    open.push_back(i);
  }
  auto hasChild = [&](std::uint32_t i) { return i + 1 < n && paths_[order[i + 1]].parent == order[i]; };
  auto hasSibling = [&](std::uint32_t i) {
    return subtreeEnd[i] < n && paths_[order[subtreeEnd[i]]].parent == paths_[order[i]].parent;
  };

  if (version >= Version{0, 4, 0}) {
    std::vector<std::uint32_t> slots(n);
    std::vector<std::int32_t> elements(n), jumps(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const PathEntry& e = paths_[order[i]];
      slots[i] = order[i];
      elements[i] = e.isPrimProperty ? -static_cast<std::int32_t>(e.elementToken)
                                     : static_cast<std::int32_t>(e.elementToken);
      const bool child = hasChild(i), sibling = hasSibling(i);
      jumps[i] = child && sibling ? static_cast<std::int32_t>(subtreeEnd[i] - i) : sibling ? 0 : child ? -1 : -2;
    }
    out.put<std::uint64_t>(n);
    putIntBlock(out, std::span<const std::uint32_t>(slots));
    putIntBlock(out, std::span<const std::int32_t>(elements));
    putIntBlock(out, std::span<const std::int32_t>(jumps));
    return;
  }

  // Legacy headers: a sibling that does not follow immediately is reached
  // through an absolute offset, patched once the subtree is written.
  std::vector<std::size_t> siblingOffsetAt(n, 0);
  std::vector<std::pair<std::uint32_t, std::size_t>> pending;  // (sibling position, offset slot)
  for (std::uint32_t i = 0; i < n; ++i) {
    for (auto& [pos, at] : pending) {
      if (pos == i) out.patch<std::int64_t>(at, static_cast<std::int64_t>(out.tell()));
    }
    std::erase_if(pending, [&](const auto& p) { return p.first == i; });
    const PathEntry& e = paths_[order[i]];
    const bool child = hasChild(i), sibling = hasSibling(i);
    const std::uint8_t bits = (child ? 1 : 0) | (sibling ? 2 : 0) | (e.isPrimProperty ? 4 : 0);
    if (version == Version{0, 0, 1}) out.put<std::uint32_t>(0);
    out.put<std::uint32_t>(order[i]);
    out.put<std::uint32_t>(e.elementToken);
    out.put<std::uint8_t>(bits);
    out.putBytes("\0\0\0", 3);
    if (child && sibling) {
      pending.emplace_back(subtreeEnd[i], out.tell());
      out.put<std::int64_t>(-1);
    }
  }
}

void StructureTables::writeSpecs(ByteSink& out, Version version) const {
  out.put<std::uint64_t>(specs_.size());
  if (version < Version{0, 4, 0}) {
    for (const SpecEntry& s : specs_) {
      if (version == Version{0, 0, 1}) out.put<std::uint32_t>(0);
      out.put<std::uint32_t>(s.path);
      out.put<std::uint32_t>(s.fieldSet);
      out.put<std::uint32_t>(s.type);
    }
    return;
  }
  std::vector<std::uint32_t> column(specs_.size());
  auto putColumn = [&](auto member) {
    for (std::size_t i = 0; i < specs_.size(); ++i) column[i] = specs_[i].*member;
    putIntBlock(out, std::span<const std::uint32_t>(column));
  };
  putColumn(&SpecEntry::path);
  putColumn(&SpecEntry::fieldSet);
  putColumn(&SpecEntry::type);
}

}  // namespace usdkit::crate
