// Internals of the crate writer (not a public header): the output buffer,
// the deduplicated structural tables (tokens, strings, paths, fields, field
// sets, specs) and the value encoder that turns Values into ValueReps.
// docs/crate-format.md §6-§13 describe the encodings.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "io/crate/CrateFormat.h"
#include "sdf/Layer.h"
#include "sdf/PathTable.h"

namespace usdkit::crate {

// The format is little-endian and stores raw images of numbers and Gf
// structs; this port writes them with memcpy.
static_assert(std::endian::native == std::endian::little, "the crate writer assumes a little-endian host");

// The whole file is assembled in memory; offsets are positions in it.
class ByteSink {
 public:
  std::size_t tell() const noexcept { return buf_.size(); }
  void reserve(std::size_t n) { buf_.reserve(n); }

  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    putBytes(&v, sizeof(T));
  }
  void putBytes(const void* data, std::size_t n) {
    if (n) buf_.append(static_cast<const char*>(data), n);
  }
  void putBytes(std::span<const std::byte> bytes) { putBytes(bytes.data(), bytes.size()); }
  template <class T>
  void putArray(std::span<const T> values) {
    static_assert(std::is_trivially_copyable_v<T>);
    putBytes(values.data(), values.size_bytes());
  }
  // Zero padding up to a multiple of `alignment`; returns the new position.
  std::size_t align(std::size_t alignment) {
    const std::size_t pad = (alignment - buf_.size() % alignment) % alignment;
    buf_.append(pad, '\0');
    return buf_.size();
  }
  template <class T>
  void patch(std::size_t at, const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::memcpy(buf_.data() + at, &v, sizeof(T));
  }
  std::string take() && { return std::move(buf_); }
  std::string_view bytes() const noexcept { return buf_; }

 private:
  std::string buf_;
};

