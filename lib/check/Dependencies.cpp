// Finding every file an asset depends on; see RuleBase.h.
#include <algorithm>
#include <deque>
#include <set>

#include "base/FilePaths.h"
#include "check/RuleBase.h"
#include "compose/LayerRegistry.h"
#include "io/FileFormat.h"
#include "sdf/Fields.h"

namespace usdkit::check::detail {

bool isStageFile(std::string_view path) {
  const FileFormat* format = findFileFormat(innermostFileExtension(path));
  return format && format->stageFile;
}

std::string layerFormatId(const Layer& layer) {
  const std::string_view ext = innermostFileExtension(layer.identifier());
  if (findFileFormat(ext)) return std::string(ext);
  return layer.formatId();
}

namespace {

class DependencyWalker {
 public:
  DependencyWalker(LayerRegistry& registry) : registry_(registry), f_(fieldNames()) {}

  Dependencies run(const std::shared_ptr<const Layer>& root) {
    encountered_.insert(root->identifier());
    queue_.push_back(root);
    while (!queue_.empty()) {
      std::shared_ptr<const Layer> layer = std::move(queue_.front());
      queue_.pop_front();
      walk(*layer);
    }
    Dependencies out;
    out.layers.push_back(describe(*root));
    std::vector<DependencyLayer> rest;
    for (const auto& [id, layer] : layers_)
      if (layer != root.get()) rest.push_back(describe(*layer));
    // std::map keeps them sorted by identifier, which is the real path.
    out.layers.insert(out.layers.end(), rest.begin(), rest.end());
    out.assets.assign(assets_.begin(), assets_.end());
    out.unresolved.assign(unresolved_.begin(), unresolved_.end());
    return out;
  }

 private:
  static DependencyLayer describe(const Layer& layer) {
    DependencyLayer d;
    d.identifier = layer.identifier();
    d.formatId = layerFormatId(layer);
    d.packageOrPackaged = d.formatId == "usdz" || d.identifier.ends_with("]");
    if (d.packageOrPackaged) d.packagePath = enclosingPackagePath(d.identifier);
    return d;
  }

  void walk(const Layer& layer) {
    if (const StringVector* subs = layer.pseudoRoot().getAs<StringVector>(f_.subLayers))
      for (const std::string& s : subs->items) place(layer, s);
    layer.forEachSpec([&](const Path&, const Spec& spec) {
      switch (spec.type()) {
        case SpecType::PseudoRoot:
          metadata(layer, spec);
          break;
        case SpecType::Prim:
        case SpecType::Variant:
          metadata(layer, spec);
          arcs<Reference>(layer, spec.getAs<ReferenceListOp>(f_.references));
          arcs<Payload>(layer, spec.getAs<PayloadListOp>(f_.payload));
          break;
        case SpecType::Attribute:
        case SpecType::Relationship:
          property(layer, spec);
          break;
        default:
          break;
      }
    });
  }

  template <class T>
  void arcs(const Layer& layer, const ListOp<T>* op) {
    if (!op) return;
    std::vector<T> items;
    op->applyTo(items);
    for (const T& item : items)
      if (!item.assetPath.empty()) place(layer, item.assetPath);
  }

  void metadata(const Layer& layer, const Spec& spec) {
    for (const Field& field : spec.fields()) value(layer, field.name.string(), field.value, true);
  }

  void property(const Layer& layer, const Spec& spec) {
    for (const Field& field : spec.fields())
      if (field.name != f_.defaultValue && field.name != f_.timeSamples) value(layer, "", field.value, false);
    const Token* type = spec.getAs<Token>(f_.typeName);
    if (!type || (type->str() != "asset" && type->str() != "asset[]")) return;
    if (const Value* d = spec.get(f_.defaultValue)) value(layer, "", *d, false);
    if (const Value* ts = spec.get(f_.timeSamples)) {
      Expected<Value> loaded = ts->loaded();
      if (const TimeSamples* samples = loaded ? loaded->getIf<TimeSamples>() : nullptr)
        for (const auto& [time, v] : samples->samples) value(layer, "", v, false);
    }
  }

  void value(const Layer& layer, const std::string& key, const Value& raw, bool isMetadata) {
    // A dictionary entry naming the asset itself is not a dependency.
    if (isMetadata && key == "assetInfo:identifier") return;
    Expected<Value> v = raw.loaded();
    if (!v) return;
    if (const AssetPath* a = v->getIf<AssetPath>()) {
      if (!a->path.empty()) place(layer, a->path);
    } else if (const auto* list = v->getIf<std::vector<AssetPath>>()) {
      for (const AssetPath& a2 : *list)
        if (!a2.path.empty()) place(layer, a2.path);
    } else if (const Dictionary* dict = v->getIf<Dictionary>()) {
      for (const auto& [k, entry] : dict->entries) value(layer, key.empty() ? k : key + ":" + k, entry, isMetadata);
    }
  }

  // Records a dependency (and follows it when it is a layer). UDIM
  // templates stand for the tiles that exist.
  void place(const Layer& layer, const std::string& assetPath) {
    static constexpr std::string_view kUdim = "<UDIM>";
    if (const std::size_t at = assetPath.find(kUdim); at != std::string::npos) {
      bool any = false;
      for (int tile = 1001; tile <= 1100; ++tile) {
        std::string path = assetPath;
        path.replace(at, kUdim.size(), std::to_string(tile));
        if (registry_.resolver().resolve(registry_.resolver().anchor(path, layer.identifier()))) {
          placeOne(layer, path);
          any = true;
        }
      }
      if (any) return;
    }
    placeOne(layer, assetPath);
  }

  void placeOne(const Layer& layer, const std::string& assetPath) {
    const std::string anchored = registry_.resolver().anchor(assetPath, layer.identifier());
    const std::optional<std::string> resolved = registry_.resolver().resolve(anchored);
    if (!resolved) {
      unresolved_.insert(anchored);
      return;
    }
    if (!isStageFile(anchored)) {
      assets_.insert(*resolved);
      return;
    }
    Expected<std::shared_ptr<const Layer>> opened = registry_.open(anchored);
    if (!opened) return;  // unreadable: the stage reports it
    const std::shared_ptr<const Layer>& dep = *opened;
    if (layers_.emplace(dep->identifier(), dep.get()).second) keep_.push_back(dep);
    if (encountered_.insert(dep->identifier()).second) queue_.push_back(dep);
  }

  LayerRegistry& registry_;
  const FieldNames& f_;
  std::deque<std::shared_ptr<const Layer>> queue_;
  std::set<std::string> encountered_;
  std::map<std::string, const Layer*> layers_;
  std::vector<std::shared_ptr<const Layer>> keep_;
  std::set<std::string> assets_, unresolved_;
};

}  // namespace

Dependencies computeDependencies(LayerRegistry& registry, const std::shared_ptr<const Layer>& root) {
  return DependencyWalker(registry).run(root);
}

}  // namespace usdkit::check::detail
