// A layer: a bag of specs addressed by path, each holding named fields, in
// the shape of OpenUSD's SdfData. Structure (children, properties, variant
// sets) is itself held in fields (primChildren, properties, ...), which is
// also how the crate format stores it.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/HugePageAllocator.h"
#include "sdf/Path.h"
#include "sdf/PathTable.h"
#include "sdf/Value.h"

namespace usdkit {

// Numbering matches OpenUSD's SdfSpecType (and the crate format).
enum class SpecType : std::uint8_t {
  Unknown = 0,
  Attribute = 1,
  Connection = 2,
  Expression = 3,
  Mapper = 4,
  MapperArg = 5,
  Prim = 6,
  PseudoRoot = 7,
  Relationship = 8,
  RelationshipTarget = 9,
  Variant = 10,
  VariantSet = 11,
};

struct Field {
  Token name;
  Value value;
};

// A spec's fields in insertion order, and the spec's type (kept here so it
// fills the padding after the count). Most specs have at most three fields
// (an attribute's type name and value, a prim's specifier, type and
// properties), so those live inline; a spec with more moves all of its
// fields to one heap block. A layer holds a million of these, so every byte
// counts: 112 bytes in all.
class FieldList {
 public:
  explicit FieldList(SpecType type = SpecType::Unknown) : type_(type) {}
  FieldList(FieldList&&) noexcept = default;
  FieldList& operator=(FieldList&&) noexcept = default;

  SpecType type() const noexcept { return type_; }
  void setType(SpecType t) noexcept { type_ = t; }

  std::span<const Field> view() const noexcept {
    return heap_ ? std::span<const Field>(*heap_) : std::span<const Field>(inline_.data(), size_);
  }
  std::span<Field> view() noexcept {
    return heap_ ? std::span<Field>(*heap_) : std::span<Field>(inline_.data(), size_);
  }
  void push_back(Field f) {
    if (!heap_ && size_ < inline_.size()) {
      inline_[size_++] = std::move(f);
      return;
    }
    if (!heap_) {
      heap_ = std::make_unique<std::vector<Field>>();
      heap_->reserve(inline_.size() * 2);
      for (std::size_t i = 0; i < size_; ++i) heap_->push_back(std::move(inline_[i]));
      for (Field& g : inline_) g = Field{};
      size_ = 0;
    }
    heap_->push_back(std::move(f));
  }
  void erase(std::size_t index) {
    if (heap_) {
      heap_->erase(heap_->begin() + static_cast<std::ptrdiff_t>(index));
      return;
    }
    for (std::size_t i = index; i + 1 < size_; ++i) inline_[i] = std::move(inline_[i + 1]);
    inline_[--size_] = Field{};
  }

 private:
  std::array<Field, 3> inline_{};
  std::unique_ptr<std::vector<Field>> heap_;  // all fields once there are more than three
  std::uint32_t size_ = 0;                    // fields in inline_ while heap_ is null
  SpecType type_;
};

class Spec {
 public:
  explicit Spec(SpecType type = SpecType::Unknown) : fields_(type) {}

  SpecType type() const noexcept { return fields_.type(); }
  void setType(SpecType t) noexcept { fields_.setType(t); }

  const Value* get(Token name) const noexcept {
    for (const Field& f : fields_.view())
      if (f.name == name) return &f.value;
    return nullptr;
  }
  template <class T>
  const T* getAs(Token name) const noexcept {
    const Value* v = get(name);
    return v ? v->getIf<T>() : nullptr;
  }
  bool has(Token name) const noexcept { return get(name) != nullptr; }
  // Sets or replaces; new fields keep insertion order.
  void set(Token name, Value value);
  bool erase(Token name);
  std::span<const Field> fields() const noexcept { return fields_.view(); }

 private:
  FieldList fields_;
};
static_assert(sizeof(Spec) <= 112, "a spec grew: layers hold millions of them");

// Append-only storage with stable addresses. The first chunks grow
// geometrically from a few dozen entries, so a small layer costs a few
// kilobytes (a scene of 10,000 tiny referenced layers must not reserve
// 2 MiB each: on a machine with transparent huge pages every first touch
// could back a whole huge page); past that, every chunk is one 2 MiB
// allocation that can live on huge pages. std::deque would allocate a block
// for every three specs.
template <class T>
class ChunkedArena {
 public:
  // As many entries as fill one 2 MiB huge page exactly (a chunk that
  // spilled into a second huge page would make the kernel back all of it).
  static constexpr std::size_t kChunk = HugePageAllocator<T>::kHugePage / sizeof(T);
  // Small chunks: kFirst, 2 kFirst, 4 kFirst, ... entries, kSmallChunks of
  // them, holding kSmallCapacity entries in all.
  static constexpr std::size_t kFirstBits = 5;
  static constexpr std::size_t kFirst = std::size_t(1) << kFirstBits;
  static constexpr std::size_t kSmallChunks = std::bit_width(kChunk / kFirst);
  static constexpr std::size_t kSmallCapacity = kFirst * ((std::size_t(1) << kSmallChunks) - 1);
  static_assert((kFirst << (kSmallChunks - 1)) <= kChunk);

