#include "compose/LayerStack.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "sdf/Fields.h"

namespace usdkit {

std::string formatSite(const std::string& layerIdentifier, const std::string& path) {
  return "@" + layerIdentifier + "@<" + path + ">";
}

LayerOffset composeOffsets(const LayerOffset& a, const LayerOffset& b) {
  return LayerOffset{a.scale * b.offset + a.offset, a.scale * b.scale};
}

LayerOffset inverseOffset(const LayerOffset& o) {
  if (o.scale == 0) return LayerOffset{};
  return LayerOffset{-o.offset / o.scale, 1.0 / o.scale};
}

bool isIdentityOffset(const LayerOffset& o) {
  return std::fabs(o.offset) < 1e-6 && std::fabs(o.scale - 1.0) < 1e-6;
}

namespace {

std::optional<double> layerDouble(const Layer& layer, const char* name) {
  if (const Value* v = layer.pseudoRoot().get(Token(name))) {
    if (const double* d = v->getIf<double>()) return *d;
    if (const float* f = v->getIf<float>()) return *f;
    if (const std::int32_t* i = v->getIf<std::int32_t>()) return *i;
  }
  return std::nullopt;
}

const std::string* layerString(const Layer& layer, const char* name) {
  return layer.pseudoRoot().getAs<std::string>(Token(name));
}

bool finite(const LayerOffset& o) {
  return std::isfinite(o.offset) && std::isfinite(o.scale) && o.scale != 0;
}

}  // namespace

double timeCodesPerSecond(const Layer& layer) {
  if (auto t = layerDouble(layer, "timeCodesPerSecond")) return *t;
  if (auto f = layerDouble(layer, "framesPerSecond")) return *f;
  return 24.0;
}

LayerStackOptions LayerStackOptions::fromEnvironment() {
  LayerStackOptions o;
  if (const char* v = std::getenv("PCP_DISABLE_TIME_SCALING_BY_LAYER_TCPS")) o.scaleByTimeCodesPerSecond = std::atoi(v) == 0;
  return o;
}

LayerOffset LayerStack::offsetForLayer(const Layer& layer) const {
  for (const LayerStackEntry& e : layers_)
    if (e.layer.get() == &layer) return e.offset;
  return LayerOffset{};
}

bool LayerStack::hasNonIdentityOffsets() const {
  return std::any_of(layers_.begin(), layers_.end(), [](const LayerStackEntry& e) { return !isIdentityOffset(e.offset); });
}

class LayerStackBuilder {
 public:
  LayerStackBuilder(LayerRegistry& registry, const LayerStackOptions& options, LayerStack& out)
      : registry_(registry), options_(options), out_(out) {}

  // Adds `layer` and its sublayers, depth first (pre-order). Iterative: a
  // chain of sublayers is as deep as the input makes it.
  void build(const std::shared_ptr<const Layer>& layer, const LayerOffset& cumulative, double layerTcps,
             const std::string& owner) {
    struct Level {
      std::vector<Sub> subs;  // of the layer on the path at this level
      std::size_t next = 0;
    };
    std::vector<Level> levels;
    levels.push_back({visit(layer, cumulative, layerTcps, owner)});
    while (!levels.empty()) {
      Level& level = levels.back();
      if (level.next == level.subs.size()) {
        onPath_.erase(onPathOrder_.back());
        onPathOrder_.pop_back();
        levels.pop_back();
        continue;
      }
      const Sub sub = level.subs[level.next++];
      levels.push_back({visit(sub.layer, sub.offset, sub.tcps, owner)});
    }
  }

 private:
  struct Sub {
    std::shared_ptr<const Layer> layer;
    LayerOffset offset;
    double tcps;
  };

