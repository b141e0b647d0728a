// The usda grammar (usda-format.md §3) and the semantics that build specs
// from it (§4). Private to lib/io; the public entry point is readUsda().
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <deque>
#include <memory>
#include <tuple>
#include <optional>
#include <string>
#include <vector>

#include "io/usda/Scanner.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/ValueParser.h"
#include "sdf/Fields.h"
#include "sdf/Schema.h"

namespace usdkit::usda {

// OpenUSD's SDF_SCHEMA_PROHIBIT_INVALID_VARIANT_SELECTIONS (default 1):
// when 0, paths that may not hold variant selections (references, inherits,
// relocates, targets) are accepted with them, to read old files.
bool variantSelectionsProhibited();

class Reader {
 public:
  Reader(std::string_view text, std::string_view displayName, const UsdaReadOptions& options,
         const Schema& schema, Layer& layer);

  void parseLayer();

 private:
  // Children and property names collected while a prim's body is read.
  struct Body {
    std::vector<Token> children;
    std::vector<Token> properties;
  };

  // ---- layer and prims (Reader.cpp)
  void parseHeader();
  void parseLayerMetadata();
  void parseRootReorder();
  void parsePrim(const Path& parent, Body& parentBody);
  void parsePrimBody(const Path& path, Body& body);
  // Optional `( metadata )`, then `{ body }`, of a prim or a variant.
  void parseMetadataAndBody(const Path& path, Spec& spec, SpecType type);
  void finishBody(Spec& spec, Body& body);
  void parseVariantSet(const Path& primPath);
  void parseOrderStatement(const Path& primPath);
  std::vector<Token> parseNameList();
  void requireLineEnd(bool allowSemicolon, bool allowEof);
  void reportProgress();

  // ---- metadata blocks (ReaderMetadata.cpp)
  void parseMetadataBlock(const Path& path, SpecType type);
  void parseMetadataItem(const Path& path, SpecType type);
  void parseGenericMetadata(const Path& path, SpecType type, std::string_view key, const char* keyPos,
                            std::optional<int> listOpSlot);
  void parseReferenceList(const Path& path, int slot, bool payload);
  void parsePathListMetadata(const Path& path, int slot, Token field, bool specializes);
  void parseVariantSetNames(const Path& path, int slot);
  void parseVariantSelections(const Path& path);
  void parseRelocates(const Path& path, bool layerLevel);
  void parseStringDictionary(const Path& path, Token field);
  void parseSubLayers();
  LayerOffset parseLayerOffsetItem(LayerOffset offset);

  // ---- properties (ReaderProperties.cpp)
  void parseProperty(const Path& primPath, Body& body);
  void parseAttribute(const Path& primPath, Body& body, std::optional<int> listOpSlot, bool custom);
  void parseRelationship(const Path& primPath, Body& body, std::optional<int> listOpSlot, bool custom);
  // Creates or re-opens the property spec at `path` (validated first).
  Spec& declareAttribute(const Path& path, Body& body, std::string_view name, const char* namePos,
                         Token typeName, bool custom, Variability variability);
  Spec& declareRelationship(const Path& path, Body& body, std::string_view name, const char* namePos,
                            bool custom, Variability variability);
  // `= targets` of a relationship or `.connect = paths` of an attribute.
  void parseTargetAssignment(const Path& propPath, bool connections, std::optional<int> slot);
  std::vector<Path> parseTargetList(const Path& propPath, bool connections, bool allowNone, const char* what);
  void parseTimeSamples(const Path& attrPath, const std::optional<ValueTypeInfo>& type);
  void parseSpline(const Path& attrPath, const std::optional<ValueTypeInfo>& type, const char* typePos,
                   std::string_view typeName);
  Value parseAttributeValue(const std::optional<ValueTypeInfo>& type);
  // ---- array edits (ReaderArrayEdit.cpp)
  // `edit [ ... ]` after the keyword at `at`.
  Value parseArrayEdit(const std::optional<ValueTypeInfo>& type, const char* at);
  std::int64_t parseArrayEditInteger(const char* what);

