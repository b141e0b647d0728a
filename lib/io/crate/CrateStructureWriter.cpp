// The crate writer's structural tables and their sections (TOKENS, STRINGS,
// FIELDS, FIELDSETS, PATHS, SPECS; docs/crate-format.md §6).
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <span>

#include "base/Parallel.h"
#include "io/crate/Compression.h"
#include "io/crate/CratePacking.h"

namespace usdkit::crate {

namespace {

using ElemKind = PathElemKind;

// Paths of the rare element kinds are checked by parsing their text up to
// this length (which interns it; longer ones would cost their length each).
constexpr std::size_t kParseCheckedText = 4096;

bool isPrimLike(ElemKind k) { return k == ElemKind::Root || k == ElemKind::Prim || k == ElemKind::VariantSel; }

// The kind of a (non-root, non-empty, absolute) path's last element.
ElemKind lastKindOf(const Path& p) {
  if (p.isPrimPropertyPath()) return ElemKind::Property;
  if (p.isPrimPath()) return ElemKind::Prim;
  if (p.isPrimVariantSelectionPath()) return ElemKind::VariantSel;
  if (p.isTargetPath()) return ElemKind::Target;
  if (p.isMapperPath()) return ElemKind::Mapper;
  if (p.isRelationalAttributePath()) return ElemKind::RelAttr;
  if (p.isExpressionPath()) return ElemKind::Expression;
  return ElemKind::MapperArg;  // ".arg" after a mapper: the one kind without a query
}

// "{set=sel}" elements: by set, then by selection.
bool variantSelectionLess(std::string_view a, std::string_view b) {
  const std::size_t ea = a.find('='), eb = b.find('=');
  if (ea == std::string_view::npos || eb == std::string_view::npos) return a < b;
  const std::string_view setA = a.substr(1, ea - 1), setB = b.substr(1, eb - 1);
  if (setA != setB) return setA < setB;
  return a.substr(ea + 1, a.size() - ea - 2) < b.substr(eb + 1, b.size() - eb - 2);
}

// A short excerpt of text for messages, with NUL bytes made visible.
std::string shown(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 80)) {
    if (c == '\0') out += "\\0";
    else out += c;
  }
  if (text.size() > 80) out += "...";
  return out;
}

std::string shownPath(const Path& p) { return shown(p.string()); }

// Small-buffer stack of one new path's levels (most paths add one or two).
template <class T>
class LevelStack {
 public:
  void push(const T& v) {
    if (size_ < inline_.size()) inline_[size_] = v;
    else heap_.push_back(v);
    ++size_;
  }
  T& operator[](std::size_t i) { return i < inline_.size() ? inline_[i] : heap_[i - inline_.size()]; }
  std::size_t size() const { return size_; }

 private:
  std::array<T, 16> inline_{};
  std::vector<T> heap_;
  std::size_t size_ = 0;
};

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

// Tokens are keyed by their text (Token's hash is the text's), so a
// string's text need not be interned to find its token: unique strings (a
// label per prim) would fill the process-wide token table for nothing.
std::uint32_t StructureTables::token(Token t) {
  // (The empty token has no record, and its hash() is 0.)
  return t.empty() ? token(std::string_view()) : tokenOfText(t.str(), t.hash(), true);
}

std::uint32_t StructureTables::token(std::string_view text) { return tokenOfText(text, hashText(text), false); }

std::uint32_t StructureTables::tokenOfText(std::string_view text, std::size_t hash, bool interned) {
  auto same = [&](std::uint32_t i) { return tokens_[i] == text; };
  const auto [index, added] = tokenIndex_.findOrAdd(hash, static_cast<std::uint32_t>(tokens_.size()), same);
  if (!added) return index;
  // The TOKENS section separates tokens with NUL bytes.
  if (!text.empty() && std::memchr(text.data(), '\0', text.size()))
    refuse("the token or string \"" + shown(text) + "\" contains a NUL byte, which the crate format cannot store");
  // An interned token's text lives as long as the process; other text is
  // copied, as its value may be a temporary.
  if (!interned && !text.empty()) {
    char* copy = static_cast<char*>(textArena_.allocate(text.size(), 1));
    std::memcpy(copy, text.data(), text.size());
    text = std::string_view(copy, text.size());
  }
  tokens_.push_back(text);
  tokenBytes_ += text.size() + 1;
  return index;
}

