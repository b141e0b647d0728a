// The stage; see Stage.h.
#include "stage/Stage.h"

#include <algorithm>

#include "base/FilePaths.h"
#include "sdf/Fields.h"
#include "stage/PrimComposer.h"
#include "stage/ValueClips.h"
#include "stage/ValueResolution.h"

namespace usdkit {

Expected<StageLayers> openStageLayers(const FlattenRequest& request) {
  StageLayers out;
  const std::string root = absolutePath(request.rootLayer);
  out.registry = std::make_unique<LayerRegistry>(AssetResolver::forRootLayer(root), request.progress);
  LayerStackOptions stackOptions = LayerStackOptions::fromEnvironment();
  for (const std::string& muted : request.mutedLayers) {
    stackOptions.mutedLayers.insert(muted);
    stackOptions.mutedLayers.insert(absolutePath(muted));
  }
  out.stacks = std::make_unique<LayerStackCache>(*out.registry, stackOptions);
  const std::string session = request.sessionLayer.empty() ? std::string() : absolutePath(request.sessionLayer);
  Expected<std::shared_ptr<const LayerStack>> stack = makeError("no layer stack");
  if (request.variants.empty()) {
    stack = out.stacks->open(root, session);
  } else {
    // Variant overrides are opinions in a session layer above the user's.
    auto rootLayer = out.registry->open(root);
    if (!rootLayer) return std::move(rootLayer).error();
    if (!session.empty()) {
      if (auto s = out.registry->open(session); !s) return std::move(s).error();
    }
    stack = out.stacks->get(*rootLayer, out.registry->add(variantOverrideLayer(request.variants, session)));
  }
  if (!stack) return std::move(stack).error();
  out.root = std::move(*stack);
  return out;
}

PrimIndexOptions primIndexOptions(const FlattenRequest& request) {
  PrimIndexOptions o;
  if (!request.loadPayloads) {
    std::vector<Path> load = request.loadPaths;
    o.includePayload = [load](const Path& p) {
      return std::any_of(load.begin(), load.end(), [&](const Path& l) { return p.hasPrefix(l); });
    };
  }
  return o;
}

std::vector<PrimVariantSet> variantSetsOf(const PrimIndex& index) {
  std::vector<PrimVariantSet> sets;
  const auto selections = index.variantSelections();
  for (std::string& name : index.variantSetNames()) {
    std::vector<std::string> variants = index.variantNames(name);
    std::string selected;
    for (const auto& [set, variant] : selections)
      if (set == name) selected = variant;
    sets.push_back({std::move(name), std::move(variants), std::move(selected)});
  }
  return sets;
}

Expected<std::unique_ptr<Stage>> Stage::open(const FlattenRequest& request) {
  Expected<StageLayers> layers = openStageLayers(request);
  if (!layers) return std::move(layers).error();
  return std::unique_ptr<Stage>(new Stage(std::move(*layers), nullptr, nullptr, request));
}

std::unique_ptr<Stage> Stage::openOn(LayerStackCache& stacks, std::shared_ptr<const LayerStack> rootStack,
                                     const FlattenRequest& request) {
  return std::unique_ptr<Stage>(new Stage(StageLayers{}, &stacks, std::move(rootStack), request));
}

Stage::Stage(StageLayers owned, LayerStackCache* stacks, std::shared_ptr<const LayerStack> rootStack,
             const FlattenRequest& request)
    : owned_(std::move(owned)),
      stacks_(stacks ? *stacks : *owned_.stacks),
      root_(rootStack ? std::move(rootStack) : owned_.root),
      mask_(request.mask),
      authoredPropertyTypes_(request.authoredPropertyTypes),
      composed_(std::make_unique<Layer>()) {
  cache_ = std::make_unique<PrimIndexCache>(stacks_, root_, primIndexOptions(request));
  clipLayers_ = std::make_unique<ClipLayers>(stacks_.registry(), [this](std::string text) { warnOnce(text); });
  composer_ = std::make_unique<stage_detail::PrimComposer>(stacks_.registry().resolver(), authoredPropertyTypes_,
                                                           [this](std::string text) { warn(std::move(text)); });
  composed_->setIdentifier("composed prims of " + root_->rootLayer()->identifier());
  for (const CompositionError& e : root_->errors()) warn(e.message);
}

Stage::~Stage() = default;

void Stage::warn(std::string text) { warnings_.push_back(std::move(text)); }

void Stage::warnOnce(const std::string& text) {
  if (reported_.insert(text).second) warnings_.push_back(text);
}

namespace {
// Whether `path` (absolute, not the pseudo-root) lies below a root prim
// named as OpenUSD names prototypes.
bool inPrototypeNamespace(const Path& path) {
  Path root = path;
  while (!root.empty() && !root.isRootPrimPath() && !root.isAbsoluteRoot()) root = root.parent();
  return root.isRootPrimPath() && root.name().starts_with("__Prototype_");
}
}  // namespace

void Stage::findPrototypesFor(const Path& path) {
  if (!prototypes_ && path.isAbsolute() && !path.isAbsoluteRoot() && inPrototypeNamespace(path)) prototypes();
}

bool Stage::inMask(const Path& path) const {
  // A prototype is whole: its instances are in the mask.
  return mask_.empty() || path.isAbsoluteRoot() ||
         std::any_of(mask_.begin(), mask_.end(), [&](const Path& m) { return path.hasPrefix(m) || m.hasPrefix(path); }) ||
         prototypeContaining(path);
}

std::optional<std::size_t> Stage::prototypeContaining(const Path& path) const {
  if (!prototypes_ || prototypes_->size() == 0 || path.isAbsoluteRoot() || !path.isAbsolute()) return std::nullopt;
  Path root = path;
  while (!root.isRootPrimPath()) {
    root = root.parent();
    if (root.empty() || root.isAbsoluteRoot()) return std::nullopt;
  }
  return prototypes_->byStagePath(root);
}

Path Stage::indexPath(const Path& path) const {
  const std::optional<std::size_t> id = prototypeContaining(path);
  if (!id) return path;
  return path.replacePrefix(prototypes_->stagePath(*id), prototypes_->source(*id));
}

Expected<const PrimIndex*> Stage::prim(const Path& path) {
  if (path.empty() || !path.isAbsolute() || !(path.isAbsoluteRoot() || path.isPrimPath()) ||
      path.containsPrimVariantSelection())
    return makeError("<" + path.string() + "> is not an absolute prim path");
  findPrototypesFor(path);
  if (!inMask(path))
    return makeError("<" + path.string() + "> is outside the population mask");
  if (prototypeContaining(path)) {
    // A prototype's prims are those below its source instance.
    Expected<const PrimIndex*> index = prim(indexPath(path));
    if (!index) return makeError("the stage has no prim <" + path.string() + ">");
    return index;
  }
  const PrimIndex* index = &cache_->get(Path::absoluteRoot());
  for (const Path& prefix : path.prefixes()) {
    if (prefix.isAbsoluteRoot()) continue;
    const std::vector<Token> children = index->childNames();
    if (std::find(children.begin(), children.end(), prefix.nameToken()) == children.end())
      return makeError("the stage has no prim <" + prefix.string() + ">");
    if (!index->path().isAbsoluteRoot() && !stage_detail::isActive(stage_detail::primOpinions(*index)))
      return makeError("<" + path.string() + "> is below the inactive prim <" + index->path().string() + ">");
    index = &cache_->get(prefix);
    for (const CompositionError& e : index->errors()) warnOnce(e.message);
  }
  return index;
}

const ClipSets& Stage::clipSets(const Path& prim) {
  // From the nearest ancestor already known down to the prim.
  std::vector<Path> missing;
  Path at = prim;
  while (!clipSetsByPrim_.count(at)) {
    missing.push_back(at);
    if (at.isAbsoluteRoot()) break;
    at = at.parent();
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    const ClipSets& parents = it->isAbsoluteRoot() ? ClipSets() : clipSetsByPrim_.at(it->parent());
    // A prototype has its source instance's own clip sets, not those of
    // the source's ancestors (its parent is the pseudo-root).
    ClipSets sets =
        it->isAbsoluteRoot() ? ClipSets() : clipSetsOfPrim(cache_->get(indexPath(*it)), parents, *clipLayers_);
    clipSetsByPrim_.emplace(*it, std::move(sets));
  }
  return clipSetsByPrim_.at(prim);
}


// A prim of the stage not yet composed is an Unknown spec of the composed
// prims, created when its parent's children were listed: so whether a path
// names a prim is one lookup, whatever the number of siblings.
const Spec* Stage::composedPrim(const Path& path) {
  if (path.empty() || !path.isAbsolute() || !path.isPrimPath() || path.containsPrimVariantSelection()) return nullptr;
  if (const Spec* s = composed_->findSpec(path); s && s->type() == SpecType::Prim) return s;
  findPrototypesFor(path);
  if (!inMask(path)) return nullptr;
  // From the nearest composed ancestor down.
  std::vector<Path> missing;
  Path at = path;
  while (!at.isAbsoluteRoot()) {
    if (const Spec* s = composed_->findSpec(at); s && s->type() == SpecType::Prim) break;
    missing.push_back(at);
    at = at.parent();
  }
  if (at.isAbsoluteRoot()) {
    listRootChildren();
    // A prototype is no child of the pseudo-root; it is listed here.
    if (const std::optional<std::size_t> id = prototypeContaining(path)) {
      const Path root = prototypes_->stagePath(*id);
      if (!composed_->findSpec(root)) composed_->createSpec(root, SpecType::Unknown);
    }
  }
  const Spec* spec = nullptr;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    const Spec* listed = composed_->findSpec(*it);
    if (!listed || listed->type() != SpecType::Unknown) return nullptr;
    spec = compose(*it);
  }
  return spec;
}

