// The prim indexer's task queue (what to evaluate next, in Pcp's order)
// and the tasks each new node brings.
#include <algorithm>

#include "compose/PrimIndexer.h"

namespace usdkit::detail {

// ------------------------------------------------------------------ tasks

namespace {

static_assert(static_cast<int>(TaskType::UnresolvedPrimPath) < 32, "a bit per task type in fixedTaskQueued_");

// For the standard heap functions, which keep the greatest on top. (An
// object, not a function pointer, so that the comparisons are inlined.)
struct RunsAfter {
  bool operator()(const FixedTask& a, const FixedTask& b) const { return runsBefore(b, a); }
};

}  // namespace

void Indexer::addTask(Task t) {
  if (!isVariantTask(t.type)) {
    const auto node = static_cast<std::size_t>(t.node);
    const std::uint32_t bit = 1u << static_cast<unsigned>(t.type);
    if (fixedTaskQueued_.size() <= node) fixedTaskQueued_.resize(node + 1, 0);
    if (fixedTaskQueued_[node] & bit) return;
    fixedTaskQueued_[node] |= bit;
    fixedTasks_.push_back({t.type, t.node});
    std::push_heap(fixedTasks_.begin(), fixedTasks_.end(), RunsAfter());
    return;
  }
  if (std::find(tasks_.begin(), tasks_.end(), t) != tasks_.end()) return;
  tasks_.push_back(std::move(t));
}

bool Indexer::popTask(Task& out) {
  // Tasks run by type first; the fixed-order ones come off the heap in
  // order, so only the (few) variant tasks are compared here.
  cache_.addWorkSteps(1 + tasks_.size());
  if (tasks_.empty() || (!fixedTasks_.empty() && fixedTasks_.front().type < minVariantTaskType())) {
    if (fixedTasks_.empty()) return false;
    const FixedTask first = fixedTasks_.front();
    std::pop_heap(fixedTasks_.begin(), fixedTasks_.end(), RunsAfter());
    fixedTasks_.pop_back();
    fixedTaskQueued_[static_cast<std::size_t>(first.node)] &= ~(1u << static_cast<unsigned>(first.type));
    out = Task{first.type, first.node, {}, 0, {}};
    return true;
  }
  std::vector<int> order;  // strength position, computed on demand
  auto strengthPos = [&](int n) {
    if (order.empty()) {
      std::vector<int> o = strengthOrder(0);
      order.assign(g_.nodes.size(), 0);
      for (std::size_t i = 0; i < o.size(); ++i) order[static_cast<std::size_t>(o[i])] = static_cast<int>(i);
    }
    return order[static_cast<std::size_t>(n)];
  };
  std::size_t best = 0;
  auto better = [&](const Task& a, const Task& b) {
    if (a.type != b.type) return a.type < b.type;
    switch (a.type) {
      case TaskType::VariantAuthored:
      case TaskType::VariantFallback:
      case TaskType::AncestralVariantAuthored:
      case TaskType::AncestralVariantFallback:
        if (a.node == b.node && a.vsetPath != b.vsetPath) return a.vsetPath < b.vsetPath;
        if (a.node != b.node) return strengthPos(a.node) < strengthPos(b.node);
        return a.vsetNum < b.vsetNum;
      case TaskType::ImpliedClasses: return a.node > b.node;
      default:
        if (a.node != b.node) return a.node < b.node;
        return a.vsetNum < b.vsetNum;
    }
  };
  for (std::size_t i = 1; i < tasks_.size(); ++i)
    if (better(tasks_[i], tasks_[best])) best = i;
  out = tasks_[best];
  tasks_.erase(tasks_.begin() + static_cast<std::ptrdiff_t>(best));
  return true;
}

int Indexer::findStartingNodeForImpliedClasses(int n) {
  int start = n;
  while (isClassBasedArc(node(start).arcType)) {
    const int depth = node(start).depthBelowIntroduction();
    int instance = start, cls = -1;
    while (isClassBasedArc(node(instance).arcType) && node(instance).depthBelowIntroduction() == depth) {
      cls = instance;
      instance = node(instance).parent;
    }
    start = instance;
    if (isClassBasedArc(node(instance).arcType)) {
      // The path where the ancestral class hierarchy was introduced.
      const PrimIndexNode& in = node(instance);
      Path atIntro = stripVariants(in.path);
      for (int k = in.depthBelowIntroduction(); k > 0; --k) atIntro = atIntro.parent();
      if (cls >= 0 && stripVariants(node(cls).path).hasPrefix(atIntro)) break;
    }
  }
  return start;
}

bool Indexer::hasClassBasedChild(int n) {
  for (int c : node(n).children)
    if (isClassBasedArc(node(c).arcType)) return true;
  return false;
}

void Indexer::addTasksForNode(int n, bool skipExpressedArcs, bool skipImpliedSpecializes, bool ancestralVariants) {
  if (!skipImpliedSpecializes) {
    if (isClassBasedArc(node(n).arcType)) {
      addTask({TaskType::ImpliedClasses, findStartingNodeForImpliedClasses(n), {}, 0, {}});
    } else if (hasClassBasedChild(n)) {
      addTask({TaskType::ImpliedClasses, n, {}, 0, {}});
    }
    if (evalImpliedSpecializes_) {
      int base = -1;
      // (Walking up from every node of a long chain of arcs would cost its
      // length squared; most graphs have no specializes arc at all.)
      stacksInGraph();
      if (hasSpecializeNodes_)
        for (int m = n; m > 0; m = node(m).parent) {
          cache_.addWorkSteps(1);
          if (node(m).arcType == ArcType::Specialize) base = m;
        }
      if (base >= 0) addTask({TaskType::ImpliedSpecializes, base, {}, 0, {}});
      else {
        for (int c : node(n).children)
          if (node(c).arcType == ArcType::Specialize) { addTask({TaskType::ImpliedSpecializes, n, {}, 0, {}}); break; }
      }
    }
  }
  addTasksRecursively(n, skipExpressedArcs, skipImpliedSpecializes, ancestralVariants);
}

void Indexer::addTasksRecursively(int from, bool skipExpressedArcs, bool skipImpliedSpecializes, bool ancestralVariants) {
  // Only fixed-order tasks are added here, so the order of the walk does
  // not matter.
  for (int n : strengthOrder(from)) addNodeTasks(n, skipExpressedArcs, skipImpliedSpecializes, ancestralVariants);
}

void Indexer::addNodeTasks(int n, bool skipExpressedArcs, bool skipImpliedSpecializes, bool ancestralVariants) {
  if (ancestralVariants && !skipImpliedSpecializes) addTask({TaskType::AncestralVariantSets, n, {}, 0, {}});
  if (!frame_ && (node(n).arcType == ArcType::Reference || node(n).arcType == ArcType::Payload))
    addTask({TaskType::UnresolvedPrimPath, n, {}, 0, {}});
  if (evalVariants_) addTask({TaskType::VariantSets, n, {}, 0, {}});
  if (!skipImpliedSpecializes && !skipExpressedArcs) {
    addTask({TaskType::Specializes, n, {}, 0, {}});
    addTask({TaskType::Inherits, n, {}, 0, {}});
    addTask({TaskType::Payloads, n, {}, 0, {}});
    addTask({TaskType::References, n, {}, 0, {}});
    addTask({TaskType::Relocations, n, {}, 0, {}});
  }
  if (!skipImpliedSpecializes && node(n).arcType == ArcType::Relocate) addTask({TaskType::ImpliedRelocations, n, {}, 0, {}});
}

}  // namespace usdkit::detail