std::uint32_t StructureTables::string(std::string_view text) {
  const std::size_t hash = hashText(text);
  auto same = [&](std::uint32_t i) { return tokens_[strings_[i]] == text; };
  const auto [index, added] = stringIndex_.findOrAdd(hash, static_cast<std::uint32_t>(strings_.size()), same);
  if (added) strings_.push_back(tokenOfText(text, hash, false));
  return index;
}

bool StructureTables::validName(std::uint32_t tokenIndex, bool property) {
  if (tokenIndex >= nameChecks_.size()) nameChecks_.resize(tokens_.size(), 0);
  std::uint8_t& bits = nameChecks_[tokenIndex];
  const unsigned shift = property ? 2 : 0;
  if (!(bits & (1u << shift))) {
    const std::string_view name = tokens_[tokenIndex];
    const bool valid = property ? isValidNamespacedIdentifier(name) : isValidIdentifier(name);
    bits |= static_cast<std::uint8_t>((1u | (valid ? 2u : 0u)) << shift);
  }
  return bits & (2u << shift);
}

bool StructureTables::addPathEntry(ElemKind kind, std::string_view element, std::uint32_t parentSlot,
                                   const Path* target, std::uint32_t& slot) {
  const bool primProperty = kind == ElemKind::Property;
  const std::uint32_t elem = token(element);
  bool faithful = true;
  const ElemKind parentKind = parentSlot < paths_.size() ? paths_[parentSlot].kind : ElemKind::Empty;
  if (kind == ElemKind::Prim || primProperty) faithful = isPrimLike(parentKind) && validName(elem, primProperty);
  else if (parentKind == ElemKind::Empty) faithful = false;
  std::uint32_t targetIndex = kInvalidIndex;
  if (target) {
    targetIndex = static_cast<std::uint32_t>(targetPaths_.size());
    targetPaths_.push_back(*target);
  }
  slot = static_cast<std::uint32_t>(paths_.size());
  paths_.push_back({parentSlot, elem, targetIndex, kind, primProperty});
  return faithful;
}

std::uint32_t StructureTables::addRootEntry(ElemKind kind) {
  const auto index = static_cast<std::uint32_t>(paths_.size());
  paths_.push_back({kInvalidIndex, token(std::string_view()), kInvalidIndex, kind, false});
  return index;
}

std::uint32_t StructureTables::path(const Path& p) {
  // pathIndex_ holds 1 + the entry's slot, or kReserved while the entry is
  // being added.
  constexpr std::uint32_t kReserved = kInvalidIndex;
  std::uint32_t& stored = p.empty() ? emptyPathSlot_ : pathIndex_.slot(p);
  if (stored) return stored == kReserved ? kInvalidIndex : stored - 1;
  stored = kReserved;
  std::uint32_t slot = kInvalidIndex;
  // Stores the new entry's number once it is known.
  auto assign = [](std::uint32_t& where, std::uint32_t entry) {
    where = entry + 1;
    return entry;
  };
  if (p.empty() || p.isAbsoluteRoot() || !p.isAbsolute()) {
    // The empty path is not encoded in the tree; "/" is its root. The
    // PATHS tree has no place for relative paths (the planner refuses them).
    if (!p.empty() && !p.isAbsoluteRoot()) refuse("the path <" + shownPath(p) + "> is not an absolute path");
    return assign(stored, addRootEntry(p.empty() ? ElemKind::Empty : ElemKind::Root));
  }
  // This is the recursive definition "add the target (of a target path),
  // then the parent, then the path" unrolled, so that numbering stays
  // OpenUSD's while a path of any depth costs no stack: walk up reserving
  // each missing ancestor and adding its target, then add them top down.
  struct Level {
    Path path;
    std::uint32_t* stored = nullptr;
  };
  LevelStack<Level> levels;
  levels.push({p, &stored});
  std::uint32_t parentSlot = kInvalidIndex;
  for (Path at = p;;) {
    if (at.isTargetPath()) path(at.targetPath());
    const Path up = at.parent();
    std::uint32_t& upStored = up.empty() ? emptyPathSlot_ : pathIndex_.slot(up);
    if (upStored) {
      parentSlot = upStored == kReserved ? kInvalidIndex : upStored - 1;
      break;
    }
    if (up.isAbsoluteRoot() || up.empty()) {
      // (An absolute path's parent is never empty; text that is not a
      // path's could give one, which is refused as the entry is added.)
      parentSlot = assign(upStored, addRootEntry(up.empty() ? ElemKind::Empty : ElemKind::Root));
      break;
    }
    upStored = kReserved;
    levels.push({up, &upStored});
    at = up;
  }
  for (std::size_t j = levels.size(); j-- > 0;) {
    const Path& level = levels[j].path;
    const ElemKind kind = lastKindOf(level);
    const bool hasTarget = kind == ElemKind::Target || kind == ElemKind::Mapper;
    const Path target = hasTarget ? level.targetPath() : Path();
    std::uint32_t entry = kInvalidIndex;
    bool faithful = addPathEntry(kind, kind == ElemKind::Property ? level.name() : level.elementText(), parentSlot,
                                 hasTarget ? &target : nullptr, entry);
    assign(*levels[j].stored, entry);
    if (faithful && kind != ElemKind::Prim && kind != ElemKind::Property && level.textSize() <= kParseCheckedText) {
      const std::optional<Path> again = Path::parse(level.string());
      faithful = again && *again == level;
    }
    if (!faithful)
      refuse("the path <" + shownPath(level) + "> is not valid path text, so it would not read back as itself");
    parentSlot = entry;
    if (j == 0) slot = entry;
  }
  return slot;
}

