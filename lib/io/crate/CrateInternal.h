// Internals shared by the crate reader's parts (structure, values, lazy
// values). Not a public header: only lib/io/crate/*.cpp include it.
//
// Errors inside the reader are thrown as CrateError (a byte offset and what
// was expected there) and turned into Expected at the API boundary, so the
// deep decoding code can stay linear without checking every call.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/Expected.h"
#include "io/crate/CrateFormat.h"
#include "sdf/Value.h"

namespace usdkit::crate {

// The format is little-endian and arrays are copied in bulk.
static_assert(std::endian::native == std::endian::little, "the crate reader assumes a little-endian host");

// How deep values may nest (dictionaries in dictionaries, custom data in
// list ops): the reader refuses deeper nesting, so the writer does too.
inline constexpr int kMaxValueNesting = 64;

struct CrateError {
  std::uint64_t offset = 0;
  std::string what;
};

[[noreturn]] void throwAt(std::uint64_t offset, std::string what);
// Rethrows an error of Compression.h, whose "... at offset K: ..." is
// relative to a buffer that starts at file offset `base`.
[[noreturn]] void throwNested(std::uint64_t base, const Error& error);
// "<name>: crate error at offset N: <what>".
Error formatError(const std::string& name, const CrateError& e);

// Caps what one decoding operation (opening the layer, or loading one lazy
// value) may allocate. With a caller-given budget the count is shared by the
// layer's whole lifetime; otherwise each operation gets a default cap that
// scales with the file, so hostile files cannot demand gigabytes.
class Budget {
 public:
  Budget(std::uint64_t limit, std::atomic<std::uint64_t>* shared) : limit_(limit), shared_(shared) {}
  void charge(std::uint64_t bytes, std::uint64_t offset) {
    std::uint64_t total;
    if (shared_) {
      total = shared_->fetch_add(bytes, std::memory_order_relaxed) + bytes;
      if (total < bytes) total = std::numeric_limits<std::uint64_t>::max();
    } else {
      total = used_ + bytes;
      if (total < used_) total = std::numeric_limits<std::uint64_t>::max();
      used_ = total;
    }
    if (total > limit_) refuse(bytes, offset);
  }
  // Saturating a * b, for charges computed from file-provided counts.
  static std::uint64_t times(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::numeric_limits<std::uint64_t>::max();
    return a * b;
  }

 private:
  [[noreturn]] void refuse(std::uint64_t bytes, std::uint64_t offset) const;
  std::uint64_t limit_;
  std::uint64_t used_ = 0;
  std::atomic<std::uint64_t>* shared_;
};

// Bounds-checked cursor over [begin, end) of the file bytes; positions are
// absolute file offsets.
class ByteReader {
 public:
  ByteReader(std::string_view data, std::uint64_t pos, std::uint64_t end) : data_(data), pos_(pos), end_(end) {}

  std::uint64_t pos() const noexcept { return pos_; }
  std::uint64_t end() const noexcept { return end_; }
  std::uint64_t remaining() const noexcept { return pos_ < end_ ? end_ - pos_ : 0; }
  void seek(std::uint64_t pos) {
    if (pos > end_) throwAt(pos_, "offset " + std::to_string(pos) + " is outside the readable range (end " + std::to_string(end_) + ")");
    pos_ = pos;
  }
  void need(std::uint64_t n, std::string_view what) const {
    if (n > remaining())
      throwAt(pos_, "expected " + std::string(what) + " (" + std::to_string(n) + " bytes) but only " +
                        std::to_string(remaining()) + " bytes remain");
  }
  template <class T>
  T read(std::string_view what = "a value") {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::span<const std::byte> bytes(std::uint64_t n, std::string_view what) {
    need(n, what);
    auto s = std::span<const std::byte>(reinterpret_cast<const std::byte*>(data_.data() + pos_), static_cast<std::size_t>(n));
    pos_ += n;
    return s;
  }
  // Everything from the cursor to the end (for decoders that find their own end).
  std::span<const std::byte> rest() const {
    return std::span<const std::byte>(reinterpret_cast<const std::byte*>(data_.data() + pos_), static_cast<std::size_t>(remaining()));
  }
  // An element count that is followed by `count` elements of at least
  // `minElementSize` bytes: refuses counts the remaining bytes cannot hold.
  std::uint64_t readCount(std::uint64_t minElementSize, std::string_view what) {
    const std::uint64_t at = pos_;
    const std::uint64_t n = read<std::uint64_t>(what);
    if (minElementSize != 0 && n > remaining() / minElementSize)
      throwAt(at, std::string(what) + " " + std::to_string(n) + " needs at least " +
                      std::to_string(Budget::times(n, minElementSize)) + " bytes but only " +
                      std::to_string(remaining()) + " remain");
    return n;
  }

 private:
  std::string_view data_;
  std::uint64_t pos_;
  std::uint64_t end_;
};

// The decoded tables of one file, shared (immutable, apart from the memory
// count) by the layer's lazy values.
struct CrateFile {
  std::string_view data;
  std::shared_ptr<const void> owner;  // keeps `data` alive
  std::string name;
  Version version;
  std::uint64_t memoryLimit = 0;     // per operation, or in total when `cumulative`
  bool cumulative = false;
  mutable std::atomic<std::uint64_t> memoryUsed{0};

