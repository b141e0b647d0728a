// A running hash over 32-bit words: what usddiff numbers big arrays by. The
// usda reader hashes the numbers of arrays it keeps as text while checking
// them (LazyValue::SourceText::contentHash), and an array in memory hashes
// its bytes with ofBytes(), giving the same hash for the same bytes.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace usdkit {

class WordHash {
 public:
  void add(std::uint32_t word) noexcept { h_ = std::rotl(h_ ^ word, 27) * 0x9E3779B97F4A7C15ull; }
  // An 8-byte component as its two words in memory order.
  void add64(std::uint64_t bits) noexcept {
    std::uint32_t words[2];
    std::memcpy(words, &bits, sizeof words);
    add(words[0]);
    add(words[1]);
  }
  std::uint64_t value() const noexcept { return h_ ^ (h_ >> 31); }

  // The hash of `bytes` taken as words in memory order (a last partial word
  // padded with zeros).
  static std::uint64_t ofBytes(std::string_view bytes) noexcept {
    WordHash h;
    std::size_t i = 0;
    for (; i + 4 <= bytes.size(); i += 4) {
      std::uint32_t w;
      std::memcpy(&w, bytes.data() + i, 4);
      h.add(w);
    }
    if (i < bytes.size()) {
      std::uint32_t w = 0;
      std::memcpy(&w, bytes.data() + i, bytes.size() - i);
      h.add(w);
    }
    return h.value();
  }

 private:
  std::uint64_t h_ = 0x243F6A8885A308D3ull;
};

}  // namespace usdkit
