// The prim indexer's task queue (what to evaluate next, in Pcp's order)
// and the tasks each new node brings.
#include <algorithm>

#include "compose/PrimIndexer.h"

namespace usdkit::detail {

// ------------------------------------------------------------------ tasks

static_assert(static_cast<int>(TaskType::UnresolvedPrimPath) < 32, "a bit per task type in fixedTypesQueued_");

bool NodeSet::insert(int n) {
  const auto word = static_cast<std::size_t>(n) >> 6;
  if (words_.size() <= word) {
    words_.resize(word + 1, 0);
    summary_.resize((word >> 6) + 1, 0);
  }
  const std::uint64_t bit = std::uint64_t{1} << (n & 63);
  if (words_[word] & bit) return false;
  words_[word] |= bit;
  summary_[word >> 6] |= std::uint64_t{1} << (word & 63);
  ++count_;
  return true;
}

void NodeSet::erase(std::size_t word, int bit) {
  words_[word] &= ~(std::uint64_t{1} << bit);
  if (!words_[word]) summary_[word >> 6] &= ~(std::uint64_t{1} << (word & 63));
  --count_;
}

int NodeSet::popLowest() {
  std::size_t s = 0;
  while (!summary_[s]) ++s;
  const std::size_t word = s * 64 + static_cast<std::size_t>(std::countr_zero(summary_[s]));
  const int bit = std::countr_zero(words_[word]);
  erase(word, bit);
  return static_cast<int>(word * 64) + bit;
}

int NodeSet::popHighest() {
  std::size_t s = summary_.size() - 1;
  while (!summary_[s]) --s;
  const std::size_t word = s * 64 + 63 - static_cast<std::size_t>(std::countl_zero(summary_[s]));
  const int bit = 63 - std::countl_zero(words_[word]);
  erase(word, bit);
  return static_cast<int>(word * 64) + bit;
}

void Indexer::addTask(Task t) {
  if (!isVariantTask(t.type)) {
    const auto type = static_cast<unsigned>(t.type);
    if (fixedTasks_[type].insert(t.node)) fixedTypesQueued_ |= 1u << type;
    return;
  }
  if (std::find(tasks_.begin(), tasks_.end(), t) != tasks_.end()) return;
  tasks_.push_back(std::move(t));
}

bool Indexer::popTask(Task& out) {
  // Tasks run by type first; the fixed-order ones come out of their sets
  // in order, so only the (few) variant tasks are compared here.
  cache_.addWorkSteps(1 + tasks_.size());
  const auto firstFixed = static_cast<TaskType>(std::countr_zero(fixedTypesQueued_));
  if (tasks_.empty() || (fixedTypesQueued_ && firstFixed < minVariantTaskType())) {
    if (!fixedTypesQueued_) return false;
    NodeSet& set = fixedTasks_[static_cast<unsigned>(firstFixed)];
    // Implied classes are evaluated deepest (newest) node first.
    const int node = firstFixed == TaskType::ImpliedClasses ? set.popHighest() : set.popLowest();
    if (set.empty()) fixedTypesQueued_ &= ~(1u << static_cast<unsigned>(firstFixed));
    out.type = firstFixed;
    out.node = node;
    out.vset.clear();
    out.vsetNum = 0;
    out.vsetPath = Path();
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
  // Each step goes from a class hierarchy (a run of class arcs of equal
  // depth below introduction, its top kept in the graph's facts) to the
  // node that inherits it.
  int start = n;
  while (isClassBasedArc(node(start).arcType)) {
    const int cls = g_.classRunTop(start);
    const int instance = node(cls).parent;
    cache_.addWorkSteps(1);
    start = instance;
    if (isClassBasedArc(node(instance).arcType)) {
      // The path where the ancestral class hierarchy was introduced.
      const PrimIndexNode& in = node(instance);
      Path atIntro = stripVariants(in.path);
      for (int k = in.depthBelowIntroduction(); k > 0; --k) atIntro = atIntro.parent();
      if (stripVariants(node(cls).path).hasPrefix(atIntro)) break;
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
