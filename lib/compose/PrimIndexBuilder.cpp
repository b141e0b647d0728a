#include <algorithm>
#include <functional>

#include "compose/PrimIndexer.h"

namespace usdkit {

int nonVariantElementCount(const Path& path) {
  if (path.empty() || path.isAbsoluteRoot()) return 0;
  return static_cast<int>(path.stripAllVariantSelections().elementCount());
}

int PrimIndexNode::depthBelowIntroduction() const { return nonVariantElementCount(path) - introductionDepth; }

Path PrimIndexNode::pathAtIntroduction() const {
  // `path` is introducedPath with namespace children appended: walking up
  // past them ends at introducedPath, without its variant selections.
  if (depthBelowIntroduction() <= 0) return path;
  Path p = introducedPath;
  while (p.isPrimVariantSelectionPath()) p = p.parent();
  return p;
}

std::string_view arcTypeName(ArcType type) {
  switch (type) {
    case ArcType::Root: return "root";
    case ArcType::Inherit: return "inherit";
    case ArcType::Variant: return "variant";
    case ArcType::Relocate: return "relocate";
    case ArcType::Reference: return "reference";
    case ArcType::Payload: return "payload";
    case ArcType::Specialize: return "specialize";
  }
  return "root";
}


namespace detail {

// ------------------------------------------------------------------ graph

// Graph walks use an explicit stack: a chain of arcs is as deep as the
// input makes it. The strength-order walk is shared by the comparisons
// made while the tree keeps its shape (PrimIndexGraph::firstInStrengthOrder).
bool Indexer::originIsStronger(int a, int b, int& result) {
  std::size_t steps = 0;
  const int first = g_.firstInStrengthOrder(a, b, steps);
  cache_.addWorkSteps(steps);
  if (first == 0) return false;
  result = first;
  return true;
}

int Indexer::compareSiblings(int ia, int ib) {
  const PrimIndexNode& a = node(ia);
  const PrimIndexNode& b = node(ib);
  if (a.arcType != b.arcType) return a.arcType < b.arcType ? -1 : 1;
  int result = 0;
  if (a.arcType == ArcType::Specialize) {
    auto originRoot = [&](int n) {
      int depth = 0;
      const int root = g_.originRoot(n, depth);
      return std::make_pair(root, depth);
    };
    auto [ra, da] = originRoot(ia);
    auto [rb, db] = originRoot(ib);
    if (!g_.onOnePath(ra, rb)) {
      if (a.namespaceDepth != b.namespaceDepth) return a.namespaceDepth > b.namespaceDepth ? -1 : 1;
    }
    const bool aAuthored = a.origin == a.parent, bAuthored = b.origin == b.parent;
    auto sameSite = [&](int x, int y) { return node(x).layerStack == node(y).layerStack && node(x).path == node(y).path; };
    if (a.origin == b.origin) {
      if (!aAuthored && !bAuthored) {
        const bool aImplied = !sameSite(ia, a.origin), bImplied = !sameSite(ib, b.origin);
        if (aImplied != bImplied) return aImplied ? -1 : 1;
        return 0;
      }
    } else {
      if (ra != rb) {
        originIsStronger(ra, rb, result);
        return result;
      }
      // The namespace depth of the prim that inherits or specializes the
      // class hierarchy each origin belongs to: shallower is stronger.
      auto hierarchyDepth = [&](int n) {
        int instance = n;
        if (isClassBasedArc(node(n).arcType))
          instance = node(g_.classRunTop(n)).parent;
        while (instance >= 0 && node(instance).arcType == ArcType::Relocate) instance = node(instance).parent;
        return instance >= 0 ? node(instance).namespaceDepth : 0;
      };
      const int ha = aAuthored ? 0 : hierarchyDepth(a.origin);
      const int hb = bAuthored ? 0 : hierarchyDepth(b.origin);
      if (ha != hb) return ha < hb ? -1 : 1;
      if (da != db) return da > db ? -1 : 1;
      if (a.layerStack == node(0).layerStack && b.layerStack == node(0).layerStack && !aAuthored && !bAuthored) {
        const bool aImplied = !sameSite(ia, a.origin), bImplied = !sameSite(ib, b.origin);
        if (aImplied != bImplied) return aImplied ? -1 : 1;
      }
      originIsStronger(a.origin, b.origin, result);
      return result;
    }
  } else {
    if (a.namespaceDepth != b.namespaceDepth) return a.namespaceDepth > b.namespaceDepth ? -1 : 1;
    if (a.origin != b.origin) {
      if (originIsStronger(a.origin, b.origin, result)) return result;
    }
  }
  if (a.siblingNumAtOrigin != b.siblingNumAtOrigin) return a.siblingNumAtOrigin < b.siblingNumAtOrigin ? -1 : 1;
  return 0;
}

int Indexer::insertChild(int parent, PrimIndexNode child) {
  child.parent = parent;
  int id = static_cast<int>(g_.nodes.size());
  g_.nodes.push_back(std::move(child));
  updateMapsToRoot(id);
  auto& kids = node(parent).children;
  std::size_t pos = kids.size();
  for (std::size_t i = 0; i < kids.size(); ++i) {
    if (compareSiblings(id, kids[i]) < 0) { pos = i; break; }
  }
  kids.insert(kids.begin() + static_cast<std::ptrdiff_t>(pos), id);
  g_.facts.treeChanged();
  return id;
}

int Indexer::appendSubgraph(int parent, PrimIndexGraph&& sub, const PrimIndexNode& arc) {
  const int base = static_cast<int>(g_.nodes.size());
  for (PrimIndexNode& n : sub.nodes) {
    if (n.parent >= 0) n.parent += base;
    if (n.origin >= 0) n.origin += base;
    for (int& c : n.children) c += base;
    g_.nodes.push_back(std::move(n));
  }
  PrimIndexNode& root = node(base);
  root.parent = parent;
  root.arcType = arc.arcType;
  root.origin = arc.origin;
  root.mapToParent = arc.mapToParent;
  root.siblingNumAtOrigin = arc.siblingNumAtOrigin;
  root.namespaceDepth = arc.namespaceDepth;
  root.introductionDepth = arc.introductionDepth;
  root.introducedPath = arc.introducedPath;
  root.introducedRootPrim = arc.introducedRootPrim;
  auto& kids = node(parent).children;
  std::size_t pos = kids.size();
  for (std::size_t i = 0; i < kids.size(); ++i)
    if (compareSiblings(base, kids[i]) < 0) { pos = i; break; }
  kids.insert(kids.begin() + static_cast<std::ptrdiff_t>(pos), base);
  g_.facts.treeChanged();
  updateMapsToRoot(base);
  if (sub.hasPayloads) g_.hasPayloads = true;
  return base;
}

void Indexer::updateMapsToRoot(int n) {
  std::vector<int> pending{n};
  while (!pending.empty()) {
    PrimIndexNode& x = node(pending.back());
    pending.pop_back();
    x.mapToRoot = x.parent < 0 ? MapExpression::identity() : MapExpression::compose(node(x.parent).mapToRoot, x.mapToParent);
    pending.insert(pending.end(), x.children.begin(), x.children.end());
  }
}

bool Indexer::isInSubtree(int n, int root) {
  for (; n >= 0; n = node(n).parent)
    if (n == root) return true;
  return false;
}

void Indexer::inertSubtree(int n) {
  for (int m : strengthOrder(n)) node(m).setInert(true);
}

std::vector<int> Indexer::strengthOrder(int from) {
  std::vector<int> out;
  std::vector<int> pending{from};
  while (!pending.empty()) {
    const int n = pending.back();
    pending.pop_back();
    out.push_back(n);
    const auto& kids = node(n).children;
    pending.insert(pending.end(), kids.rbegin(), kids.rend());
  }
  cache_.addWorkSteps(out.size());
  return out;
}

// ------------------------------------------------------------------- arcs

int Indexer::addArc(ArcType type, int parent, int origin, const std::shared_ptr<const LayerStack>& stack,
                    const Path& path, const MapFunction& map, int siblingNum, int namespaceDepth, ArcOptions opts) {
  if (exceedsCapacity(parent, *stack, path, opts.includeAncestral)) return -1;
  if (opts.checkCycles && checkCycle(parent, origin, type, *stack, path)) return -1;
  if (frame_ && frame_->skipDuplicateNodes) opts.skipDuplicateNodes = true;
  if (opts.skipDuplicateNodes) {
    // The site may already be in this graph, or (seen from the outer
    // graphs this recursive build is for) in any graph up the frames.
    Path site = path;
    const PrimIndexGraph* graph = &g_;
    auto duplicate = [&](const PrimIndexNode& x) {
      return !x.inert && !x.culled && x.layerStack == stack && x.path == site;
    };
    for (const BuildFrame* f = frame_;; f = f->previous) {
      // In this graph only the nodes filed under the site's root prim can
      // hold it: scanning every node for each arc made a chain of arcs
      // cost its length squared.
      SiteCandidates c;
      if (graph == &g_ && siteCandidates(*stack, site, g_.nodes.size(), c)) {
        cache_.addWorkSteps(c.size());
        for (const std::vector<int>* list : c.lists)
          if (list)
            for (int m : *list)
              if (duplicate(node(m))) return -1;
      } else {
        cache_.addWorkSteps(graph->nodes.size());
        for (const PrimIndexNode& x : graph->nodes)
          if (duplicate(x)) return -1;
      }
      if (!f) break;
      if (f->record) f->record->contextDependent = true;
      site = f->requestedPath.replacePrefix(graph->nodes.front().path, site);
      graph = f->outerGraph;
    }
  }
  PrimIndexNode arc;
  arc.layerStack = stack;
  arc.path = path;
  arc.arcType = type;
  arc.origin = origin;
  arc.mapToParent = map;
  arc.siblingNumAtOrigin = siblingNum;
  arc.namespaceDepth = namespaceDepth;
  arc.introductionDepth = nonVariantElementCount(path);
  arc.introducedPath = path;
  int id;
  if (!opts.includeAncestral) {
    if (!opts.contributes) { arc.inert = true; arc.restrictionDepth = 1; }
    arc.hasSpecs = siteHasPrimSpecs(*stack, path);
    id = insertChild(parent, std::move(arc));
  } else {
    BuildFrame frame;
    frame.previous = frame_;
    frame.outerGraph = &g_;
    frame.outerParent = parent;
    frame.requestedPath = path;
    frame.arcType = type;
    frame.arcMap = map;
    frame.skipDuplicateNodes = opts.skipDuplicateNodes;
    frame.depth = frame_ ? frame_->depth + 1 : 1;
    frame.outerStacks = &stacksInGraph();
    frame.capacityReached = capacityReached_;
    frame.errorsAtStart = errors_.size();
    // A relocation source's ancestors are memoised (see AncestralGraphs).
    BuildRecord record;
    if (type == ArcType::Relocate && !frame.skipDuplicateNodes) frame.record = &record;
    frame.outermostRecorded = frame_ && frame_->outermostRecorded ? frame_->outermostRecorded
                              : frame.record                      ? &frame
                                                                  : nullptr;
    PrimIndexGraph sub;
    Indexer inner(cache_, sub, errors_, &frame, false, false);
    inner.build(stack, path, opts.contributes);
    if (frame.abandoned) {
      // What the build reported is dropped with it; one error says why.
      errors_.resize(frame.errorsAtStart);
      const PrimIndexOptions& limits = cache_.options();
      errors_.push_back({CompositionErrorKind::CapacityExceeded,
                         "Composition graph capacity exceeded: composing " + siteText(*stack, path) +
                             " here takes more than " + std::to_string(limits.maxIndexNodes) +
                             " nodes or arcs nested more than " + std::to_string(limits.maxNestedBuilds) +
                             " deep; the arc from " + siteText(*node(parent).layerStack, node(parent).path) + " to " +
                             siteText(*stack, path) + " and any further arcs are ignored."});
      return -1;
    }
    if (abandoned()) return -1;
    id = appendSubgraph(parent, std::move(sub), arc);
    // The nested build has implied the classes inside the sub-graph up to
    // its root (for a relocation source: inert placeholders where the
    // class maps onto the source itself), so addTasksForNode only carries
    // them on from the new node, as for any arc.
    opts.skipTasksForExpressedArcs = true;
  }
  addTasksForNode(id, opts.skipTasksForExpressedArcs, opts.skipImpliedSpecializes,
                  evalVariants_ && opts.includeAncestral);
  if (path.isAbsoluteRoot()) inertSubtree(id);
  return id;
}

void Indexer::evalRefsOrPayloads(int n, bool payloads) {
  if (!node(n).canContributeSpecs()) return;
  const auto stack = node(n).layerStack;
  const Path nodePath = node(n).path;
  const AssetResolver& resolver = cache_.layerStacks().registry().resolver();
  struct Arc {
    std::string asset;
    Path primPath;
    LayerOffset offset;
  };
  std::vector<Arc> arcs;
  std::vector<std::size_t> touched;
  // Expression asset paths evaluate with the stack's variables; an empty
  // result or a failure drops the arc (failures are reported).
  const std::string kDropped = "\x01dropped";
  auto evalAsset = [&](const std::string& asset, const Layer& l) -> std::string {
    if (!isVariableExpression(asset)) return asset;
    Expected<std::string> value = evaluateVariableExpression(asset, stack->expressionVariables());
    if (!value) {
      errors_.push_back({CompositionErrorKind::ExpressionError,
                         "Error evaluating expression " + asset + " for " + (payloads ? "payload" : "reference") +
                             " at " + nodePath.string() + " in @" + l.identifier() + "@: " + value.error().message});
      return kDropped;
    }
    return value->empty() ? kDropped : *value;
  };
  auto dropExpressionFailures = [&](auto& list, std::vector<std::size_t>& layers) {
    for (std::size_t k = list.size(); k-- > 0;)
      if (list[k].assetPath.find(kDropped) != std::string::npos) {
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(k));
        layers.erase(layers.begin() + static_cast<std::ptrdiff_t>(k));
      }
  };
  if (payloads) {
    auto list = composeListField<Payload>(*stack, nodePath, fieldNames().payload,
                                          [&](const Payload& p, const Layer& l) {
                                            Payload a = p;
                                            a.assetPath = resolver.anchor(evalAsset(p.assetPath, l), l.identifier());
                                            return a;
                                          }, &touched);
    dropExpressionFailures(list, touched);
    for (auto& p : list) arcs.push_back({p.assetPath, p.primPath, p.layerOffset});
  } else {
    auto list = composeListField<Reference>(*stack, nodePath, fieldNames().references,
                                            [&](const Reference& r, const Layer& l) {
                                              Reference a = r;
                                              a.assetPath = resolver.anchor(evalAsset(r.assetPath, l), l.identifier());
                                              return a;
                                            }, &touched);
    dropExpressionFailures(list, touched);
    for (auto& r : list) arcs.push_back({r.assetPath, r.primPath, r.layerOffset});
  }
  if (arcs.empty()) return;
  const ArcType type = payloads ? ArcType::Payload : ArcType::Reference;
  if (payloads) {
    g_.hasPayloads = true;
    if (cache_.options().includePayload) {
      markContextDependent();  // which payloads load depends on where the outer graphs put this one
      Path inRoot = node(n).mapToRoot.mapSourceToTarget(stripVariants(nodePath));
      for (const BuildFrame* f = frame_; f && !inRoot.empty(); f = f->previous) {
        inRoot = f->arcMap.mapSourceToTarget(inRoot);
        if (!inRoot.empty())
          inRoot = f->outerGraph->nodes[static_cast<std::size_t>(f->outerParent)].mapToRoot.mapSourceToTarget(inRoot);
      }
      if (!inRoot.empty() && !cache_.options().includePayload(inRoot)) return;
    }
  }
  const char* what = payloads ? "payload" : "reference";
  for (std::size_t i = 0; i < arcs.size(); ++i) {
    const Arc& a = arcs[i];
    const LayerStackEntry& authoring = stack->layers()[touched[i]];
    if (!a.primPath.empty() && (!a.primPath.isAbsolute() || !a.primPath.isPrimPath() ||
                                a.primPath.containsPrimVariantSelection())) {
      errors_.push_back({CompositionErrorKind::InvalidPrimPath,
                         std::string("Invalid ") + what + " path <" + a.primPath.string() + "> introduced by " +
                             formatSite(authoring.layer->identifier(), nodePath.string()) +
                             "-- must be an absolute prim path with no variant selections."});
      continue;
    }
    LayerOffset offset = composeOffsets(authoring.offset, a.offset);
    std::shared_ptr<const LayerStack> target;
    std::shared_ptr<const Layer> targetLayer;
    if (a.asset.empty()) {
      target = stack;
      targetLayer = stack->rootLayer();
    } else {
      Expected<std::shared_ptr<const Layer>> layer = cache_.layerStacks().registry().open(a.asset);
      if (!layer) {
        errors_.push_back({CompositionErrorKind::InvalidAssetPath,
                           "Could not open asset @" + a.asset + "@ for " + what + " introduced by " +
                               formatSite(authoring.layer->identifier(), nodePath.string()) + "."});
        continue;
      }
      targetLayer = *layer;
      target = cache_.layerStacks().get(targetLayer, nullptr, stack->expressionVariables());
      const double authTcps = timeCodesPerSecond(*authoring.layer);
      if (cache_.layerStacks().options().scaleByTimeCodesPerSecond && authTcps != target->timeCodesPerSecond())
        offset.scale *= authTcps / target->timeCodesPerSecond();
    }
    Path targetPath = a.primPath;
    bool unresolved = false;
    if (targetPath.empty()) {
      const Token* dp = targetLayer->pseudoRoot().getAs<Token>(fieldNames().defaultPrim);
      if (dp && !dp->empty()) {
        auto parsed = Path::parse(dp->str());
        if (parsed && !parsed->isAbsolute()) parsed = parsed->makeAbsolute(Path::absoluteRoot());
        if (parsed && parsed->isPrimPath() && !parsed->containsPrimVariantSelection()) targetPath = *parsed;
      }
      if (targetPath.empty()) {
        errors_.push_back({CompositionErrorKind::UnresolvedPrimPath,
                           "Unresolved " + std::string(what) + " prim path " +
                               formatSite(targetLayer->identifier(), "defaultPrim") + " introduced by " +
                               formatSite(authoring.layer->identifier(), nodePath.string())});
        targetPath = Path::absoluteRoot();
        unresolved = true;
      }
    }
    MapFunction map = arcMap(targetPath, *stack, nodePath, offset);
    if (a.asset.empty()) map = map.withRootIdentity();
    ArcOptions opts;
    opts.includeAncestral = !unresolved && !targetPath.isRootPrimPath() && !targetPath.isAbsoluteRoot();
    int added = addArc(type, n, n, target, targetPath, map, static_cast<int>(i), nonVariantElementCount(nodePath), opts);
    if (added >= 0) node(added).arcLayer = authoring.layer.get();
  }
}

void Indexer::evalClassArcs(int n, ArcType type) {
  if (!node(n).canContributeSpecs()) return;
  const auto stack = node(n).layerStack;
  const Path nodePath = node(n).path;
  Token field = type == ArcType::Inherit ? fieldNames().inheritPaths : fieldNames().specializes;
  std::vector<std::size_t> touched;  // the layer that authored each path, named in errors
  std::vector<Path> paths = composeListField<Path>(*stack, nodePath, field, {}, &touched);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const Path& c = paths[i];
    if (!c.isAbsolute() || !c.isPrimPath() || c.containsPrimVariantSelection()) {
      errors_.push_back({CompositionErrorKind::InvalidPrimPath,
                         std::string("Invalid ") + (type == ArcType::Inherit ? "inherit" : "specialize") + " path <" +
                             c.string() + "> introduced by " +
                             formatSite(stack->layers()[touched[i]].layer->identifier(), nodePath.string()) +
                             "-- must be an absolute prim path with no variant selections."});
      continue;
    }
    MapFunction map = arcMap(c, *stack, nodePath, LayerOffset{}).withRootIdentity();
    addClassArc(type, n, n, map, static_cast<int>(i), nullptr);
  }
}

