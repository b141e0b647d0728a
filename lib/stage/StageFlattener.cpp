// Stage flattening; see StageFlattener.h. Composition itself (prim indexes,
// child names) comes from lib/compose; this file resolves metadata and values
// across each prim's index and writes the result as plain specs.
#include "stage/StageFlattener.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "compose/PrimIndex.h"
#include "compose/PropertyIndex.h"
#include "io/usda/UsdaValueText.h"
#include "schema/PrimDefinition.h"
#include "sdf/Fields.h"
#include "sdf/PathExpressionText.h"
#include "sdf/ValueCast.h"
#include "sdf/ValueTypeRegistry.h"
#include "stage/ChildNameLists.h"
#include "stage/LayerStackFlattener.h"
#include "stage/Stage.h"
#include "stage/StageFields.h"
#include "stage/ValueClips.h"
#include "stage/ValueRemapping.h"
#include "stage/ValueResolution.h"

namespace usdkit {

using stage_detail::Opinion;
using stage_detail::isActive;
using stage_detail::primOpinions;
using stage_detail::authoredFields;
using stage_detail::composedSpecifier;

namespace {

// Whether two attribute type names hold the same kind of value (they may
// differ in role: "float3[]" and "point3f[]"). An empty name is no type.
bool sameValueKind(Token authored, std::string_view defined) {
  if (authored.empty()) return true;
  const std::optional<ValueTypeInfo> a = findValueType(authored.str()), d = findValueType(defined);
  return a && d && a->kind == d->kind && a->isArray == d->isArray;
}

class StageFlattener {
 public:
  StageFlattener(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack, const FlattenRequest& request,
                 FlattenResult& result)
      : stacks_(stacks), rootStack_(std::move(rootStack)), request_(request), result_(result), f_(fieldNames()),
        cache_(stacks_, rootStack_, primIndexOptions(request)),
        clipLayers_(stacks_.registry(), [this](std::string text) { warnOnce(text); }) {}

  // One walk of the stage writes every prim outside prototypes and finds
  // the instances; each prim's index is dropped as soon as its subtree is
  // done, so composition holds the indexes of one branch at a time, not the
  // whole stage's. Prototypes are named once all are found, then written.
  // What the walk reports (warnings, layers, root names, instance
  // references) is held back and replayed after the prototypes, so the
  // result reads as if prototypes had been written first.
  Expected<std::unique_ptr<Layer>> run() {
    out_ = std::make_unique<Layer>();
    out_->setIdentifier("flattened.usda");
    if (auto s = copyLayerMetadata(); !s) return std::move(s).error();
    recordLayers(*rootStack_, ArcType::Root, Path());
    const Path root = Path::absoluteRoot();
    const std::vector<Token> rootNames = cache_.get(root).childNames();
    held_ = std::make_unique<HeldBack>();
    if (auto s = walk(root, root, rootNames, Walk::CopyAndDiscover, {}); !s) return std::move(s).error();
    std::unique_ptr<HeldBack> held = std::move(held_);
    // Prototypes first, in the order of their stage names (__Prototype_N
    // sorted as paths, so _10 before _2), each named after the first
    // Flattened_Prototype_K that no root prim already uses.
    std::vector<std::size_t> order(prototypes_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::to_string(prototypes_[a].number) < std::to_string(prototypes_[b].number);
    });
    std::unordered_set<Token> taken(rootNames.begin(), rootNames.end());
    int k = 1;
    for (std::size_t i : order) {
      std::string name;
      do name = "Flattened_Prototype_" + std::to_string(k++);
      while (taken.count(Token(name)));
      prototypes_[i].flattened = root.appendChild(name);
      result_.prototypes.push_back(prototypes_[i].flattened);
    }
    for (std::size_t i : order) {
      const Prototype& proto = prototypes_[i];
      out_->createSpec(proto.flattened, SpecType::Prim).set(f_.specifier, Specifier::Over);
      appendName(root, f_.primChildren, proto.flattened.nameToken());
      remapFrom_ = proto.source;
      remapTo_ = proto.flattened;
      prototypeStagePath_ = root.appendChild("__Prototype_" + std::to_string(proto.number));
      const PrimIndex& sourceIndex = cache_.get(proto.source);
      const std::vector<Token> names = sourceIndex.childNames();
      // The prototype's own clip sets (OpenUSD's prototype prim has the
      // source instance's index); its ancestors' stay with the instance.
      ClipSets clips = clipSetsOfPrim(sourceIndex, {}, clipLayers_);
      if (auto s = walk(proto.source, proto.flattened, names, Walk::Copy, std::move(clips)); !s)
        return std::move(s).error();
      cache_.release(proto.source);
    }
    remapFrom_ = remapTo_ = prototypeStagePath_ = Path();
    for (auto& [text, deduplicate] : held->warnings)
      if (!deduplicate || reported_.insert(text).second) warn(std::move(text));
    for (const HeldBack::LayerUse& use : held->layers) recordLayers(*use.stack, use.arc, use.prim);
    for (Token name : held->rootNames) appendName(root, f_.primChildren, name);
    for (const auto& [instance, prototype] : held->instanceReferences) {
      ReferenceListOp refs;
      refs.addedItems.push_back(Reference{std::string(), prototypes_[prototype].flattened, LayerOffset{}, nullptr});
      out_->findSpec(instance)->set(f_.references, std::move(refs));
    }
    children_.storeIn(*out_);
    return std::move(out_);
  }

