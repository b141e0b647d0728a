#include "stage/ValueResolution.h"

#include "sdf/Fields.h"

namespace usdkit::stage_detail {

namespace {

bool hasSamples(const Opinion& op) {
  const Value* raw = op.spec->get(fieldNames().timeSamples);
  if (!raw) return false;
  Expected<Value> loaded = raw->loaded();
  const TimeSamples* ts = loaded ? loaded->getIf<TimeSamples>() : nullptr;
  return ts && !ts->samples.empty();
}

// The opinion decides when it has samples (they win over its own default)
// or a default (then there are no samples).
std::optional<SampleSource> decides(const Opinion& op) {
  if (hasSamples(op)) return SampleSource{&op, nullptr, Path(), op.node};
  if (op.spec->has(fieldNames().defaultValue)) return SampleSource{};
  return std::nullopt;
}

}  // namespace

SampleSource sampleSource(const PrimIndex& index, std::span<const Opinion> ops, const ClipSets& clips, Token name) {
  if (clips.empty()) {
    for (const Opinion& op : ops)
      if (std::optional<SampleSource> s = decides(op)) return *s;
    return {};
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
        if (std::optional<SampleSource> s = decides(ops[next])) return *s;
      for (const ClipSet* set : applying)
        if (set->sourceLayer == entry.layer.get()) return {nullptr, set, specPath, number};
    }
    for (; next < ops.size() && ops[next].node == number; ++next)
      if (std::optional<SampleSource> s = decides(ops[next])) return *s;
  }
  return {};
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