int Indexer::addClassArc(ArcType type, int parent, int origin, const MapFunction& map, int num,
                         const PrimIndexNode* ignoreSite) {
  Path classPath = map.mapTargetToSource(stripVariants(node(parent).path));
  if (classPath.empty()) return -1;
  const auto stack = node(parent).layerStack;
  // An arc the parent already has stands for this one. Below a relocation
  // source (a relocate node, or the root of its nested build) the sites of
  // implied classes say little, since their maps hold the relocations the
  // source's own path does not: there the arc is known by its type, its
  // map and how far below its introduction its origin is.
  const ArcType parentArc = node(parent).parent < 0 && frame_ ? frame_->arcType : node(parent).arcType;
  const int originDepth = node(origin).depthBelowIntroduction();
  for (int c : node(parent).children) {
    const PrimIndexNode& x = node(c);
    const bool same = parentArc == ArcType::Relocate
                          ? x.arcType == type && x.mapToParent == map && x.origin >= 0 &&
                                node(x.origin).depthBelowIntroduction() == originDepth
                          : x.layerStack == stack && x.path == classPath;
    if (same) return c;
  }
  ArcOptions opts;
  opts.contributes = classPath != node(parent).path &&
                     !(ignoreSite && ignoreSite->layerStack == stack && ignoreSite->path == classPath);
  opts.skipDuplicateNodes = opts.contributes;
  opts.includeAncestral = opts.contributes && !classPath.isRootPrimPath();
  return addArc(type, parent, origin, stack, classPath, map, num, nonVariantElementCount(node(parent).path), opts);
}

