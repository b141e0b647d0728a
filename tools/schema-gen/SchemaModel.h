// The schema facts schema-gen collects from OpenUSD's schema definitions,
// the prim definitions it composes from them (as UsdSchemaRegistry does when
// it starts), and the C++ table it writes.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace usdkit::schemagen {

struct DomainName {
  std::string_view folder;  // under pxr/usd/
  std::string_view name;    // "UsdGeom"
};

inline constexpr DomainName kDomains[] = {
    {"usd", "Usd"},           {"usdGeom", "UsdGeom"},     {"usdShade", "UsdShade"}, {"usdLux", "UsdLux"},
    {"usdSkel", "UsdSkel"},   {"usdPhysics", "UsdPhysics"}, {"usdVol", "UsdVol"},   {"usdMedia", "UsdMedia"},
    {"usdRender", "UsdRender"}, {"usdUI", "UsdUI"},       {"usdProc", "UsdProc"},
};

struct GenProperty {
  std::string name;
  bool isRelationship = false;
  std::string typeName;
  bool uniform = false;
  bool hasFallback = false;
  std::string fallbackText;
  std::vector<std::string> allowedTokens;
};

struct GenSchema {
  std::string name;     // usda type name (the plugInfo alias)
  std::string cppName;  // TfType name, e.g. "UsdGeomMesh"
  std::string domain;
  std::string kind;     // plugInfo schemaKind
  std::string baseCpp;  // first of plugInfo bases
  std::string base;     // usda name of the base, "" when it is UsdTyped / UsdAPISchemaBase
  std::vector<std::string> builtinApis;  // apiSchemas metadata of the definition
  std::vector<std::string> canOnlyApplyTo, allowedInstanceNames, autoApplyTo;
  std::vector<std::string> overrideNames;  // customData apiSchemaOverridePropertyNames
  std::vector<GenProperty> declared;       // the definition's properties, in spec order
  bool hasDefinition = false;

  // Composed prim definition.
  enum class Build { NotBuilt, Building, Built } build = Build::NotBuilt;
  std::vector<GenProperty> composed;
  std::vector<std::string> appliedApis;  // this API followed by the ones it includes (API schemas only)
};

struct GenShaderNode {
  std::string identifier;
  std::vector<std::pair<std::string, std::string>> inputs, outputs;  // name, Sdf type
};

class SchemaModel {
 public:
  bool addDomain(std::string_view domain, const std::string& plugInfoName, std::string_view plugInfo,
                 const std::string& schemaName, std::string_view schemaText, std::string& error);
  bool addShaderDefs(const std::string& name, std::string_view text, std::string& error);
  // Links bases and composes every prim definition.
  bool resolve(std::string& error);
  std::string emitTable() const;
  std::string summary() const;

 private:
  GenSchema* findByName(std::string_view name);
  void composeApi(GenSchema& api);
  void composeTyped(GenSchema& typed);
  // Adds the properties of API `apiName` ("X" or "X:instance") to `props`
  // (weaker than what is there). Returns false when the schema is unknown
  // or applied with the wrong instance form.
  bool composeWeakerApi(std::vector<GenProperty>& props, std::vector<std::string>* applied,
                        const std::string& apiName);
  static void applyOverrides(std::vector<GenProperty>& props, const GenSchema& schema);
  std::vector<std::string> autoAppliedTo(const GenSchema& typed) const;

  std::vector<GenSchema> schemas_;
  std::map<std::string, std::size_t, std::less<>> byName_;
  std::vector<GenShaderNode> shaders_;
  std::vector<std::string> warnings_;
};

}  // namespace usdkit::schemagen
