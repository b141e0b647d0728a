// Interning of path texts as a tree of nodes (internal to lib/sdf).
//
// Every distinct path text has exactly one node, so a Path can stay a Token
// (pointer equality, stored hash) whose record lives inside its node. A node
// is found under its parent node, not in one global hash table: the reader
// appends a child or a property to the path it has just built, whose node
// and few children are still in cache, where a global table of a million
// paths costs a cache miss on every append. Nodes also know their parent,
// so Path::parent() needs no text scanning or hashing.
//
// Which node is the parent of a text is decided by the caller (Path.cpp) and
// must be a function of the text alone; that makes nodes unique per text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/Token.h"

namespace usdkit::detail {

// A node is 16 bytes of links followed by the token record of its text.
// Links are 32-bit references into the node arena: 1 + (block << 18 |
// offset / 8), so a node costs the bare token record plus 16 bytes (the
// token table slot a path used to take cost about as much).
struct PathNode {
  std::uint32_t self;
  std::uint32_t parent;       // 0 for the roots
  std::uint32_t firstChild;   // 0: none; top bit set: the rest is an index number
  std::uint32_t nextSibling;  // 0: last
  TokenRep rep;               // must stay last: the text follows it
};

inline const PathNode* pathNodeOf(const TokenRep* rep) noexcept {
  return reinterpret_cast<const PathNode*>(reinterpret_cast<const std::byte*>(rep) - offsetof(PathNode, rep));
}

// A small number per node, unique among all nodes, and close together for
// nodes made one after another (so tables indexed by it are read and
// written almost in order): nodes take at least 32 bytes of the arena.
inline std::uint32_t pathNodeKey(const TokenRep* rep) noexcept { return (pathNodeOf(rep)->self - 1) >> 2; }

// The roots: "/" and ".". Their records never move.
const TokenRep* absoluteRootPathRep() noexcept;
const TokenRep* relativeRootPathRep() noexcept;

// The node for `text` below `parent` (a record from this table), created if
// missing. `text` must start with the parent's text.
const TokenRep* internChildPath(const TokenRep* parent, std::string_view text);

// The same without making it: null when `text` has no node below `parent`.
const TokenRep* findChildPath(const TokenRep* parent, std::string_view text);

// Texts up to this long hang below their parent path's node. A longer text
// hangs below its longest ancestor of at most half its length (rounded to a
// power of two), so that interning a path of n elements makes a chain of
// nodes whose texts add up to O(length), not one node per prefix (which
// would be O(n * length) bytes for a hostile 100,000-element path).
inline constexpr std::size_t kLongPathText = 2048;

// Defined in Path.cpp, which knows the path syntax: the node of a canonical
// path text if one was ever made, and the length of the text of the node a
// (non-root, non-empty) text hangs below, 0 when that is a root.
const TokenRep* findPathRep(std::string_view text);
std::size_t chainParentTextLength(std::string_view text);

// The parent node's record; null for the roots.
const TokenRep* parentPathRep(const TokenRep* rep) noexcept;

}  // namespace usdkit::detail
