#include "base/Token.h"

#include "base/HugePageAllocator.h"

#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace usdkit {

std::size_t hashText(std::string_view text) noexcept {
  // FNV-1a over 8-byte words with a final avalanche; fast for short names.
  std::uint64_t h = 0xcbf29ce484222325ull ^ text.size();
  const char* p = text.data();
  std::size_t n = text.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = (h ^ tail) * 0x100000001b3ull;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return static_cast<std::size_t>(h);
}

namespace {

// Open-addressing table of TokenRep pointers, one per shard, each behind its
// own mutex so parallel readers rarely contend. Records live in arena blocks
// that are never freed: tokens stay valid for the life of the process.
class TokenShard {
 public:
  const detail::TokenRep* intern(std::string_view text, std::size_t hash) {
    std::lock_guard lock(mutex_);
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = (hash >> 8) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (!slot.rep) {
        slot.rep = allocate(text, hash);
        slot.hash = hash;
        ++count_;
        return slot.rep;
      }
      // The hash kept in the slot rejects other tokens without touching
      // their records, which are scattered through memory.
      if (slot.hash == hash && slot.rep->size == text.size() &&
          std::memcmp(slot.rep->text, text.data(), text.size()) == 0)
        return slot.rep;
    }
  }

 private:
  struct Slot {
    std::size_t hash = 0;
    const detail::TokenRep* rep = nullptr;
  };

  void grow() {
    std::vector<Slot, HugePageAllocator<Slot>> old(slots_.empty() ? 256 : slots_.size() * 2);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (!slot.rep) continue;
      std::size_t i = (slot.hash >> 8) & mask;
      while (slots_[i].rep) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  const detail::TokenRep* allocate(std::string_view text, std::size_t hash) {
    std::size_t bytes = offsetof(detail::TokenRep, text) + text.size() + 1;
    bytes = (bytes + alignof(detail::TokenRep) - 1) & ~(alignof(detail::TokenRep) - 1);
    if (bytes > blockLeft_) {
      std::size_t blockSize = std::max<std::size_t>(bytes, 64 * 1024);
      blocks_.push_back(std::make_unique<std::byte[]>(blockSize));
      blockPtr_ = blocks_.back().get();
      blockLeft_ = blockSize;
    }
    auto* rep = reinterpret_cast<detail::TokenRep*>(blockPtr_);
    blockPtr_ += bytes;
    blockLeft_ -= bytes;
    rep->hash = hash;
    rep->size = static_cast<std::uint32_t>(text.size());
    std::memcpy(rep->text, text.data(), text.size());
    rep->text[text.size()] = '\0';
    return rep;
  }

  std::mutex mutex_;
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  std::size_t count_ = 0;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* blockPtr_ = nullptr;
  std::size_t blockLeft_ = 0;
};

constexpr std::size_t kShards = 64;

std::array<TokenShard, kShards>& tokenTable() {
  static std::array<TokenShard, kShards> table;
  return table;
}

}  // namespace

Token::Token(std::string_view text) {
  if (text.empty()) return;
  std::size_t h = hashText(text);
  rep_ = tokenTable()[h % kShards].intern(text, h);
}

}  // namespace usdkit
