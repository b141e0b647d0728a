// One prim of the composed stage as plain specs; see PrimComposer.h.
#include "stage/PrimComposer.h"

#include <unordered_set>

#include "compose/PropertyIndex.h"
#include "io/usda/UsdaValueText.h"
#include "sdf/Fields.h"
#include "sdf/PathExpressionText.h"
#include "sdf/ValueCast.h"
#include "sdf/ValueTypeRegistry.h"
#include "stage/ArrayEditResolution.h"
#include "stage/LayerStackFlattener.h"
#include "stage/ValueRemapping.h"

namespace usdkit::stage_detail {

namespace {

// Whether two attribute type names hold the same kind of value (they may
// differ in role: "float3[]" and "point3f[]"). An empty name is no type.
bool sameValueKind(Token authored, std::string_view defined) {
  if (authored.empty()) return true;
  const std::optional<ValueTypeInfo> a = findValueType(authored.str()), d = findValueType(defined);
  return a && d && a->kind == d->kind && a->isArray == d->isArray;
}

// Targets or connections as the composed property holds them: one
// explicit list (nothing when empty).
void setExplicitPaths(Spec& spec, Token field, std::vector<Path> paths) {
  if (paths.empty()) return;
  PathListOp op;
  op.isExplicit = true;
  op.explicitItems = std::move(paths);
  spec.set(field, std::move(op));
}

}  // namespace

PrimComposer::PrimComposer(const AssetResolver& resolver, bool authoredPropertyTypes, Warn warn)
    : resolver_(resolver), authoredPropertyTypes_(authoredPropertyTypes), warn_(std::move(warn)) {}

void PrimComposer::setPrototype(Path source, Path written, Path stagePath) {
  prototypeSource_ = std::move(source);
  prototypeWritten_ = std::move(written);
  prototypeStagePath_ = std::move(stagePath);
}

std::string PrimComposer::anchor(std::string_view assetPath, const Opinion& op) const {
  std::vector<std::string> warnings;
  std::string anchored =
      flattenedAssetPath(resolver_, assetPath, op.layer->identifier(), op.stack->expressionVariables(), &warnings);
  for (std::string& w : warnings) warn_(std::move(w));
  return anchored;
}

Expected<Value> PrimComposer::stageValue(Token field, const Value& raw, const Opinion& op) const {
  std::vector<std::string> warnings;
  Expected<Value> v = stage_detail::stageValue(field, raw, op, resolver_, &warnings);
  for (std::string& w : warnings) warn_(std::move(w));
  return v;
}

// Generic metadata over the opinions (composeMetadataValues).
Expected<Value> PrimComposer::composeField(Token field, std::span<const Opinion> ops) const {
  std::vector<Value> values;  // strongest first
  for (const Opinion& op : ops) {
    const Value* raw = op.spec->get(field);
    if (!raw) continue;
    Expected<Value> v = stageValue(field, *raw, op);
    if (!v) return v;
    values.push_back(std::move(*v));
  }
  return composeMetadataValues(values);
}

Status PrimComposer::composeMetadata(const PrimIndex& index, std::span<const Opinion> ops, Spec& spec) const {
  const FieldNames& f = fieldNames();
  spec.set(f.specifier, composedSpecifier(index, ops));
  for (Token field : authoredFields(ops)) {
    if (field == f.specifier) continue;
    if (field == f.typeName) {
      for (const Opinion& op : ops) {
        const Token* t = op.spec->getAs<Token>(f.typeName);
        if (t && !t->empty() && t->str() != "__AnyType__") {
          spec.set(f.typeName, *t);
          break;
        }
      }
      continue;
    }
    Expected<Value> v = composeField(field, ops);
    if (!v) return std::move(v).error();
    if (!v->empty()) spec.set(field, std::move(*v));
  }
  return Ok{};
}

Status PrimComposer::composeStageMetadata(std::span<const Opinion> ops, Spec& spec) const {
  // As a prim's metadata: the session layer's dictionaries are merged over
  // the root layer's (OpenUSD's stage composes its pseudo-root's metadata
  // from these two layers with the general rules).
  for (Token field : authoredFields(ops)) {
    Expected<Value> v = composeField(field, ops);
    if (!v) return std::move(v).error();
    if (!v->empty()) spec.set(field, std::move(*v));
  }
  return Ok{};
}

Status PrimComposer::composeProperties(Layer& out, const Path& outPath, const Path& storedAt, const PrimIndex& index,
                                       const std::vector<Opinion>& primOps, const ClipSets& clips,
                                       ChildNameLists& names) const {
  const FieldNames& f = fieldNames();
  // What the prim's schemas define, as already written to its spec.
  const schema::PrimDefinition definition =
      authoredPropertyTypes_ ? schema::PrimDefinition{} : schema::PrimDefinition::of(*out.findSpec(storedAt));
  // primOps holds one opinion per entry of the prim stack, in its order.
  const PropertyIndex properties(index);
  for (Token name : properties.names()) {
    const PropertyStack stack = properties.stack(name);
    const std::vector<Opinion> ops = propertyOpinions(stack, primOps);
    const SpecType type = stack.type;
    // The weakest spec of any type: it decides `custom` and `variability`.
    const Spec* weakest = stack.weakest;
    if (ops.empty()) continue;
    const Path target = storedAt.appendProperty(name.str());
    const schema::PropertyDef* builtin = authoredPropertyTypes_ ? nullptr : definition.findProperty(name.str());
    if (type == SpecType::Attribute) {
      Spec& spec = out.createSpec(target, SpecType::Attribute);
      if (auto s = composeAttribute(spec, outPath, name, index, ops, clips, *weakest, builtin); !s) return s;
    } else if (type == SpecType::Relationship) {
      Spec& spec = out.createSpec(target, SpecType::Relationship);
      if (auto s = composeRelationship(spec, index, ops, *weakest, builtin); !s) return s;
    } else {
      continue;
    }
    names.append(storedAt, f.properties, name);
  }
  if (clips.empty()) return Ok{};
  return composeClipOnlyAttributes(out, storedAt, index, clips, definition, properties.names(), names);
}

// Built-in attributes no opinion mentions, with samples in value clips:
// written with their definition's type (OpenUSD's flatten writes every
// property that has a value).
Status PrimComposer::composeClipOnlyAttributes(Layer& out, const Path& storedAt, const PrimIndex& index,
                                               const ClipSets& clips, const schema::PrimDefinition& definition,
                                               const std::vector<Token>& authored, ChildNameLists& names) const {
  const FieldNames& f = fieldNames();
  const std::unordered_set<Token> seen(authored.begin(), authored.end());
  for (const schema::PropertyDef* def : definition.attributes()) {
    const Token name(def->name);
    const Path path = storedAt.appendProperty(def->name);
    if (seen.count(name) || out.findSpec(path)) continue;
    const SampleSource source = sampleSource(index, {}, clips, name);
    if (!source.clips) continue;
    Spec& spec = out.createSpec(path, SpecType::Attribute);
    spec.set(f.typeName, Token(def->typeName));
    if (auto s = composeSamples(spec, index, {}, clips, name); !s) return s;
    names.append(storedAt, f.properties, name);
  }
  return Ok{};
}

// `weakest` is the weakest property spec of any type (a relationship's
// opinion counts for an attribute too, as in OpenUSD). `builtin`: the
// prim definition's property of this name, whose variability (for an
// attribute the definition also declares as one) wins over every opinion;
// a built-in property is never custom.
Status PrimComposer::composePropertyMetadata(Spec& spec, std::span<const Opinion> ops, const Spec& weakest,
                                             bool attribute, const schema::PropertyDef* builtin) const {
  const FieldNames& f = fieldNames();
  if (attribute) {
    // Every parsed property spec has a variability (ours leave an
    // attribute's fallback, varying, unstored), and the weakest decides.
    const Variability* v = weakest.getAs<Variability>(f.variability);
    const bool uniform = builtin && !builtin->isRelationship ? builtin->uniform : v && *v == Variability::Uniform;
    if (uniform) spec.set(f.variability, Variability::Uniform);
  }
  // `custom` too is read from the weakest opinion when flattening (again
  // every parsed spec has one; ours leave false unstored).
  const bool* custom = weakest.getAs<bool>(f.custom);
  if (!builtin && custom && *custom) spec.set(f.custom, true);
  for (Token field : authoredFields(ops)) {
    if (((field == f.variability || field == f.typeName) && attribute) || field == f.custom) continue;
    Expected<Value> v = composeField(field, ops);
    if (!v) return std::move(v).error();
    if (!v->empty()) spec.set(field, std::move(*v));
  }
  return Ok{};
}

// Target or connection paths in the stage's namespace; inside a
// prototype, paths into its source instance follow it.
std::vector<Path> PrimComposer::composeTargets(const PrimIndex& index, std::span<const Opinion> ops,
                                               Token field) const {
  return composeTargetPaths(index, ops, field, [&](Path p) {
    if (!prototypeSource_.empty() && p.hasPrefix(prototypeSource_))
      p = p.replacePrefix(prototypeSource_, prototypeWritten_);
    return p;
  });
}

Status PrimComposer::composeAttribute(Spec& spec, const Path& primOut, Token name, const PrimIndex& index,
                                      std::span<const Opinion> ops, const ClipSets& clips, const Spec& weakest,
                                      const schema::PropertyDef* builtin) const {
  const FieldNames& f = fieldNames();
  // The strongest opinion's type, unless the attribute is built in: then
  // its definition's, as OpenUSD composes it, directly where both name
  // the same kind of value ("float3[]" for "point3f[]").
  Token typeName;
  for (const Opinion& op : ops) {
    if (const Token* t = op.spec->getAs<Token>(f.typeName); t && !t->empty()) {
      typeName = *t;
      break;
    }
  }
  // Another kind of value (`float radius` where the schema says double),
  // or an unknown type ("flaot[]"), takes the defined type when every
  // value converts to it; they are converted below.
  const bool sameKind = sameValueKind(typeName, builtin ? builtin->typeName : std::string_view());
  const bool retype = builtin && !builtin->isRelationship && !sameKind && findValueType(builtin->typeName);
  if (builtin && !builtin->isRelationship && sameKind) typeName = Token(builtin->typeName);
  if (!typeName.empty()) spec.set(f.typeName, typeName);
  if (auto s = composePropertyMetadata(spec, ops, weakest, true, builtin); !s) return s;
  // Time samples from the strongest source that has samples or a
  // default, when it is samples (an opinion's or value clips'); the
  // strongest default in any case (clips never give one).
  if (auto s = composeSamples(spec, index, ops, clips, name); !s) return s;
  for (const Opinion& op : ops) {
    if (const Value* raw = op.spec->get(f.defaultValue); raw && !isAnimationBlock(op)) {
      Expected<Value> v = stageValue(f.defaultValue, *raw, op);
      if (!v) return std::move(v).error();
      spec.set(f.defaultValue, std::move(*v));
      break;
    }
  }
  // Where the value found is an array edit, it composes over weaker
  // opinions instead (checked on what was found, decoded: an edit that
  // loses to a stronger value changes nothing). Value clips holding
  // edits are not composed so (their samples stay as the clips give them).
  if (resolvesToArrayEdit(spec) && !sampleSource(index, ops, clips, name).clips) {
    spec.erase(f.defaultValue);
    spec.erase(f.timeSamples);
    if (auto s = composeWithArrayEdits(spec, ops, builtin); !s) return s;
  }
  if (retype) retypeValues(spec, builtin->typeName);
  anchorPathExpressions(spec, primOut);
  setExplicitPaths(spec, f.connectionPaths, composeTargets(index, ops, f.connectionPaths));
  return Ok{};
}

// The attribute's time samples as value resolution finds them.
Status PrimComposer::composeSamples(Spec& spec, const PrimIndex& index, std::span<const Opinion> ops,
                                    const ClipSets& clips, Token name) const {
  const FieldNames& f = fieldNames();
  const SampleSource source = sampleSource(index, ops, clips, name);
  if (source.opinion) {
    Expected<Value> v = stageValue(f.timeSamples, *source.opinion->spec->get(f.timeSamples), *source.opinion);
    if (!v) return std::move(v).error();
    spec.set(f.timeSamples, std::move(*v));
  } else if (source.clips) {
    // Asset paths anchor at the clip (or manifest) layer the value came from.
    spec.set(f.timeSamples, clipSamples(source, [&](const Value& v, const Layer& from) {
               const Opinion at{nullptr, &from, LayerOffset{}, source.node, source.clips->sourceStack};
               return fixAssetPathsInValue(
                   f.defaultValue, v, [&](std::string_view p) { return anchor(p, at); }, AssetPathScope{true});
             }));
  }
  return Ok{};
}

Status PrimComposer::composeWithArrayEdits(Spec& spec, std::span<const Opinion> ops,
                                           const schema::PropertyDef* builtin) const {
  const FieldNames& f = fieldNames();
  const std::optional<Value> fallback =
      builtin && !builtin->isRelationship ? builtin->fallback() : std::optional<Value>();
  std::vector<Value> defaults;
  std::vector<ValueSeries> series;
  bool animationBlocked = false, anySamples = false;
  for (const Opinion& op : ops) {
    std::optional<Value> value;
    if (const Value* raw = op.spec->get(f.defaultValue); raw && !isAnimationBlock(op)) {
      Expected<Value> v = stageValue(f.defaultValue, *raw, op);
      if (!v) return std::move(v).error();
      value = *v;
      defaults.push_back(std::move(*v));
    }
    // Each opinion gives its samples (which hide its default) or its
    // default, as one sample before all times; a default of
    // AnimationBlock hides weaker samples, not weaker defaults.
    if (!animationBlocked && hasTimeSamples(op)) {
      Expected<Value> v = stageValue(f.timeSamples, *op.spec->get(f.timeSamples), op);
      if (!v) return std::move(v).error();
      series.push_back({v->get<TimeSamples>().samples});
      anySamples = true;
    } else if (isAnimationBlock(op)) {
      animationBlocked = true;
    } else if (value) {
      series.push_back({{{kDefaultTime, std::move(*value)}}});
    }
  }
  if (!defaults.empty()) spec.set(f.defaultValue, composeDefaultWithEdits(defaults, fallback));
  if (anySamples) spec.set(f.timeSamples, composeSamplesWithEdits(series, fallback));
  return Ok{};
}

Status PrimComposer::composeRelationship(Spec& spec, const PrimIndex& index, std::span<const Opinion> ops,
                                         const Spec& weakest, const schema::PropertyDef* builtin) const {
  const FieldNames& f = fieldNames();
  spec.set(f.variability, Variability::Varying);
  if (auto s = composePropertyMetadata(spec, ops, weakest, false, builtin); !s) return s;
  setExplicitPaths(spec, f.targetPaths, composeTargets(index, ops, f.targetPaths));
  return Ok{};
}

// Path expressions in the attribute's values with their relative
// patterns made absolute at the owning prim's stage path.
void PrimComposer::anchorPathExpressions(Spec& spec, const Path& primOut) const {
  Path anchor = primOut;
  if (!prototypeWritten_.empty() && anchor.hasPrefix(prototypeWritten_)) anchor = anchor.replacePrefix(prototypeWritten_, prototypeStagePath_);
  auto fix = [&](const Value& v) -> std::optional<Value> {
    if (const PathExpression* e = v.getIf<PathExpression>())
      return Value(PathExpression{makePathExpressionAbsolute(e->text, anchor)});
    if (const auto* list = v.getIf<std::vector<PathExpression>>()) {
      std::vector<PathExpression> out;
      out.reserve(list->size());
      for (const PathExpression& e : *list) out.push_back({makePathExpressionAbsolute(e.text, anchor)});
      return Value(std::move(out));
    }
    return std::nullopt;
  };
  if (const Value* d = spec.get(fieldNames().defaultValue))
    if (std::optional<Value> fixed = fix(*d)) spec.set(fieldNames().defaultValue, std::move(*fixed));
  if (const TimeSamples* ts = spec.getAs<TimeSamples>(fieldNames().timeSamples)) {
    TimeSamples out;
    bool changed = false;
    for (const auto& [time, value] : ts->samples) {
      std::optional<Value> fixed = fix(value);
      changed = changed || fixed.has_value();
      out.samples.emplace_back(time, fixed ? std::move(*fixed) : value);
    }
    if (changed) spec.set(fieldNames().timeSamples, std::move(out));
  }
}

// Gives the attribute `typeName` (its definition's) when all its values
// convert to that type: values of another kind as OpenUSD casts them
// (sdf/ValueCast.h), values authored under a type name nobody knows (kept
// as text) when the text reads as that type. Otherwise the attribute
// keeps its authored type and values, which read back as they are.
void PrimComposer::retypeValues(Spec& spec, std::string_view typeName) const {
  const std::optional<ValueTypeInfo> type = findValueType(typeName);
  if (!type) return;
  auto convert = [&](const Value& v) -> std::optional<Value> {
    if (v.is<ValueBlock>()) return v;
    if (const UnregisteredValue* text = v.getIf<UnregisteredValue>()) {
      Expected<Value> parsed = parseUsdaValue(text->text, *type);
      if (!parsed) return std::nullopt;
      return std::move(*parsed);
    }
    ValueKind kind;
    bool array = false;
    if (!v.scalarKind(&kind, &array) || array != type->isArray) return std::nullopt;
    if (kind == type->kind) return v;
    return castNumericValue(v, type->kind);
  };
  std::optional<Value> defaultValue;
  if (const Value* d = spec.get(fieldNames().defaultValue)) {
    defaultValue = convert(*d);
    if (!defaultValue) return;
  }
  std::optional<TimeSamples> samples;
  if (const TimeSamples* ts = spec.getAs<TimeSamples>(fieldNames().timeSamples)) {
    samples.emplace();
    for (const auto& [time, value] : ts->samples) {
      std::optional<Value> v = convert(value);
      if (!v) return;
      samples->samples.emplace_back(time, std::move(*v));
    }
  }
  spec.set(fieldNames().typeName, Token(typeName));
  if (defaultValue) spec.set(fieldNames().defaultValue, std::move(*defaultValue));
  if (samples) spec.set(fieldNames().timeSamples, std::move(*samples));
}

}  // namespace usdkit::stage_detail
