// The usda writer's walk over a layer (Writer.cpp), shared with the writer
// that formats independent parts of a layer on several threads
// (ParallelWriter.cpp). Internal to lib/io.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "io/usda/UsdaValueText.h"
#include "io/usda/UsdaWriter.h"
#include "io/usda/ValueWriter.h"
#include "sdf/Fields.h"
#include "sdf/Layer.h"

namespace usdkit::usda {

enum class SpecKind { Layer, Prim, Attribute, Relationship };

// The usda reader refuses files nesting deeper than 1000 levels; a crate
// file could still hold a deeper chain, which must give an error rather
// than overflow the stack. Levels are those of the text: a prim's body is
// one deeper than the prim, a variant's two (its variant set and itself).
inline constexpr int kMaxIndent = 2000;

// Refuses, before any text is written, a layer holding a prim nested too
// deep: the text of the levels above it would be written (gigabytes of
// indentation for a small crate file) only to end in that error.
Status checkNesting(const Layer& layer);

// Consecutive sibling prims (with their subtrees) whose text is made on its
// own: the prims in order, separated by empty lines, at `indent`.
struct PrimRun {
  struct Prim {
    Token name;
    Path path;
    const Spec* spec;
  };
  std::vector<Prim> prims;
  int indent = 0;
};

// A layer's text cut into parts that can be made independently: texts[0],
// then the text of runs[0], texts[1], runs[1], ... and the last text.
struct TextPieces {
  std::vector<std::string> texts;
  std::vector<PrimRun> runs;
  // How many runs a long list of siblings is cut into at least.
  std::size_t runsPerList = 16;
  // The text in which the cutting writer met its first error (none: npos).
  std::size_t firstErrorText = std::numeric_limits<std::size_t>::max();
};

// Writes one layer into one growing buffer. Spec metadata is collected into
// a scratch vector that is always consumed before the writer recurses, so a
// single vector serves the whole traversal.
class LayerWriter {
 public:
  LayerWriter(const Layer& layer, std::string& out, const std::function<void(std::string_view)>& sink,
              const std::function<bool(std::string&, const Value&)>& valueText)
      : layer_(&layer), out_(out), f_(fieldNames()), sink_(sink), valueText_(valueText ? &valueText : nullptr) {}

  void writeLayer(std::string_view cookie);

  // Pieces of a layer's text, for UsdaPieceWriter (a producer that makes
  // the layer a prim at a time). Each binds the writer to `layer` first.
  // The layer metadata block and root reorder statement (what follows the
  // header line).
  void writeLayerHead(const Layer& layer);
  // A prim's opening, metadata block, reorder statements and properties,
  // `indent` levels deep; whether any property was written. The prim spec
  // and its properties are at `storedAt` in `layer`; the prim is `path` in
  // the text (its name, relocates made relative to it, messages).
  bool writePrimHead(const Layer& layer, const Path& storedAt, const Path& path, int indent);
  // The text of `run`'s prims, as writeLayer would write them there.
  void writeRun(const PrimRun& run);
  // From now on, long lists of sibling prims are not written but cut out
  // into `pieces` as runs (see TextPieces); the writer's own text is what
  // lies between them. A sink gets the text only until the first cut.
  void cutInto(TextPieces& pieces) { pieces_ = &pieces; }
  // The first value that could not be decoded (lazy values of a crate
  // file); the text is incomplete when this is an error.
  const Status& status() const { return status_; }

 private:
  // Fields of `spec` that go into its metadata block, in output order.
  void collectMetadata(const Spec& spec, SpecKind kind);
  bool isStructural(Token name, SpecKind kind) const;
  const std::string* comment(const Spec& spec) const;

  void writeMetadataBlock(const Spec& spec, int indent, SpecKind kind);
  void writeMetadataField(const Field& field, int indent, SpecKind kind);
  // Refuses (in status_) a field whose dictionaries nest too deep to write.
  bool tooDeep(const Field& field) {
    if (!nestsTooDeep(field.value)) return false;
    if (status_)
      status_ = makeError("the value of field '" + field.name.string() + "' of <" + (namespacePath().empty() ? std::string("/") : namespacePath().string()) +
                          "> nests dictionaries more than " + std::to_string(kMaxTextDictionaryDepth) +
                          " levels deep, which cannot be written as text");
    return true;
  }
  void writePrimRelocates(const Path& primPath, const Value& value, int indent);
  void writeVariantSelections(const VariantSelectionMap& map, int indent);

