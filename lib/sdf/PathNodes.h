// Interning of paths as a tree of elements (internal to lib/sdf).
//
// Every distinct path has exactly one node, so a Path is a pointer (pointer
// equality, stored hash). A node stores only its last element, spelled as
// the text it adds to its parent's text (its "suffix": "A" below "/", "/B"
// below "/A", "{v=x}", ".prop", "/.prop" after "..", "[/T]", ".mapper[/T]",
// ".expression"), so a path's full text is the concatenation of the suffixes
// from the root and costs nothing until asked for. That keeps memory linear
// in the input for any tree shape: storing every path's full text costs the
// sum of all path lengths, quadratic for deep trees with long names and 100
// times the file size for many short names below a deep prim.
//
// A node is found under its parent node, not in one global hash table: the
// reader appends a child or a property to the path it has just built, whose
// node and few children are still in cache.
//
// What a suffix means (its kind, flags) is decided by the caller (Path.cpp,
// which knows the path syntax) and is a function of parent and suffix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/Token.h"

namespace usdkit::detail {

// Links between siblings are 32-bit references into the node arena: 1 +
// (block << 18 | offset / 8), read and written under the table's lock. The
// parent is a plain pointer, set once, so walking up needs no lock. The
// token record's hash is the whole path's hash; its text is the suffix.
struct PathNode {
  std::uint32_t self;
  std::uint32_t firstChild;    // 0: none; top bit set: the rest is an index number
  std::uint32_t nextSibling;   // 0: last
  std::uint32_t elementCount;  // elements from the root; 0 for the roots
  const PathNode* parent;      // null for the roots
  std::uint8_t kind;           // path_detail::Kind of the last element
  std::uint8_t flags;          // PathFlags
  // Length of the whole path's canonical text (64 bits: a crate file can
  // spell a deep path with one long name token again and again).
  std::uint64_t textSize;
  TokenRep rep;                // must stay last: the suffix follows it
};

enum PathFlags : std::uint8_t {
  kPathAbsolute = 1,       // starts at "/"
  kPathHasVariant = 2,     // has a variant selection element
  kPathHasTarget = 4,      // has a target or mapper element
  kPathEndsInDotDot = 8,   // the last element is ".."
};

inline const PathNode* pathNodeOf(const TokenRep* rep) noexcept {
  return reinterpret_cast<const PathNode*>(reinterpret_cast<const std::byte*>(rep) - offsetof(PathNode, rep));
}

inline std::string_view pathSuffix(const PathNode* node) noexcept { return {node->rep.text, node->rep.size}; }

// A small number per node, unique among all nodes, and close together for
// nodes made one after another (so tables indexed by it are read and
// written almost in order): nodes take at least 32 bytes of the arena.
inline std::uint32_t pathNodeKey(const TokenRep* rep) noexcept { return (pathNodeOf(rep)->self - 1) >> 2; }

// The roots: "/" and ".". Their records never move.
const TokenRep* absoluteRootPathRep() noexcept;
const TokenRep* relativeRootPathRep() noexcept;

// The node for `suffix` below `parent` (a record from this table), created
// with `kind` and `flags` if missing.
const TokenRep* internChildPath(const TokenRep* parent, std::string_view suffix, std::uint8_t kind,
                                std::uint8_t flags);

// The parent node's record; null for the roots.
inline const TokenRep* parentPathRep(const TokenRep* rep) noexcept {
  const PathNode* up = pathNodeOf(rep)->parent;
  return up ? &up->rep : nullptr;
}

}  // namespace usdkit::detail
