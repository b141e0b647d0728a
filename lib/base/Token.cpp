#include "base/Token.h"

#include "base/HugePageAllocator.h"
#include "base/HugePageBlock.h"

#include <array>
#include <bit>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>
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
  // The last 0..7 bytes as a little-endian word padded with zeros. A
  // memcpy of a variable length is a library call, which costs as much as
  // hashing a short name; when the text has 8 bytes or more, the word
  // ending at its end holds the tail in its high bytes.
  std::uint64_t tail = 0;
  if constexpr (std::endian::native == std::endian::little) {
    if (n != 0 && text.size() >= 8) {
      std::memcpy(&tail, p + n - 8, 8);
      tail >>= (8 - n) * 8;
    } else {
      for (std::size_t i = 0; i < n; ++i) tail |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
    }
  } else {
    std::memcpy(&tail, p, n);
  }
  h = (h ^ tail) * 0x100000001b3ull;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return static_cast<std::size_t>(h);
}

namespace {

// Open-addressing table of token records, one per shard, each behind its
// own mutex so parallel readers rarely contend. Records live in 64 KiB arena
// blocks that are never freed: tokens stay valid for the life of the
// process. A slot is 8 bytes: 32 bits of the hash (rejects other tokens
// without touching their scattered records) and a 32-bit reference to the
// record (block number and 8-byte offset), half the size of a
// hash-and-pointer pair on tables of a million path names.
class TokenShard {
 public:
  const detail::TokenRep* intern(std::string_view text, std::size_t hash) {
    std::lock_guard lock(mutex_);
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    std::size_t mask = slots_.size() - 1;
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (!slot.ref) {
        slot.ref = allocate(text, hash);
        slot.tag = tag;
        ++count_;
        return record(slot.ref);
      }
      if (slot.tag == tag) {
        const detail::TokenRep* rep = record(slot.ref);
        if (rep->hash == hash && rep->size == text.size() && std::memcmp(rep->text, text.data(), text.size()) == 0)
          return rep;
      }
    }
  }

 private:
  // Blocks start small (a process with a few tokens stays small) and double
  // up to one huge page, so a table of a million path names takes a few
  // dozen page faults instead of thousands.
  static constexpr std::size_t kFirstBlockSize = 64 * 1024;
  static constexpr std::size_t kMaxBlockSize = HugePageAllocator<std::byte>::kHugePage;
  static constexpr unsigned kOffsetBits = 18;  // 2 MiB / 8-byte units

  using Block = HugePageBlock;

  // The tag is the top half of the hash; its low bits also pick the home
  // slot (the shard came from the hash's low bits).
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t ref = 0;  // 0 = empty, else 1 + (block << 13 | offset / 8)
  };

  const detail::TokenRep* record(std::uint32_t ref) const {
    std::uint32_t r = ref - 1;
    return reinterpret_cast<const detail::TokenRep*>(blocks_[r >> kOffsetBits].data +
                                                      (r & ((1u << kOffsetBits) - 1)) * 8);
  }

  void grow() {
    std::vector<Slot, HugePageAllocator<Slot>> old(slots_.empty() ? 256 : slots_.size() * 2);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (!slot.ref) continue;
      // The home slot comes from the tag, so growing never reads the
      // (scattered) records.
      std::size_t i = slot.tag & mask;
      while (slots_[i].ref) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::uint32_t allocate(std::string_view text, std::size_t hash) {
    std::size_t bytes = offsetof(detail::TokenRep, text) + text.size() + 1;
    bytes = (bytes + 7) & ~std::size_t(7);
    static_assert(alignof(detail::TokenRep) <= 8);
    if (bytes > blockLeft_) {
      // Oversized names get a block of their own, used from offset 0.
      std::size_t blockSize = std::max(bytes, nextBlockSize_);
      nextBlockSize_ = std::min(nextBlockSize_ * 2, kMaxBlockSize);
      blocks_.emplace_back(blockSize);
      blockUsed_ = 0;
      blockLeft_ = blockSize;
    }
    std::size_t offset = blockUsed_;
    auto* rep = reinterpret_cast<detail::TokenRep*>(blocks_.back().data + offset);
    blockUsed_ += bytes;
    blockLeft_ -= bytes;
    if (bytes > kMaxBlockSize) blockLeft_ = 0;  // nothing may follow it
    rep->hash = hash;
    rep->size = static_cast<std::uint32_t>(text.size());
    std::memcpy(rep->text, text.data(), text.size());
    rep->text[text.size()] = '\0';
    std::size_t block = blocks_.size() - 1;
    return static_cast<std::uint32_t>((block << kOffsetBits) | (offset / 8)) + 1;
  }

  std::mutex mutex_;
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  std::size_t count_ = 0;
  std::vector<Block> blocks_;
  std::size_t nextBlockSize_ = kFirstBlockSize;
  std::size_t blockUsed_ = 0;
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