  // The spec being written is at path_; writing a child sets it to the
  // child's path (built from path_ by the append functions, so its spec is
  // found without making any path's full text) and restores it after.
  // Prims, their children and variants are written by recursion through
  // these three, one level per namespace level. Everything that needs a
  // big stack frame (sorting, lookups, metadata, properties) is done by
  // the non-inlined helpers below them, so that each level costs a few
  // hundred bytes of stack even in sanitizer builds, whose frames are
  // otherwise ten times larger (2,000 levels would need 20 MB).
  void writePrim(Token name, const Spec& spec, int indent);
  void writePrimBody(const Spec& spec, int indent);
  [[gnu::noinline]] void writeVariantSet(Token setName, int indent);
  [[gnu::noinline]] void writePrimOpening(Token name, const Spec& spec, int indent);
  [[gnu::noinline]] bool writeReordersAndProperties(const Spec& spec, int indent);
  struct Variant {
    Token name;
    Path path;
    const Spec* spec;
  };
  [[gnu::noinline]] void findVariants(Token setName, std::vector<Variant>& variants);
  [[gnu::noinline]] void writeVariantOpening(Token variantName, const Spec& variantSpec, int indent);
  // A child of the current spec: its path and its spec (null when missing).
  struct Child {
    Path path;
    const Spec* spec;
  };
  // Looks up the prim children `names` of the current spec and pushes them
  // on childStack_; returns where they start.
  [[gnu::noinline]] std::size_t stackChildren(const std::vector<Token>& names);
  // With cutInto: cuts the children stacked from `base` into runs when
  // there are enough of them; false (nothing done) otherwise.
  [[gnu::noinline]] bool cutChildren(const std::vector<Token>& names, std::size_t base, bool hasProperties,
                                     int indent);
  void maybeFlush();
  void writeAttribute(Token name, const Spec& spec, int indent);
  void writeConnectionStatement(int indent, std::string_view op, std::string_view declaration,
                                const std::vector<Path>& paths);
  void writeRelationship(Token name, const Spec& spec, int indent);
  void writeTargetList(int indent, const std::vector<Path>& targets);

  void writeSubLayers(const Spec& root);
  // `spec` itself, or when some of its fields are still lazy, a copy in
  // `holder` with them decoded. Decoding errors go to status_.
  [[gnu::noinline]] const Spec& ready(const Spec& spec, std::unique_ptr<Spec>& holder);

  const Layer* layer_;
  std::string& out_;
  const FieldNames& f_;
  const std::function<void(std::string_view)>& sink_;
  const std::function<bool(std::string&, const Value&)>* valueText_;
  std::vector<const Field*> metadata_;
  // Path of the spec being written (empty for the layer itself), and
  // where writePrimHead says the prim is, when not there.
  Path path_;
  Path shownPath_;
  const Path& namespacePath() const { return shownPath_.empty() ? path_ : shownPath_; }
  // Scratch reused for every prim and attribute, so writing a spec
  // allocates nothing: the sorted properties of the prim being written
  // (consumed before its children are written), the children of every
  // prim on the current path (each prim's range is popped when it ends),
  // and an attribute's declaration.
  struct Property {
    Token name;
    const Spec* spec;
  };
  std::vector<Property> properties_;
  std::vector<Child> childStack_;
  std::string declaration_;
  Status status_ = Ok{};
  TextPieces* pieces_ = nullptr;
};

// writeUsda's work for more than one thread (ParallelWriter.cpp): the
// same text, with long lists of sibling prims formatted on other threads.
Status writeUsdaInParallel(const Layer& layer, std::string& out, std::string_view cookie,
                           const UsdaWriteOptions& options);

}  // namespace usdkit::usda