void Indexer::evalImpliedClasses(int n) {
  if (node(n).parent < 0) return;
  const PrimIndexNode& x = node(n);
  if (x.arcType == ArcType::Specialize && x.parent == 0 && x.origin >= 0 &&
      node(x.origin).layerStack == x.layerStack && node(x.origin).path == x.path)
    return;  // a propagated specializes node
  if (!hasClassBasedChild(n)) return;
  evalImpliedClassTree(node(n).parent, n, node(n).mapToParent.withRootIdentity(), true);
}

void Indexer::evalImpliedClassTree(int dest, int src, const MapFunction& transfer, bool startOfTree) {
  // Classes are not implied onto a relocate node of this graph but onto
  // its parent (the relocate node is queued so that class hierarchies
  // starting below it move on too). The root of a relocation source's
  // nested build does take them, as the placeholders that carry them on
  // once the sub-graph is in place; their origins there decide the
  // strength of what they imply further up.
  MapFunction toDest = transfer;
  while (node(dest).arcType == ArcType::Relocate && node(dest).parent >= 0) {
    toDest = node(dest).mapToParent.withRootIdentity().compose(toDest);
    addTask({TaskType::ImpliedClasses, dest, {}, 0, {}});
    dest = node(dest).parent;
  }
  // Depth first over the class hierarchy below `src` (as deep as the input
  // makes it), in the order a recursion would add the implied arcs.
  struct Level {
    int dest, src;
    MapFunction transfer;
    bool startOfTree;
    std::vector<int> kids;  // src's children when the level began
    std::size_t next = 0;
  };
  std::vector<Level> levels;
  levels.push_back({dest, src, std::move(toDest), startOfTree, node(src).children});
  while (!levels.empty()) {
    Level& l = levels.back();
    if (l.next == l.kids.size()) {
      levels.pop_back();
      continue;
    }
    const int c = l.kids[l.next++];
    if (!isClassBasedArc(node(c).arcType)) continue;
    if (l.startOfTree && isClassBasedArc(node(l.src).arcType) &&
        node(c).depthBelowIntroduction() == node(l.src).depthBelowIntroduction())
      continue;
    // Composition of these partial maps is not associative (a pair that
    // one step maps can be blocked by the next): the class arc is composed
    // with the way back first, then carried over, as Pcp evaluates it.
    MapFunction implied = l.transfer.isIdentity()
                              ? node(c).mapToParent
                              : l.transfer.compose(node(c).mapToParent.compose(l.transfer.inverse()));
    implied = implied.withRootIdentity();
    int d = -1;
    for (int k : node(l.dest).children)
      if (node(k).origin == c && node(k).mapToParent == implied) { d = k; break; }
    if (d < 0) {
      PrimIndexNode ignore = node(c);
      d = addClassArc(node(c).arcType, l.dest, c, implied, node(c).siblingNumAtOrigin, &ignore);
    }
    if (d >= 0 && hasClassBasedChild(c)) {
      // Up from c, across, then down to d (grouped as Pcp groups it).
      MapFunction next = implied.inverse().compose(l.transfer.compose(node(c).mapToParent));
      levels.push_back({d, c, std::move(next), false, node(c).children});  // `l` is invalid from here
    }
  }
}