std::uint32_t StructureTables::field(std::uint32_t nameToken, ValueRep rep) {
  const FieldKey key{nameToken, rep.bits()};
  const std::size_t hash = key.rep * 0x9E3779B97F4A7C15ull ^ key.token;
  const auto [index, added] =
      fieldIndex_.findOrAdd(hash, static_cast<std::uint32_t>(fields_.size()), [&](std::uint32_t i) { return fields_[i] == key; });
  if (added) fields_.push_back(key);
  return index;
}

std::uint32_t StructureTables::fieldSet(std::span<const std::uint32_t> fields) {
  const std::size_t hash = hashText(std::string_view(reinterpret_cast<const char*>(fields.data()), fields.size_bytes()));
  auto same = [&](std::uint32_t i) {
    // Each set ends with kInvalidIndex, which no field number is, so the
    // walk stops inside the stored set.
    const std::uint32_t* stored = fieldSets_.data() + fieldSetStart_[i];
    for (const std::uint32_t f : fields)
      if (*stored++ != f) return false;
    return *stored == kInvalidIndex;
  };
  const auto [set, added] = fieldSetIndex_.findOrAdd(hash, static_cast<std::uint32_t>(fieldSetStart_.size()), same);
  // A set's number in the file is where it starts in FIELDSETS.
  if (!added) return fieldSetStart_[set];
  const auto start = static_cast<std::uint32_t>(fieldSets_.size());
  fieldSetStart_.push_back(start);
  fieldSets_.insert(fieldSets_.end(), fields.begin(), fields.end());
  fieldSets_.push_back(kInvalidIndex);
  return start;
}

void StructureTables::writeSections(ByteSink& out, Version version, std::vector<Section>& toc,
                                    unsigned threads) const {
  if (threads > 1 && version >= Version{0, 4, 0}) {
    // In file order; the work is handed out largest first (PATHS sorts and
    // codes three columns, SPECS codes three, FIELDS two).
    constexpr std::array<std::string_view, 6> kFileOrder = {kTokensSection,    kStringsSection, kFieldsSection,
                                                            kFieldSetsSection, kPathsSection,   kSpecsSection};
    constexpr std::array<std::size_t, 6> kWorkOrder = {4, 5, 2, 0, 3, 1};
    std::array<ByteSink, 6> made;
    parallelFor(threads, made.size(), [&](std::size_t job) {
      const std::size_t i = kWorkOrder[job];
      ByteSink& part = made[i];
      switch (i) {
        case 0: writeTokens(part, version); break;
        case 1: writeStrings(part); break;
        case 2: writeFields(part, version); break;
        case 3: writeFieldSets(part, version); break;
        case 4: writePaths(part, version); break;
        default: writeSpecs(part, version); break;
      }
    });
    for (std::size_t i = 0; i < made.size(); ++i) {
      const std::string_view bytes = made[i].bytes();
      toc.push_back({kFileOrder[i], out.tell(), bytes.size()});
      out.putBytes(bytes.data(), bytes.size());
      made[i] = ByteSink();
    }
    return;
  }
  auto section = [&](std::string_view name, auto&& write) {
    Section s{name, out.tell(), 0};
    write();
    s.size = out.tell() - s.start;
    toc.push_back(s);
  };
  section(kTokensSection, [&] { writeTokens(out, version); });
  section(kStringsSection, [&] { writeStrings(out); });
  section(kFieldsSection, [&] { writeFields(out, version); });
  section(kFieldSetsSection, [&] { writeFieldSets(out, version); });
  section(kPathsSection, [&] { writePaths(out, version); });
  section(kSpecsSection, [&] { writeSpecs(out, version); });
}