// Open-addressing index of entries numbered 0, 1, 2, ... whose keys live in
// the caller's own tables: a slot is 8 bytes (32 bits of the key's hash and
// the entry's number), where a node-based map cost a node of 40 to 70 bytes
// per entry, a rehash that chased every node and a walk to free them.
class EntryIndex {
 public:
  // The number of the entry whose key `same(number)` says is this one, else
  // `next` (recorded as new). `second` tells whether it was added.
  template <class Same>
  std::pair<std::uint32_t, bool> findOrAdd(std::size_t hash, std::uint32_t next, Same&& same) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    const std::uint32_t tag = tagOf(hash);
    Slot& slot = slots_[probe(tag, same)];
    if (slot.entry != 0) return {slot.entry - 1, false};
    slot = {tag, next + 1};
    ++count_;
    return {next, true};
  }
  // For keys whose entry can only be made after looking (making it may add
  // others): the entry `same` says is this one, if any...
  template <class Same>
  std::optional<std::uint32_t> find(std::size_t hash, Same&& same) const {
    if (slots_.empty()) return std::nullopt;
    const Slot& slot = slots_[probe(tagOf(hash), same)];
    if (slot.entry == 0) return std::nullopt;
    return slot.entry - 1;
  }
  // ...and recording a new one (not present).
  void add(std::size_t hash, std::uint32_t number) {
    findOrAdd(hash, number, [](std::uint32_t) { return false; });
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t entry = 0;  // 1 + the entry's number; 0 when free
  };
  // The high half of a multiplied hash: good bits for hashes whose low
  // bits are not.
  static std::uint32_t tagOf(std::size_t hash) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(hash) * 0x9E3779B97F4A7C15ull) >> 32);
  }
  // The slot holding the entry `same` accepts, else the free slot ending
  // the probe.
  template <class Same>
  std::size_t probe(std::uint32_t tag, Same& same) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.entry == 0 || (slot.tag == tag && same(slot.entry - 1))) return i;
    }
  }
  void grow() {
    std::vector<Slot> old(std::max<std::size_t>(16, slots_.size() * 2));
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.entry == 0) continue;
      std::size_t i = s.tag & mask;
      while (slots_[i].entry != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

// The kind of a path's last element. The order is the one SdfPath's
// order gives siblings: a prim's properties before its child prims, those
// before its variant selections; below a property, targets, mappers,
// relational attributes, mapper arguments, the expression.
enum class PathElemKind : std::uint8_t {
  Empty, Root, Property, Prim, VariantSel, Target, Mapper, RelAttr, MapperArg, Expression
};

// Tokens, strings, paths, fields, field sets and specs, each deduplicated
// and numbered in first-use order (as OpenUSD numbers them).
class StructureTables {
 public:
  StructureTables();

  std::uint32_t token(Token t);
  std::uint32_t token(std::string_view text);
  std::uint32_t string(std::string_view text);
  // Adds the path, its ancestors and (for target paths) the target, with
  // their element tokens, in OpenUSD's order.
  std::uint32_t path(const Path& p);
  std::uint32_t field(std::uint32_t nameToken, ValueRep rep);
  // Sizes the tables for about `specs` specs up front.
  void reserve(std::size_t specs) {
    paths_.reserve(specs + specs / 8);
    specs_.reserve(specs);
  }
  std::uint32_t fieldSet(std::span<const std::uint32_t> fields);
  void addSpec(std::uint32_t pathIndex, std::uint32_t fieldSetIndex, SpecType type) {
    specs_.push_back({pathIndex, fieldSetIndex, static_cast<std::uint32_t>(type)});
  }

  // The six sections in OpenUSD's order, each recorded in `toc` as
  // (name, start, size).
  struct Section {
    std::string_view name;
    std::uint64_t start = 0, size = 0;
  };
  // Appends the six sections and lists them in `toc`. With more than one
  // thread (and version 0.4.0 or later, whose sections do not depend on
  // where they start) each section is made on its own, then appended in
  // order: the same bytes.
  void writeSections(ByteSink& out, Version version, std::vector<Section>& toc, unsigned threads = 1) const;

  // Empty, or why the tables would not read back as what was added (a NUL
  // inside a token or string, a path that is not canonical text): the
  // writer then refuses to produce the file.
  const std::string& problem() const { return problem_; }

 private:
  void writeStrings(ByteSink& out) const;
  void writeTokens(ByteSink& out, Version version) const;
  void writeFields(ByteSink& out, Version version) const;
  void writeFieldSets(ByteSink& out, Version version) const;
  void writePaths(ByteSink& out, Version version) const;
  void writeSpecs(ByteSink& out, Version version) const;

  using ElemKind = PathElemKind;
  // No texts: an entry is its parent, its element and the element's kind.
  struct PathEntry {
    std::uint32_t parent;        // slot of the parent; kInvalidIndex for "/" and the empty path
    std::uint32_t elementToken;  // the name of a prim property, else the element as spelled
    std::uint32_t target;        // targets and mappers: index in targetPaths_ (their order)
    ElemKind kind;
    bool isPrimProperty;
  };
  std::uint32_t addRootEntry(ElemKind kind);
  // Appends the entry of one element below `parentSlot` (its token is the
  // name of a prim property, else the element as spelled) into `slot`.
  // False when a prim or property would not read back as itself: its name
  // is not an identifier or its parent is not a prim (checked once per
  // token); the rare other kinds are the callers' to check.
  bool addPathEntry(ElemKind kind, std::string_view element, std::uint32_t parentSlot, const Path* target,
                    std::uint32_t& slot);
  // Records why the tables cannot be written faithfully (the first reason).
  void refuse(std::string why) {
    if (problem_.empty()) problem_ = std::move(why);
  }
  bool validName(std::uint32_t tokenIndex, bool property);
  // The token of `text` (whose hashText is `hash`); `interned` says the
  // text lives as long as the process.
  std::uint32_t tokenOfText(std::string_view text, std::size_t hash, bool interned);
  struct SpecEntry {
    std::uint32_t path, fieldSet, type;
  };
  struct FieldKey {
    std::uint32_t token;
    std::uint64_t rep;
    friend bool operator==(const FieldKey&, const FieldKey&) = default;
  };

  EntryIndex tokenIndex_;
  std::vector<std::string_view> tokens_;  // interned tokens' text or copies in textArena_
  std::pmr::monotonic_buffer_resource textArena_;
  std::size_t tokenBytes_ = 0;  // sum of (length + 1)

  EntryIndex stringIndex_;
  std::vector<std::uint32_t> strings_;  // string index -> token index

  PathTable pathIndex_;
  std::uint32_t emptyPathSlot_ = 0;  // the empty path has no node key
  std::vector<PathEntry> paths_;
  std::vector<Path> targetPaths_;  // of target and mapper entries, to order them
  // Per token: whether it was checked / found valid as a prim name (bits 0,
  // 1) and as a property name (bits 2, 3).
  std::vector<std::uint8_t> nameChecks_;
  std::string problem_;

  EntryIndex fieldIndex_;
  std::vector<FieldKey> fields_;

  EntryIndex fieldSetIndex_;
  std::vector<std::uint32_t> fieldSets_;     // each set's fields, then kInvalidIndex
  std::vector<std::uint32_t> fieldSetStart_;  // where each set starts in fieldSets_

  std::vector<SpecEntry> specs_;
};

// The version-dependent choices of §16.4.
struct Encoding {
  Version version;
  bool compressedStructure() const { return version >= Version{0, 4, 0}; }
  bool arrayRank() const { return version < Version{0, 5, 0}; }
  bool compressedInts() const { return version >= Version{0, 5, 0}; }
  bool compressedFloats() const { return version >= Version{0, 6, 0}; }
  bool wideArrayCounts() const { return version >= Version{0, 7, 0}; }
  bool payloadLayerOffsets() const { return version >= Version{0, 8, 0}; }
};

// Resolved lazy values: the planning pass loads every lazy value once and
// the encoder reads them from here, so nothing is decoded twice.
class LoadedValues {
 public:
  // `v` itself, or its loaded form when it is lazy (must have been added).
  const Value& resolve(const Value& v) const {
    if (!v.isLazy()) return v;
    auto it = loaded_.find(v.sharedIdentity());
    return it == loaded_.end() ? empty_ : it->second;
  }
  // Loads `v` if it is lazy and not loaded yet.
  Expected<const Value*> load(const Value& v);

 private:
  std::unordered_map<const void*, Value> loaded_;
  Value empty_;
};

// Wrapping a field value gets before it is packed (OpenUSD keeps values of
// unregistered fields inside an SdfUnregisteredValue).
enum class FieldWrap : std::uint8_t { None, Unregistered };

// Turns values into ValueReps, writing out-of-line data to the sink and
// sharing one encoding between identical values (§7 deduplication).
class ValueEncoder {
 public:
  ValueEncoder(ByteSink& out, StructureTables& tables, const LoadedValues& loaded, Version version);
  ~ValueEncoder();
  ValueEncoder(const ValueEncoder&) = delete;
  ValueEncoder& operator=(const ValueEncoder&) = delete;

  // The value must be of a type the planner accepted.
  ValueRep pack(const Value& value, FieldWrap wrap = FieldWrap::None);
  // A TimeSamples record whose sample values were packed already.
  ValueRep packTimeSamples(std::span<const double> times, std::span<const ValueRep> reps);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace usdkit::crate