bool Indexer::isPropagatedSpecializes(int n) {
  const PrimIndexNode& x = node(n);
  return x.arcType == ArcType::Specialize && x.parent == 0 && x.origin >= 0 &&
         node(x.origin).layerStack == x.layerStack && node(x.origin).path == x.path;
}

void Indexer::evalImpliedSpecializes(int n) {
  if (node(n).parent < 0) return;
  if (isPropagatedSpecializes(n)) {
    // Arcs found below a copy at the root go back to where the specializes
    // arc was authored, so classes are implied from there, then come back.
    const int origin = node(n).origin;
    for (int c : std::vector<int>(node(n).children)) propagateArcsToOrigin(origin, c, node(c).mapToParent, n);
    return;
  }
  findSpecializesToPropagate(n);
}

void Indexer::findSpecializesToPropagate(int from) {
  // Pre-order; each node's children are read after it is handled (the
  // propagation adds nodes under the root, not below the ones to visit).
  std::vector<int> pending{from};
  while (!pending.empty()) {
    const int n = pending.back();
    pending.pop_back();
    // A class placeholder below a relocate node (an implied arc onto the
    // relocation source's own site) only carries classes up the graph: no
    // opinions, so nothing below it to propagate.
    const int parent = node(n).parent;
    if (parent >= 0 && node(n).origin != parent && node(parent).arcType == ArcType::Relocate &&
        node(parent).layerStack == node(n).layerStack && node(parent).path == node(n).path)
      continue;
    if (node(n).arcType == ArcType::Specialize && node(n).parent != 0) {
      node(n).setInert(false);
      propagateSpecializesTree(0, n, node(n).mapToRoot.evaluate(), n);
    }
    const auto& kids = node(n).children;
    pending.insert(pending.end(), kids.rbegin(), kids.rend());
  }
}

