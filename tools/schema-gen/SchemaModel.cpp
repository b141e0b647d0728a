#include "SchemaModel.h"

#include <algorithm>
#include <set>

#include "base/Json.h"
#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaValueText.h"
#include "sdf/Fields.h"
#include "sdf/Layer.h"

namespace usdkit::schemagen {

namespace {

constexpr std::string_view kInstanceTemplate = "__INSTANCE_NAME__";

std::vector<std::string> stringList(const JsonValue* v) {
  std::vector<std::string> out;
  if (!v || !v->array()) return out;
  for (const JsonValue& item : *v->array()) {
    if (const std::string* s = item.string()) out.push_back(*s);
  }
  return out;
}

// Items of a list op as OpenUSD's ApplyOperations gives them for a spec
// with no weaker opinion: the explicit list, or prepended then appended.
std::vector<std::string> listOpItems(const TokenListOp& op) {
  std::vector<std::string> out;
  auto add = [&](const std::vector<Token>& items) {
    for (Token t : items) {
      if (std::find(out.begin(), out.end(), t.str()) == out.end()) out.emplace_back(t.str());
    }
  };
  if (op.isExplicit) {
    add(op.explicitItems);
  } else {
    add(op.prependedItems);
    add(op.addedItems);
    add(op.appendedItems);
  }
  return out;
}

std::string substituteInstance(std::string_view name, std::string_view instance) {
  std::string out(name);
  if (instance.empty()) return out;
  for (std::size_t at = out.find(kInstanceTemplate); at != std::string::npos;
       at = out.find(kInstanceTemplate, at + instance.size())) {
    out.replace(at, kInstanceTemplate.size(), instance);
  }
  return out;
}

bool sameType(const GenProperty& a, const GenProperty& b) {
  return a.isRelationship == b.isRelationship && a.typeName == b.typeName;
}

GenProperty* findProp(std::vector<GenProperty>& props, std::string_view name) {
  for (GenProperty& p : props) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// A weaker definition of a property the definition already has contributes
// only its fallback, and only when the stronger one has none and the types
// agree (OpenUSD composes just `default` and `hidden` from weaker specs).
void addOrCompose(std::vector<GenProperty>& props, GenProperty weaker) {
  if (GenProperty* existing = findProp(props, weaker.name)) {
    if (sameType(*existing, weaker) && !existing->hasFallback && weaker.hasFallback) {
      existing->hasFallback = true;
      existing->fallbackText = std::move(weaker.fallbackText);
    }
    return;
  }
  props.push_back(std::move(weaker));
}

GenProperty readProperty(const Layer& layer, const Path& path, std::string_view name) {
  const FieldNames& f = fieldNames();
  GenProperty p;
  p.name = std::string(name);
  const Spec* spec = layer.findSpec(path);
  if (!spec) return p;
  p.isRelationship = spec->type() == SpecType::Relationship;
  if (const Token* t = spec->getAs<Token>(f.typeName)) p.typeName = std::string(t->str());
  if (const Variability* v = spec->getAs<Variability>(f.variability)) p.uniform = *v == Variability::Uniform;
  if (!p.isRelationship) {
    if (const Value* def = spec->get(f.defaultValue); def && !def->is<ValueBlock>()) {
      p.hasFallback = true;
      appendUsdaValue(p.fallbackText, *def);
    }
  }
  static const Token allowedTokens("allowedTokens");
  if (const auto* tokens = spec->getAs<std::vector<Token>>(allowedTokens)) {
    for (Token t : *tokens) p.allowedTokens.emplace_back(t.str());
  }
  return p;
}

std::string cppString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  out += '"';
  return out;
}

std::string_view kindEnum(std::string_view kind) {
  if (kind == "abstractTyped") return "SchemaKind::AbstractTyped";
  if (kind == "concreteTyped") return "SchemaKind::ConcreteTyped";
  if (kind == "nonAppliedAPI") return "SchemaKind::NonAppliedAPI";
  if (kind == "singleApplyAPI") return "SchemaKind::SingleApplyAPI";
  return "SchemaKind::MultipleApplyAPI";
}

bool isTypedKind(std::string_view kind) { return kind == "abstractTyped" || kind == "concreteTyped"; }

// Sdr keeps a usd shader property's Sdf type name in its
// sdrUsdDefinitionType metadata (the first alias of the type, which for every
// Sdf type is the name itself: aliases only group names that share a C++ type
// and role), and with the current usd encoding GetTypeAsSdfType answers that
// type before any other rule. So the Sdf type of a shader node's property is
// exactly the type the definition declares.
std::string sdrSdfType(std::string_view declaredType) { return std::string(declaredType); }

}  // namespace

bool SchemaModel::addDomain(std::string_view domain, const std::string& plugInfoName, std::string_view plugInfo,
                            const std::string& schemaName, std::string_view schemaText, std::string& error) {
  auto json = parseJson(plugInfo, plugInfoName);
  if (!json) {
    error = json.error().message;
    return false;
  }
  const JsonValue* plugins = json.value().get("Plugins");
  if (!plugins || !plugins->array()) {
    error = plugInfoName + ": no Plugins array";
    return false;
  }
  const std::size_t firstOfDomain = schemas_.size();
  for (const JsonValue& plugin : *plugins->array()) {
    const JsonValue* info = plugin.get("Info");
    const JsonValue* types = info ? info->get("Types") : nullptr;
    if (!types || !types->object()) continue;
    for (const auto& [cppName, type] : *types->object()) {
      const JsonValue* kind = type.get("schemaKind");
      const JsonValue* alias = type.get("alias");
      const JsonValue* usdName = alias ? alias->get("UsdSchemaBase") : nullptr;
      if (!kind || !kind->string() || *kind->string() == "abstractBase" || !usdName || !usdName->string()) continue;
      GenSchema s;
      s.name = *usdName->string();
      s.cppName = cppName;
      s.domain = std::string(domain);
      s.kind = *kind->string();
      if (auto bases = stringList(type.get("bases")); !bases.empty()) s.baseCpp = bases.front();
      s.canOnlyApplyTo = stringList(type.get("apiSchemaCanOnlyApplyTo"));
      s.allowedInstanceNames = stringList(type.get("apiSchemaAllowedInstanceNames"));
      s.autoApplyTo = stringList(type.get("apiSchemaAutoApplyTo"));
      if (byName_.count(s.name)) {
        error = plugInfoName + ": schema " + s.name + " defined twice";
        return false;
      }
      byName_.emplace(s.name, schemas_.size());
      schemas_.push_back(std::move(s));
    }
  }

  auto layerOr = readUsda(schemaText, schemaName);
  if (!layerOr) {
    error = layerOr.error().message;
    return false;
  }
  const Layer& layer = *layerOr.value();
  const FieldNames& f = fieldNames();
  static const Token overrideKey("apiSchemaOverridePropertyNames");
  for (Token primName : layer.primChildren(Path::absoluteRoot())) {
    GenSchema* s = findByName(primName.str());
    if (!s) {
      warnings_.push_back(schemaName + ": definition " + primName.string() + " has no plugInfo type; skipped");
      continue;
    }
    if (s->domain != domain) {
      error = schemaName + ": " + s->name + " is declared by " + s->domain;
      return false;
    }
    const Path primPath = Path::absoluteRoot().appendChild(primName.str());
    const Spec* spec = layer.findSpec(primPath);
    s->hasDefinition = true;
    if (const TokenListOp* apis = spec->getAs<TokenListOp>(f.apiSchemas)) s->builtinApis = listOpItems(*apis);
    if (const Dictionary* custom = spec->getAs<Dictionary>(f.customData)) {
      auto it = custom->entries.find(std::string(overrideKey.str()));
      if (it != custom->entries.end()) {
        if (const auto* names = it->second.getIf<std::vector<Token>>()) {
          for (Token t : *names) s->overrideNames.emplace_back(t.str());
        }
      }
    }
    for (Token propName : layer.propertyNames(primPath)) {
      s->declared.push_back(readProperty(layer, primPath.appendProperty(propName.str()), propName.str()));
    }
  }
  for (std::size_t i = firstOfDomain; i < schemas_.size(); ++i) {
    if (!schemas_[i].hasDefinition) {
      warnings_.push_back(schemaName + ": " + schemas_[i].name + " has no definition (no properties)");
    }
  }
  return true;
}

bool SchemaModel::addShaderDefs(const std::string& name, std::string_view text, std::string& error) {
  auto layerOr = readUsda(text, name);
  if (!layerOr) {
    error = layerOr.error().message;
    return false;
  }
  const Layer& layer = *layerOr.value();
  const FieldNames& f = fieldNames();
  for (Token primName : layer.primChildren(Path::absoluteRoot())) {
    const Path primPath = Path::absoluteRoot().appendChild(primName.str());
    const Spec* spec = layer.findSpec(primPath);
    const Token* typeName = spec->getAs<Token>(f.typeName);
    const Specifier* specifier = spec->getAs<Specifier>(f.specifier);
    if (!typeName || *typeName != "Shader" || !specifier || *specifier != Specifier::Def) continue;
    // The node's own properties, then those of the classes it inherits
    // (weaker: a local property of the same name wins).
    std::vector<Path> sources{primPath};
    if (const PathListOp* inherits = spec->getAs<PathListOp>(f.inheritPaths)) {
      const auto& items = inherits->isExplicit ? inherits->explicitItems : inherits->prependedItems;
      sources.insert(sources.end(), items.begin(), items.end());
      sources.insert(sources.end(), inherits->appendedItems.begin(), inherits->appendedItems.end());
    }
    GenShaderNode node;
    node.identifier = primName.string();
    std::set<std::string> seen;
    for (const Path& source : sources) {
      for (Token prop : layer.propertyNames(source)) {
        if (!seen.insert(prop.string()).second) continue;
        const Spec* ps = layer.findSpec(source.appendProperty(prop.str()));
        const Token* type = ps ? ps->getAs<Token>(f.typeName) : nullptr;
        if (!type) continue;
        std::string_view n = prop.str();
        if (n.starts_with("inputs:")) node.inputs.emplace_back(n.substr(7), sdrSdfType(type->str()));
        else if (n.starts_with("outputs:")) node.outputs.emplace_back(n.substr(8), sdrSdfType(type->str()));
      }
    }
    std::sort(node.inputs.begin(), node.inputs.end());
    std::sort(node.outputs.begin(), node.outputs.end());
    shaders_.push_back(std::move(node));
  }
  if (shaders_.empty()) {
    error = name + ": no shader definitions";
    return false;
  }
  return true;
}

GenSchema* SchemaModel::findByName(std::string_view name) {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : &schemas_[it->second];
}

bool SchemaModel::resolve(std::string& error) {
  std::map<std::string, std::string> usdNameOfCpp;
  for (const GenSchema& s : schemas_) usdNameOfCpp[s.cppName] = s.name;
  for (GenSchema& s : schemas_) {
    if (s.baseCpp.empty() || s.baseCpp == "UsdTyped" || s.baseCpp == "UsdAPISchemaBase") continue;
    auto it = usdNameOfCpp.find(s.baseCpp);
    if (it == usdNameOfCpp.end()) {
      error = s.cppName + ": unknown base " + s.baseCpp;
      return false;
    }
    s.base = it->second;
  }
  // API schemas first: typed definitions include their composed definitions.
  for (GenSchema& s : schemas_) {
    if (s.kind == "singleApplyAPI" || s.kind == "multipleApplyAPI") composeApi(s);
  }
  for (GenSchema& s : schemas_) {
    if (isTypedKind(s.kind)) composeTyped(s);
    else if (s.kind == "nonAppliedAPI") s.composed = s.declared;
  }
  return true;
}

void SchemaModel::applyOverrides(std::vector<GenProperty>& props, const GenSchema& schema) {
  for (const std::string& name : schema.overrideNames) {
    const GenProperty* over = nullptr;
    for (const GenProperty& d : schema.declared) {
      if (d.name == name) over = &d;
    }
    GenProperty* defined = findProp(props, name);
    // An override of a property no built-in defines, or one that would
    // change its type, is ignored; it never changes the variability.
    if (!over || !defined || !sameType(*over, *defined)) continue;
    if (over->hasFallback) {
      defined->hasFallback = true;
      defined->fallbackText = over->fallbackText;
    }
    if (!over->allowedTokens.empty()) defined->allowedTokens = over->allowedTokens;
  }
}

bool SchemaModel::composeWeakerApi(std::vector<GenProperty>& props, std::vector<std::string>* applied,
                                   const std::string& apiName) {
  const std::size_t colon = apiName.find(':');
  const std::string typeName = apiName.substr(0, colon);
  const std::string instance = colon == std::string::npos ? std::string() : apiName.substr(colon + 1);
  GenSchema* api = findByName(typeName);
  if (!api || (api->kind != "singleApplyAPI" && api->kind != "multipleApplyAPI")) {
    warnings_.push_back("built-in API schema " + apiName + " is unknown; skipped");
    return false;
  }
  if ((api->kind == "multipleApplyAPI") != !instance.empty()) {
    warnings_.push_back("built-in API schema " + apiName + " has the wrong instance form; skipped");
    return false;
  }
  if (api->build == GenSchema::Build::Building) {
    warnings_.push_back("API schema inclusion cycle at " + apiName + "; skipped");
    return false;
  }
  composeApi(*api);
  if (applied) {
    for (const std::string& name : api->appliedApis) {
      std::string n = substituteInstance(name, instance);
      if (std::find(applied->begin(), applied->end(), n) == applied->end()) applied->push_back(std::move(n));
    }
  }
  for (const GenProperty& p : api->composed) {
    GenProperty copy = p;
    copy.name = substituteInstance(p.name, instance);
    addOrCompose(props, std::move(copy));
  }
  return true;
}

void SchemaModel::composeApi(GenSchema& api) {
  if (api.build != GenSchema::Build::NotBuilt) return;
  api.build = GenSchema::Build::Building;
  std::vector<GenProperty> props;
  for (const GenProperty& p : api.declared) {
    if (std::find(api.overrideNames.begin(), api.overrideNames.end(), p.name) == api.overrideNames.end()) {
      addOrCompose(props, p);
    }
  }
  std::vector<std::string> applied{api.kind == "multipleApplyAPI" ? api.name + ":" + std::string(kInstanceTemplate)
                                                                  : api.name};
  for (const std::string& builtin : api.builtinApis) composeWeakerApi(props, &applied, builtin);
  applyOverrides(props, api);
  api.composed = std::move(props);
  api.appliedApis = std::move(applied);
  api.build = GenSchema::Build::Built;
}

std::vector<std::string> SchemaModel::autoAppliedTo(const GenSchema& typed) const {
  std::vector<std::string> out;
  for (const GenSchema& api : schemas_) {
    if (api.kind != "singleApplyAPI") continue;
    // Listed types and every type derived from them.
    bool applies = false;
    for (const GenSchema* t = &typed; t && !applies;) {
      applies = std::find(api.autoApplyTo.begin(), api.autoApplyTo.end(), t->name) != api.autoApplyTo.end();
      auto it = byName_.find(t->base);
      t = it == byName_.end() ? nullptr : &schemas_[it->second];
    }
    if (applies) out.push_back(api.name);
  }
  // OpenUSD orders auto-applied schemas by descending name.
  std::sort(out.rbegin(), out.rend());
  return out;
}

void SchemaModel::composeTyped(GenSchema& typed) {
  std::vector<GenProperty> props;
  for (const GenProperty& p : typed.declared) {
    if (std::find(typed.overrideNames.begin(), typed.overrideNames.end(), p.name) == typed.overrideNames.end()) {
      addOrCompose(props, p);
    }
  }
  std::vector<std::string> apis = typed.builtinApis;
  for (std::string& a : autoAppliedTo(typed)) apis.push_back(std::move(a));
  for (const std::string& api : apis) composeWeakerApi(props, nullptr, api);
  applyOverrides(props, typed);
  typed.composed = std::move(props);
}

std::string SchemaModel::summary() const {
  std::map<std::string, std::map<std::string, int>> counts;
  for (const GenSchema& s : schemas_) ++counts[s.domain][s.kind];
  std::string out;
  for (const auto& [domain, kinds] : counts) {
    out += domain + ":";
    for (const auto& [kind, n] : kinds) out += " " + kind + "=" + std::to_string(n);
    out += "\n";
  }
  out += "shader nodes: " + std::to_string(shaders_.size());
  for (const std::string& w : warnings_) out += "\nwarning: " + w;
  return out;
}

std::string SchemaModel::emitTable() const {
  std::string out;
  out +=
      "// Generated by tools/schema-gen (tools/schema-gen/regenerate.sh) from OpenUSD v24.11-rc1:\n"
      "// pxr/usd/{usd,usdGeom,usdShade,usdLux,usdSkel,usdPhysics,usdVol,usdMedia,usdRender,usdUI,usdProc}/\n"
      "// {generatedSchema.usda,plugInfo.json} and pxr/usdImaging/plugin/usdShaders/shaders/shaderDefs.usda.\n"
      "// Facts only (names, kinds, types, fallbacks, allowed tokens). Do not edit; regenerate.\n"
      "// Each schema's properties are its composed prim definition (own, inherited and\n"
      "// built-in API properties, overrides applied), sorted by name.\n"
      "// Included once, by SchemaRegistry.cpp.\n\n"
      "namespace usdkit::schema::table {\n\n"
      "using SV = std::string_view;\n\n";

  // Name lists shared by content.
  std::map<std::vector<std::string>, std::string> lists;
  auto listRef = [&](const std::vector<std::string>& items) -> std::string {
    if (items.empty()) return "{}";
    auto [it, added] = lists.emplace(items, "kList" + std::to_string(lists.size()));
    if (added) {
      out += "constexpr SV " + it->second + "[] = {";
      for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + cppString(items[i]);
      out += "};\n";
    }
    return it->second;
  };

  std::vector<const GenSchema*> sorted;
  for (const GenSchema& s : schemas_) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });

  std::vector<std::string> propArrays;
  for (const GenSchema* s : sorted) {
    std::vector<GenProperty> props = s->composed;
    std::sort(props.begin(), props.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::vector<std::string> tokenRefs;
    for (const GenProperty& p : props) tokenRefs.push_back(listRef(p.allowedTokens));
    if (props.empty()) {
      propArrays.push_back("{}");
      continue;
    }
    std::string arrayName = "kProps_" + s->name;
    std::string body = "constexpr PropertyDef " + arrayName + "[] = {\n";
    for (std::size_t i = 0; i < props.size(); ++i) {
      const GenProperty& p = props[i];
      body += "    {" + cppString(p.name) + ", " + (p.isRelationship ? "true" : "false") + ", " +
              cppString(p.typeName) + ", " + (p.uniform ? "true" : "false") + ", " +
              cppString(p.hasFallback ? p.fallbackText : "") + ", " + tokenRefs[i] + "},\n";
    }
    body += "};\n";
    out += body;
    propArrays.push_back(arrayName);
  }

  std::vector<std::string> schemaLines;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const GenSchema& s = *sorted[i];
    std::string line = "    {" + cppString(s.name) + ", " + cppString(s.domain) + ", " + std::string(kindEnum(s.kind)) +
                       ", " + cppString(s.base) + ", " + listRef(s.builtinApis) + ", " + listRef(s.canOnlyApplyTo) +
                       ", " + listRef(s.allowedInstanceNames) + ", " + listRef(s.autoApplyTo) + ", " + propArrays[i] +
                       "},\n";
    schemaLines.push_back(std::move(line));
  }
  out += "\n// Sorted by name.\nconstexpr SchemaDef kSchemas[] = {\n";
  for (const std::string& l : schemaLines) out += l;
  out += "};\n\n";

  std::vector<const GenShaderNode*> nodes;
  for (const GenShaderNode& n : shaders_) nodes.push_back(&n);
  std::sort(nodes.begin(), nodes.end(), [](auto* a, auto* b) { return a->identifier < b->identifier; });
  std::vector<std::string> nodeLines;
  for (const GenShaderNode* n : nodes) {
    auto emitPorts = [&](const auto& ports, const char* what) -> std::string {
      if (ports.empty()) return "{}";
      std::string name = "kShader" + std::string(what) + "_" + n->identifier;
      out += "constexpr ShaderInputDef " + name + "[] = {";
      for (std::size_t i = 0; i < ports.size(); ++i) {
        out += std::string(i ? ", " : "") + "{" + cppString(ports[i].first) + ", " + cppString(ports[i].second) + "}";
      }
      out += "};\n";
      return name;
    };
    std::string inputs = emitPorts(n->inputs, "Inputs");
    std::string outputs = emitPorts(n->outputs, "Outputs");
    nodeLines.push_back("    {" + cppString(n->identifier) + ", " + inputs + ", " + outputs + "},\n");
  }
  out += "\n// Sorted by identifier.\nconstexpr ShaderNodeDef kShaderNodes[] = {\n";
  for (const std::string& l : nodeLines) out += l;
  out += "};\n\n}  // namespace usdkit::schema::table\n";
  return out;
}

}  // namespace usdkit::schemagen