  // Adds `layer` to the stack and the path, and returns its sublayers.
  std::vector<Sub> visit(const std::shared_ptr<const Layer>& layer, const LayerOffset& cumulative, double layerTcps,
                         const std::string& owner) {
    onPath_.insert(layer.get());
    onPathOrder_.push_back(layer.get());
    out_.layers_.push_back(LayerStackEntry{layer, cumulative});
    const FieldNames& f = fieldNames();
    const Spec& root = layer->pseudoRoot();
    const StringVector* paths = root.getAs<StringVector>(f.subLayers);
    const LayerOffsetVector* offsets = root.getAs<LayerOffsetVector>(f.subLayerOffsets);
    std::vector<Sub> subs;
    if (paths) {
      for (std::size_t i = 0; i < paths->items.size(); ++i) {
        std::string authored = paths->items[i];
        if (isVariableExpression(authored)) {
          Expected<std::string> value = evaluateVariableExpression(authored, out_.expressionVariables_);
          if (!value) {
            out_.errors_.push_back({CompositionErrorKind::ExpressionError,
                                    "Error evaluating expression " + authored + " for sublayer in @" +
                                        layer->identifier() + "@: " + value.error().message});
            continue;
          }
          authored = *value;
        }
        if (authored.empty()) continue;
        std::string anchored = registry_.resolver().anchor(authored, layer->identifier());
        if (isMuted(authored, anchored)) continue;
        Expected<std::shared_ptr<const Layer>> sub = registry_.open(anchored);
        if (!sub) {
          out_.errors_.push_back({CompositionErrorKind::InvalidSublayerPath,
                                  "Could not load sublayer @" + authored + "@ of layer @" + layer->identifier() +
                                      "@; skipping."});
          continue;
        }
        if (onPath_.count(sub->get())) {
          out_.errors_.push_back({CompositionErrorKind::SublayerCycle,
                                  "Sublayer hierarchy with root layer @" + layer->identifier() +
                                      "@ has cycles. Detected when layer @" + (*sub)->identifier() +
                                      "@ was seen in the layer stack for the second time."});
          continue;
        }
        LayerOffset off = offsets && i < offsets->items.size() ? offsets->items[i] : LayerOffset{};
        if (!finite(off)) {
          out_.errors_.push_back({CompositionErrorKind::InvalidSublayerOffset,
                                  "Invalid sublayer offset in sublayer @" + (*sub)->identifier() + "@ of layer @" +
                                      layer->identifier() + "@. Using no offset instead."});
          off = LayerOffset{};
        }
        double subTcps = timeCodesPerSecond(**sub);
        if (options_.scaleByTimeCodesPerSecond && layerTcps != subTcps) off.scale *= layerTcps / subTcps;
        subs.push_back(Sub{*sub, composeOffsets(cumulative, off), subTcps});
      }
    }
    if (!owner.empty() && root.getAs<bool>(f.hasOwnedSubLayers) && *root.getAs<bool>(f.hasOwnedSubLayers)) {
      std::vector<std::size_t> owned;
      for (std::size_t i = 0; i < subs.size(); ++i) {
        const std::string* o = layerString(*subs[i].layer, "owner");
        if (o && *o == owner) owned.push_back(i);
      }
      if (owned.size() == 1) {
        std::stable_partition(subs.begin(), subs.end(), [&](const Sub& s) {
          const std::string* o = layerString(*s.layer, "owner");
          return o && *o == owner;
        });
      } else if (owned.size() > 1) {
        std::string list;
        for (std::size_t k : owned) list += (list.empty() ? "@" : ", @") + subs[k].layer->identifier() + "@";
        out_.errors_.push_back({CompositionErrorKind::InvalidSublayerOwnership,
                                "The following sublayers for layer @" + layer->identifier() +
                                    "@ have the same owner '" + owner + "': " + list});
      }
    }
    return subs;
  }

 public:
  bool isMuted(const std::string& authored, const std::string& anchored) const {
    if (options_.mutedLayers.empty()) return false;
    if (options_.mutedLayers.count(authored) || options_.mutedLayers.count(anchored)) return true;
    if (auto r = registry_.resolver().resolve(anchored)) return options_.mutedLayers.count(*r) > 0;
    return false;
  }

  void computeRelocates();