void Stage::listChildren(const Path& parent, Spec& spec, const PrimIndex* index) {
  // Below a mask path every child is in the mask; above one, only the
  // children on the way to it. One such child is looked up by name: a
  // masked stage over a root with many prims (usdchecker composes one per
  // variant combination) must not compose every name.
  std::vector<Token> names;
  const bool all = mask_.empty() || prototypeContaining(parent) ||
                   std::any_of(mask_.begin(), mask_.end(), [&](const Path& m) { return parent.hasPrefix(m); });
  if (index && all) {
    names = index->childNames();
  } else if (index) {
    std::vector<Token> wanted;
    const std::size_t depth = parent.elementCount() + 1;
    for (const Path& m : mask_) {
      if (!m.hasPrefix(parent)) continue;
      Path step = m;
      while (step.elementCount() > depth) step = step.parent();
      if (std::find(wanted.begin(), wanted.end(), step.nameToken()) == wanted.end()) wanted.push_back(step.nameToken());
    }
    if (wanted.size() == 1) {
      if (index->hasChildName(wanted[0])) names = std::move(wanted);
    } else if (!wanted.empty()) {
      names = index->childNames();
      std::erase_if(names, [&](Token name) { return std::find(wanted.begin(), wanted.end(), name) == wanted.end(); });
    }
  }
  for (Token name : names) composed_->createSpec(parent.appendChild(name.str()), SpecType::Unknown);
  // No field for no children (most prims): an empty list costs a value each.
  if (!names.empty() || parent.isAbsoluteRoot()) spec.set(fieldNames().primChildren, TokenVector{std::move(names)});
}

