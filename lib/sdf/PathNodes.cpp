#include "sdf/PathNodes.h"

#include "base/HugePageAllocator.h"
#include "base/HugePageBlock.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace usdkit::detail {

namespace {

constexpr std::uint32_t kIndexed = 0x80000000u;
// Children are kept in a list while there are few (scanning a handful of
// recently made nodes beats hashing); past this many they get an index.
constexpr std::size_t kMaxListedChildren = 8;

const PathNode* nodeOf(const TokenRep* rep) noexcept { return pathNodeOf(rep); }
static_assert(offsetof(PathNode, rep) + offsetof(TokenRep, text) + 1 >= 32, "pathNodeKey needs nodes of 32 bytes or more");

// A path's hash from its parent's and its suffix: the same path always
// gets the same hash, without its text ever being made.
std::size_t pathHash(std::size_t parentHash, std::string_view suffix) noexcept {
  std::uint64_t x = (static_cast<std::uint64_t>(parentHash) * 0x9E3779B97F4A7C15ull) ^ hashText(suffix);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return static_cast<std::size_t>(x);
}

bool sameText(const TokenRep& rep, std::size_t hash, std::string_view text) noexcept {
  return rep.hash == hash && rep.size == text.size() && std::memcmp(rep.text, text.data(), text.size()) == 0;
}

// Open-addressing set of one parent's children: each slot holds 32 bits of
// the child's hash (so probing rarely touches other nodes) and its reference.
struct ChildIndex {
  std::vector<std::uint64_t> slots;
  std::size_t count = 0;
};

class PathNodeTable {
 public:
  PathNodeTable() {
    absRoot_ = create(0, "/", hashText("/"), 0, kPathAbsolute);
    relRoot_ = create(0, ".", hashText("."), 0, 0);
  }

  const TokenRep* absRoot() const noexcept { return &at(absRoot_)->rep; }
  const TokenRep* relRoot() const noexcept { return &at(relRoot_)->rep; }

  const TokenRep* child(const TokenRep* parentRep, std::string_view text, std::uint8_t kind, std::uint8_t flags) {
    const std::size_t hash = pathHash(parentRep->hash, text);
    std::lock_guard lock(mutex_);
    const std::uint32_t parentRef = nodeOf(parentRep)->self;
    PathNode* parent = at(parentRef);
    if (parent->firstChild & kIndexed) {
      const std::uint32_t id = parent->firstChild & ~kIndexed;
      std::uint32_t ref = findIndexed(id, text, hash);
      if (!ref) {
        ref = create(parentRef, text, hash, kind, flags);
        insert(indexes_[id], ref, hash);
      }
      return &at(ref)->rep;
    }
    std::size_t listed = 0;
    for (std::uint32_t c = parent->firstChild; c; c = at(c)->nextSibling) {
      const PathNode* node = at(c);
      if (sameText(node->rep, hash, text)) return &node->rep;
      ++listed;
    }
    const std::uint32_t ref = create(parentRef, text, hash, kind, flags);
    if (listed < kMaxListedChildren) {
      at(ref)->nextSibling = parent->firstChild;
      parent->firstChild = ref;
      return &at(ref)->rep;
    }
    // Too many children for a list: move them all into a new index.
    const auto id = static_cast<std::uint32_t>(indexes_.size());
    indexes_.emplace_back();
    ChildIndex& index = indexes_.back();
    index.slots.assign(64, 0);
    for (std::uint32_t c = parent->firstChild; c;) {
      const std::uint32_t next = at(c)->nextSibling;
      at(c)->nextSibling = 0;
      insert(index, c, at(c)->rep.hash);
      c = next;
    }
    insert(index, ref, hash);
    parent->firstChild = kIndexed | id;
    return &at(ref)->rep;
  }

 private:
  // Nodes live in arena blocks that are never freed; blocks grow to one
  // huge page. A reference is 1 + (block << kOffsetBits | offset / 8).
  static constexpr std::size_t kFirstBlockSize = 64 * 1024;
  static constexpr std::size_t kMaxBlockSize = HugePageAllocator<std::byte>::kHugePage;
  static constexpr unsigned kOffsetBits = 18;  // 2 MiB / 8-byte units

  using Block = HugePageBlock;

  PathNode* at(std::uint32_t ref) const noexcept {
    const std::uint32_t r = ref - 1;
    return reinterpret_cast<PathNode*>(blocks_[r >> kOffsetBits].data + (r & ((1u << kOffsetBits) - 1)) * 8);
  }