  std::vector<Token> tokens;
  std::vector<std::uint32_t> strings;  // token index of each string (validated)
  std::vector<Path> paths;             // slots; unfilled ones hold the empty path

  std::uint64_t pathsAt = 0;                // the PATHS section, for messages

  Budget makeBudget() const { return Budget(memoryLimit, cumulative ? &memoryUsed : nullptr); }

  const Token& token(std::uint32_t index, std::uint64_t at) const {
    if (index >= tokens.size())
      throwAt(at, "token index " + std::to_string(index) + " out of range (" + std::to_string(tokens.size()) + " tokens)");
    return tokens[index];
  }
  const Token& string(std::uint32_t index, std::uint64_t at) const {
    if (index >= strings.size())
      throwAt(at, "string index " + std::to_string(index) + " out of range (" + std::to_string(strings.size()) + " strings)");
    return tokens[strings[index]];
  }
  const Path& path(std::uint32_t index, std::uint64_t at) const {
    if (index >= paths.size())
      throwAt(at, "path index " + std::to_string(index) + " out of range (" + std::to_string(paths.size()) + " paths)");
    return paths[index];
  }
};

// How a field's stored value maps onto the layer's data model (crate keeps
// OpenUSD's storage types; a few fields are exposed differently).
enum class FieldRole : std::uint8_t {
  Plain,
  Payload,           // a single Payload means an explicit PayloadListOp (§10.9)
  StringDictionary,  // prefix/suffixSubstitutions: dictionary of strings
  PrimRelocates,     // prim `relocates`: RelocatesMap
};

// Decodes ValueReps into Values. One decoder serves one operation; it
// bounds nesting and charges every allocation to its budget.
class ValueDecoder {
 public:
  ValueDecoder(const CrateFile& file, Budget& budget) : file_(file), budget_(budget) {}

  // The whole value, nothing left lazy. `where` is reported for values that
  // live inside the rep itself (inlined values).
  Value decode(ValueRep rep, std::uint64_t where);
  // The value as the layer stores it for a field of `role`.
  Value decodeField(ValueRep rep, FieldRole role, std::uint64_t where);
  // True when decoding `rep` may produce an array (or other bulk data) that
  // should stay in the file until needed. Reads small headers only.
  bool isBulky(ValueRep rep, std::uint64_t where);

 private:
  friend class ArrayDecoder;
  Value decodeInner(ValueRep rep, std::uint64_t where);
  Value decodeArray(ValueRep rep, std::uint64_t where);
  Value decodeScalarOutOfLine(ValueRep rep, ByteReader& r);
  ByteReader at(ValueRep rep, std::uint64_t where) const;
  // Nested value record (§10.4) at the cursor; the cursor moves past it.
  Value readNestedValue(ByteReader& r);
  ValueRep readNestedRep(ByteReader& r, std::uint64_t* repOffset);
  Dictionary readDictionaryBody(ByteReader& r);
  Value readTimeSamples(ByteReader& r);
  Value readSpline(ByteReader& r);
  // An array edit (its descriptor has the array-edit flag; CrateArrayEdit.cpp).
  Value readArrayEdit(ValueRep rep, std::uint64_t where);
  Spline parseSplineBlob(std::span<const std::byte> blob, std::uint64_t at);
  template <class T, class ReadItem>
  ListOp<T> readListOp(ByteReader& r, std::uint64_t minItemSize, ReadItem&& readItem);
  template <class T, class ReadItem>
  std::vector<T> readVector(ByteReader& r, std::uint64_t minItemSize, ReadItem&& readItem);
  Reference readReference(ByteReader& r);
  Payload readPayload(ByteReader& r);
  UnregisteredValue readUnregisteredItem(ByteReader& r);
  void checkAssetPath(std::string_view text, std::uint64_t at) const;

  const CrateFile& file_;
  Budget& budget_;
  int depth_ = 0;
  std::vector<std::uint64_t> ancestry_;  // reps being decoded, to refuse cycles early
};

// A field value left in the file; decodes on load().
class CrateLazyValue final : public LazyValue {
 public:
  CrateLazyValue(std::shared_ptr<const CrateFile> file, ValueRep rep, FieldRole role, std::uint64_t where)
      : file_(std::move(file)), rep_(rep), role_(role), where_(where) {}
  Expected<Value> load() const override;

 private:
  std::shared_ptr<const CrateFile> file_;
  ValueRep rep_;
  FieldRole role_;
  std::uint64_t where_;
};

// Structural sections (CrateStructure.cpp).
struct Section {
  std::uint64_t start = 0, size = 0;
};
struct CrateStructure {
  struct {
    Section tokens, strings, fields, fieldSets, paths, specs;
  } sections;
  std::vector<std::uint32_t> fieldTokens;   // field name token per field
  std::vector<ValueRep> fieldReps;          // value per field
  std::vector<std::uint32_t> fieldSets;     // runs of field indexes, terminated by kInvalidIndex
  struct Spec {
    std::uint32_t path, fieldSet, type;
  };
  std::vector<Spec> specs;
};

// Reads bootstrap, TOC and all six sections; fills file.tokens/strings/paths.
CrateStructure readStructure(CrateFile& file, Budget& budget);
Version readBootstrap(std::string_view data);

}  // namespace usdkit::crate