int Indexer::propagateNodeToParent(int parent, int src, bool skipImpliedSpecializes, bool skipExpressedArcs,
                                   const MapFunction& map, int srcTreeRoot) {
  if (node(src).parent == parent) return src;
  int newNode = -1;
  for (int c : node(parent).children)
    if (node(c).layerStack == node(src).layerStack && node(c).path == node(src).path &&
        node(c).arcType == node(src).arcType) { newNode = c; break; }
  if (newNode < 0) {
    const bool impliedClass = isClassBasedArc(node(src).arcType) && node(src).origin != node(src).parent;
    if (!impliedClass || !isInSubtree(node(src).origin, srcTreeRoot)) {
      const int depth = src == srcTreeRoot ? nonVariantElementCount(node(parent).path) : node(src).namespaceDepth;
      const int origin = (src == srcTreeRoot || impliedClass) ? src : parent;
      ArcOptions opts;
      opts.contributes = !node(src).inert;
      opts.skipImpliedSpecializes = skipImpliedSpecializes;
      opts.skipTasksForExpressedArcs = skipExpressedArcs;
      opts.checkCycles = false;
      PrimIndexNode copy = node(src);
      newNode = addArc(copy.arcType, parent, origin, copy.layerStack, copy.path, map, copy.siblingNumAtOrigin, depth,
                       opts);
    }
  }
  if (newNode >= 0) {
    node(newNode).setInert(node(src).inert);
    node(src).setInert(true);
  } else {
    inertSubtree(src);
  }
  return newNode;
}

