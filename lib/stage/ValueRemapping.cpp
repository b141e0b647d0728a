// Value rewriting for flattening; see ValueRemapping.h.
#include "stage/ValueRemapping.h"

#include <algorithm>

#include "compose/LayerStack.h"
#include "sdf/Fields.h"

namespace usdkit {

namespace {

const Token& clipsField() {
  static const Token t("clips");
  return t;
}

Value offsetTimes(const Value& value, const LayerOffset& o);

Dictionary offsetDictionary(const Dictionary& d, const LayerOffset& o) {
  Dictionary out;
  for (const auto& [key, v] : d.entries) out.entries.emplace(key, offsetTimes(v, o));
  return out;
}

// Usd_ApplyLayerOffsetToValue: only time-valued data moves.
Value offsetTimes(const Value& value, const LayerOffset& o) {
  if (const TimeCode* t = value.getIf<TimeCode>()) return TimeCode{applyOffset(o, t->time)};
  if (const auto* ts = value.getIf<std::vector<TimeCode>>()) {
    std::vector<TimeCode> out(*ts);
    for (TimeCode& t : out) t.time = applyOffset(o, t.time);
    return out;
  }
  if (const TimeSamples* samples = value.getIf<TimeSamples>()) {
    TimeSamples out;
    out.samples.reserve(samples->samples.size());
    for (const auto& [time, v] : samples->samples) out.samples.emplace_back(applyOffset(o, time), offsetTimes(v, o));
    // A negative scale reverses the order of the keys.
    if (o.scale < 0) std::reverse(out.samples.begin(), out.samples.end());
    return out;
  }
  if (const Dictionary* d = value.getIf<Dictionary>()) return offsetDictionary(*d, o);
  return value;
}

template <class Item>
ListOp<Item> offsetArcs(const ListOp<Item>& op, const LayerOffset& o) {
  return op.mapItems([&](auto, Item item) -> std::optional<Item> {
    item.layerOffset = composeOffsets(o, item.layerOffset);
    return item;
  });
}

// The first component of each entry of `key` (clip `active` / `times`).
void offsetClipTimes(Dictionary& clipSet, const char* key, const LayerOffset& o) {
  auto it = clipSet.entries.find(key);
  if (it == clipSet.entries.end()) return;
  if (const auto* pairs = it->second.getIf<std::vector<Vec2d>>()) {
    std::vector<Vec2d> out(*pairs);
    for (Vec2d& p : out) p.v[0] = applyOffset(o, p.v[0]);
    it->second = std::move(out);
  }
}

std::vector<AssetPath> fixAssetArray(const std::vector<AssetPath>& in, const AssetPathFix& fix) {
  std::vector<AssetPath> out;
  out.reserve(in.size());
  for (const AssetPath& a : in) out.push_back(AssetPath{fix(a.path)});
  return out;
}

// Internal arcs (no asset path) stay internal.
template <class Item>
ListOp<Item> fixArcAssets(const ListOp<Item>& op, const AssetPathFix& fix) {
  return op.mapItems([&](auto, Item item) -> std::optional<Item> {
    if (!item.assetPath.empty()) item.assetPath = fix(item.assetPath);
    return item;
  });
}

Value fixAssets(const Value& value, const AssetPathFix& fix, bool intoDictionaries) {
  if (const AssetPath* a = value.getIf<AssetPath>()) return AssetPath{fix(a->path)};
  if (const auto* arr = value.getIf<std::vector<AssetPath>>()) return fixAssetArray(*arr, fix);
  if (const TimeSamples* ts = value.getIf<TimeSamples>()) {
    // OpenUSD decides by the first sample's type.
    if (ts->samples.empty()) return value;
    const Value& first = ts->samples.front().second;
    if (!first.is<AssetPath>() && !first.is<std::vector<AssetPath>>()) return value;
    TimeSamples out;
    out.samples.reserve(ts->samples.size());
    for (const auto& [t, v] : ts->samples) out.samples.emplace_back(t, fixAssets(v, fix, false));
    return out;
  }
  if (const Reference* r = value.getIf<Reference>()) {
    Reference out = *r;
    if (!out.assetPath.empty()) out.assetPath = fix(out.assetPath);
    return out;
  }
  if (const Payload* p = value.getIf<Payload>()) {
    Payload out = *p;
    if (!out.assetPath.empty()) out.assetPath = fix(out.assetPath);
    return out;
  }
  if (const auto* refs = value.getIf<ReferenceListOp>()) return fixArcAssets(*refs, fix);
  if (const auto* pls = value.getIf<PayloadListOp>()) return fixArcAssets(*pls, fix);
  if (intoDictionaries) {
    if (const Dictionary* d = value.getIf<Dictionary>()) {
      Dictionary out;
      for (const auto& [key, v] : d->entries) out.entries.emplace(key, fixAssets(v, fix, true));
      return out;
    }
  }
  return value;
}

// The `clips` dictionary (clip set name -> clip info dictionary) with `f`
// applied to each clip set's dictionary; other values unchanged.
template <class F>
Value withEachClipSet(const Value& value, F&& f) {
  const Dictionary* clips = value.getIf<Dictionary>();
  if (!clips) return value;
  Dictionary out = *clips;
  for (auto& [name, info] : out.entries) {
    const Dictionary* set = info.template getIf<Dictionary>();
    if (!set) continue;
    Dictionary edited = *set;
    f(edited);
    info = std::move(edited);
  }
  return out;
}

}  // namespace

Value applyLayerOffsetToValue(Token field, const Value& value, const LayerOffset& offset) {
  if (isIdentityOffset(offset)) return value;
  const FieldNames& f = fieldNames();
  if (field == f.references) {
    if (const auto* refs = value.getIf<ReferenceListOp>()) return offsetArcs(*refs, offset);
    return value;
  }
  if (field == f.payload) {
    if (const auto* pls = value.getIf<PayloadListOp>()) return offsetArcs(*pls, offset);
    return value;
  }
  if (field == clipsField()) {
    return withEachClipSet(value, [&](Dictionary& set) {
      offsetClipTimes(set, "active", offset);
      offsetClipTimes(set, "times", offset);
    });
  }
  return offsetTimes(value, offset);
}

Value fixAssetPathsInValue(Token field, const Value& value, const AssetPathFix& fix, AssetPathScope scope) {
  if (field == clipsField()) {
    return withEachClipSet(value, [&](Dictionary& set) {
      if (auto it = set.entries.find("assetPaths"); it != set.entries.end()) {
        if (const auto* arr = it->second.getIf<std::vector<AssetPath>>()) it->second = fixAssetArray(*arr, fix);
      }
      if (auto it = set.entries.find("manifestAssetPath"); it != set.entries.end()) {
        if (const AssetPath* a = it->second.getIf<AssetPath>()) it->second = AssetPath{fix(a->path)};
      }
    });
  }
  return fixAssets(value, fix, scope.intoDictionaries);
}

Dictionary mergeDictionaryOver(const Dictionary& stronger, const Dictionary& weaker) {
  Dictionary out = weaker;
  for (const auto& [key, value] : stronger.entries) {
    auto it = out.entries.find(key);
    const Dictionary* s = value.getIf<Dictionary>();
    const Dictionary* w = it == out.entries.end() ? nullptr : it->second.getIf<Dictionary>();
    if (s && w) it->second = mergeDictionaryOver(*s, *w);
    else out.entries.insert_or_assign(key, value);
  }
  return out;
}

}  // namespace usdkit
