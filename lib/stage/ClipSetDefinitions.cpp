#include "stage/ClipSetDefinitions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "sdf/Fields.h"
#include "stage/ValueRemapping.h"

namespace usdkit {

namespace {

// The keys of a clip set's dictionary (UsdClipsAPIInfoKeys).
namespace key {
constexpr std::string_view assetPaths = "assetPaths", primPath = "primPath", manifestAssetPath = "manifestAssetPath",
                           active = "active", times = "times",
                           interpolateMissingClipValues = "interpolateMissingClipValues",
                           templateAssetPath = "templateAssetPath", templateStride = "templateStride",
                           templateActiveOffset = "templateActiveOffset", templateStartTime = "templateStartTime",
                           templateEndTime = "templateEndTime";
}  // namespace key

template <class T>
const T* entry(const Dictionary& d, std::string_view name) {
  auto it = d.entries.find(std::string(name));
  return it == d.entries.end() ? nullptr : it->second.getIf<T>();
}

std::string formatDouble(const char* format, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

// One clip set as a node's layer stack composes it.
struct NodeClipSet {
  Dictionary info;
  bool anchored = false;
  const LayerStack* stack = nullptr;
  Path primPath;
  const Layer* layer = nullptr;
  LayerOffset offset;          // the anchoring layer's times -> stage times
  std::size_t order = 0;       // place in the site's clip set list
  std::size_t stackOrder = 0;  // first node (strength) with the set's stack
};

void mapTimes(Dictionary& info, std::string_view name, const LayerOffset& offset) {
  auto it = info.entries.find(std::string(name));
  if (it == info.entries.end()) return;
  const auto* pairs = it->second.getIf<std::vector<Vec2d>>();
  if (!pairs || (offset.offset == 0 && offset.scale == 1)) return;
  std::vector<Vec2d> mapped = *pairs;
  for (Vec2d& p : mapped) p[0] = applyOffset(offset, p[0]);
  it->second = Value(std::move(mapped));
}

void mapTimes(std::vector<Vec2d>& pairs, const LayerOffset& offset) {
  for (Vec2d& p : pairs) p[0] = applyOffset(offset, p[0]);
}

// The clip sets the layers of one node's stack author at its site, weakest
// layer first so stronger entries override: the composed dictionaries, the
// strongest site with asset paths, and which sets the `clipSets` list ops
// leave (sets named in `clips` count as added, in name order).
std::map<std::string, NodeClipSet> nodeClipSets(const PrimIndexNode& node, const Path& primPath,
                                                const std::function<void(std::string)>& warn) {
  static const Token kClips("clips"), kClipSets("clipSets");
  std::map<std::string, NodeClipSet> sets;
  const auto& layers = node.layerStack->layers();
  std::size_t weakest = layers.size();
  for (std::size_t i = layers.size(); i-- > 0;) {
    const Spec* spec = layers[i].layer->findSpec(node.path);
    if (spec && spec->has(kClips)) {
      weakest = i;
      break;
    }
  }
  if (weakest == layers.size()) return sets;
  const LayerOffset nodeOffset = node.mapToRoot.timeOffset();
  std::vector<std::string> listed;
  for (std::size_t i = weakest + 1; i-- > 0;) {
    const Layer& layer = *layers[i].layer;
    const Spec* spec = layer.findSpec(node.path);
    if (!spec) continue;
    if (const Value* raw = spec->get(kClips)) {
      Expected<Value> loaded = raw->loaded();
      const Dictionary* clips = loaded ? loaded->getIf<Dictionary>() : nullptr;
      std::vector<std::string> inLayer;
      for (const auto& [name, value] : clips ? clips->entries : std::map<std::string, Value>{}) {
        const std::string where = "in 'clips' dictionary on spec @" + layer.identifier() + "@<" + node.path.string() + ">";
        if (name.empty()) {
          warn("Invalid unnamed clip set for prim <" + primPath.string() + "> " + where);
          continue;
        }
        const Dictionary* given = value.getIf<Dictionary>();
        if (!given) {
          warn("Expected dictionary for entry '" + name + "' for prim <" + primPath.string() + "> " + where);
          continue;
        }
        NodeClipSet& set = sets[name];
        const LayerOffset offset = composeOffsets(nodeOffset, node.layerStack->offsetForLayer(layer));
        if (entry<std::vector<AssetPath>>(*given, key::assetPaths) || entry<std::string>(*given, key::templateAssetPath)) {
          set.anchored = true;
          set.stack = node.layerStack.get();
          set.primPath = node.path;
          set.layer = &layer;
          set.offset = offset;
        }
        Dictionary info = *given;
        mapTimes(info, key::active, offset);
        mapTimes(info, key::times, offset);
        set.info = mergeDictionaryOver(info, set.info);
        inLayer.push_back(name);
      }
      std::sort(inLayer.begin(), inLayer.end());
      StringListOp added;
      added.addedItems = std::move(inLayer);
      added.applyTo(listed);
    }
    if (const Value* raw = spec->get(kClipSets)) {
      Expected<Value> loaded = raw->loaded();
      if (const StringListOp* op = loaded ? loaded->getIf<StringListOp>() : nullptr) op->applyTo(listed);
    }
  }
  for (auto it = sets.begin(); it != sets.end();) {
    auto pos = std::find(listed.begin(), listed.end(), it->first);
    if (pos == listed.end()) {
      it = sets.erase(it);
      continue;
    }
    it->second.order = static_cast<std::size_t>(pos - listed.begin());
    ++it;
  }
  return sets;
}

// Expands a template ("path/name.###.usd", or "name.###.###.usd" for
// subframes) into the clip files that exist between the start and end time
// at the stride, and the matching `times` and `active`; nullopt (with a
// warning) when the template or its numbers are malformed.
struct TemplateClips {
  std::vector<std::string> assetPaths;
  std::vector<Vec2d> times, active;
};

std::optional<TemplateClips> expandTemplate(const std::string& pattern, double stride, std::optional<double> activeOffset,
                                            double startTime, double endTime, const Path& primPath,
                                            const Layer& sourceLayer, const AssetResolver& resolver,
                                            const std::function<void(std::string)>& warn) {
  const std::string prim = "<" + primPath.string() + ">";
  if (!std::isfinite(startTime) || !std::isfinite(endTime) || !std::isfinite(stride) ||
      (activeOffset && !std::isfinite(*activeOffset))) {
    warn("Invalid template clip times for prim " + prim + ": start, end, stride and active offset must be finite.");
    return std::nullopt;
  }
  if (stride <= 0) {
    warn("Invalid templateStride " + formatDouble("%f", stride) + " for prim " + prim +
         ". templateStride must be greater than 0.");
    return std::nullopt;
  }
  if (activeOffset && std::abs(*activeOffset) > stride) {
    warn("Invalid templateActiveOffset " + formatDouble("%f", *activeOffset) + " for prim " + prim +
         ". Absolute value of templateActiveOffset must not exceed templateStride " + formatDouble("%f", stride) + ".");
    return std::nullopt;
  }
  // File format arguments after the path do not change which file is read.
  std::string layerPath = pattern.substr(0, pattern.find(":SDF_FORMAT_ARGS:"));
  const std::size_t slash = layerPath.rfind('/');
  const std::string folder = slash == std::string::npos ? std::string() : layerPath.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? layerPath : layerPath.substr(slash + 1);
  std::vector<std::string> parts;  // `base` split at dots, empty parts dropped
  for (std::size_t from = 0; from <= base.size();) {
    std::size_t dot = base.find('.', from);
    if (dot == std::string::npos) dot = base.size();
    if (dot > from) parts.push_back(base.substr(from, dot - from));
    from = dot + 1;
  }
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t integerPart = kNone, decimalPart = kNone, groups = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].find_first_not_of('#') != std::string::npos) continue;
    (integerPart == kNone ? integerPart : decimalPart) = i;
    ++groups;
  }
  if ((groups != 1 && groups != 2) || (groups == 2 && decimalPart != integerPart + 1)) {
    warn("Invalid templateAssetPath '" + pattern + "' for prim " + prim +
         ". It must be of the form path/basename.###.usd or path/basename.###.###.usd. Note that the number of hash "
         "marks is variable in each group.");
    return std::nullopt;
  }
  // Every step looks for a file: a range of more steps than any clip
  // sequence has is refused instead of stat-ing for hours. Clip numbers
  // must also fit the integer the pattern prints.
  constexpr double kMaxSteps = 1e6;
  constexpr double kMaxClipTime = 2147483647.0;
  if (startTime <= endTime && (endTime - startTime) / stride >= kMaxSteps) {
    warn("Invalid template clip times for prim " + prim + ": " + formatDouble("%g", (endTime - startTime) / stride + 1) +
         " clips from templateStartTime to templateEndTime at templateStride; at most 1000000 are looked for.");
    return std::nullopt;
  }
  if (std::abs(startTime) > kMaxClipTime || std::abs(endTime) > kMaxClipTime) {
    warn("Invalid template clip times for prim " + prim + ": clip times must lie within +-2147483647.");
    return std::nullopt;
  }
  if (startTime > endTime) {
    warn("Invalid time range specified for prim " + prim + ". templateEndTime (" + formatDouble("%f", endTime) +
         ") cannot be greater than templateStartTime (" + formatDouble("%f", startTime) + ").");
    return std::nullopt;
  }
  const std::size_t integerDigits = parts[integerPart].size();
  const std::size_t decimalDigits = groups == 2 ? parts[decimalPart].size() : 0;
  TemplateClips out;
  // Times are stepped as integers of 1/10000 so that fractional strides
  // do not drift.
  constexpr double kPromotion = 10000;
  if (activeOffset) {
    const double t = (startTime * kPromotion - std::abs(*activeOffset) * kPromotion) / kPromotion;
    out.times.push_back({{t, t}});
  }
  double clipIndex = 0;
  for (double t = startTime * kPromotion; t <= endTime * kPromotion; t += stride * kPromotion) {
    const double clipTime = t / kPromotion;
    char digits[64];
    std::snprintf(digits, sizeof digits, "%0*d", static_cast<int>(integerDigits), static_cast<int>(clipTime));
    parts[integerPart] = digits;
    if (decimalDigits) {
      std::snprintf(digits, sizeof digits, "%.*f", static_cast<int>(decimalDigits), clipTime);
      const std::string text = digits;
      parts[decimalPart] = text.substr(text.find('.') + 1);
    }
    std::string name;
    for (const std::string& p : parts) name += (name.empty() ? "" : ".") + p;
    const std::string file = resolver.anchor(folder + name, sourceLayer.identifier());
    if (!resolver.resolve(file)) continue;
    out.assetPaths.push_back(file);
    out.times.push_back({{clipTime, clipTime}});
    const double activeTime = activeOffset ? (t + *activeOffset * kPromotion) / kPromotion : clipTime;
    out.active.push_back({{activeTime, clipIndex++}});
  }
  if (activeOffset) {
    const double t = (endTime * kPromotion + std::abs(*activeOffset) * kPromotion) / kPromotion;
    out.times.push_back({{t, t}});
  }
  return out;
}

}  // namespace