void Indexer::propagateTree(int parent, int src, const MapFunction& map, int srcTreeRoot, bool toOrigin) {
  // Pre-order over the source tree, each node copied under the copy of its
  // parent; a source node's children are read once it has been copied.
  struct Step {
    int parent, src;
    MapFunction map;
  };
  std::vector<Step> pending;
  pending.push_back({parent, src, map});
  while (!pending.empty()) {
    Step s = std::move(pending.back());
    pending.pop_back();
    const int newNode = propagateNodeToParent(s.parent, s.src, !toOrigin, toOrigin, s.map, srcTreeRoot);
    if (newNode < 0) continue;
    const std::vector<int> kids = node(s.src).children;
    for (auto it = kids.rbegin(); it != kids.rend(); ++it)
      if (toOrigin || node(*it).arcType != ArcType::Specialize) pending.push_back({newNode, *it, node(*it).mapToParent});
  }
}

void Indexer::propagateSpecializesTree(int parent, int src, const MapFunction& map, int srcTreeRoot) {
  propagateTree(parent, src, map, srcTreeRoot, false);
}

void Indexer::propagateArcsToOrigin(int parent, int src, const MapFunction& map, int srcTreeRoot) {
  propagateTree(parent, src, map, srcTreeRoot, true);
}

// ------------------------------------------------------------------ build

