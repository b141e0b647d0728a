// Variant selection (authored, ancestral, fallbacks), relocations and the
// unresolved-prim-path check of the prim indexer.
#include <algorithm>
#include <functional>

#include "compose/PrimIndexer.h"
#include "compose/VariableExpressions.h"

namespace usdkit::detail {

void Indexer::evalVariantSets(int n, const Path& vsetPath, bool ancestral) {
  if (ancestral) {
    const int depth = node(n).restrictionDepth;
    if (depth != 0 && depth <= static_cast<int>(vsetPath.elementCount())) return;
  } else if (!node(n).canContributeSpecs()) {
    return;
  }
  std::vector<std::string> names =
      composeListField<std::string>(*node(n).layerStack, vsetPath, fieldNames().variantSetNames, {});
  for (std::size_t k = 0; k < names.size(); ++k)
    addTask({ancestral ? TaskType::AncestralVariantAuthored : TaskType::VariantAuthored, n, names[k],
             static_cast<int>(k), vsetPath});
}

void Indexer::evalAncestralVariantSets(int n) {
  for (Path p = node(n).path.parent(); !p.empty() && !p.isAbsoluteRoot() && p.isAbsolute(); p = p.parent()) {
    evalVariantSets(n, p, true);
    if (p.isPrimVariantSelectionPath()) break;
  }
}

std::vector<std::string> Indexer::variantOptions(int n, const Path& vsetPath, const std::string& vset) {
  std::vector<std::string> out;
  Path setPath = vsetPath.appendVariantSelection(vset, "");
  for (const LayerStackEntry& e : node(n).layerStack->layers()) {
    for (const Token& t : e.layer->variantNames(setPath))
      if (std::find(out.begin(), out.end(), t.str()) == out.end()) out.push_back(t.string());
  }
  return out;
}

// The site whose variant selections count for node `x`, given the prim's
// path `p` in its namespace: the node's own variant selections kept.
static Path selectionSite(const PrimIndexNode& x, const Path& p) {
  if (!x.path.containsPrimVariantSelection()) return p;
  for (Path vp = x.path; !vp.empty() && !vp.isAbsoluteRoot(); vp = vp.parent())
    if (vp.isPrimVariantSelectionPath() && p.hasPrefix(stripVariants(vp))) return p.replacePrefix(stripVariants(vp), vp);
  return p;
}

void Indexer::indexSelections() {
  SelectionIndex& s = selections_;
  for (; s.indexed < g_.nodes.size(); ++s.indexed) {
    const int m = static_cast<int>(s.indexed);
    const PrimIndexNode& x = node(m);
    cache_.addWorkSteps(1);
    // Parents are created before their children.
    const int up = x.parent;
    s.identityToRoot.push_back(up < 0 || (s.identityToRoot[static_cast<std::size_t>(up)] && x.mapToParent.isIdentity()));
    Path p;
    if (up < 0) p = stripVariants(x.path);
    else if (const Path& above = s.primPath[static_cast<std::size_t>(up)]; !above.empty())
      p = x.mapToParent.mapTargetToSource(above);
    s.primPath.push_back(p);
    if (p.empty()) continue;
    if (x.arcType == ArcType::Variant) {
      Path vp = x.path;
      while (!vp.empty() && !vp.isAbsoluteRoot() && !vp.isPrimVariantSelectionPath()) vp = vp.parent();
      if (!vp.empty() && !vp.isAbsoluteRoot() && p == stripVariants(vp)) {
        auto [set, sel] = vp.variantSelection();
        auto it = s.chosen.find(set);
        if (it == s.chosen.end()) it = s.chosen.emplace(std::string(set), std::vector<std::pair<int, std::string>>{}).first;
        it->second.emplace_back(m, std::string(sel));
      }
    }
    const Path site = selectionSite(x, p);
    std::vector<std::string_view> seen;  // sets a stronger layer of this node decided
    for (const LayerStackEntry& e : x.layerStack->layers()) {
      const Spec* spec = e.layer->findSpec(site);
      if (!spec) continue;
      const VariantSelectionMap* sels = spec->getAs<VariantSelectionMap>(fieldNames().variantSelection);
      if (!sels) continue;
      for (const auto& [set, sel] : sels->selections) {
        if (std::find(seen.begin(), seen.end(), set) != seen.end()) continue;
        std::optional<std::string> value = authoredSelection(sel, *x.layerStack, *e.layer, site);
        if (!value) continue;
        seen.push_back(set);
        s.authored[set].emplace_back(m, std::move(*value));
      }
    }
  }
}

bool Indexer::selectionFromIndex(int n, const Path& pathInNode, const std::string& vset, std::string& out) {
  // Only for the prim's own path seen from a node that maps to the root
  // unchanged (its own variant sets): other paths map differently.
  indexSelections();
  const SelectionIndex& s = selections_;
  if (!s.identityToRoot[static_cast<std::size_t>(n)] || stripVariants(pathInNode) != s.primPath[0]) return false;
  std::vector<int> position;  // strength positions, computed when two candidates compete
  auto strongest = [&](const std::vector<std::pair<int, std::string>>* list, bool contributing) -> const std::string* {
    if (!list) return nullptr;
    const std::pair<int, std::string>* best = nullptr;
    for (const auto& c : *list) {
      cache_.addWorkSteps(1);
      if (contributing && !node(c.first).canContributeSpecs()) continue;
      if (best && position.empty()) {
        const std::vector<int> order = strengthOrder(0);
        position.assign(g_.nodes.size(), 0);
        for (std::size_t i = 0; i < order.size(); ++i) position[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
      }
      if (!best || position[static_cast<std::size_t>(c.first)] < position[static_cast<std::size_t>(best->first)]) best = &c;
    }
    return best ? &best->second : nullptr;
  };
  auto find = [](const auto& map, const std::string& key) { auto it = map.find(key); return it == map.end() ? nullptr : &it->second; };
  // A variant already chosen for this set at this prim wins.
  const std::string* sel = strongest(find(s.chosen, vset), false);
  if (!sel) sel = strongest(find(s.authored, vset), true);
  out = sel ? *sel : std::string();
  return true;
}

std::string Indexer::composeVariantSelection(int n, const Path& pathInNode0, const std::string& vset) {
  if (std::string sel; selectionFromIndex(n, pathInNode0, vset, sel)) return sel;
  // Translate the prim path up toward the root as far as it maps.
  int start = n;
  Path pathInStart = stripVariants(pathInNode0);
  while (node(start).parent >= 0) {
    Path up = node(start).mapToParent.mapSourceToTarget(pathInStart);
    if (up.empty()) break;
    pathInStart = up;
    start = node(start).parent;
  }
  const std::vector<int> order = strengthOrder(start);
  // pathInStart mapped from `start` down into each node's namespace,
  // parents before children (strength order), each mapping done once: a
  // chain of nested variants is as deep as the input makes it.
  std::vector<Path> mapped(g_.nodes.size());
  std::vector<char> isMapped(g_.nodes.size(), 0);
  auto pathInNode = [&](int m) -> const Path& {
    if (!isMapped[static_cast<std::size_t>(m)]) {
      std::vector<int> chain;
      for (int k = m; k != start && k >= 0 && !isMapped[static_cast<std::size_t>(k)]; k = node(k).parent) chain.push_back(k);
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const int k = *it;
        const int up = node(k).parent;
        const Path& above = (k == start || up < 0) ? pathInStart
                            : (isMapped[static_cast<std::size_t>(up)] ? mapped[static_cast<std::size_t>(up)] : pathInStart);
        mapped[static_cast<std::size_t>(k)] = above.empty() ? Path() : node(k).mapToParent.mapTargetToSource(above);
        cache_.addWorkSteps(1);
        isMapped[static_cast<std::size_t>(k)] = 1;
      }
    }
    return m == start ? pathInStart : mapped[static_cast<std::size_t>(m)];
  };
  // A variant already chosen for this set at this prim wins.
  for (int m : order) {
    const PrimIndexNode& x = node(m);
    if (x.arcType != ArcType::Variant) continue;
    // The variant-selection element this node's arc introduced.
    Path vp = x.path;
    while (!vp.empty() && !vp.isAbsoluteRoot() && !vp.isPrimVariantSelectionPath()) vp = vp.parent();
    if (vp.empty() || vp.isAbsoluteRoot()) continue;
    auto [set, sel] = vp.variantSelection();
    if (set != vset) continue;
    if (pathInNode(m) == stripVariants(vp)) return std::string(sel);
  }
  for (int m : order) {
    const PrimIndexNode& x = node(m);
    if (!x.canContributeSpecs()) continue;
    Path p = pathInNode(m);
    if (p.empty()) continue;
    const Path site = selectionSite(x, p);
    for (const LayerStackEntry& e : x.layerStack->layers()) {
      const Spec* spec = e.layer->findSpec(site);
      if (!spec) continue;
      const VariantSelectionMap* sels = spec->getAs<VariantSelectionMap>(fieldNames().variantSelection);
      if (!sels) continue;
      auto it = sels->selections.find(vset);
      if (it == sels->selections.end()) continue;
      if (std::optional<std::string> value = authoredSelection(it->second, *x.layerStack, *e.layer, site)) return *value;
    }
  }
  return {};
}

std::optional<std::string> Indexer::authoredSelection(const std::string& selection, const LayerStack& stack,
                                                      const Layer& layer, const Path& site) {
  if (!isVariableExpression(selection)) return selection;
  Expected<std::string> value = evaluateVariableExpression(selection, stack.expressionVariables());
  if (value) return std::move(*value);
  errors_.push_back({CompositionErrorKind::ExpressionError, "Error evaluating expression " + selection +
                                                                " for variant at " + site.string() + " in @" +
                                                                layer.identifier() + "@: " + value.error().message});
  return std::nullopt;
}

void Indexer::evalVariant(const Task& t, bool allowFallback, bool ancestral) {
  const int n = t.node;
  const auto key = std::make_tuple(n, t.vsetPath, t.vset);
  if (std::find(decidedVariants_.begin(), decidedVariants_.end(), key) != decidedVariants_.end()) return;
  std::string sel = composeVariantSelection(n, t.vsetPath, t.vset);
  if (sel.empty()) {
    std::string fallback;
    auto it = cache_.options().variantFallbacks.find(t.vset);
    if (it != cache_.options().variantFallbacks.end()) {
      std::vector<std::string> options = variantOptions(n, t.vsetPath, t.vset);
      for (const std::string& f : it->second)
        if (std::find(options.begin(), options.end(), f) != options.end()) { fallback = f; break; }
    }
    Task next = t;
    if (fallback.empty()) {
      next.type = ancestral ? TaskType::AncestralVariantNoneFound : TaskType::VariantNoneFound;
      addTask(next);
      return;
    }
    if (!allowFallback) {
      next.type = ancestral ? TaskType::AncestralVariantFallback : TaskType::VariantFallback;
      addTask(next);
      return;
    }
    sel = fallback;
  }
  decidedVariants_.push_back(key);
  const auto stack = node(n).layerStack;
  ArcOptions opts;
  Path site;
  if (ancestral) {
    site = node(n).path.replacePrefix(t.vsetPath, t.vsetPath.appendVariantSelection(t.vset, sel));
    opts.includeAncestral = true;
    for (int m = n; m > 0; m = node(m).parent)
      if (isClassBasedArc(node(m).arcType) && node(m).depthBelowIntroduction() == 0 && !node(m).inert)
        opts.skipDuplicateNodes = true;
  } else {
    site = node(n).path.appendVariantSelection(t.vset, sel);
  }
  if (addArc(ArcType::Variant, n, n, stack, site, MapFunction::identity(), t.vsetNum,
             nonVariantElementCount(t.vsetPath), opts) >= 0)
    retryVariantTasks();
}

void Indexer::retryVariantTasks() {
  for (Task& t : tasks_) {
    if (t.type == TaskType::VariantFallback || t.type == TaskType::VariantNoneFound) t.type = TaskType::VariantAuthored;
    if (t.type == TaskType::AncestralVariantFallback || t.type == TaskType::AncestralVariantNoneFound)
      t.type = TaskType::AncestralVariantAuthored;
  }
  // drop duplicates created by the promotion
  std::vector<Task> unique;
  for (Task& t : tasks_)
    if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(std::move(t));
  tasks_ = std::move(unique);
}

void Indexer::evalUnresolvedPrimPath(int n) {
  // Stops at the first node with specs (usually `from` itself): the
  // subtree of a node in a long chain of arcs is the rest of the chain.
  auto specsBelow = [&](int from) {
    for (std::vector<int> pending{from}; !pending.empty();) {
      const PrimIndexNode& x = node(pending.back());
      pending.pop_back();
      cache_.addWorkSteps(1);
      if (x.depthBelowIntroduction() == 0 ? x.hasSpecs : siteHasPrimSpecs(*x.layerStack, x.pathAtIntroduction()))
        return true;
      pending.insert(pending.end(), x.children.rbegin(), x.children.rend());
    }
    return false;
  };
  const PrimIndexNode& x = node(n);
  if (x.parent < 0 || x.culled || x.path.isAbsoluteRoot() || specsBelow(n)) return;
  const Path atIntro = x.pathAtIntroduction();
  if (atIntro.empty()) return;
  Path parentPath = x.mapToParent.mapSourceToTarget(atIntro);
  const Path& pp = node(x.parent).path;
  if (pp.containsPrimVariantSelection()) parentPath = parentPath.replacePrefix(pp.stripAllVariantSelections(), pp);
  const Layer* source = x.arcLayer ? x.arcLayer : node(x.parent).layerStack->rootLayer().get();
  errors_.push_back({CompositionErrorKind::UnresolvedPrimPath,
                     "Unresolved " + std::string(arcTypeName(x.arcType)) + " prim path " +
                         formatSite(x.layerStack->rootLayer()->identifier(), atIntro.string()) + " introduced by " +
                         formatSite(source->identifier(), parentPath.string())});
}

void Indexer::elideSubtree(int from) {
  for (int n : strengthOrder(from)) {
    if (cache_.options().cull) node(n).setCulled(true);
    else node(n).setInert(true);
    node(n).restrictionDepth = 1;
  }
}

void Indexer::elideRelocatedSubtrees(int from) {
  for (std::vector<int> pending{from}; !pending.empty();) {
    const std::vector<int> kids = node(pending.back()).children;
    pending.pop_back();
    for (int c : kids) {
      if (node(c).arcType == ArcType::Relocate) continue;
      if (node(c).canContributeSpecs() && node(c).layerStack->incrementalRelocateTargetFor(node(c).path)) {
        elideSubtree(c);
        continue;
      }
      pending.push_back(c);
    }
  }
}

void Indexer::evalRelocations(int n) {
  if (!node(n).canContributeSpecs()) return;
  const Path* relocatedFrom = node(n).layerStack->incrementalRelocateSourceFor(node(n).path);
  if (!relocatedFrom) return;
  const Path source = *relocatedFrom;
  for (int c : std::vector<int>(node(n).children))
    if (node(c).arcType != ArcType::Variant) elideSubtree(c);
  ArcOptions opts;
  opts.contributes = false;
  opts.includeAncestral = true;
  const auto stack = node(n).layerStack;
  int added = addArc(ArcType::Relocate, n, n, stack, source, MapFunction::identity(), 0,
                     nonVariantElementCount(node(n).path), opts);
  if (added < 0) return;
  for (const LayerStackEntry& e : stack->layers())
    if (const Spec* s = e.layer->findSpec(source); s && s->type() == SpecType::Prim)
      errors_.push_back({CompositionErrorKind::OpinionAtRelocationSource,
                         "The layer @" + e.layer->identifier() + "@ has an invalid opinion at the relocation source path <" +
                             source.string() + ">, which will be ignored."});
  elideRelocatedSubtrees(added);
}

void Indexer::evalImpliedRelocations(int n) {
  if (node(n).arcType != ArcType::Relocate || node(n).dueToAncestor) return;
  const int parent = node(n).parent;
  if (parent < 0) return;
  const int gp = node(parent).parent;
  if (gp < 0) return;
  Path gpSource = node(parent).mapToParent.mapSourceToTarget(node(n).path);
  if (gpSource.empty()) return;
  for (int c : node(gp).children)
    if (node(c).path == gpSource && node(c).arcType == ArcType::Relocate) return;
  ArcOptions opts;
  opts.contributes = false;
  const auto stack = node(gp).layerStack;
  addArc(ArcType::Relocate, gp, n, stack, gpSource, MapFunction::identity(), 0, nonVariantElementCount(node(gp).path),
         opts);
}

}  // namespace usdkit::detail