 private:
  void warn(std::string text) const {
    if (held_) held_->warnings.emplace_back(std::move(text), false);
    else result_.warnings.push_back(std::move(text));
  }
  // A composition error, reported once however many prims it shows in.
  void warnOnce(const std::string& text) {
    if (held_) held_->warnings.emplace_back(text, true);
    else if (reported_.insert(text).second) warn(text);
  }

  bool inMask(const Path& p) const {
    if (request_.mask.empty()) return true;
    return std::any_of(request_.mask.begin(), request_.mask.end(),
                       [&](const Path& m) { return p.hasPrefix(m) || m.hasPrefix(p); });
  }

  std::string anchor(std::string_view assetPath, const Opinion& op) const {
    std::vector<std::string> warnings;
    std::string anchored = flattenedAssetPath(stacks_.registry().resolver(), assetPath, op.layer->identifier(),
                                              op.stack->expressionVariables(), &warnings);
    for (std::string& w : warnings) warn(std::move(w));
    return anchored;
  }

  // A value as the flattened layer holds it (stage_detail::stageValue).
  Expected<Value> stageValue(Token field, const Value& raw, const Opinion& op) const {
    std::vector<std::string> warnings;
    Expected<Value> v = stage_detail::stageValue(field, raw, op, stacks_.registry().resolver(), &warnings);
    for (std::string& w : warnings) warn(std::move(w));
    return v;
  }

  // Root layer (and session layer) metadata; sublayers never contribute.
  // Asset paths in it (customLayerData) are anchored to the layer, as a
  // prim's are.
  Status copyLayerMetadata() {
    Spec& target = out_->pseudoRoot();
    std::vector<const Layer*> sources;
    if (rootStack_->sessionLayer()) sources.push_back(rootStack_->sessionLayer().get());
    sources.push_back(rootStack_->rootLayer().get());
    for (const Layer* layer : sources) {
      const Opinion op{&layer->pseudoRoot(), layer, LayerOffset{}, 0, rootStack_.get()};
      for (const Field& field : layer->pseudoRoot().fields()) {
        if (isPrivateStageField(field.name) || target.has(field.name)) continue;
        Expected<Value> v = stageValue(field.name, field.value, op);
        if (!v) return std::move(v).error();
        target.set(field.name, std::move(*v));
      }
    }
    if (request_.addSourceFileComment) {
      std::string doc;
      if (const std::string* existing = target.getAs<std::string>(f_.documentation)) doc = *existing;
      if (!doc.empty()) doc += "\n\n";
      const std::string& name = request_.sourceCommentName.empty() ? rootStack_->rootLayer()->identifier()
                                                                   : request_.sourceCommentName;
      doc += "Generated from Composed Stage of root layer " + name + "\n";
      target.set(f_.documentation, std::move(doc));
    }
    return Ok{};
  }