void Stage::listRootChildren() {
  Spec& root = composed_->pseudoRoot();
  if (!root.has(fieldNames().primChildren)) listChildren(Path::absoluteRoot(), root, &cache_->get(Path::absoluteRoot()));
}

Status Stage::status() const {
  if (failure_) return *failure_;
  return Ok{};
}

const Spec* Stage::compose(const Path& path) {
  const PrimIndex& index = cache_->get(indexPath(path));
  const std::vector<stage_detail::Opinion> ops = stage_detail::primOpinions(index);
  // In a flatten's order: clip sets (with their problems), composition
  // errors, then the prim's own values.
  const ClipSets& clips = clipSets(path);
  for (const CompositionError& e : index.errors()) warnOnce(e.message);
  Spec& spec = composed_->createSpec(path, SpecType::Prim);
  stage_detail::ChildNameLists names;
  // Inside a prototype, targets into the source instance point into the
  // prototype, as OpenUSD's prototype prims compose them.
  const std::optional<std::size_t> prototype = prototypeContaining(path);
  if (prototype) {
    const Path stagePath = prototypes_->stagePath(*prototype);
    composer_->setPrototype(prototypes_->source(*prototype), stagePath, stagePath);
  }
  Status status = composer_->composeMetadata(index, ops, spec);
  if (status) status = composer_->composeProperties(*composed_, path, path, index, ops, clips, names);
  if (prototype) composer_->setPrototype(Path(), Path(), Path());
  if (!status && !failure_) failure_ = std::move(status).error();
  names.storeIn(*composed_);
  PrimFacts facts{index.isInstanceable(), variantSetsOf(index)};
  if (facts.instanceable || !facts.variantSets.empty()) facts_.emplace(path, std::move(facts));
  const bool active = stage_detail::isActive(ops);
  listChildren(path, spec, active ? &index : nullptr);
  return &spec;
}

