// One immutable block for each distinct short token list read from a file
// (private to the usda reader).
//
// Layers repeat the same short token lists over and over: every transformable
// prim has the same xformOpOrder, and prims of one schema have the same
// property names. Values are immutable shared blocks by design (Value.h), so
// equal lists can share one block: nothing that reads the layer can tell,
// except that it takes far less memory and far fewer allocations (a layer of
// 200,000 prims otherwise holds 400,000 copies of a handful of lists).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "sdf/Value.h"

namespace usdkit::usda {

// Block is std::vector<Token> (a token[] value) or TokenVector (a field
// such as `properties`).
template <class Block>
class SharedTokenLists {
 public:
  // The value holding a list equal to `items`, sharing an earlier equal
  // block when there is one (so a repeated list costs no allocation). Long
  // lists are rarely repeated, and a file of only distinct lists must not
  // fill the table: past the limits below lists are not shared.
  Value share(std::span<const Token> items) {
    if (items.empty() || items.size() > kMaxItems) return Value(makeBlock(items));
    const Key probe{items, hashOf(items)};
    if (auto it = blocks_.find(probe); it != blocks_.end()) return Value::shared(it->second);
    auto shared = std::make_shared<const Block>(makeBlock(items));
    if (blocks_.size() < kMaxLists) blocks_.emplace(Key{itemsOf(*shared), probe.hash}, shared);
    return Value::shared(std::move(shared));
  }

 private:
  static constexpr std::size_t kMaxItems = 16;
  static constexpr std::size_t kMaxLists = 4096;

  // The items of a block held by the table (or of the list being looked up).
  struct Key {
    std::span<const Token> items;
    std::size_t hash;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept { return k.hash; }
  };
  struct KeyEqual {
    bool operator()(const Key& a, const Key& b) const noexcept {
      if (a.hash != b.hash || a.items.size() != b.items.size()) return false;
      for (std::size_t i = 0; i < a.items.size(); ++i)
        if (a.items[i] != b.items[i]) return false;
      return true;
    }
  };

  static std::span<const Token> itemsOf(const std::vector<Token>& v) noexcept { return v; }
  static std::span<const Token> itemsOf(const TokenVector& v) noexcept { return v.items; }
  static Block makeBlock(std::span<const Token> items) {
    std::vector<Token> v(items.begin(), items.end());
    if constexpr (std::is_same_v<Block, TokenVector>) return TokenVector{std::move(v)};
    else return v;
  }
  static std::size_t hashOf(std::span<const Token> items) noexcept {
    std::uint64_t h = items.size();
    for (const Token& t : items) h = (h ^ t.hash()) * 0x100000001b3ull;
    return static_cast<std::size_t>(h);
  }

  std::unordered_map<Key, std::shared_ptr<const Block>, KeyHash, KeyEqual> blocks_;
};

}  // namespace usdkit::usda
