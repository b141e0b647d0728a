// Which fields exist on which kind of spec, which of them are metadata, and
// what type a metadata value is parsed as (OpenUSD's SdfSchema, plus the
// metadata the core plugins register, plus fields declared in plugInfo.json
// files found through PXR_PLUGINPATH_NAME).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/Expected.h"
#include "base/Token.h"
#include "sdf/Layer.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit {

// Spec kinds as the schema distinguishes them (bit flags).
enum SpecClass : std::uint8_t {
  kLayerSpec = 1,
  kPrimSpec = 2,
  kVariantSpec = 4,
  kAttributeSpec = 8,
  kRelationshipSpec = 16,
};
std::uint8_t specClassOf(SpecType type);

enum class FieldValueKind : std::uint8_t {
  Typed,       // a value of FieldDefinition::type
  Dictionary,
  TokenListOp,
  StringListOp,
  IntListOp,
  Int64ListOp,
  UIntListOp,
  UInt64ListOp,
  Special,     // has its own syntax (references, relocates, ...)
};

struct FieldDefinition {
  Token name;
  FieldValueKind kind = FieldValueKind::Special;
  ValueTypeInfo type;             // for Typed
  std::uint8_t metadataFor = 0;   // SpecClass bits where it is metadata
  std::uint8_t fieldFor = 0;      // SpecClass bits where it is any field
  bool positive = false;          // value must be > 0 (framesPerSecond)
  bool fromPlugin = false;
};

class Schema {
 public:
  // Built-in fields and the core plugins' metadata.
  static std::shared_ptr<Schema> makeBuiltin();
  // The process-wide schema: built-ins plus every plugInfo.json reachable
  // from PXR_PLUGINPATH_NAME (read once, on first use). Problems in plugin
  // files are reported through `pluginWarnings()`, never fatal.
  static const Schema& standard();

  const FieldDefinition* find(Token name) const {
    auto it = fields_.find(name);
    return it == fields_.end() ? nullptr : &it->second;
  }
  bool isMetadata(Token name, SpecType spec) const {
    const FieldDefinition* f = find(name);
    return f && (f->metadataFor & specClassOf(spec));
  }
  bool isField(Token name, SpecType spec) const {
    const FieldDefinition* f = find(name);
    return f && ((f->fieldFor | f->metadataFor) & specClassOf(spec));
  }

  // Reads the "SdfMetadata" sections of one plugInfo.json (following its
  // "Includes"). Fields already registered are skipped with a warning.
  Status addPluginInfo(const std::string& path);
  // Each entry of a PXR_PLUGINPATH_NAME-style list (':'-separated) is a
  // plugInfo.json file or a folder holding one.
  void addPluginSearchPath(const std::string& list);
  const std::vector<std::string>& pluginWarnings() const { return warnings_; }

  // Registers a metadata field; `typeName` is as in plugInfo.json
  // ("token", "double[]", "dictionary", "tokenlistop", ...). `appliesTo`
  // bits; 0 = everything.
  Status registerMetadata(std::string_view name, std::string_view typeName, std::uint8_t appliesTo,
                          bool fromPlugin);

 private:
  void addBuiltin(std::string_view name, FieldValueKind kind, std::string_view typeName,
                  std::uint8_t metadataFor, std::uint8_t fieldFor);
  std::unordered_map<Token, FieldDefinition> fields_;
  std::vector<std::string> warnings_;
};

}  // namespace usdkit