  // Generic metadata over the opinions (stage_detail::composeMetadataValues).
  Expected<Value> composeMetadata(Token field, const std::vector<Opinion>& ops) const {
    std::vector<Value> values;  // strongest first
    for (const Opinion& op : ops) {
      const Value* raw = op.spec->get(field);
      if (!raw) continue;
      Expected<Value> v = stageValue(field, *raw, op);
      if (!v) return v;
      values.push_back(std::move(*v));
    }
    return stage_detail::composeMetadataValues(values);
  }

  // Instances share prototypes by the sites their instanceable nodes bring
  // in and by their variant selections (Pcp's instance key).
  static std::string instanceKey(const PrimIndex& index) {
    std::string key;
    const auto nodes = index.nodes();
    for (std::size_t n = 1; n < nodes.size(); ++n) {
      const PrimIndexNode& x = nodes[n];
      if (!x.canContributeSpecs() || !isInstanceableNode(nodes, static_cast<int>(n))) continue;
      const LayerOffset& o = x.mapToRoot.timeOffset();
      key += std::string(arcTypeName(x.arcType)) + '\n' + x.layerStack->key() + '\n' + x.path.string() + '\n' +
             std::to_string(o.offset) + ' ' + std::to_string(o.scale) + '\n';
    }
    for (const auto& [set, selection] : index.variantSelections()) key += "{" + set + "=" + selection + "}";
    return key;
  }

  // Walks the subtrees of `names` below `path` (stage namespace), depth
  // first without recursion (namespace is as deep as the input makes it),
  // writing each prim below `outPath` of the output (CopyAndDiscover, Copy)
  // and finding instances (CopyAndDiscover). Below an instance that starts
  // a prototype, prims are only composed, for the instances nested there: a
  // prototype's own nested instances are numbered before it (what
  // OpenUSD's baselines show). A prim's index is released when its subtree
  // is done.
  enum class Walk { CopyAndDiscover, Copy, Discover };
  Status walk(const Path& path, const Path& outPath, std::vector<Token> names, Walk mode, ClipSets clips) {
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    struct Frame {
      Path path, outPath;
      std::vector<Token> names;  // children still to visit, from `next`
      std::size_t next;
      Walk mode;
      std::size_t numberPrototype;  // not kNone: number this prototype when done
      ClipSets clips;               // the prim's clip sets, its own first, then its ancestors'
    };
    std::vector<Frame> frames;
    frames.push_back({path, outPath, std::move(names), 0, mode, kNone, std::move(clips)});
    std::vector<Token> children;
    while (!frames.empty()) {
      Frame& top = frames.back();
      if (top.next == top.names.size()) {
        if (top.numberPrototype != kNone) prototypes_[top.numberPrototype].number = ++prototypeCount_;
        if (frames.size() > 1) cache_.release(top.path);
        frames.pop_back();
        continue;
      }
      const Token name = top.names[top.next++];
      const Path child = top.path.appendChild(name.str());
      const bool masked = top.mode == Walk::CopyAndDiscover;
      if (child.empty() || (masked && !inMask(child))) continue;
      const Walk mode = top.mode;
      const Path childOut = mode == Walk::Discover ? Path() : top.outPath.appendChild(name.str());
      const PrimIndex& index = cache_.get(child);
      const std::vector<Opinion> ops = primOpinions(index);
      const bool active = isActive(ops);
      std::size_t numberPrototype = kNone;
      const bool instance =
          active && mode != Walk::Copy && index.isInstanceable() && !request_.expandInstances;
      if (instance) {
        auto [it, added] = prototypeByKey_.try_emplace(instanceKey(index), prototypes_.size());
        instances_.emplace(child, it->second);
        if (added) {
          prototypes_.push_back({child, 0, Path()});
          numberPrototype = it->second;
        }
      }
      children.clear();
      ClipSets clips;
      if (mode != Walk::Discover) {
        clips = clipSetsOfPrim(index, top.clips, clipLayers_);
        // No children come back for an instance or an inactive prim.
        if (auto s = copyPrim(child, childOut, top.outPath, index, ops, clips, active, children); !s) return s;
      } else if (active && !instance) {
        children = index.childNames();
      }
      if (numberPrototype != kNone) children = index.childNames();
      if (children.empty() && numberPrototype == kNone) {
        cache_.release(child);
        continue;
      }
      const Walk below = instance ? Walk::Discover : mode;
      frames.push_back({child, childOut, std::move(children), 0, below, numberPrototype, std::move(clips)});
      children = {};
    }
    return Ok{};
  }

