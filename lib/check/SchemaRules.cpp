// usdkit's schema-conformance rules: what the composed stage says against
// what the core schemas define. OpenUSD 24.11's usdchecker has no such
// rules, so their findings are warnings (see Rule::report).
#include <algorithm>

#include "check/RuleBase.h"
#include "sdf/Fields.h"
#include "sdf/ValueTypeRegistry.h"

namespace usdkit::check::detail {

namespace {

std::string angle(const Path& p) { return "<" + p.string() + ">"; }
std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

class SchemaPrimTypeChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    const std::string_view type = prim.typeName();
    if (type.empty()) return;
    const schema::SchemaDef* def = schemas().find(type);
    if (!def)
      report("Prim " + angle(prim.path()) + " has type " + quote(type) +
             ", which no schema of the core USD domains defines.");
    else if (def->isApi())
      report("Prim " + angle(prim.path()) + " has type " + quote(type) +
             ", which is an API schema, not a prim type.");
    else if (def->kind == schema::SchemaKind::AbstractTyped)
      report("Prim " + angle(prim.path()) + " has abstract type " + quote(type) + ", which cannot be instantiated.");
  }
};

class SchemaAPIChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    for (const std::string& applied : prim.authoredApis()) {
      const std::size_t colon = applied.find(':');
      const std::string_view name = std::string_view(applied).substr(0, colon);
      const std::string_view instance =
          colon == std::string::npos ? std::string_view() : std::string_view(applied).substr(colon + 1);
      const schema::SchemaDef* def = schemas().find(name);
      const std::string where = " applied on the prim " + angle(prim.path());
      if (!def) {
        report("Unknown API schema " + quote(applied) + where + ".");
        continue;
      }
      if (def->kind != schema::SchemaKind::SingleApplyAPI && def->kind != schema::SchemaKind::MultipleApplyAPI) {
        report("Schema " + quote(name) + where + " is not an applied API schema.");
        continue;
      }
      if (def->kind == schema::SchemaKind::MultipleApplyAPI) {
        if (instance.empty()) {
          report("Multiple-apply API schema " + quote(name) + where + " has no instance name.");
          continue;
        }
        const auto& allowed = def->allowedInstanceNames;
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), instance) == allowed.end())
          report("Multiple-apply API schema " + quote(name) + where + " has instance name " + quote(instance) +
                 ", which the schema does not allow.");
      } else if (colon != std::string::npos) {
        report("Single-apply API schema " + quote(name) + where + " has an instance name " + quote(instance) + ".");
      }
      if (!def->canOnlyApplyTo.empty()) {
        bool ok = false;
        for (std::string_view t : def->canOnlyApplyTo) ok = ok || prim.isA(t);
        if (!ok)
          report("API schema " + quote(applied) + where + " of type " + quote(prim.typeName()) +
                 ", but it can only be applied to prims of type " + joined(def->canOnlyApplyTo) + ".");
      }
    }
  }

 private:
  static std::string joined(std::span<const std::string_view> names) {
    std::string s;
    for (std::string_view n : names) s += (s.empty() ? "" : ", ") + quote(n);
    return s;
  }
};

// The type name as the writer spells it, so aliases ("Vec3f", "point3f")
// compare by what they mean.
std::string canonicalType(std::string_view name) {
  const std::optional<ValueTypeInfo> info = findValueType(name);
  if (!info) return std::string(name);
  std::string s(info->serializationName.str());
  if (info->isArray && !s.ends_with("[]")) s += "[]";
  return s;
}

class SchemaPropertyChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    const std::vector<std::string> apis = prim.authoredApis();
    for (const Token& name : prim.propertyNames()) {
      const schema::PropertyDef* def = schemas().findProperty(prim.typeName(), apis, name.str());
      if (!def) continue;
      const Spec* spec = prim.property(name.str());
      const Path path = prim.path().appendProperty(name.str());
      const bool isRel = spec->type() == SpecType::Relationship;
      if (isRel != def->isRelationship) {
        report("Property " + angle(path) + " is authored as " + (isRel ? "a relationship" : "an attribute") +
               " but its schema defines " + (def->isRelationship ? "a relationship." : "an attribute."));
        continue;
      }
      if (isRel) continue;
      const std::string authored = canonicalType(prim.attributeType(name.str()));
      const std::string expected = canonicalType(def->typeName);
      if (authored != expected) {
        report("Attribute " + angle(path) + " has type " + quote(authored) + " but its schema defines " +
               quote(expected) + ".");
        continue;
      }
      const Variability* v = spec->getAs<Variability>(fieldNames().variability);
      const bool uniform = v && *v == Variability::Uniform;
      if (uniform != def->uniform)
        report("Attribute " + angle(path) + " is authored " + (uniform ? "uniform" : "varying") +
               " but its schema defines it " + (def->uniform ? "uniform." : "varying."));
      if (!def->allowedTokens.empty()) checkTokens(prim, name.str(), path, *def);
    }
  }

 private:
  void checkTokens(const PrimView& prim, std::string_view name, const Path& path, const schema::PropertyDef& def) {
    const Spec* spec = prim.property(name);
    std::vector<Value> values;
    if (const Value* d = spec->get(fieldNames().defaultValue)) values.push_back(*d);
    if (const Value* ts = spec->get(fieldNames().timeSamples)) {
      if (Expected<Value> loaded = ts->loaded(); loaded)
        if (const TimeSamples* samples = loaded->getIf<TimeSamples>())
          for (const auto& [time, value] : samples->samples) values.push_back(value);
    }
    const auto allowed = [&](std::string_view t) {
      return std::find(def.allowedTokens.begin(), def.allowedTokens.end(), t) != def.allowedTokens.end();
    };
    for (const Value& raw : values) {
      Expected<Value> v = raw.loaded();
      if (!v) continue;
      std::vector<Token> tokens;
      if (const Token* t = v->getIf<Token>()) tokens.push_back(*t);
      if (const auto* list = v->getIf<std::vector<Token>>()) tokens = *list;
      for (const Token& t : tokens) {
        if (allowed(t.str())) continue;
        std::string options;
        for (std::string_view a : def.allowedTokens) options += (options.empty() ? "" : ", ") + quote(a);
        report("Attribute " + angle(path) + " has value " + quote(t.str()) + ", which is not one of its allowed tokens (" +
               options + ").");
        return;
      }
    }
  }
};

// Kinds as core USD registers them: model > group > assembly, model > component.
bool isModelKind(std::string_view k) { return k == "model" || k == "group" || k == "assembly" || k == "component"; }
bool isGroupKind(std::string_view k) { return k == "group" || k == "assembly"; }

class KindHierarchyChecker final : public Rule {
 public:
  using Rule::Rule;
  void checkPrim(const PrimView& prim) override {
    const std::string_view kind = kindOf(prim);
    if (!isModelKind(kind)) return;
    const std::optional<PrimView> parent = prim.parent();
    if (!parent) return;  // root prims may be any model
    const std::string_view parentKind = kindOf(*parent);
    if (isGroupKind(parentKind)) return;
    if (parentKind == "component")
      report("Prim " + angle(prim.path()) + " of kind " + quote(kind) + " is inside the component " +
             angle(parent->path()) + "; components may contain subcomponents but no models.");
    else
      report("Prim " + angle(prim.path()) + " of kind " + quote(kind) + " has the parent " + angle(parent->path()) +
             (parentKind.empty() ? std::string(" with no kind") : " of kind " + quote(parentKind)) +
             ", which is not a group, so it is not part of the model hierarchy.");
  }

 private:
  static std::string_view kindOf(const PrimView& prim) {
    const Token* k = prim.spec().getAs<Token>(fieldNames().kind);
    return k ? k->str() : std::string_view();
  }
};

}  // namespace

std::unique_ptr<Rule> makeSchemaRule(const RuleInfo& info, const RuleContext& context) {
  const std::string_view id = info.id;
  if (id == "SchemaPrimTypeChecker") return std::make_unique<SchemaPrimTypeChecker>(info, context);
  if (id == "SchemaAPIChecker") return std::make_unique<SchemaAPIChecker>(info, context);
  if (id == "SchemaPropertyChecker") return std::make_unique<SchemaPropertyChecker>(info, context);
  if (id == "KindHierarchyChecker") return std::make_unique<KindHierarchyChecker>(info, context);
  return nullptr;
}

}  // namespace usdkit::check::detail