std::vector<ClipSetDefinition> clipSetDefinitions(const PrimIndex& index, const AssetResolver& resolver,
                                                  const std::function<void(std::string)>& warn) {
  // Strong to weak over the nodes: a set's anchor is the strongest node's
  // that has one, and stronger dictionaries override weaker ones.
  std::map<std::string, NodeClipSet> composed;
  std::vector<const LayerStack*> stacks;  // in order of first use, for a stable order across stacks
  const auto nodes = index.nodes();
  for (const PrimIndexNode& node : nodes) {
    if (!node.canContributeSpecs() || !node.hasSpecs) continue;
    for (auto& [name, set] : nodeClipSets(node, index.path(), warn)) {
      auto [it, added] = composed.try_emplace(name);
      NodeClipSet& into = it->second;
      if (!into.anchored && set.anchored) {
        const Dictionary info = std::move(into.info);
        into = std::move(set);
        into.info = mergeDictionaryOver(info, into.info);
        continue;
      }
      into.info = mergeDictionaryOver(into.info, set.info);
    }
  }
  // Sets without asset paths anywhere have no place in value resolution.
  std::vector<std::pair<const std::string*, NodeClipSet*>> sorted;
  for (auto& [name, set] : composed) {
    if (!set.anchored) continue;
    auto pos = std::find(stacks.begin(), stacks.end(), set.stack);
    if (pos == stacks.end()) pos = stacks.insert(stacks.end(), set.stack);
    set.stackOrder = static_cast<std::size_t>(pos - stacks.begin());
    sorted.emplace_back(&name, &set);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) {
    const NodeClipSet &a = *x.second, &b = *y.second;
    if (a.stackOrder != b.stackOrder) return a.stackOrder < b.stackOrder;
    if (a.primPath != b.primPath) return a.primPath < b.primPath;
    return a.order < b.order;
  });
  std::vector<ClipSetDefinition> out;
  for (const auto& [name, set] : sorted) {
    ClipSetDefinition& def = out.emplace_back();
    def.name = *name;
    def.sourceStack = set->stack;
    def.sourcePrimPath = set->primPath;
    def.sourceLayer = set->layer;
    const Dictionary& info = set->info;
    if (const auto* v = entry<std::string>(info, key::primPath)) def.primPath = *v;
    if (const auto* v = entry<AssetPath>(info, key::manifestAssetPath)) def.manifestAssetPath = v->path;
    if (const auto* v = entry<bool>(info, key::interpolateMissingClipValues)) def.interpolateMissingClipValues = *v;
    if (const auto* paths = entry<std::vector<AssetPath>>(info, key::assetPaths)) {
      def.assetPaths.emplace();
      for (const AssetPath& p : *paths) def.assetPaths->push_back(p.path);
      if (const auto* v = entry<std::vector<Vec2d>>(info, key::active)) def.active = *v;
      if (const auto* v = entry<std::vector<Vec2d>>(info, key::times)) def.times = *v;
      continue;
    }
    const auto* pattern = entry<std::string>(info, key::templateAssetPath);
    const auto* stride = entry<double>(info, key::templateStride);
    const auto* startTime = entry<double>(info, key::templateStartTime);
    const auto* endTime = entry<double>(info, key::templateEndTime);
    if (!pattern || !stride || !startTime || !endTime) continue;
    std::optional<double> activeOffset;
    if (const auto* v = entry<double>(info, key::templateActiveOffset)) activeOffset = *v;
    std::optional<TemplateClips> clips = expandTemplate(*pattern, *stride, activeOffset, *startTime, *endTime,
                                                        index.path(), *set->layer, resolver, warn);
    if (!clips) continue;
    // The anchoring layer's offset moves which clip is active when, not
    // which clip files exist: applied after the files are found.
    mapTimes(clips->times, set->offset);
    mapTimes(clips->active, set->offset);
    def.assetPaths = std::move(clips->assetPaths);
    def.times = std::move(clips->times);
    def.active = std::move(clips->active);
  }
  return out;
}

}  // namespace usdkit