  // Copies the prim at `path` alone, given its index and opinions;
  // `children` receives the names of the children to copy next.
  Status copyPrim(const Path& path, const Path& outPath, const Path& parentOut, const PrimIndex& index,
                  const std::vector<Opinion>& ops, const ClipSets& clips, bool active, std::vector<Token>& children) {
    for (const CompositionError& e : index.errors()) warnOnce(e.message);
    // Inactive prims are left out with everything below them (or kept
    // without their children, which the stage does not compose).
    if (!active && !request_.keepInactivePrims) return Ok{};
    Spec& spec = out_->createSpec(outPath, SpecType::Prim);
    appendName(parentOut, f_.primChildren, outPath.nameToken());
    recordComposition(path, outPath, index);
    spec.set(f_.specifier, composedSpecifier(index, ops));
    for (Token field : authoredFields(ops)) {
      if (field == f_.specifier) continue;
      if (field == f_.typeName) {
        for (const Opinion& op : ops) {
          const Token* t = op.spec->getAs<Token>(f_.typeName);
          if (t && !t->empty() && t->str() != "__AnyType__") {
            spec.set(f_.typeName, *t);
            break;
          }
        }
        continue;
      }
      Expected<Value> v = composeMetadata(field, ops);
      if (!v) return std::move(v).error();
      if (!v->empty()) spec.set(field, std::move(*v));
    }
    if (auto s = copyProperties(outPath, index, ops, clips); !s) return s;
    if (!active) return Ok{};
    if (auto it = instances_.find(path); it != instances_.end()) {
      // An instance: its children live in the prototype it references,
      // whose name is known once all prototypes are found.
      if (held_) {
        held_->instanceReferences.emplace_back(outPath, it->second);
        return Ok{};
      }
      ReferenceListOp refs;
      refs.addedItems.push_back(Reference{std::string(), prototypes_[it->second].flattened, LayerOffset{}, nullptr});
      out_->findSpec(outPath)->set(f_.references, std::move(refs));
      return Ok{};
    }
    children = index.childNames();
    return Ok{};
  }

  void recordComposition(const Path& path, const Path& outPath, const PrimIndex& index) {
    if (request_.expandInstances && index.isInstanceable()) result_.instances.push_back(outPath);
    if (request_.recordVariantSets) {
      std::vector<PrimVariantSet> sets;
      const auto selections = index.variantSelections();
      for (std::string& name : index.variantSetNames()) {
        std::vector<std::string> variants = index.variantNames(name);
        std::string selected;
        for (const auto& [set, variant] : selections)
          if (set == name) selected = variant;
        sets.push_back({std::move(name), std::move(variants), std::move(selected)});
      }
      if (!sets.empty()) result_.variantSets[outPath] = std::move(sets);
    }
    if (request_.recordComposition) {
      std::vector<std::string>& lines = result_.composition[outPath];
      for (const PrimStackEntry& e : index.primStack())
        lines.push_back("@" + e.layer->identifier() + "@<" + e.path.string() + ">");
      for (const auto& [set, selection] : index.variantSelections()) lines.push_back("{" + set + "=" + selection + "}");
    }
    for (const PrimIndexNode& node : index.nodes()) recordLayers(*node.layerStack, node.arcType, path);
  }

  // The layers of a stack the stage uses, each the first time it is seen.
  void recordLayers(const LayerStack& stack, ArcType arc, const Path& prim) {
    if (!request_.recordComposition) return;
    if (held_) {
      // Only a stack's first use can count when replayed.
      if (held_->stacks.insert(&stack).second) held_->layers.push_back({&stack, arc, prim});
      return;
    }
    if (!seenStacks_.insert(&stack).second) return;
    const bool rootStack = &stack == rootStack_.get();
    const auto& layers = stack.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const Layer* layer = layers[i].layer.get();
      if (!seenLayers_.insert(layer).second) continue;
      std::string how;
      if (rootStack) {
        how = layer == rootStack_->rootLayer().get()      ? "root"
              : layer == rootStack_->sessionLayer().get() ? "session"
                                                          : "sublayer";
      } else {
        how = layer == stack.rootLayer().get() ? std::string(arcTypeName(arc)) : "sublayer";
      }
      result_.layers.push_back({layer->identifier(), std::move(how), rootStack ? Path() : prim});
    }
  }