 private:
  LayerRegistry& registry_;
  const LayerStackOptions& options_;
  LayerStack& out_;
  // The layers from the root to the one being added (a layer met again on
  // its own path is a cycle).
  std::unordered_set<const Layer*> onPath_;
  std::vector<const Layer*> onPathOrder_;
};

namespace {

// Why a relocate is dropped; the order is the order errors are sorted in.
enum class RelocateConflict { TargetIsSource, SourceIsTarget, TargetUnderSource, SourceUnderSource };

const char* conflictText(RelocateConflict c) {
  switch (c) {
    case RelocateConflict::TargetIsSource:
      return "The target of a relocate cannot be the source of another relocate in the same layer stack.";
    case RelocateConflict::SourceIsTarget:
      return "The source of a relocate cannot be the target of another relocate in the same layer stack.";
    case RelocateConflict::TargetUnderSource:
      return "The target of a relocate cannot be a descendant of the source of another relocate.";
    case RelocateConflict::SourceUnderSource:
      return "The source of a relocate cannot be a descendant of the source of another relocate.";
  }
  return "";
}

// Checks one authored relocate; returns the reason it is invalid, or "".
std::string invalidRelocateReason(const Path& source, const Path& target) {
  auto badPath = [](const Path& p) -> std::string {
    if (!p.isAbsolute()) return "Relocates must use absolute paths.";
    if (p.isPrimVariantSelectionPath()) return "Relocates cannot have any variant selections.";
    if (!p.isPrimPath()) return "Only prims can be relocated.";
    if (p.containsPrimVariantSelection()) return "Relocates cannot have any variant selections.";
    return {};
  };
  if (source.empty()) return "Relocates source paths cannot be empty.";
  if (std::string why = badPath(source); !why.empty()) return why;
  if (!target.empty()) {
    if (std::string why = badPath(target); !why.empty()) return why;
    if (source == target) return "The target of a relocate cannot be the same as its source.";
    if (target.hasPrefix(source)) return "The target of a relocate cannot be a descendant of its source.";
    if (source.hasPrefix(target)) return "The target of a relocate cannot be an ancestor of its source.";
  }
  if (source.isRootPrimPath()) return "Root prims cannot be the source of a relocate.";
  return {};
}

}  // namespace

void LayerStackBuilder::computeRelocates() {
  struct Entry {
    Path target;
    const Layer* layer;
  };
  // Strongest layer's entry per source wins; sorted by source.
  std::map<Path, Entry> processed;
  for (const LayerStackEntry& e : out_.layers_) {
    const Relocates* r = e.layer->pseudoRoot().getAs<Relocates>(fieldNames().layerRelocates);
    if (!r) continue;
    for (const auto& [src, dst] : r->entries) {
      std::string why = invalidRelocateReason(src, dst);
      if (!why.empty()) {
        out_.errors_.push_back({CompositionErrorKind::InvalidAuthoredRelocation,
                                "Relocation from <" + src.string() + "> to <" + dst.string() + "> authored at " +
                                    formatSite(e.layer->identifier(), "/") + " is invalid and will be ignored: " + why});
        continue;
      }
      processed.try_emplace(src, Entry{dst, e.layer.get()});
    }
  }
  // Several sources for one target: all of them are dropped.
  std::map<Path, std::vector<Path>> sameTarget;
  std::map<Path, Path> byTarget;
  struct Conflict {
    Path source;
    RelocateConflict reason;
    Path conflictSource;
  };
  std::vector<Conflict> conflicts;
  // (Looked up once per ancestor of each path: hashing, not comparing
  // deep paths element by element.)
  std::unordered_set<Path> isSource;
  for (const auto& entry : processed) isSource.insert(entry.first);
  for (const auto& [src, e] : processed) {
    if (!e.target.empty()) {
      auto [it, inserted] = byTarget.emplace(e.target, src);
      if (!inserted) {
        auto& list = sameTarget[e.target];
        if (list.empty()) list.push_back(it->second);
        list.push_back(src);
      }
      if (isSource.count(e.target)) {
        conflicts.push_back({src, RelocateConflict::TargetIsSource, e.target});
        conflicts.push_back({e.target, RelocateConflict::SourceIsTarget, src});
      }
      for (Path p = e.target.parent(); !p.isAbsoluteRoot() && !p.empty(); p = p.parent())
        if (isSource.count(p)) conflicts.push_back({src, RelocateConflict::TargetUnderSource, p});
    }
    for (Path p = src.parent(); !p.isRootPrimPath() && !p.isAbsoluteRoot() && !p.empty(); p = p.parent())
      if (isSource.count(p)) conflicts.push_back({src, RelocateConflict::SourceUnderSource, p});
  }
  auto authoredAt = [&](const Path& src) { return formatSite(processed.at(src).layer->identifier(), "/"); };
  std::vector<Path> dropped;
  for (auto& [target, sources] : sameTarget) {
    std::sort(sources.begin(), sources.end());
    std::string list;
    for (const Path& src : sources) {
      if (!list.empty()) list += "; ";
      list += "relocation from <" + src.string() + "> authored at " + authoredAt(src);
      dropped.push_back(src);
    }
    out_.errors_.push_back({CompositionErrorKind::InvalidSameTargetRelocations,
                            "The path <" + target.string() +
                                "> is the target of multiple relocations from different sources. The following "
                                "relocates to this target are invalid and will be ignored: " +
                                list + "."});
  }
  std::sort(conflicts.begin(), conflicts.end(), [](const Conflict& a, const Conflict& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.reason != b.reason) return a.reason < b.reason;
    return a.conflictSource < b.conflictSource;
  });
  for (const Conflict& c : conflicts) {
    const Entry& e = processed.at(c.source);
    const Entry& o = processed.at(c.conflictSource);
    out_.errors_.push_back({CompositionErrorKind::InvalidConflictingRelocation,
                            "Relocation from <" + c.source.string() + "> to <" + e.target.string() + "> authored at " +
                                authoredAt(c.source) + " conflicts with another relocation from <" +
                                c.conflictSource.string() + "> to <" + o.target.string() + "> authored at " +
                                authoredAt(c.conflictSource) + " and will be ignored: " + conflictText(c.reason)});
    dropped.push_back(c.source);
  }
  for (const auto& [src, e] : processed)
    if (std::find(dropped.begin(), dropped.end(), src) == dropped.end()) out_.relocates_.emplace_back(src, e.target);
  for (const auto& [src, dst] : out_.relocates_) {
    out_.incrementalSourceToTarget_[src] = dst;
    if (!dst.empty()) out_.incrementalTargetToSource_[dst] = src;
  }
  out_.incrementalSourceToTargetHashed_.insert(out_.incrementalSourceToTarget_.begin(), out_.incrementalSourceToTarget_.end());
  out_.incrementalTargetToSourceHashed_.insert(out_.incrementalTargetToSource_.begin(), out_.incrementalTargetToSource_.end());
  for (const auto& [src, dst] : out_.incrementalSourceToTarget_) out_.bySourceParent_[src.parent()].emplace_back(src, dst);
  for (const auto& [dst, src] : out_.incrementalTargetToSource_) out_.byTargetParent_[dst.parent()].emplace_back(dst, src);
  for (const auto& [src, dst] : out_.relocates_) {
    // Follow the source back through relocates whose target contains it
    // (the longest such target is the nearest ancestor that is one).
    Path original = src;
    for (int guard = 0; guard < 100; ++guard) {
      Path target = original.parent();
      const Path* source = nullptr;
      for (; !target.empty() && !target.isAbsoluteRoot(); target = target.parent())
        if ((source = out_.incrementalRelocateSourceFor(target))) break;
      if (!source) break;
      original = original.replacePrefix(target, *source);
    }
    out_.combinedSourceToTarget_[original] = dst;
  }
}

