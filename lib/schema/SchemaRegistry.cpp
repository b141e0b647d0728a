#include "schema/SchemaRegistry.h"

#include <algorithm>

#include "io/usda/UsdaValueText.h"
#include "sdf/ValueTypeRegistry.h"

// The generated facts: usdkit::schema::table::kSchemas and kShaderNodes.
#include "schema/SchemaTable.inc"

namespace usdkit::schema {

namespace {

constexpr std::string_view kInstanceTemplate = "__INSTANCE_NAME__";
// Deeper API inclusion than this is a cycle (the generated table has none;
// the limit only keeps a damaged table from recursing forever).
constexpr int kMaxIncludeDepth = 16;

template <class T, class Key>
const T* findSorted(std::span<const T> items, std::string_view key, Key keyOf) {
  auto it = std::lower_bound(items.begin(), items.end(), key,
                             [&](const T& item, std::string_view k) { return keyOf(item) < k; });
  return it != items.end() && keyOf(*it) == key ? &*it : nullptr;
}

// Whether `name` is `pattern` with every "__INSTANCE_NAME__" replaced by
// `instance`, compared piece by piece without building the name.
bool matchesInstance(std::string_view pattern, std::string_view instance, std::string_view name) {
  while (true) {
    const std::size_t at = pattern.find(kInstanceTemplate);
    if (at == std::string_view::npos) return pattern == name;
    if (name.substr(0, at) != pattern.substr(0, at)) return false;
    name.remove_prefix(at);
    if (!name.starts_with(instance)) return false;
    name.remove_prefix(instance.size());
    pattern.remove_prefix(at + kInstanceTemplate.size());
  }
}

std::string substituteInstance(std::string_view pattern, std::string_view instance) {
  std::string out;
  while (true) {
    const std::size_t at = pattern.find(kInstanceTemplate);
    if (at == std::string_view::npos || instance.empty()) {
      out += pattern;
      return out;
    }
    out += pattern.substr(0, at);
    out += instance;
    pattern.remove_prefix(at + kInstanceTemplate.size());
  }
}

std::pair<std::string_view, std::string_view> splitApplied(std::string_view appliedName) {
  const std::size_t colon = appliedName.find(':');
  if (colon == std::string_view::npos) return {appliedName, {}};
  return {appliedName.substr(0, colon), appliedName.substr(colon + 1)};
}

bool isAppliedApi(const SchemaDef& s) {
  return s.kind == SchemaKind::SingleApplyAPI || s.kind == SchemaKind::MultipleApplyAPI;
}

bool hasFallback(const PropertyDef& p) { return !p.isRelationship && !p.fallbackText.empty(); }

// Fails (nullopt) for an unknown or opaque type as for bad text.
std::optional<Value> parseFallback(const PropertyDef& p) {
  Expected<Value> value = parseUsdaValue(p.fallbackText, p.typeName, "schema fallback");
  if (!value) return std::nullopt;
  return std::move(*value);
}

}  // namespace

std::optional<Value> PropertyDef::fallback() const {
  if (!hasFallback(*this)) return std::nullopt;
  const auto& slots = SchemaRegistry::instance().parsedFallbacks_;
  const auto slot = slots.find(this);
  if (slot == slots.end()) return parseFallback(*this);  // a definition from outside the table
  const SchemaRegistry::ParsedFallback& parsed = slot->second;
  std::call_once(parsed.parsed, [&] { parsed.value = parseFallback(*this); });
  return parsed.value;
}

SchemaRegistry::SchemaRegistry() {
  for (const SchemaDef& s : all()) {
    for (const PropertyDef& p : s.properties) {
      if (hasFallback(p)) parsedFallbacks_.try_emplace(&p);
    }
  }
}

const PropertyDef* SchemaDef::findProperty(std::string_view propertyName) const {
  // The generated table lists each schema's properties sorted by name.
  return findSorted(properties, propertyName, [](const PropertyDef& p) { return p.name; });
}

const SchemaRegistry& SchemaRegistry::instance() {
  static const SchemaRegistry registry;
  return registry;
}

std::span<const SchemaDef> SchemaRegistry::all() const { return table::kSchemas; }

const SchemaDef* SchemaRegistry::find(std::string_view schemaName) const {
  return findSorted(all(), schemaName, [](const SchemaDef& s) { return s.name; });
}

const SchemaDef* SchemaRegistry::findApi(std::string_view appliedName) const {
  const SchemaDef* s = find(splitApplied(appliedName).first);
  return s && s->isApi() ? s : nullptr;
}

bool SchemaRegistry::isA(std::string_view typeName, std::string_view baseName) const {
  const SchemaDef* base = find(baseName);
  if (!base || !base->isTyped()) return false;
  for (const SchemaDef* s = find(typeName); s && s->isTyped(); s = s->base.empty() ? nullptr : find(s->base)) {
    if (s == base) return true;
  }
  return false;
}

const PropertyDef* SchemaRegistry::findProperty(std::string_view typeName, std::span<const std::string> appliedApis,
                                                std::string_view propertyName, std::string* resolvedName) const {
  auto found = [&](const PropertyDef* p) {
    if (p && resolvedName) *resolvedName = std::string(propertyName);
    return p;
  };
  // A typed schema's table entry is its whole prim definition: built-in and
  // auto-applied API properties are already in it, overridden as OpenUSD does.
  if (const SchemaDef* typed = find(typeName); typed && typed->isTyped()) {
    if (const PropertyDef* p = typed->findProperty(propertyName)) return found(p);
  }
  for (const std::string& applied : appliedApis) {
    const auto [apiName, instance] = splitApplied(applied);
    const SchemaDef* api = find(apiName);
    if (!api || !isAppliedApi(*api)) continue;
    const bool multiple = api->kind == SchemaKind::MultipleApplyAPI;
    // OpenUSD ignores an applied name whose instance form does not fit.
    if (multiple == instance.empty()) continue;
    if (!multiple) {
      if (const PropertyDef* p = api->findProperty(propertyName)) return found(p);
      continue;
    }
    for (const PropertyDef& p : api->properties) {
      if (matchesInstance(p.name, instance, propertyName)) return found(&p);
    }
  }
  return nullptr;
}

namespace {

void appendIncluded(const SchemaRegistry& registry, std::string_view appliedName, int depth,
                    std::vector<std::string>& out) {
  const auto [apiName, instance] = splitApplied(appliedName);
  const SchemaDef* api = registry.find(apiName);
  if (!api || !isAppliedApi(*api) || depth > kMaxIncludeDepth) return;
  if ((api->kind == SchemaKind::MultipleApplyAPI) == instance.empty()) return;
  std::string name(appliedName);
  if (std::find(out.begin(), out.end(), name) != out.end()) return;
  out.push_back(std::move(name));
  for (std::string_view included : api->builtinApis) {
    appendIncluded(registry, substituteInstance(included, instance), depth + 1, out);
  }
}

}  // namespace

std::vector<std::string> SchemaRegistry::autoAppliedApis(std::string_view typeName) const {
  std::vector<std::string> out;
  for (const SchemaDef& api : all()) {
    if (api.kind != SchemaKind::SingleApplyAPI || api.autoApplyTo.empty()) continue;
    const bool applies = std::any_of(api.autoApplyTo.begin(), api.autoApplyTo.end(),
                                     [&](std::string_view target) { return isA(typeName, target); });
    if (applies) out.emplace_back(api.name);
  }
  // OpenUSD orders auto-applied schemas by descending name.
  std::sort(out.rbegin(), out.rend());
  return out;
}

std::vector<std::string> SchemaRegistry::builtinApis(std::string_view typeName) const {
  std::vector<std::string> out;
  const SchemaDef* typed = find(typeName);
  if (!typed || !typed->isTyped()) return out;
  for (std::string_view api : typed->builtinApis) appendIncluded(*this, api, 0, out);
  for (const std::string& api : autoAppliedApis(typeName)) appendIncluded(*this, api, 0, out);
  return out;
}

const ShaderNodeDef* SchemaRegistry::findShaderNode(std::string_view identifier) const {
  return findSorted(shaderNodes(), identifier, [](const ShaderNodeDef& n) { return n.identifier; });
}

std::span<const ShaderNodeDef> SchemaRegistry::shaderNodes() const { return table::kShaderNodes; }

}  // namespace usdkit::schema