  void appendName(const Path& parent, Token childrenField, Token name) {
    if (held_ && parent.isAbsoluteRoot()) held_->rootNames.push_back(name);
    else children_.append(parent, childrenField, name);
  }

  Status copyProperties(const Path& outPath, const PrimIndex& index, const std::vector<Opinion>& primOps,
                        const ClipSets& clips) {
    // What the prim's schemas define, as already written to its spec.
    const schema::PrimDefinition definition = request_.authoredPropertyTypes
                                                  ? schema::PrimDefinition{}
                                                  : schema::PrimDefinition::of(*out_->findSpec(outPath));
    // primOps holds one opinion per entry of the prim stack, in its order.
    const PropertyIndex properties(index);
    for (Token name : properties.names()) {
      const PropertyStack stack = properties.stack(name);
      const std::vector<Opinion> ops = stage_detail::propertyOpinions(stack, primOps);
      const SpecType type = stack.type;
      // The weakest spec of any type: it decides `custom` and `variability`.
      const Spec* weakest = stack.weakest;
      if (ops.empty()) continue;
      const Path target = outPath.appendProperty(name.str());
      const schema::PropertyDef* builtin = request_.authoredPropertyTypes ? nullptr : definition.findProperty(name.str());
      if (type == SpecType::Attribute) {
        if (auto s = copyAttribute(target, index, ops, clips, *weakest, builtin); !s) return s;
      } else if (type == SpecType::Relationship) {
        if (auto s = copyRelationship(target, index, ops, *weakest, builtin); !s) return s;
      } else {
        continue;
      }
      appendName(outPath, f_.properties, name);
    }
    if (clips.empty()) return Ok{};
    return copyClipOnlyAttributes(outPath, index, clips, definition, properties.names());
  }

  // Built-in attributes no opinion mentions, with samples in value clips:
  // written with their definition's type (OpenUSD's flatten writes every
  // property that has a value).
  Status copyClipOnlyAttributes(const Path& outPath, const PrimIndex& index, const ClipSets& clips,
                                const schema::PrimDefinition& definition, const std::vector<Token>& authored) {
    const std::unordered_set<Token> seen(authored.begin(), authored.end());
    for (const schema::PropertyDef* def : definition.attributes()) {
      const Token name(def->name);
      const Path path = outPath.appendProperty(def->name);
      if (seen.count(name) || out_->findSpec(path)) continue;
      const stage_detail::SampleSource source = stage_detail::sampleSource(index, {}, clips, name);
      if (!source.clips) continue;
      out_->createSpec(path, SpecType::Attribute).set(f_.typeName, Token(def->typeName));
      if (auto s = copySamples(*out_->findSpec(path), index, {}, clips, name); !s) return s;
      appendName(outPath, f_.properties, name);
    }
    return Ok{};
  }

  // `weakest` is the weakest property spec of any type (a relationship's
  // opinion counts for an attribute too, as in OpenUSD). `builtin`: the
  // prim definition's property of this name, whose variability (for an
  // attribute the definition also declares as one) wins over every opinion;
  // a built-in property is never custom.
  Status copyPropertyMetadata(Spec& spec, const std::vector<Opinion>& ops, const Spec& weakest, bool attribute,
                              const schema::PropertyDef* builtin) {
    if (attribute) {
      // Every parsed property spec has a variability (ours leave an
      // attribute's fallback, varying, unstored), and the weakest decides.
      const Variability* v = weakest.getAs<Variability>(f_.variability);
      const bool uniform = builtin && !builtin->isRelationship ? builtin->uniform : v && *v == Variability::Uniform;
      if (uniform) spec.set(f_.variability, Variability::Uniform);
    }
    // `custom` too is read from the weakest opinion when flattening (again
    // every parsed spec has one; ours leave false unstored).
    const bool* custom = weakest.getAs<bool>(f_.custom);
    if (!builtin && custom && *custom) spec.set(f_.custom, true);
    for (Token field : authoredFields(ops)) {
      if (((field == f_.variability || field == f_.typeName) && attribute) || field == f_.custom) continue;
      Expected<Value> v = composeMetadata(field, ops);
      if (!v) return std::move(v).error();
      if (!v->empty()) spec.set(field, std::move(*v));
    }
    return Ok{};
  }