const std::vector<Token>& Stage::childNames(const Path& path) {
  if (path.isAbsoluteRoot()) {
    listRootChildren();
  } else if (!composedPrim(path)) {
    static const std::vector<Token> none;
    return none;
  }
  return composed_->primChildren(path);
}

const std::vector<PrimVariantSet>& Stage::variantSets(const Path& prim) {
  static const std::vector<PrimVariantSet> none;
  if (!composedPrim(prim)) return none;
  const auto it = facts_.find(prim);
  return it == facts_.end() ? none : it->second.variantSets;
}

bool Stage::isInstanceable(const Path& prim) {
  if (!composedPrim(prim)) return false;
  const auto it = facts_.find(prim);
  return it != facts_.end() && it->second.instanceable;
}

void Stage::composeSubtree(const Path& path, bool keep) {
  // Depth first without recursion (namespace is as deep as the input makes
  // it). Each prim's index is dropped once its subtree is composed, as a
  // flatten does: composition then holds the indexes of one branch at a
  // time; a later question about a prim's index composes it again.
  struct Entry {
    Path path;
    bool done;  // its subtree is composed
    bool last;  // the last child of its parent
  };
  if (path.isAbsoluteRoot()) listRootChildren();
  std::vector<Entry> pending{{path, false, false}};
  while (!pending.empty()) {
    Entry e = std::move(pending.back());
    pending.pop_back();
    if (e.done) {
      if (!keep) {
        forget(e.path);
        continue;
      }
      dropIndex(e.path);
      clipSetsByPrim_.erase(e.path);
      continue;
    }
    if (!e.path.isAbsoluteRoot() && !composedPrim(e.path)) continue;
    if (e.last) dropIndex(e.path.parent());
    if (e.path != path || !keep) pending.push_back({e.path, true, false});
    const std::vector<Token>& children = composed_->primChildren(e.path);
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      pending.push_back({e.path.appendChild(it->str()), false, it == children.rbegin()});
  }
}