void Indexer::addRoot(const std::shared_ptr<const LayerStack>& stack) {
  PrimIndexNode root;
  root.layerStack = stack;
  root.path = Path::absoluteRoot();
  root.introducedPath = root.path;
  root.mapToParent = MapFunction::identity();
  root.mapToRoot = MapExpression::identity();
  root.hasSpecs = true;
  g_.nodes.push_back(std::move(root));
  g_.facts.treeChanged();
}

void Indexer::build(const std::shared_ptr<const LayerStack>& stack, const Path& path, bool rootContributes) {
  if (path.isAbsoluteRoot() || path.empty()) {
    addRoot(stack);
    return;
  }
  if (!frame_ && evalImpliedSpecializes_ && stack.get() == &cache_.rootLayerStack()) {
    const PrimIndex& parentIndex = cache_.get(path.parent());
    g_.nodes.assign(parentIndex.nodes().begin(), parentIndex.nodes().end());
    g_.facts.clear();
    extend(stack, path, rootContributes, parentIndex.isInstanceable());
    return;
  }
  // A recursive build for an arc's target (which does not instance: only
  // the stage's own prims are instances) composes each ancestor in turn
  // from the root down, each by an indexer of its own, as a recursion per
  // namespace level would, without the stack depth.
  std::vector<Path> ancestors;
  for (Path p = path.parent(); !p.isAbsoluteRoot() && !p.empty(); p = p.parent()) ancestors.push_back(p);
  if (buildAncestors(stack, ancestors)) extend(stack, path, rootContributes, false);
}