namespace {

std::span<const std::pair<Path, Path>> bucket(const std::unordered_map<Path, std::vector<std::pair<Path, Path>>>& index,
                                              const Path& parent) {
  auto it = index.find(parent);
  if (it == index.end()) return {};
  return it->second;
}

}  // namespace

const Path* LayerStack::incrementalRelocateTargetFor(const Path& source) const {
  auto it = incrementalSourceToTargetHashed_.find(source);
  return it == incrementalSourceToTargetHashed_.end() ? nullptr : &it->second;
}

const Path* LayerStack::incrementalRelocateSourceFor(const Path& target) const {
  auto it = incrementalTargetToSourceHashed_.find(target);
  return it == incrementalTargetToSourceHashed_.end() ? nullptr : &it->second;
}

std::span<const std::pair<Path, Path>> LayerStack::incrementalRelocatesFromChildrenOf(const Path& parent) const {
  return bucket(bySourceParent_, parent);
}

std::span<const std::pair<Path, Path>> LayerStack::incrementalRelocatesToChildrenOf(const Path& parent) const {
  return bucket(byTargetParent_, parent);
}

std::shared_ptr<const LayerStack> buildLayerStack(LayerRegistry& registry, std::shared_ptr<const Layer> root,
                                                  std::shared_ptr<const Layer> session,
                                                  const LayerStackOptions& options, const ExpressionVariables& overrides) {
  auto stack = std::make_shared<LayerStack>();
  stack->expressionVariables_ = layerExpressionVariables(*root);
  if (session)
    for (auto& [k, v] : layerExpressionVariables(*session)) stack->expressionVariables_[k] = v;
  for (auto& [k, v] : overrides) stack->expressionVariables_[k] = v;
  LayerStackBuilder builder(registry, options, *stack);
  stack->root_ = root;
  if (session && options.mutedLayers.count(session->identifier())) session = nullptr;
  stack->session_ = session;
  stack->key_ = root->identifier() + (session ? "," + session->identifier() : std::string());
  const double rootTcps = timeCodesPerSecond(*root);
  double stackTcps = rootTcps;
  if (session) {
    const bool sessionTcps = session->pseudoRoot().has(Token("timeCodesPerSecond"));
    const bool sessionFps = session->pseudoRoot().has(Token("framesPerSecond"));
    const bool rootAuthorsTcps = root->pseudoRoot().has(Token("timeCodesPerSecond"));
    if (sessionTcps || (!rootAuthorsTcps && sessionFps)) stackTcps = timeCodesPerSecond(*session);
  }
  stack->tcps_ = stackTcps;
  auto baseOffset = [&](double layerTcps) {
    LayerOffset o;
    if (options.scaleByTimeCodesPerSecond && layerTcps != stackTcps) o.scale = stackTcps / layerTcps;
    return o;
  };
  std::string owner;
  if (session) {
    const double sTcps = timeCodesPerSecond(*session);
    builder.build(session, baseOffset(sTcps), sTcps, {});
    // The session layer tree names the owner whose sublayers go first.
    for (const LayerStackEntry& e : stack->layers_) {
      if (const std::string* o = e.layer->pseudoRoot().getAs<std::string>(Token("sessionOwner"))) {
        if (!o->empty()) { owner = *o; break; }
      }
    }
  }
  builder.build(root, baseOffset(rootTcps), rootTcps, owner);
  builder.computeRelocates();
  return stack;
}