void Stage::forget(const Path& path) {
  const FieldNames& f = fieldNames();
  // Depth first without recursion. A prim listed but never composed (an
  // Unknown spec) has nothing below it.
  std::vector<Path> pending{path};
  while (!pending.empty()) {
    const Path p = std::move(pending.back());
    pending.pop_back();
    Spec* spec = composed_->findSpec(p);
    if (!spec) continue;
    if (spec->type() == SpecType::Prim || p.isAbsoluteRoot()) {
      for (Token name : composed_->propertyNames(p)) composed_->eraseSpec(p.appendProperty(name.str()));
      for (Token name : composed_->primChildren(p)) pending.push_back(p.appendChild(name.str()));
      facts_.erase(p);
      clipSetsByPrim_.erase(p);
      dropIndex(p);
    }
    if (p.isAbsoluteRoot()) spec->erase(f.primChildren);  // listed again when asked
    else if (p == path) *spec = Spec(SpecType::Unknown);  // still listed by its parent
    else composed_->eraseSpec(p);
  }
}

const Spec& Stage::stageMetadata() {
  Spec& root = composed_->pseudoRoot();
  if (!stageMetadataComposed_) {
    stageMetadataComposed_ = true;
    Status s = composer_->composeStageMetadata(stage_detail::stageMetadataOpinions(*root_), root);
    if (!s && !failure_) failure_ = std::move(s).error();
  }
  return root;
}

const Prototypes& Stage::prototypes() {
  if (prototypes_) return *prototypes_;
  prototypes_.emplace();
  // Over prim indexes only, depth first without recursion, each index
  // released once its subtree is walked (as composeSubtree does). The
  // walk has a cache of its own: releasing its indexes must not take away
  // one that a caller of prim() still holds. Below an instance that
  // starts a prototype the mask no longer applies: a prototype is whole.
  PrimIndexCache walkCache(stacks_, root_, cache_->options());
  PrimIndexCache* const cache = &walkCache;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Frame {
    Path path;
    std::vector<Token> names;
    std::size_t next;
    std::size_t finish;  // the prototype to number when done, or kNone
    bool masked;
  };
  const Path root = Path::absoluteRoot();
  std::vector<Frame> frames;
  frames.push_back({root, cache->get(root).childNames(), 0, kNone, true});
  while (!frames.empty()) {
    Frame& top = frames.back();
    if (top.next == top.names.size()) {
      if (top.finish != kNone) prototypes_->finish(top.finish);
      if (frames.size() > 1) cache->release(top.path);
      frames.pop_back();
      continue;
    }
    const Path child = top.path.appendChild(top.names[top.next++].str());
    if (child.empty() || (top.masked && !inMask(child))) continue;
    const PrimIndex& index = cache->get(child);
    if (top.next == top.names.size() && frames.size() > 1) cache->release(top.path);
    Frame next{child, {}, 0, kNone, top.masked};
    if (stage_detail::isActive(stage_detail::primOpinions(index))) {
      if (!index.isInstanceable()) {
        next.names = index.childNames();
      } else if (const Prototypes::Added added = prototypes_->addInstance(child, index); added.isNew) {
        next.names = index.childNames();
        next.finish = added.id;
        next.masked = false;
      }
    }
    if (next.names.empty() && next.finish == kNone) {
      cache->release(child);
      continue;
    }
    frames.push_back(std::move(next));
  }
  return *prototypes_;
}

Path Stage::prototypeOf(const Path& path) {
  const Prototypes& found = prototypes();
  if (!composedPrim(path)) return Path();
  // Below an instance (an instance proxy), the prim is the one at the same
  // place in the instance's prototype; that one may lie below an instance
  // nested in the prototype, and so on.
  Path at = path;
  for (bool moved = true; moved;) {
    moved = false;
    const std::optional<std::size_t> in = prototypeContaining(at);
    const Path top = in ? prototypes_->stagePath(*in) : Path::absoluteRoot();
    for (const Path& prefix : at.prefixes()) {
      if (prefix == at || !prefix.hasPrefix(top) || prefix == top) continue;
      if (const std::optional<std::size_t> id = found.of(indexPath(prefix))) {
        at = at.replacePrefix(prefix, found.stagePath(*id));
        moved = true;
        break;
      }
    }
  }
  const std::optional<std::size_t> id = found.of(indexPath(at));
  return id ? found.stagePath(*id) : Path();
}

}  // namespace usdkit