void Indexer::extend(const std::shared_ptr<const LayerStack>& stack, const Path& path, bool rootContributes,
                     bool ancestorInstanceable) {
  if (ancestorInstanceable) {
    // Inside an instance only the instanceable nodes' subtrees count.
    std::vector<int> pending{0};
    while (!pending.empty()) {
      const int n = pending.back();
      pending.pop_back();
      PrimIndexNode& x = node(n);
      bool instanceable = false;
      if (n != 0 && x.hasSpecs) {
        for (int m = n; m > 0; m = node(m).parent)
          if (!node(m).dueToAncestor) { instanceable = true; break; }
      }
      if (instanceable) continue;
      x.setInert(true);
      pending.insert(pending.end(), x.children.rbegin(), x.children.rend());
    }
  }
  const Path parentPath = path.parent();
  for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
    PrimIndexNode& x = g_.nodes[i];
    x.path = x.path == parentPath ? path : x.path.appendChild(path.name());
    if (x.hasSpecs) x.hasSpecs = siteHasPrimSpecs(*x.layerStack, x.path);
    if (i != 0) x.dueToAncestor = true;
  }
  g_.hasPayloads = false;
  if (!rootContributes) node(0).setInert(true);
  // A prim at a relocation source is prohibited: nothing composes there.
  {
    int prohibitedAt = -1;
    for (std::vector<int> pending{0}; !pending.empty() && prohibitedAt < 0;) {
      const PrimIndexNode& x = node(pending.back());
      const int n = pending.back();
      pending.pop_back();
      if (x.culled) continue;
      if (!x.inert && x.layerStack->incrementalRelocateTargetFor(x.path)) prohibitedAt = n;
      pending.insert(pending.end(), x.children.rbegin(), x.children.rend());
    }
    if (prohibitedAt >= 0) {
      if (frame_) {
        const PrimIndexNode& parent = frame_->outerGraph->nodes[static_cast<std::size_t>(frame_->outerParent)];
        const char* verb = "refer to:\n";
        switch (frame_->arcType) {
          case ArcType::Inherit: verb = "inherit from:\n"; break;
          case ArcType::Relocate: verb = "be relocated from:\n"; break;
          case ArcType::Variant: verb = "use variant:\n"; break;
          case ArcType::Reference: verb = "reference:\n"; break;
          case ArcType::Payload: verb = "get payload from:\n"; break;
          default: break;
        }
        const PrimIndexNode& at = node(prohibitedAt);
        errors_.push_back({CompositionErrorKind::ArcToProhibitedChild,
                           siteText(*parent.layerStack, parent.path) + "\nCANNOT " + verb +
                               siteText(*stack, frame_->requestedPath) +
                               "\nwhich is a prohibited child of its parent because it would require allowing "
                               "opinions from the source of a relocation at " +
                               siteText(*at.layerStack, at.path) + "."});
      }
      node(0).setInert(true);
      for (int c : std::vector<int>(node(0).children)) elideSubtree(c);
      return;
    }
  }
  addTasksRecursively(0, false, false);
  Task t;
  while (popTask(t)) {
    if (abandoned()) return;
    if (t.node >= static_cast<int>(g_.nodes.size())) continue;
    switch (t.type) {
      case TaskType::Relocations: evalRelocations(t.node); break;
      case TaskType::ImpliedRelocations: evalImpliedRelocations(t.node); break;
      case TaskType::References: evalRefsOrPayloads(t.node, false); break;
      case TaskType::Payloads: evalRefsOrPayloads(t.node, true); break;
      case TaskType::Inherits: evalClassArcs(t.node, ArcType::Inherit); break;
      case TaskType::Specializes: evalClassArcs(t.node, ArcType::Specialize); break;
      case TaskType::ImpliedClasses: evalImpliedClasses(t.node); break;
      case TaskType::ImpliedSpecializes: evalImpliedSpecializes(t.node); break;
      case TaskType::VariantSets: evalVariantSets(t.node, node(t.node).path, false); break;
      case TaskType::VariantAuthored: evalVariant(t, false, false); break;
      case TaskType::VariantFallback: evalVariant(t, true, false); break;
      case TaskType::VariantNoneFound: break;
      case TaskType::AncestralVariantSets: evalAncestralVariantSets(t.node); break;
      case TaskType::AncestralVariantAuthored: evalVariant(t, false, true); break;
      case TaskType::AncestralVariantFallback: evalVariant(t, true, true); break;
      case TaskType::AncestralVariantNoneFound: break;
      case TaskType::UnresolvedPrimPath: evalUnresolvedPrimPath(t.node); break;
    }
  }
}

}  // namespace detail
}  // namespace usdkit