void StructureTables::writeStrings(ByteSink& out) const {
  out.put<std::uint64_t>(strings_.size());
  out.putArray(std::span<const std::uint32_t>(strings_));
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
  // pre-order). The empty path keeps its slot but is not encoded. Sorting
  // each entry's children and walking the tree gives that order without
  // comparing whole paths with each other.
  std::vector<std::uint32_t> order;
  order.reserve(paths_.size());
  {
    const auto count = static_cast<std::uint32_t>(paths_.size());
    std::vector<std::uint32_t> firstChild(count + 1, 0), children(count);
    for (const PathEntry& e : paths_) {
      if (e.parent != kInvalidIndex) ++firstChild[e.parent + 1];
    }
    for (std::uint32_t i = 0; i < count; ++i) firstChild[i + 1] += firstChild[i];
    {
      std::vector<std::uint32_t> fill(firstChild.begin(), firstChild.end() - 1);
      for (std::uint32_t i = 0; i < count; ++i) {
        if (paths_[i].parent != kInvalidIndex) children[fill[paths_[i].parent]++] = i;
      }
    }
    std::vector<std::uint32_t> stack;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (paths_[i].parent == kInvalidIndex && paths_[i].kind != ElemKind::Empty) stack.push_back(i);
    }
    // Siblings differ in their last element only: by its kind, then names
    // byte-wise, variant selections by set and selection, targets and
    // mappers by their target paths (SdfPath's order).
    auto siblingLess = [&](std::uint32_t a, std::uint32_t b) {
      const PathEntry& x = paths_[a];
      const PathEntry& y = paths_[b];
      if (x.kind != y.kind) return x.kind < y.kind;
      const std::string_view ex = tokens_[x.elementToken], ey = tokens_[y.elementToken];
      switch (x.kind) {
        case ElemKind::VariantSel:
          return variantSelectionLess(ex, ey);
        case ElemKind::Target:
        case ElemKind::Mapper:
          return targetPaths_[x.target] < targetPaths_[y.target];
        case ElemKind::Expression:
          return false;
        default:
          return ex < ey;
      }
    };
    while (!stack.empty()) {
      const std::uint32_t i = stack.back();
      stack.pop_back();
      order.push_back(i);
      const auto kids = std::span<std::uint32_t>(children).subspan(firstChild[i], firstChild[i + 1] - firstChild[i]);
      if (kids.size() > 1) std::sort(kids.begin(), kids.end(), siblingLess);
      for (std::size_t k = kids.size(); k-- > 0;) stack.push_back(kids[k]);
    }
  }
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
    // Three columns: the slots (`order` itself), the element tokens and the
    // jumps, made one at a time in one buffer.
    out.put<std::uint64_t>(n);
    putIntBlock(out, std::span<const std::uint32_t>(order));
    std::vector<std::int32_t> column(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const PathEntry& e = paths_[order[i]];
      column[i] = e.isPrimProperty ? -static_cast<std::int32_t>(e.elementToken)
                                   : static_cast<std::int32_t>(e.elementToken);
    }
    putIntBlock(out, std::span<const std::int32_t>(column));
    for (std::uint32_t i = 0; i < n; ++i) {
      const bool child = hasChild(i), sibling = hasSibling(i);
      column[i] = child && sibling ? static_cast<std::int32_t>(subtreeEnd[i] - i) : sibling ? 0 : child ? -1 : -2;
    }
    putIntBlock(out, std::span<const std::int32_t>(column));
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
