// Reading composed prims from the stage; see RuleBase.h.
#include <algorithm>

#include "check/RuleBase.h"
#include "sdf/Fields.h"

namespace usdkit::check::detail {

namespace {

template <class T>
std::vector<T> applied(const ListOp<T>* op) {
  std::vector<T> out;
  if (op) op->applyTo(out);
  return out;
}

}  // namespace

std::string_view PrimView::typeName() const {
  const Token* t = spec_->getAs<Token>(fieldNames().typeName);
  return t ? t->str() : std::string_view();
}

std::optional<PrimView> PrimView::parent() const {
  const Path p = path_.parent();
  if (p.empty() || p.isAbsoluteRoot()) return std::nullopt;
  return primAt(p);
}

std::optional<PrimView> PrimView::at(Stage& stage, Stage& lookup, const Path& path) {
  const Spec* s = stage.composedPrim(path);
  if (!s) return std::nullopt;
  return PrimView(stage, lookup, path, *s);
}

std::optional<PrimView> PrimView::primAt(const Path& path) const {
  // An ancestor is composed already in the prim's own stage.
  if (path_.hasPrefix(path)) return at(*stage_, *lookup_, path);
  return at(*lookup_, path);
}

bool PrimView::isDefined() const {
  const Specifier* s = spec_->getAs<Specifier>(fieldNames().specifier);
  return s && *s == Specifier::Def;
}

bool PrimView::isActive() const {
  const bool* active = spec_->getAs<bool>(fieldNames().active);
  return !active || *active;
}

std::vector<std::string> PrimView::authoredApis() const {
  std::vector<std::string> out;
  for (const Token& t : applied(spec_->getAs<TokenListOp>(fieldNames().apiSchemas))) out.push_back(t.string());
  return out;
}

bool PrimView::hasApi(std::string_view schema) const {
  for (const std::string& api : authoredApis())
    if (api == schema) return true;
  for (const std::string& api : schema::SchemaRegistry::instance().builtinApis(typeName()))
    if (api == schema) return true;
  return false;
}

bool PrimView::isA(std::string_view schema) const {
  const std::string_view t = typeName();
  return !t.empty() && schema::SchemaRegistry::instance().isA(t, schema);
}

std::vector<Token> PrimView::propertyNames() const {
  std::vector<Token> out;
  const Layer& composed = stage_->composedPrims();
  for (const Token& name : composed.propertyNames(path_))
    if (composed.findSpec(path_.appendProperty(name.str()))) out.push_back(name);
  return out;
}

const Spec* PrimView::property(std::string_view name) const {
  const Path p = path_.appendProperty(name);
  return p.empty() ? nullptr : stage_->composedPrims().findSpec(p);
}

std::string_view PrimView::attributeType(std::string_view name) const {
  const Spec* s = property(name);
  if (!s || s->type() != SpecType::Attribute) return {};
  const Token* t = s->getAs<Token>(fieldNames().typeName);
  return t ? t->str() : std::string_view();
}

std::optional<Value> PrimView::attributeValue(std::string_view name) const {
  const FieldNames& f = fieldNames();
  if (const Spec* s = property(name); s && s->type() == SpecType::Attribute) {
    if (const Value* ts = s->get(f.timeSamples)) {
      if (Expected<Value> loaded = ts->loaded(); loaded) {
        if (const TimeSamples* samples = loaded->getIf<TimeSamples>(); samples && !samples->samples.empty()) {
          Expected<Value> first = samples->samples.front().second.loaded();
          if (first && !first->empty()) return std::move(*first);
        }
      }
    }
    if (const Value* d = s->get(f.defaultValue)) {
      Expected<Value> v = d->loaded();
      if (v && !v->empty()) return std::move(*v);
    }
  }
  const std::vector<std::string> apis = authoredApis();
  if (const schema::PropertyDef* def = schema::SchemaRegistry::instance().findProperty(typeName(), apis, name))
    return def->fallback();
  return std::nullopt;
}

std::vector<Path> PrimView::relationshipTargets(std::string_view name) const {
  const Spec* s = property(name);
  if (!s || s->type() != SpecType::Relationship) return {};
  return applied(s->getAs<PathListOp>(fieldNames().targetPaths));
}

std::vector<Path> PrimView::connections(std::string_view name) const {
  const Spec* s = property(name);
  if (!s || s->type() != SpecType::Attribute) return {};
  return applied(s->getAs<PathListOp>(fieldNames().connectionPaths));
}

bool isConnectable(const PrimView& prim) {
  // UsdShade registers connectable behaviour for shading nodes and graphs
  // (Material is a NodeGraph), and UsdLux for lights (anything with
  // LightAPI) and light filters.
  return prim.isA("Shader") || prim.isA("NodeGraph") || prim.isA("LightFilter") || prim.hasApi("LightAPI");
}

bool isContainerConnectable(const PrimView& prim) {
  return prim.isA("NodeGraph") || prim.isA("LightFilter") || prim.hasApi("LightAPI");
}

}  // namespace usdkit::check::detail