  ChunkedArena() = default;
  ChunkedArena(const ChunkedArena&) = delete;
  ChunkedArena& operator=(const ChunkedArena&) = delete;
  ~ChunkedArena() {
    for (std::size_t i = 0; i < size_; ++i) (*this)[i].~T();
    for (std::size_t c = 0; c < chunks_.size(); ++c) HugePageAllocator<T>().deallocate(chunks_[c], chunkSize(c));
  }

  std::size_t size() const noexcept { return size_; }
  T& operator[](std::size_t i) noexcept { return *slot(i); }
  const T& operator[](std::size_t i) const noexcept { return *const_cast<ChunkedArena*>(this)->slot(i); }
  T& back() noexcept { return (*this)[size_ - 1]; }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) {
      std::size_t n = chunkSize(chunks_.size());
      chunks_.push_back(HugePageAllocator<T>().allocate(n));
      capacity_ += n;
    }
    T* at = slot(size_);
    ::new (static_cast<void*>(at)) T(std::forward<Args>(args)...);
    ++size_;
    return *at;
  }

  template <class F>
  void forEach(F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) f((*this)[i]);
  }

  // Destroys every entry and keeps the chunks for the next ones.
  void clear() noexcept {
    for (std::size_t i = 0; i < size_; ++i) (*this)[i].~T();
    size_ = 0;
  }

 private:
  static constexpr std::size_t chunkSize(std::size_t c) noexcept {
    return c < kSmallChunks ? kFirst << c : kChunk;
  }
  T* slot(std::size_t i) noexcept {
    if (i < kSmallCapacity) {
      // Chunk c starts at kFirst * (2^c - 1).
      std::size_t c = std::bit_width((i >> kFirstBits) + 1) - 1;
      return chunks_[c] + (i - kFirst * ((std::size_t(1) << c) - 1));
    }
    std::size_t j = i - kSmallCapacity;
    return chunks_[kSmallChunks + j / kChunk] + j % kChunk;
  }

  std::vector<T*> chunks_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

class Layer {
 public:
  Layer();

  // Name used in messages and by `usdcat` (the path the user gave).
  const std::string& identifier() const noexcept { return identifier_; }
  void setIdentifier(std::string id) { identifier_ = std::move(id); }

  // "usda" or "sdf": decides the cookie the text writer emits
  // ("#usda 1.0" / "#sdf 1.4.32").
  const std::string& formatId() const noexcept { return formatId_; }
  void setFormatId(std::string id) { formatId_ = std::move(id); }

  Spec& pseudoRoot() { return *findSpec(Path::absoluteRoot()); }
  const Spec& pseudoRoot() const { return *findSpec(Path::absoluteRoot()); }

  Spec* findSpec(const Path& path) noexcept {
    std::uint32_t i = index_.find(path);
    return i ? &entries_[i - 1].second : nullptr;
  }
  const Spec* findSpec(const Path& path) const noexcept {
    std::uint32_t i = index_.find(path);
    return i ? &entries_[i - 1].second : nullptr;
  }
  // Creates the spec if missing (type updated if it was Unknown). The
  // returned reference stays valid until the spec is erased.
  Spec& createSpec(const Path& path, SpecType type) { return tryCreateSpec(path, type).first; }
  // Like createSpec; `second` tells whether the spec is new.
  std::pair<Spec&, bool> tryCreateSpec(const Path& path, SpecType type);
  bool eraseSpec(const Path& path);
  // Erases every spec and the pseudo-root's fields, keeping the memory
  // the specs took for the next ones: a layer that holds a few specs at a
  // time (a flatten writing text prim by prim) stays as small as its
  // biggest prim, where erasing spec by spec would leave each slot behind.
  void clear();

  // A copy with the same specs and fields; values are shared, not copied.
  std::unique_ptr<Layer> clone() const;
  // A layer with this one's identifier, format and layer metadata, and
  // nothing else (`usdcat --layerMetadata`).
  std::unique_ptr<Layer> metadataOnlyCopy() const;

  std::size_t specCount() const noexcept { return live_; }
  // Visits every spec as f(const Path&, const Spec&), in creation order,
  // except that a spec created after others were erased takes the place
  // of one of them.
  template <class F>
  void forEachSpec(F&& f) const {
    entries_.forEach([&](const std::pair<Path, Spec>& e) {
      if (!e.first.empty()) f(e.first, e.second);
    });
  }
  void reserve(std::size_t n);

  // Convenience readers of the structural fields (empty when absent).
  const std::vector<Token>& primChildren(const Path& path) const;
  const std::vector<Token>& propertyNames(const Path& path) const;
  const std::vector<Token>& variantSetNames(const Path& primPath) const;  // variantSetChildren
  const std::vector<Token>& variantNames(const Path& variantSetPath) const;  // variantChildren

 private:
  std::string identifier_;
  std::string formatId_ = "usda";
  // Specs live in a chunked arena (stable addresses, no per-spec
  // allocation), indexed by path: 1-based entry numbers.
  ChunkedArena<std::pair<Path, Spec>> entries_;
  PathTable index_;
  std::size_t live_ = 0;
  // Entries of erased specs (1-based), taken again by new specs: a layer
  // that forgets what it composed (the Stage) stays the size of what it
  // holds.
  std::vector<std::uint32_t> free_;
};

}  // namespace usdkit
