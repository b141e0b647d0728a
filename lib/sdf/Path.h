// Scene-description paths with the full USD path grammar: prims, properties,
// variant selections, relationship targets, relational attributes, mappers
// and `.expression`, absolute and relative.
//
// A Path is a pointer to an interned node in a tree of path elements (see
// PathNodes.h), as OpenUSD's SdfPath is: copying, comparing for equality and
// hashing are O(1), structural queries read the last element or walk up the
// tree, and appending an element costs the element, not the path. A node
// stores only its last element, so the canonical text is made on demand
// (string(), appendText()) in O(length): never keep it as a key. The empty
// path is the default-constructed Path.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Token.h"

namespace usdkit {

class Path {
 public:
  Path() = default;

  // Parses `text` (the SdfPath grammar). Returns nullopt when the text is not
  // a valid path; "" gives the empty path. As in OpenUSD, `..` may only lead
  // a relative path ("../A"): "/A/B/.." is rejected. The result is canonical
  // (blanks inside variant selections dropped), so equal paths have equal
  // text. appendChild(".."), appendPath and makeAbsolute fold `..`.
  static std::optional<Path> parse(std::string_view text);
  // For text known to be canonical already (e.g. written by this library).
  static Path fromCanonical(std::string_view text);

  static Path absoluteRoot();   // "/"
  static Path reflexiveRelative();  // "."

  // The canonical text (SdfPath::GetString), made on each call.
  std::string string() const;
  // Appends the canonical text to `out` (no temporary string).
  void appendText(std::string& out) const;
  // Length of the canonical text, without making it.
  std::size_t textSize() const noexcept;
  // Hash for tables keyed by paths (std::hash<Path> gives the same).
  std::size_t hash() const noexcept { return rep_ ? rep_->hash : 0; }
  bool empty() const noexcept { return rep_ == nullptr; }
  // The node's record, for lib/sdf's own tables (PathNodes.h); null when empty.
  const detail::TokenRep* rep() const noexcept { return rep_; }

  bool isAbsolute() const;          // starts with '/'
  bool isAbsoluteRoot() const;      // "/"
  bool isPrimPath() const;          // ends in a prim name ("/A/B", "A", "."/".." count too)
  bool isRootPrimPath() const;      // "/A"
  bool isPrimOrPrimVariantSelectionPath() const;
  bool isPrimVariantSelectionPath() const;  // ends in "{set=sel}"
  bool containsPrimVariantSelection() const;
  bool isPropertyPath() const;      // ends in ".name" (also relational attributes)
  bool isPrimPropertyPath() const;  // "/A.b" (owner is a prim)
  bool isNamespacedPropertyPath() const;
  bool isTargetPath() const;        // ends in "[target]"
  bool isMapperPath() const;        // ends in ".mapper[target]"
  bool isExpressionPath() const;    // ends in ".expression"
  bool isRelationalAttributePath() const;  // "/A.rel[/T].attr"
  bool containsTargetPath() const;

  // Last element's name: prim name, property name, "..", "."; for a variant
  // selection "{set=sel}" the whole element text; "" for "/" and empty.
  std::string_view name() const;
  // Last element as spelled in the text, without a prim separator: "B",
  // "{v=x}", ".prop", "[/T]", ".mapper[/T]", ".expression", ".attr"; "" for
  // the roots and the empty path (SdfPath::GetElementString).
  std::string_view elementText() const;
  Token nameToken() const { return Token(name()); }
  // For a variant-selection path, the selection of the last element.
  std::pair<std::string_view, std::string_view> variantSelection() const;
  // For a target or mapper path, the target path inside the last brackets.
  Path targetPath() const;

  Path parent() const;          // drops the last element ("/A" -> "/", "A" -> ".")
  Path primPath() const;        // strips any property part (and targets)
  Path primOrPrimVariantSelectionPath() const;
  Path stripAllVariantSelections() const;

  Path appendChild(std::string_view primName) const;
  Path appendProperty(std::string_view propName) const;
  Path appendVariantSelection(std::string_view set, std::string_view variant) const;
  Path appendTarget(const Path& target) const;
  Path appendRelationalAttribute(std::string_view attrName) const;
  Path appendMapper(const Path& target) const;
  Path appendExpression() const;
  // Appends one element spelled as elementText() gives it ("B", "{v=x}",
  // ".prop", "[/T]", ".mapper[/T]", ".expression", ".attr" after a target,
  // ".arg" after a mapper), as SdfPath::AppendElementString; empty when the
  // spelling is no valid element or may not follow this path.
  Path appendElementText(std::string_view element) const;
  // Appends a relative path's elements ("B/C.d" onto "/A" gives "/A/B/C.d").
  Path appendPath(const Path& relative) const;

  // Absolute version of a relative path, anchored at `anchor` (a prim or
  // prim-variant-selection path). Returns empty when ".." climbs past "/".
  Path makeAbsolute(const Path& anchor) const;
  // Relative version anchored at `anchor`, as SdfPath::MakeRelativePath.
  Path makeRelative(const Path& anchor) const;

  bool hasPrefix(const Path& prefix) const;
  // Replaces `oldPrefix` with `newPrefix`; also fixes target paths embedded in
  // brackets when `fixTargets` is true. Returns *this unchanged when the
  // prefix does not match.
  Path replacePrefix(const Path& oldPrefix, const Path& newPrefix, bool fixTargets = true) const;
  Path commonPrefix(const Path& other) const;

  // Number of prim/variant/property elements from the root.
  std::size_t elementCount() const;
  // All prefixes from the first element up to and including this path.
  std::vector<Path> prefixes() const;

  friend bool operator==(const Path& a, const Path& b) noexcept { return a.rep_ == b.rep_; }
  // OpenUSD's SdfPath ordering (absolute before relative, element-wise from
  // the root, prefix before extension). Not the byte order of the text.
  friend bool operator<(const Path& a, const Path& b);

 private:
  explicit Path(const detail::TokenRep* rep) noexcept : rep_(rep) {}
  friend struct PathAccess;  // Path.cpp and PathOrder.cpp
  const detail::TokenRep* rep_ = nullptr;
};

// Identifier rules shared by the parser and the writer.
bool isValidIdentifier(std::string_view name);           // UTF-8 XID rules (prim names)
bool isValidNamespacedIdentifier(std::string_view name); // a:b:c (property names)

}  // namespace usdkit

template <>
struct std::hash<usdkit::Path> {
  std::size_t operator()(const usdkit::Path& p) const noexcept { return p.hash(); }
};
