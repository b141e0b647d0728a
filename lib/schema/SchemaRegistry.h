// The built-in USD schemas of the core domains (Usd, UsdGeom, UsdShade, UsdLux,
// UsdSkel, UsdPhysics, UsdVol, UsdMedia, UsdRender, UsdUI, UsdProc) and the
// shader nodes of usdShaders: what a checker needs to know about a prim type
// or an API schema without reading any plugin at run time.
//
// The facts live in SchemaTable.inc, generated once by
// tools/schema-gen (see tools/schema-gen/README.md) from OpenUSD's schema
// definitions and committed; nothing here reads files.
#pragma once

#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sdf/Value.h"

namespace usdkit::schema {

enum class SchemaKind : unsigned char {
  AbstractTyped,     // e.g. Boundable, Gprim: a base, never a prim's type
  ConcreteTyped,     // e.g. Mesh: may be a prim's typeName
  NonAppliedAPI,     // e.g. ModelAPI, PrimvarsAPI: never in apiSchemas
  SingleApplyAPI,    // e.g. MaterialBindingAPI
  MultipleApplyAPI,  // e.g. CollectionAPI: applied as "CollectionAPI:name"
};

struct PropertyDef {
  // For a multiple-apply API the name holds the template "__INSTANCE_NAME__"
  // (e.g. "collection:__INSTANCE_NAME__:includes").
  std::string_view name;
  bool isRelationship = false;
  std::string_view typeName;  // attributes: "float3", "token[]", ...; empty for relationships
  bool uniform = false;       // variability
  std::string_view fallbackText;  // the fallback as usda value text; empty: none
  std::span<const std::string_view> allowedTokens;  // empty: any token
  // The fallback parsed with the property's type; nullopt when there is none
  // or it cannot be parsed (never, for the generated table: a test checks).
  // The table's fallbacks are parsed once, by the registry.
  std::optional<Value> fallback() const;
};

struct SchemaDef {
  std::string_view name;    // the schema's type name as written in usda ("Mesh", "MaterialBindingAPI")
  std::string_view domain;  // "UsdGeom", ...
  SchemaKind kind = SchemaKind::AbstractTyped;
  std::string_view base;    // typed schemas: direct base ("Gprim" for Mesh); "" at the top (Typed)
  // API schemas built into this schema (typed: its prims have them without
  // authoring; API: the APIs it includes), e.g. "LightAPI", "CollectionAPI:lightLink".
  std::span<const std::string_view> builtinApis;
  // API schemas only: the prim types it may be applied to (empty: any), the
  // instance names a multiple-apply API accepts (empty: any), and the types it
  // is applied to automatically.
  std::span<const std::string_view> canOnlyApplyTo;
  std::span<const std::string_view> allowedInstanceNames;
  std::span<const std::string_view> autoApplyTo;
  // Declared here and in its bases/built-ins, i.e. the full set (OpenUSD's
  // prim definition, API overrides applied), sorted by name.
  std::span<const PropertyDef> properties;

  bool isTyped() const { return kind == SchemaKind::AbstractTyped || kind == SchemaKind::ConcreteTyped; }
  bool isApi() const { return !isTyped(); }
  const PropertyDef* findProperty(std::string_view name) const;
};

struct ShaderInputDef {
  std::string_view name;      // without "inputs:"
  std::string_view typeName;  // the Sdf type ("color3f", "float", "asset", "token", ...)
};

// A shader node of the Sdr registry a default OpenUSD build knows by
// identifier (UsdPreviewSurface, UsdUVTexture, UsdPrimvarReader_float, ...).
struct ShaderNodeDef {
  std::string_view identifier;
  std::span<const ShaderInputDef> inputs;
  std::span<const ShaderInputDef> outputs;  // names without "outputs:"
};

// All lookups are by exact name; the registry is immutable and built from
// static data on first use (cheap: a checker run pays for it once), so
// threads may share it.
class SchemaRegistry {
 public:
  static const SchemaRegistry& instance();

  const SchemaDef* find(std::string_view schemaName) const;
  // For "CollectionAPI:foo" returns CollectionAPI (the name before the first ':').
  const SchemaDef* findApi(std::string_view appliedName) const;
  std::span<const SchemaDef> all() const;

  // Typed inheritance: isA("Mesh", "Gprim") and isA("Mesh", "Mesh") are true;
  // false when either name is unknown or not a typed schema. "Typed" itself
  // is not in the table (the top schemas have base "").
  bool isA(std::string_view typeName, std::string_view baseName) const;

  // The property a prim of `typeName` with these applied API schemas (as
  // authored, e.g. "CollectionAPI:foo", plus the type's built-ins) gets from
  // its schemas, with the instance name substituted for multiple-apply ones.
  // `resolvedName` receives the concrete name when non-null. Strongest
  // opinion wins as in OpenUSD: the typed schema first, then the API schemas
  // in order.
  const PropertyDef* findProperty(std::string_view typeName, std::span<const std::string> appliedApis,
                                  std::string_view propertyName, std::string* resolvedName = nullptr) const;

  // Every API schema a prim of this type has without authoring (its built-ins,
  // recursively, and those auto-applied to it or its bases), in order.
  std::vector<std::string> builtinApis(std::string_view typeName) const;
  // The single-apply API schemas whose apiSchemaAutoApplyTo names this type
  // or one of its bases, by descending name as OpenUSD orders them. (None of
  // the core domains declares one; plugins outside them do.)
  std::vector<std::string> autoAppliedApis(std::string_view typeName) const;

  const ShaderNodeDef* findShaderNode(std::string_view identifier) const;
  std::span<const ShaderNodeDef> shaderNodes() const;

 private:
  SchemaRegistry();
  friend struct PropertyDef;  // fallback() looks its value up here

  // A fallback of the table, parsed on first use and kept: a checker asks
  // for them per prim, from several threads, but a run needs only a few of
  // the table's hundreds. nullopt for text that does not parse.
  struct ParsedFallback {
    mutable std::once_flag parsed;
    mutable std::optional<Value> value;
  };
  // One slot per table property with a fallback; the map itself never
  // changes after construction, so threads look slots up without a lock.
  std::unordered_map<const PropertyDef*, ParsedFallback> parsedFallbacks_;
};

}  // namespace usdkit::schema
