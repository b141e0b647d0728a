#include "stage/ValueResolution.h"

#include <unordered_set>

#include "sdf/Fields.h"
#include "stage/StageFields.h"
#include "stage/LayerStackFlattener.h"
#include "stage/ValueRemapping.h"

namespace usdkit::stage_detail {

std::vector<Opinion> stageMetadataOpinions(const LayerStack& root) {
  std::vector<Opinion> ops;
  for (const Layer* layer : {root.sessionLayer().get(), root.rootLayer().get()})
    if (layer) ops.push_back({&layer->pseudoRoot(), layer, LayerOffset{}, 0, &root});
  return ops;
}

std::vector<Opinion> primOpinions(const PrimIndex& index) {
  std::vector<Opinion> ops;
  const auto nodes = index.nodes();
  for (const PrimStackEntry& e : index.primStack()) {
    const PrimIndexNode& node = nodes[static_cast<std::size_t>(e.node)];
    const Spec* spec = e.layer->findSpec(e.path);
    if (!spec) continue;
    const LayerOffset layerOffset = node.layerStack->offsetForLayer(*e.layer);
    ops.push_back(
        {spec, e.layer, composeOffsets(node.mapToRoot.timeOffset(), layerOffset), e.node, node.layerStack.get()});
  }
  return ops;
}

std::vector<Opinion> propertyOpinions(const PropertyStack& stack, const std::vector<Opinion>& primOps) {
  std::vector<Opinion> ops;
  for (const PropertySpecEntry& e : stack.specs) {
    if (e.prim >= primOps.size()) continue;
    const Opinion& primOp = primOps[e.prim];
    ops.push_back({e.spec, e.layer, primOp.toStage, e.node, primOp.stack});
  }
  return ops;
}

bool isActive(std::span<const Opinion> primOps) {
  for (const Opinion& op : primOps)
    if (const bool* active = op.spec->getAs<bool>(fieldNames().active)) return *active;
  return true;
}

namespace {

// The node chain from `node` up to the root passes through a direct (not
// ancestral) inherit arc.
bool reachedThroughInherit(const PrimIndex& index, int node) {
  const auto nodes = index.nodes();
  for (int n = node; n > 0; n = nodes[static_cast<std::size_t>(n)].parent) {
    const PrimIndexNode& pn = nodes[static_cast<std::size_t>(n)];
    if (pn.arcType == ArcType::Inherit && !pn.dueToAncestor) return true;
  }
  return false;
}

}  // namespace

Specifier composedSpecifier(const PrimIndex& index, std::span<const Opinion> ops) {
  bool sawClass = false;
  for (const Opinion& op : ops) {
    const Specifier* s = op.spec->getAs<Specifier>(fieldNames().specifier);
    if (!s || *s == Specifier::Over) continue;
    if (*s == Specifier::Def) return Specifier::Def;
    if (!reachedThroughInherit(index, op.node)) return Specifier::Class;
    sawClass = true;
  }
  return sawClass ? Specifier::Class : Specifier::Over;
}

std::vector<Token> authoredFields(std::span<const Opinion> ops) {
  std::vector<Token> names;
  std::unordered_set<Token> seen;
  for (const Opinion& op : ops)
    for (const Field& f : op.spec->fields())
      if (!isPrivateStageField(f.name) && seen.insert(f.name).second) names.push_back(f.name);
  return names;
}

std::vector<Path> composeTargetPaths(const PrimIndex& index, std::span<const Opinion> ops, Token field,
                                     const std::function<Path(Path)>& adjust) {
  std::vector<Path> list;
  const auto nodes = index.nodes();
  for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
    const PathListOp* op = it->spec->getAs<PathListOp>(field);
    if (!op) continue;
    const MapFunction& map = nodes[static_cast<std::size_t>(it->node)].mapToRoot.evaluate();
    const PathListOp mapped = op->mapItems([&](auto, const Path& p) -> std::optional<Path> {
      // Variant selections name where an opinion was authored, not a
      // place in the stage (a crate file can hold them in targets).
      Path m = map.mapSourceToTarget(p.stripAllVariantSelections());
      if (m.empty()) return std::nullopt;
      return adjust ? adjust(std::move(m)) : m;
    });
    mapped.applyTo(list);
  }
  return list;
}

bool resolvesToArrayEdit(const Spec& attribute) {
  const FieldNames& f = fieldNames();
  if (attribute.getAs<ArrayEdit>(f.defaultValue)) return true;
  if (const TimeSamples* ts = attribute.getAs<TimeSamples>(f.timeSamples))
    for (const auto& sample : ts->samples)
      if (sample.second.is<ArrayEdit>()) return true;
  return false;
}

bool hasTimeSamples(const Opinion& op) {
  const Value* raw = op.spec->get(fieldNames().timeSamples);
  if (!raw) return false;
  Expected<Value> loaded = raw->loaded();
  const TimeSamples* ts = loaded ? loaded->getIf<TimeSamples>() : nullptr;
  return ts && !ts->samples.empty();
}