std::shared_ptr<const LayerStack> LayerStackCache::get(const std::shared_ptr<const Layer>& root,
                                                       const std::shared_ptr<const Layer>& session,
                                                       const ExpressionVariables& overrides) {
  auto key = std::make_tuple(root.get(), session.get(), overrides);
  auto it = stacks_.find(key);
  if (it != stacks_.end()) return it->second;
  auto stack = buildLayerStack(registry_, root, session, options_, overrides);
  stacks_.emplace(key, stack);
  return stack;
}

void LayerStackCache::forget(const Layer& root, const Layer* session) {
  std::erase_if(stacks_, [&](const auto& entry) {
    return std::get<0>(entry.first) == &root && std::get<1>(entry.first) == session;
  });
}

Expected<std::shared_ptr<const LayerStack>> LayerStackCache::open(const std::string& rootIdentifier,
                                                                  const std::string& sessionIdentifier) {
  Expected<std::shared_ptr<const Layer>> root = registry_.open(rootIdentifier);
  if (!root) return std::move(root).error();
  std::shared_ptr<const Layer> session;
  if (!sessionIdentifier.empty()) {
    Expected<std::shared_ptr<const Layer>> s = registry_.open(sessionIdentifier);
    if (!s) return std::move(s).error();
    session = *s;
  }
  return get(*root, session);
}

}  // namespace usdkit
