// The prim tree `usdtree` prints: one line per prim with its specifier, type
// name, and the `active` and `kind` metadata, optionally followed by the
// prim's other metadata keys and property names, drawn with OpenUSD
// usdtree's box characters so the output matches it byte for byte.
//
// The printer reads prims through TreeSource, so the same drawing serves a
// single layer (LayerTreeSource, below), also the layer a flattened stage
// or layer stack gives.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sdf/Layer.h"
#include "sdf/Path.h"

namespace usdkit {

// What the printer needs to know about one prim.
struct TreePrim {
  std::string name;
  std::string specifier;  // lower case: "def", "over", "class"
  std::string typeName;   // empty when untyped
  std::string kind;       // empty when not authored
  bool active = true;     // the value, or its fallback (true)
  bool activeAuthored = false;
  // Authored metadata other than typeName, specifier, kind and active, in
  // byte order of the key (OpenUSD sorts them so).
  std::vector<std::string> metadataKeys;
  std::vector<std::string> propertyNames;  // in the order usdtree lists them
  // With TreeOptions::composition: the prim's opinions, strongest first
  // ("@layer@</path>"), then its variant selections ("{set=selection}").
  std::vector<std::string> composition;
};

// Prims addressed by path; "/" is the pseudo-root, whose children are the
// root prims.
class TreeSource {
 public:
  virtual ~TreeSource() = default;
  virtual std::vector<Path> children(const Path& prim) const = 0;
  virtual TreePrim describe(const Path& prim) const = 0;
};

// The prim specs of one layer as they are authored (usdtree without
// --flatten): children in primChildren order, metadata as the fields the
// schema defines for prims that do not hold children.
class LayerTreeSource final : public TreeSource {
 public:
  // `composedStage`: the layer is a flattened stage, shown as OpenUSD shows
  // the stage's prims: every authored metadata field but composition, clip
  // and value fields (UsdPrim's authored metadata), not only those the prim
  // spec schema knows; properties in the composed prim's order (dictionary
  // order, then propertyOrder); and not the root prims that hold the
  // flattened prototypes (`prototypes`), which are no prims of the stage.
  explicit LayerTreeSource(const Layer& layer, bool composedStage = false, std::vector<Path> prototypes = {})
      : layer_(layer), composedStage_(composedStage), prototypes_(std::move(prototypes)) {}
  // Composition lines by prim path (see TreePrim::composition), from the
  // code that composed the stage.
  void setComposition(std::map<Path, std::vector<std::string>> lines) { composition_ = std::move(lines); }
  std::vector<Path> children(const Path& prim) const override;
  TreePrim describe(const Path& prim) const override;

 private:
  const Layer& layer_;
  bool composedStage_;
  std::vector<Path> prototypes_;
  std::map<Path, std::vector<std::string>> composition_;
};

struct TreeOptions {
  bool attributes = false;  // -a: list property names under each prim
  bool metadata = false;    // -m: list metadata keys under each prim
  bool simple = false;      // -s: names only, no specifier/type/kind/active
  // Prim levels to print below "/": 1 shows only root prims. 0 or less: all.
  int maxDepth = 0;
  bool composition = false;  // list each prim's opinions and variant selections
};

// When set, called with the text appended so far whenever it grows past
// about a megabyte and once at the end; the callee consumes the text and
// the printer clears it. The tree of a deep file is far bigger than the
// file (every line repeats its ancestors' branch columns), so it streams.
using TreeTextSink = std::function<void(std::string_view)>;

// Appends the tree exactly as OpenUSD's usdtree prints it ("/" then one line
// per prim and per listed metadata key or property).
void appendTreeText(std::string& out, const TreeSource& source, const TreeOptions& options,
                    const TreeTextSink& sink = {});

// The same tree as one JSON document for scripts:
//   {"path": "/", "children": [{"name", "path", "specifier", "typeName",
//    "kind", "active", "activeAuthored", "metadata": [...],
//    "properties": [...], "children": [...]}, ...]}
// `metadata` and `properties` are present only when options ask for them;
// with `simple`, prims carry only name, path and children. Ends with "\n".
void appendTreeJson(std::string& out, const TreeSource& source, const TreeOptions& options,
                    const TreeTextSink& sink = {});

}  // namespace usdkit