std::vector<ValueSourceEntry> valueSources(const PrimIndex& index, std::span<const Opinion> ops, const ClipSets& clips,
                                           Token name) {
  std::vector<ValueSourceEntry> out;
  if (clips.empty()) {
    for (const Opinion& op : ops) out.push_back({&op, nullptr, Path(), op.node});
    return out;
  }
  // Node by node, layer by layer: the layer's opinion, then the clip sets
  // anchored in that layer.
  const auto nodes = index.nodes();
  std::size_t next = 0;
  std::vector<const ClipSet*> applying;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const PrimIndexNode& node = nodes[n];
    if (!node.canContributeSpecs()) continue;
    const int number = static_cast<int>(n);
    const Path specPath = node.path.appendProperty(name.str());
    applying.clear();
    for (const auto& set : clips)
      if (set->appliesTo(node.layerStack.get(), node.path) && set->holdsValuesFor(specPath)) applying.push_back(set.get());
    for (const LayerStackEntry& entry : node.layerStack->layers()) {
      for (; next < ops.size() && ops[next].node == number && ops[next].layer == entry.layer.get(); ++next)
        out.push_back({&ops[next], nullptr, Path(), number});
      for (const ClipSet* set : applying)
        if (set->sourceLayer == entry.layer.get()) out.push_back({nullptr, set, specPath, number});
    }
    for (; next < ops.size() && ops[next].node == number; ++next) out.push_back({&ops[next], nullptr, Path(), number});
  }
  return out;
}

SampleSource sampleSource(const PrimIndex& index, std::span<const Opinion> ops, const ClipSets& clips, Token name) {
  // Set once a default of AnimationBlock has been passed: weaker opinions'
  // samples no longer count, only a weaker default decides. Value clips
  // are not blocked (current OpenUSD's UsdStage checks the block for a
  // layer's time samples and spline only).
  bool animationBlocked = false;
  for (const ValueSourceEntry& e : valueSources(index, ops, clips, name)) {
    if (e.clips) return {nullptr, e.clips, e.clipSpecPath, e.node};
    // An opinion decides when it has samples (they win over its own
    // default) or a default (then there are no samples).
    if (!animationBlocked && hasTimeSamples(*e.opinion)) return {e.opinion, nullptr, Path(), e.node};
    if (isAnimationBlock(*e.opinion)) {
      animationBlocked = true;
      continue;
    }
    if (e.opinion->spec->has(fieldNames().defaultValue)) return {};
  }
  return {};
}

bool isAnimationBlock(const Opinion& op) {
  return op.spec->getAs<AnimationBlock>(fieldNames().defaultValue) != nullptr;
}

Expected<Value> stageValue(Token field, const Value& raw, const Opinion& op, const AssetResolver& resolver,
                           std::vector<std::string>* warnings) {
  Expected<Value> loaded = raw.loaded();
  if (!loaded) return loaded;
  const Value v = applyLayerOffsetToValue(field, *loaded, op.toStage);
  return fixAssetPathsInValue(
      field, v,
      [&](std::string_view p) {
        return flattenedAssetPath(resolver, p, op.layer->identifier(), op.stack->expressionVariables(), warnings);
      },
      AssetPathScope{true});
}

Value composeMetadataValues(const std::vector<Value>& values) {
  if (values.empty()) return Value();
  std::optional<Value> result;
  auto explicitList = [&](const auto* first) {
    using Op = std::decay_t<decltype(*first)>;
    std::decay_t<decltype(first->explicitItems)> items;
    for (auto it = values.rbegin(); it != values.rend(); ++it)
      if (const Op* op = it->template getIf<Op>()) op->applyTo(items);
    Op out;
    out.isExplicit = true;
    out.explicitItems = std::move(items);
    result = Value(std::move(out));
  };
  const Value& strongest = values.front();
  if (auto* p = strongest.getIf<TokenListOp>()) explicitList(p);
  else if (auto* p = strongest.getIf<StringListOp>()) explicitList(p);
  else if (auto* p = strongest.getIf<IntListOp>()) explicitList(p);
  else if (auto* p = strongest.getIf<UIntListOp>()) explicitList(p);
  else if (auto* p = strongest.getIf<Int64ListOp>()) explicitList(p);
  else if (auto* p = strongest.getIf<UInt64ListOp>()) explicitList(p);
  if (result) return std::move(*result);
  if (strongest.is<Dictionary>()) {
    Dictionary merged;
    for (auto it = values.rbegin(); it != values.rend(); ++it)
      if (const Dictionary* d = it->getIf<Dictionary>()) merged = mergeDictionaryOver(*d, merged);
    return Value(std::move(merged));
  }
  return strongest;
}

TimeSamples clipSamples(const SampleSource& source, const ClipValueFix& fixAssetPaths) {
  TimeSamples out;
  for (double t : source.clips->timeSamples(source.clipSpecPath)) {
    ClipSet::Resolved r = source.clips->valueAt(source.clipSpecPath, t);
    if (!r.value.is<ValueBlock>()) r.value = fixAssetPaths(r.value, *r.layer);
    out.samples.emplace_back(t, std::move(r.value));
  }
  return out;
}

}  // namespace usdkit::stage_detail
