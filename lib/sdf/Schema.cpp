#include "sdf/Schema.h"

#include <glob.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "base/FilePaths.h"
#include "base/Json.h"

namespace usdkit {

std::uint8_t specClassOf(SpecType type) {
  switch (type) {
    case SpecType::PseudoRoot: return kLayerSpec;
    case SpecType::Prim: return kPrimSpec;
    case SpecType::Variant: return kVariantSpec;
    case SpecType::Attribute: return kAttributeSpec;
    case SpecType::Relationship: return kRelationshipSpec;
    default: return 0;
  }
}

namespace {
constexpr std::uint8_t L = kLayerSpec, P = kPrimSpec | kVariantSpec, A = kAttributeSpec,
                       R = kRelationshipSpec, PROP = kAttributeSpec | kRelationshipSpec;
constexpr std::uint8_t kAll = L | P | PROP;
}  // namespace

void Schema::addBuiltin(std::string_view name, FieldValueKind kind, std::string_view typeName,
                        std::uint8_t metadataFor, std::uint8_t fieldFor) {
  Token key(name);
  FieldDefinition& def = fields_[key];
  def.name = key;
  def.kind = kind;
  if (kind == FieldValueKind::Typed) def.type = *findValueType(typeName);
  def.metadataFor |= metadataFor;
  def.fieldFor |= fieldFor;
}

std::shared_ptr<Schema> Schema::makeBuiltin() {
  auto s = std::make_shared<Schema>();
  using K = FieldValueKind;
  // Layer metadata (SdfSchema's pseudo-root definition).
  s->addBuiltin("colorConfiguration", K::Typed, "asset", L, 0);
  s->addBuiltin("colorManagementSystem", K::Typed, "token", L, 0);
  s->addBuiltin("customLayerData", K::Dictionary, "", L, 0);
  s->addBuiltin("defaultPrim", K::Typed, "token", L, 0);
  s->addBuiltin("endTimeCode", K::Typed, "double", L, 0);
  s->addBuiltin("expressionVariables", K::Dictionary, "", L, 0);
  s->addBuiltin("framesPerSecond", K::Typed, "double", L, 0);
  s->fields_[Token("framesPerSecond")].positive = true;
  s->addBuiltin("framePrecision", K::Typed, "int", L, 0);
  s->addBuiltin("hasOwnedSubLayers", K::Typed, "bool", L, 0);
  s->addBuiltin("owner", K::Typed, "string", L, 0);
  s->addBuiltin("sessionOwner", K::Typed, "string", L, 0);
  s->addBuiltin("startTimeCode", K::Typed, "double", L, 0);
  s->addBuiltin("timeCodesPerSecond", K::Typed, "double", L, 0);
  s->addBuiltin("endFrame", K::Typed, "double", L, 0);
  s->addBuiltin("startFrame", K::Typed, "double", L, 0);
  s->addBuiltin("documentation", K::Typed, "string", L | P | PROP, 0);
  // Structural fields: present, but not settable as `key = value` metadata.
  s->addBuiltin("comment", K::Typed, "string", 0, kAll);
  s->addBuiltin("primChildren", K::Special, "", 0, L | P);
  s->addBuiltin("primOrder", K::Special, "", 0, L | P);
  s->addBuiltin("layerRelocates", K::Special, "", 0, L);
  s->addBuiltin("subLayers", K::Special, "", 0, L);
  s->addBuiltin("subLayerOffsets", K::Special, "", 0, L);
  s->addBuiltin("specifier", K::Special, "", 0, P);
  s->addBuiltin("inheritPaths", K::Special, "", 0, P);
  s->addBuiltin("specializes", K::Special, "", 0, P);
  s->addBuiltin("properties", K::Special, "", 0, P);
  s->addBuiltin("propertyOrder", K::Special, "", 0, P);
  s->addBuiltin("references", K::Special, "", 0, P);
  s->addBuiltin("relocates", K::Special, "", 0, P);
  s->addBuiltin("variantSelection", K::Special, "", 0, P);
  s->addBuiltin("variantSetChildren", K::Special, "", 0, P);
  s->addBuiltin("variantSetNames", K::Special, "", 0, P);
  // Prim metadata.
  s->addBuiltin("active", K::Typed, "bool", P, 0);
  s->addBuiltin("assetInfo", K::Dictionary, "", P | PROP, 0);
  s->addBuiltin("customData", K::Dictionary, "", P | PROP, 0);
  s->addBuiltin("displayGroupOrder", K::Typed, "string[]", P, 0);
  s->addBuiltin("displayName", K::Typed, "string", P | PROP, 0);
  s->addBuiltin("hidden", K::Typed, "bool", P | PROP, 0);
  s->addBuiltin("instanceable", K::Typed, "bool", P, 0);
  s->addBuiltin("kind", K::Typed, "token", P, 0);
  s->addBuiltin("payload", K::Special, "", P, 0);
  s->addBuiltin("permission", K::Special, "", P | PROP, 0);
  s->addBuiltin("prefix", K::Typed, "string", P | PROP, 0);
  s->addBuiltin("prefixSubstitutions", K::Special, "", P, 0);
  s->addBuiltin("suffix", K::Typed, "string", P | PROP, 0);
  s->addBuiltin("suffixSubstitutions", K::Special, "", P, 0);
  s->addBuiltin("symmetricPeer", K::Typed, "string", P | PROP, 0);
  s->addBuiltin("symmetryArguments", K::Dictionary, "", P | PROP, 0);
  s->addBuiltin("symmetryFunction", K::Special, "", P | PROP, 0);
  s->addBuiltin("typeName", K::Typed, "token", P, A);
  // Properties.
  s->addBuiltin("custom", K::Special, "", 0, PROP);
  s->addBuiltin("variability", K::Special, "", 0, PROP);
  s->addBuiltin("default", K::Special, "", 0, PROP);
  s->addBuiltin("displayGroup", K::Typed, "string", PROP, 0);
  s->addBuiltin("spline", K::Special, "", 0, A);
  s->addBuiltin("connectionChildren", K::Special, "", 0, A);
  s->addBuiltin("connectionPaths", K::Special, "", 0, A);
  s->addBuiltin("displayUnit", K::Special, "", 0, A);
  s->addBuiltin("timeSamples", K::Special, "", 0, A);
  s->addBuiltin("allowedTokens", K::Typed, "token[]", A, 0);
  s->addBuiltin("colorSpace", K::Typed, "token", A, 0);
  s->addBuiltin("targetChildren", K::Special, "", 0, R);
  s->addBuiltin("targetPaths", K::Special, "", 0, R);
  s->addBuiltin("noLoadHint", K::Typed, "bool", R, 0);
  s->addBuiltin("variantChildren", K::Special, "", 0, 0);

  // Metadata that OpenUSD's core plugins (sdf, usd, usdGeom, usdShade,
  // usdSkel, usdRender, usdPhysics, usdImaging) register in their
  // plugInfo.json; a stock `usdcat` always has them.
  struct PluginField { const char* name; const char* type; std::uint8_t appliesTo; };
  static const PluginField kCorePlugins[] = {
      {"payloadAssetDependencies", "asset[]", P},
      {"apiSchemas", "tokenlistop", P},
      {"clipSets", "stringlistop", P},
      {"clips", "dictionary", P},
      {"fallbackPrimTypes", "dictionary", L},
      {"constraintTargetIdentifier", "token", A},
      {"elementSize", "int", A},
      {"inactiveIds", "int64listop", P},
      {"interpolation", "token", A},
      {"metersPerUnit", "double", L},
      {"unauthoredValuesIndex", "int", A},
      {"upAxis", "token", L},
      {"bindMaterialAs", "token", R},
      {"connectability", "token", A},
      {"outputName", "token", R},
      {"renderType", "token", PROP},
      {"sdrMetadata", "dictionary", P | A},
      {"weight", "float", A},
      {"renderSettingsPrimPath", "string", L},
      {"kilogramsPerUnit", "double", L},
      {"faceIndexPrimvar", "token", A},
      {"faceOffsetPrimvar", "token", A},
      {"uvPrimvar", "token", A},
  };
  for (const PluginField& f : kCorePlugins) (void)s->registerMetadata(f.name, f.type, f.appliesTo, true);
  return s;
}

namespace {
// Built with append: GCC 12 warns falsely (-Wrestrict) on `"literal" +
// std::string(...)` when inlined.
std::string quotedName(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  out += name;
  out += '"';
  return out;
}
}  // namespace

Status Schema::registerMetadata(std::string_view name, std::string_view typeName,
                                std::uint8_t appliesTo, bool fromPlugin) {
  Token key(name);
  if (fields_.count(key))
    return makeError(quotedName(name) + " is already a registered field");
  FieldDefinition def;
  def.name = key;
  def.fromPlugin = fromPlugin;
  if (typeName == "dictionary") {
    def.kind = FieldValueKind::Dictionary;
  } else if (typeName == "tokenlistop") {
    def.kind = FieldValueKind::TokenListOp;
  } else if (typeName == "stringlistop") {
    def.kind = FieldValueKind::StringListOp;
  } else if (typeName == "intlistop") {
    def.kind = FieldValueKind::IntListOp;
  } else if (typeName == "int64listop") {
    def.kind = FieldValueKind::Int64ListOp;
  } else if (typeName == "uintlistop") {
    def.kind = FieldValueKind::UIntListOp;
  } else if (typeName == "uint64listop") {
    def.kind = FieldValueKind::UInt64ListOp;
  } else if (auto t = findValueType(typeName); t && !t->isOpaque) {
    def.kind = FieldValueKind::Typed;
    def.type = *t;
  } else {
    return makeError(quotedName(typeName) + " is not a registered value type");
  }
  def.metadataFor = appliesTo ? appliesTo : kAll;
  fields_.emplace(key, def);
  return Ok{};
}

namespace {

std::uint8_t appliesToBits(const JsonValue* v) {
  auto one = [](const std::string& s) -> std::uint8_t {
    if (s == "layers") return L;
    if (s == "prims") return P;
    if (s == "variants") return kVariantSpec;
    if (s == "properties") return PROP;
    if (s == "attributes") return A;
    if (s == "relationships") return R;
    return 0;
  };
  if (!v) return 0;
  if (const std::string* s = v->string()) return one(*s);
  std::uint8_t bits = 0;
  if (const auto* arr = v->array())
    for (const JsonValue& e : *arr)
      if (const std::string* s = e.string()) bits |= one(*s);
  return bits;
}

std::string readWholeFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool isDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

Status Schema::addPluginInfo(const std::string& path) {
  bool ok = false;
  std::string text = readWholeFile(path, &ok);
  if (!ok) return makeError("cannot read plugin file '" + path + "'");
  Expected<JsonValue> json = parseJson(text, path);
  if (!json) return makeError(json.error().message);
  const JsonValue* plugins = json->get("Plugins");
  if (plugins && plugins->array()) {
    for (const JsonValue& plugin : *plugins->array()) {
      const JsonValue* metadata = plugin.get("Info") ? plugin.get("Info")->get("SdfMetadata") : nullptr;
      if (!metadata || !metadata->object()) continue;
      for (const auto& [name, def] : *metadata->object()) {
        const JsonValue* type = def.get("type");
        if (!type || !type->string()) {
          warnings_.push_back(path + ": metadata \"" + name + "\" has no \"type\" string");
          continue;
        }
        Status st = registerMetadata(name, *type->string(), appliesToBits(def.get("appliesTo")), true);
        if (!st) warnings_.push_back(path + ": " + st.error().message);
      }
    }
  }
  // "Includes" name further plugInfo.json files or folders, possibly with
  // wildcards, relative to this file's folder.
  if (const JsonValue* includes = json->get("Includes"); includes && includes->array()) {
    for (const JsonValue& inc : *includes->array()) {
      const std::string* pattern = inc.string();
      if (!pattern) continue;
      std::string full = (!pattern->empty() && (*pattern)[0] == '/') ? *pattern : siblingPath(path, *pattern);
      glob_t g{};
      if (::glob(full.c_str(), 0, nullptr, &g) == 0) {
        for (std::size_t i = 0; i < g.gl_pathc; ++i) {
          std::string match = g.gl_pathv[i];
          if (isDirectory(match)) match += "/plugInfo.json";
          if (match == path) continue;
          Status st = addPluginInfo(match);
          if (!st) warnings_.push_back(st.error().message);
        }
      }
      ::globfree(&g);
    }
  }
  return Ok{};
}

void Schema::addPluginSearchPath(const std::string& list) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(':', start);
    if (end == std::string::npos) end = list.size();
    std::string entry = list.substr(start, end - start);
    start = end + 1;
    if (entry.empty()) continue;
    if (isDirectory(entry)) entry += "/plugInfo.json";
    struct stat st;
    if (::stat(entry.c_str(), &st) != 0) continue;  // OpenUSD ignores missing entries too
    Status s = addPluginInfo(entry);
    if (!s) warnings_.push_back(s.error().message);
  }
}

const Schema& Schema::standard() {
  static const std::shared_ptr<Schema> schema = [] {
    std::shared_ptr<Schema> s = makeBuiltin();
    if (const char* env = std::getenv("PXR_PLUGINPATH_NAME")) s->addPluginSearchPath(env);
    return s;
  }();
  return *schema;
}

}  // namespace usdkit