  // Target or connection paths in the stage's namespace; inside a
  // prototype, paths into its source instance follow it.
  std::vector<Path> composeTargets(const PrimIndex& index, const std::vector<Opinion>& ops, Token field) const {
    return stage_detail::composeTargetPaths(index, ops, field, [&](Path p) {
      if (!remapFrom_.empty() && p.hasPrefix(remapFrom_)) p = p.replacePrefix(remapFrom_, remapTo_);
      return p;
    });
  }

  Status copyAttribute(const Path& path, const PrimIndex& index, const std::vector<Opinion>& ops, const ClipSets& clips,
                       const Spec& weakest, const schema::PropertyDef* builtin) {
    Spec& spec = out_->createSpec(path, SpecType::Attribute);
    // The strongest opinion's type, unless the attribute is built in: then
    // its definition's, as OpenUSD composes it, directly where both name
    // the same kind of value ("float3[]" for "point3f[]").
    Token typeName;
    for (const Opinion& op : ops) {
      if (const Token* t = op.spec->getAs<Token>(f_.typeName); t && !t->empty()) {
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
    if (!typeName.empty()) spec.set(f_.typeName, typeName);
    if (auto s = copyPropertyMetadata(spec, ops, weakest, true, builtin); !s) return s;
    // Time samples from the strongest source that has samples or a
    // default, when it is samples (an opinion's or value clips'); the
    // strongest default in any case (clips never give one).
    if (auto s = copySamples(spec, index, ops, clips, path.nameToken()); !s) return s;
    for (const Opinion& op : ops) {
      if (const Value* raw = op.spec->get(f_.defaultValue)) {
        Expected<Value> v = stageValue(f_.defaultValue, *raw, op);
        if (!v) return std::move(v).error();
        spec.set(f_.defaultValue, std::move(*v));
        break;
      }
    }
    if (retype) retypeValues(spec, builtin->typeName);
    anchorPathExpressions(spec, path.primPath());
    std::vector<Path> connections = composeTargets(index, ops, f_.connectionPaths);
    if (!connections.empty()) {
      PathListOp op;
      op.isExplicit = true;
      op.explicitItems = std::move(connections);
      spec.set(f_.connectionPaths, std::move(op));
    }
    return Ok{};
  }

  // The attribute's time samples as value resolution finds them.
  Status copySamples(Spec& spec, const PrimIndex& index, const std::vector<Opinion>& ops, const ClipSets& clips,
                     Token name) const {
    const stage_detail::SampleSource source = stage_detail::sampleSource(index, ops, clips, name);
    if (source.opinion) {
      Expected<Value> v = stageValue(f_.timeSamples, *source.opinion->spec->get(f_.timeSamples), *source.opinion);
      if (!v) return std::move(v).error();
      spec.set(f_.timeSamples, std::move(*v));
    } else if (source.clips) {
      // Asset paths anchor at the clip (or manifest) layer the value came from.
      spec.set(f_.timeSamples, stage_detail::clipSamples(source, [&](const Value& v, const Layer& from) {
                 const Opinion at{nullptr, &from, LayerOffset{}, source.node, source.clips->sourceStack};
                 return fixAssetPathsInValue(
                     f_.defaultValue, v, [&](std::string_view p) { return anchor(p, at); }, AssetPathScope{true});
               }));
    }
    return Ok{};
  }

  // Path expressions in the attribute's values with their relative
  // patterns made absolute at the owning prim's stage path.
  void anchorPathExpressions(Spec& spec, const Path& primOut) const {
    Path anchor = primOut;
    if (!remapTo_.empty() && anchor.hasPrefix(remapTo_)) anchor = anchor.replacePrefix(remapTo_, prototypeStagePath_);
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
    if (const Value* d = spec.get(f_.defaultValue))
      if (std::optional<Value> fixed = fix(*d)) spec.set(f_.defaultValue, std::move(*fixed));
    if (const TimeSamples* ts = spec.getAs<TimeSamples>(f_.timeSamples)) {
      TimeSamples out;
      bool changed = false;
      for (const auto& [time, value] : ts->samples) {
        std::optional<Value> fixed = fix(value);
        changed = changed || fixed.has_value();
        out.samples.emplace_back(time, fixed ? std::move(*fixed) : value);
      }
      if (changed) spec.set(f_.timeSamples, std::move(out));
    }
  }

  // Gives the attribute `typeName` (its definition's) when all its values
  // convert to that type: values of another kind as OpenUSD casts them
  // (sdf/ValueCast.h), values authored under a type name nobody knows (kept
  // as text) when the text reads as that type. Otherwise the attribute
  // keeps its authored type and values, which read back as they are.
  void retypeValues(Spec& spec, std::string_view typeName) const {
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
    if (const Value* d = spec.get(f_.defaultValue)) {
      defaultValue = convert(*d);
      if (!defaultValue) return;
    }
    std::optional<TimeSamples> samples;
    if (const TimeSamples* ts = spec.getAs<TimeSamples>(f_.timeSamples)) {
      samples.emplace();
      for (const auto& [time, value] : ts->samples) {
        std::optional<Value> v = convert(value);
        if (!v) return;
        samples->samples.emplace_back(time, std::move(*v));
      }
    }
    spec.set(f_.typeName, Token(typeName));
    if (defaultValue) spec.set(f_.defaultValue, std::move(*defaultValue));
    if (samples) spec.set(f_.timeSamples, std::move(*samples));
  }

  Status copyRelationship(const Path& path, const PrimIndex& index, const std::vector<Opinion>& ops,
                          const Spec& weakest, const schema::PropertyDef* builtin) {
    Spec& spec = out_->createSpec(path, SpecType::Relationship);
    spec.set(f_.variability, Variability::Varying);
    if (auto s = copyPropertyMetadata(spec, ops, weakest, false, builtin); !s) return s;
    std::vector<Path> targets = composeTargets(index, ops, f_.targetPaths);
    if (!targets.empty()) {
      PathListOp op;
      op.isExplicit = true;
      op.explicitItems = std::move(targets);
      spec.set(f_.targetPaths, std::move(op));
    }
    return Ok{};
  }

  LayerStackCache& stacks_;
  std::shared_ptr<const LayerStack> rootStack_;
  const FlattenRequest& request_;
  FlattenResult& result_;  // warnings, and what recordComposition asks for
  const FieldNames& f_;
  PrimIndexCache cache_;
  ClipLayers clipLayers_;
  std::unique_ptr<Layer> out_;
  stage_detail::ChildNameLists children_;
  std::unordered_set<std::string> reported_;
  std::unordered_set<const LayerStack*> seenStacks_;
  std::unordered_set<const Layer*> seenLayers_;

  struct Prototype {
    Path source;      // the first instance found with this key
    int number;       // as the stage numbers __Prototype_N
    Path flattened;   // /Flattened_Prototype_K
  };
  std::vector<Prototype> prototypes_;
  std::map<std::string, std::size_t> prototypeByKey_;
  std::unordered_map<Path, std::size_t> instances_;  // instance path -> prototype
  int prototypeCount_ = 0;
  // While a prototype is written: its source instance and its name.
  Path remapFrom_, remapTo_;
  // The prototype being written as the stage names it ("/__Prototype_1"):
  // path expressions inside it are anchored there, as OpenUSD flattens them.
  Path prototypeStagePath_;
  // What the first walk reports, replayed after the prototypes are written
  // (null once replayed): warnings (true: a composition error, reported
  // once), layers used, root prim names, instances' prototype references.
  struct HeldBack {
    struct LayerUse {
      const LayerStack* stack;
      ArcType arc;
      Path prim;
    };
    std::vector<std::pair<std::string, bool>> warnings;
    std::vector<LayerUse> layers;
    std::unordered_set<const LayerStack*> stacks;  // those in `layers` (the stack cache keeps them)
    std::vector<Token> rootNames;
    std::vector<std::pair<Path, std::size_t>> instanceReferences;
  };
  std::unique_ptr<HeldBack> held_;
};

}  // namespace

Expected<std::unique_ptr<Layer>> flattenStage(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                                              const FlattenRequest& request, FlattenResult& result) {
  return StageFlattener(stacks, std::move(rootStack), request, result).run();
}

}  // namespace usdkit