  static void insert(ChildIndex& index, std::uint32_t ref, std::size_t hash) {
    if ((index.count + 1) * 4 > index.slots.size() * 3) {
      std::vector<std::uint64_t> old(index.slots.size() * 2, 0);
      old.swap(index.slots);
      for (std::uint64_t s : old) {
        if (s) place(index.slots, s);
      }
    }
    place(index.slots, (static_cast<std::uint64_t>(hash >> 32) << 32) | ref);
    ++index.count;
  }

  static void place(std::vector<std::uint64_t>& slots, std::uint64_t slot) {
    const std::size_t mask = slots.size() - 1;
    std::size_t i = (slot >> 32) & mask;
    while (slots[i]) i = (i + 1) & mask;
    slots[i] = slot;
  }

  std::uint32_t findIndexed(std::uint32_t id, std::string_view text, std::size_t hash) const {
    const std::uint64_t tag = static_cast<std::uint64_t>(hash >> 32) << 32;
    const ChildIndex& index = indexes_[id];
    const std::size_t mask = index.slots.size() - 1;
    for (std::size_t i = (hash >> 32) & mask;; i = (i + 1) & mask) {
      const std::uint64_t s = index.slots[i];
      if (!s) return 0;
      if ((s & 0xffffffff00000000ull) == tag && sameText(at(static_cast<std::uint32_t>(s))->rep, hash, text))
        return static_cast<std::uint32_t>(s);
    }
  }

  std::uint32_t create(std::uint32_t parent, std::string_view text, std::size_t hash, std::uint8_t kind,
                       std::uint8_t flags) {
    std::size_t bytes = offsetof(PathNode, rep) + offsetof(TokenRep, text) + text.size() + 1;
    bytes = (bytes + 7) & ~std::size_t(7);
    static_assert(alignof(PathNode) <= 8);
    if (bytes > blockLeft_) {
      // References must stay below the index flag of PathNode::firstChild
      // (16 GiB of paths; memory runs out long before).
      if (blocks_.size() >= (std::size_t(1) << (31 - kOffsetBits))) throw std::bad_alloc();
      // Oversized texts get a block of their own, used from offset 0.
      const std::size_t blockSize = std::max(bytes, nextBlockSize_);
      nextBlockSize_ = std::min(nextBlockSize_ * 2, kMaxBlockSize);
      blocks_.emplace_back(blockSize);
      blockUsed_ = 0;
      blockLeft_ = blockSize;
    }
    const std::size_t offset = blockUsed_;
    blockUsed_ += bytes;
    blockLeft_ -= bytes;
    if (bytes > kMaxBlockSize) blockLeft_ = 0;  // nothing may follow it
    const std::size_t block = blocks_.size() - 1;
    const auto ref = static_cast<std::uint32_t>((block << kOffsetBits) | (offset / 8)) + 1;
    auto* node = reinterpret_cast<PathNode*>(blocks_.back().data + offset);
    node->self = ref;
    node->parent = parent ? at(parent) : nullptr;
    node->firstChild = 0;
    node->nextSibling = 0;
    node->elementCount = 0;
    node->textSize = text.size();
    if (parent) {
      // The relative root's "." is no part of its descendants' texts.
      const PathNode* up = at(parent);
      node->elementCount = up->elementCount + 1;
      if (parent != relRoot_) node->textSize += up->textSize;
    }
    node->kind = kind;
    node->flags = flags;
    node->rep.hash = hash;
    node->rep.size = static_cast<std::uint32_t>(text.size());
    std::memcpy(node->rep.text, text.data(), text.size());
    node->rep.text[text.size()] = '\0';
    return ref;
  }

  mutable std::mutex mutex_;
  std::vector<Block> blocks_;
  std::vector<ChildIndex> indexes_;
  std::size_t nextBlockSize_ = kFirstBlockSize;
  std::size_t blockUsed_ = 0;
  std::size_t blockLeft_ = 0;
  std::uint32_t absRoot_ = 0;
  std::uint32_t relRoot_ = 0;
};

// Like the token table, the one process-wide table of path nodes: equal
// paths must share one record wherever they were made.
PathNodeTable& table() {
  static PathNodeTable nodes;
  return nodes;
}

}  // namespace

const TokenRep* absoluteRootPathRep() noexcept { return table().absRoot(); }
const TokenRep* relativeRootPathRep() noexcept { return table().relRoot(); }

const TokenRep* internChildPath(const TokenRep* parent, std::string_view suffix, std::uint8_t kind,
                                std::uint8_t flags) {
  return table().child(parent, suffix, kind, flags);
}


}  // namespace usdkit::detail