  // ---- helpers
  [[noreturn]] void fail(const char* at, std::string message) { s_.fail(at, std::move(message)); }
  void warn(const char* at, const std::string& message);
  // Sets one slot of a list-op field, creating the op when missing.
  template <class T>
  void setListOpSlot(const Path& path, Token field, int slot, std::vector<T> items, const char* at);
  Path parsePathLiteral(std::string_view text, const char* at);
  static Path anchorFor(const Path& path);  // prim path without trailing variant selections

  Scanner s_;
  ValueParser values_;
  std::string_view displayName_;
  const UsdaReadOptions& options_;
  const Schema& schema_;
  Layer& layer_;
  const FieldNames& F_;
  std::size_t lastReported_ = 0;
  ProgressTask progress_;
  std::size_t nextProgressAt_ = 0;
  // The display name shared by deferred arrays; null when not deferring.
  std::shared_ptr<const std::string> deferredName_;
  // Prims and variants nest by recursion; a hostile file must get an error,
  // not a stack overflow. OpenUSD's parser stops near here too.
  static constexpr int kMaxNesting = 1000;
  int nesting_ = 0;
  // Prims of one schema often have the same property names: equal lists
  // share one block.
  SharedTokenLists<TokenVector> propertyLists_;
  // The Body of each nesting level, reused from prim to prim so that
  // collecting names allocates only while a level sees a longer list than
  // before (a deque: growing it keeps the outer levels' bodies in place).
  std::deque<Body> bodies_;
  // Helpers for big arrays (options.threads > 1), started when first used.
  std::unique_ptr<WorkerThreads> workers_;
};

// An ordering key of a list-op item: equal items have equal keys. Doubles
// go in as bits (after +0.0 makes -0 into 0): never NaN in a comparison.
template <class T>
decltype(auto) duplicateKey(const T& item) {
  if constexpr (requires { item.layerOffset; }) {
    return std::tuple(std::string_view(item.assetPath), item.primPath,
                      std::bit_cast<std::uint64_t>(item.layerOffset.offset + 0.0),
                      std::bit_cast<std::uint64_t>(item.layerOffset.scale + 0.0));
  } else {
    return (item);
  }
}

template <class T>
bool hasDuplicateItems(const std::vector<T>& items) {
  // Statements are short; a quadratic scan beats hashing or sorting them.
  // A long (hostile) list is sorted by key instead, then only items with
  // equal keys are compared.
  if (items.size() <= 64) {
    for (std::size_t i = 0; i < items.size(); ++i)
      for (std::size_t j = i + 1; j < items.size(); ++j)
        if (items[i] == items[j]) return true;
    return false;
  }
  std::vector<const T*> order;
  order.reserve(items.size());
  for (const T& item : items) order.push_back(&item);
  std::sort(order.begin(), order.end(), [](const T* a, const T* b) { return duplicateKey(*a) < duplicateKey(*b); });
  for (std::size_t i = 0; i < order.size(); ++i)
    for (std::size_t j = i + 1; j < order.size() && !(duplicateKey(*order[i]) < duplicateKey(*order[j])); ++j)
      if (*order[i] == *order[j]) return true;
  return false;
}

template <class T>
void Reader::setListOpSlot(const Path& path, Token field, int slot, std::vector<T> items, const char* at) {
  if (hasDuplicateItems(items))
    fail(at, "Duplicate items exist for field '" + field.string() + "' at '" + path.string() + "'");
  Spec* spec = layer_.findSpec(path);
  ListOp<T> op;
  if (const ListOp<T>* existing = spec->getAs<ListOp<T>>(field)) op = *existing;
  op.set(static_cast<typename ListOp<T>::Slot>(slot), std::move(items));
  spec->set(field, Value(std::move(op)));
}

// Orders time samples listed out of time order (see parseTimeSamples).
void sortTimeSamples(std::vector<std::pair<double, Value>>& list);

// List-op keyword at the cursor, as a ListOp<T>::Slot number, consuming it
// and the Sep after it; nullopt when there is none.
std::optional<int> scanListOpKeyword(Scanner& s);

}  // namespace usdkit::usda
