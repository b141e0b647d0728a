// Composed child and property names of a prim index.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compose/PrimIndex.h"
#include "compose/PrimIndexer.h"
#include "sdf/Fields.h"

namespace usdkit {

namespace {

// The names met so far: tokens are interned, so a set of their records in
// one open-addressed table (no allocation per name; a prim's names are
// looked up once per contributing layer).
class NameSet {
 public:
  bool insert(Token t) {
    if (!t.rep()) return !std::exchange(hasEmpty_, true);
    if ((used_ + 1) * 2 > slots_.size()) grow();
    std::size_t at = find(t.rep());
    if (slots_[at] == t.rep()) return false;
    if (slots_[at] == nullptr) ++used_;
    slots_[at] = t.rep();
    return true;
  }
  bool count(Token t) const {
    if (!t.rep()) return hasEmpty_;
    return !slots_.empty() && slots_[find(t.rep())] == t.rep();
  }
  void erase(Token t) {
    if (!t.rep()) hasEmpty_ = false;
    if (!t.rep() || slots_.empty()) return;
    const std::size_t at = find(t.rep());
    if (slots_[at] == t.rep()) slots_[at] = tombstone();  // still counted in used_
  }

 private:
  static const detail::TokenRep* tombstone() noexcept { return reinterpret_cast<const detail::TokenRep*>(&kTombstone); }
  // The slot holding `rep`, else the first free one on its probe sequence
  // (a tombstone if one was passed).
  std::size_t find(const detail::TokenRep* rep) const {
    const std::size_t mask = slots_.size() - 1;
    // Fibonacci hashing: the high bits of the product spread names whose
    // hashes differ only in a few bits ("a1", "a2", ...).
    std::size_t at = static_cast<std::size_t>((static_cast<std::uint64_t>(rep->hash) * 0x9E3779B97F4A7C15ull) >> shift_);
    std::size_t reuse = slots_.size();
    for (;; at = (at + 1) & mask) {
      if (slots_[at] == rep) return at;
      if (slots_[at] == nullptr) return reuse < slots_.size() ? reuse : at;
      if (slots_[at] == tombstone() && reuse == slots_.size()) reuse = at;
    }
  }
  void grow() {
    std::vector<const detail::TokenRep*> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(16, old.size() * 2), nullptr);
    shift_ = 64 - static_cast<int>(std::bit_width(slots_.size()) - 1);
    used_ = 0;
    for (const detail::TokenRep* rep : old)
      if (rep && rep != tombstone()) {
        slots_[find(rep)] = rep;
        ++used_;
      }
  }
  static constexpr char kTombstone = 0;
  std::vector<const detail::TokenRep*> slots_;
  std::size_t used_ = 0;  // slots not empty (live or tombstones)
  bool hasEmpty_ = false;  // the empty token has no record
  int shift_ = 60;
};

// Visits contributing nodes weakest first (children reversed, then the node).
void forEachNodeWeakToStrong(std::span<const PrimIndexNode> nodes, bool instanceOnly,
                             const std::function<void(const PrimIndexNode&)>& f) {
  std::function<void(int)> visit = [&](int n) {
    const PrimIndexNode& x = nodes[static_cast<std::size_t>(n)];
    if (x.culled) return;
    for (auto it = x.children.rbegin(); it != x.children.rend(); ++it) visit(*it);
    if (!x.canContributeSpecs()) return;
    if (instanceOnly && !isInstanceableNode(nodes, n)) return;
    f(x);
  };
  if (!nodes.empty()) visit(0);
}

std::vector<Token> composeNames(std::span<const PrimIndexNode> nodes, bool instanceOnly, Token childrenField,
                                Token orderField, std::vector<Token>* prohibited = nullptr) {
  std::vector<Token> names;
  NameSet seen;
  forEachNodeWeakToStrong(nodes, instanceOnly, [&](const PrimIndexNode& x) {
    if (prohibited && x.layerStack->hasRelocates()) {
      std::set<std::string> toAdd;
      std::set<Token> toRemove;
      std::map<Token, Token> toReplace;
      for (const auto& [from, to] : x.layerStack->incrementalRelocatesFromChildrenOf(x.path)) {
        if (!to.empty() && to.parent() == x.path) toReplace[from.nameToken()] = to.nameToken();
        else toRemove.insert(from.nameToken());
        if (std::find(prohibited->begin(), prohibited->end(), from.nameToken()) == prohibited->end())
          prohibited->push_back(from.nameToken());
      }
      for (const auto& [to, from] : x.layerStack->incrementalRelocatesToChildrenOf(x.path)) {
        if (from.parent() == x.path) continue;
        if (!seen.count(to.nameToken())) toAdd.insert(std::string(to.name()));
      }
      if (!toReplace.empty() || !toRemove.empty()) {
        std::vector<Token> kept;
        for (const Token& name : names) {
          auto r = toReplace.find(name);
          if (r != toReplace.end()) {
            seen.erase(name);
            if (seen.insert(r->second)) kept.push_back(r->second);
          } else if (!toRemove.count(name)) {
            kept.push_back(name);
          } else {
            seen.erase(name);
          }
        }
        names = std::move(kept);
      }
      for (const std::string& a : toAdd) {
        names.emplace_back(a);
        seen.insert(Token(a));
      }
    }
    const auto& layers = x.layerStack->layers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
      const Spec* spec = it->layer->findSpec(x.path);
      if (!spec) continue;
      if (const TokenVector* kids = spec->getAs<TokenVector>(childrenField))
        for (const Token& k : kids->items)
          if (seen.insert(k)) names.push_back(k);
      if (!orderField.empty())
        if (const TokenVector* order = spec->getAs<TokenVector>(orderField)) TokenListOp::reorder(names, order->items);
    }
  });
  return names;
}

}  // namespace

std::vector<Token> PrimIndex::childNames() const {
  std::vector<Token> prohibited;
  std::vector<Token> names =
      composeNames(nodes_, instanceable_, fieldNames().primChildren, fieldNames().primOrder, &prohibited);
  if (!prohibited.empty())
    names.erase(std::remove_if(names.begin(), names.end(),
                               [&](const Token& t) {
                                 return std::find(prohibited.begin(), prohibited.end(), t) != prohibited.end();
                               }),
                names.end());
  return names;
}

bool PrimIndex::hasChildName(Token name) const {
  bool relocates = false, found = false;
  forEachNodeWeakToStrong(nodes_, instanceable_, [&](const PrimIndexNode& x) {
    if (x.layerStack->hasRelocates()) relocates = true;
    if (relocates || found) return;
    for (const LayerStackEntry& entry : x.layerStack->layers())
      if (const Spec* spec = entry.layer->findSpec(x.path))
        if (const TokenVector* kids = spec->getAs<TokenVector>(fieldNames().primChildren))
          if (std::find(kids->items.begin(), kids->items.end(), name) != kids->items.end()) found = true;
  });
  if (!relocates) return found;
  const std::vector<Token> all = childNames();
  return std::find(all.begin(), all.end(), name) != all.end();
}

std::vector<Token> PrimIndex::prohibitedChildNames() const {
  std::vector<Token> out;
  composeNames(nodes_, instanceable_, fieldNames().primChildren, fieldNames().primOrder, &out);
  std::sort(out.begin(), out.end(), [](const Token& a, const Token& b) { return a.str() < b.str(); });
  return out;
}

std::vector<Token> PrimIndex::propertyNames() const {
  return composeNames(nodes_, false, fieldNames().properties, Token());
}

std::vector<Token> PrimIndex::orderedPropertyNames() const {
  return composeNames(nodes_, false, fieldNames().properties, fieldNames().propertyOrder);
}

bool isInstanceableNode(std::span<const PrimIndexNode> nodes, int n) {
  if (n == 0 || !nodes[static_cast<std::size_t>(n)].hasSpecs) return false;
  for (int m = n; m > 0; m = nodes[static_cast<std::size_t>(m)].parent)
    if (!nodes[static_cast<std::size_t>(m)].dueToAncestor) return true;
  return false;
}

std::string PrimIndex::instanceKey() const {
  std::string key;
  for (std::size_t n = 1; n < nodes_.size(); ++n) {
    const PrimIndexNode& x = nodes_[n];
    if (!x.canContributeSpecs() || !isInstanceableNode(nodes_, static_cast<int>(n))) continue;
    const LayerOffset& o = x.mapToRoot.timeOffset();
    key += std::string(arcTypeName(x.arcType)) + '\n' + x.layerStack->key() + '\n' + x.path.string() + '\n' +
           std::to_string(o.offset) + ' ' + std::to_string(o.scale) + '\n';
  }
  for (const auto& [set, selection] : variantSelections()) key += "{" + set + "=" + selection + "}";
  return key;
}

std::vector<PrimStackEntry> PrimIndex::primStack() const {
  std::vector<PrimStackEntry> out;
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    const PrimIndexNode& x = nodes_[n];
    if (!x.canContributeSpecs()) continue;
    for (const LayerStackEntry& e : x.layerStack->layers()) {
      const Spec* s = e.layer->findSpec(x.path);
      if (s && (s->type() == SpecType::Prim || s->type() == SpecType::Variant))
        out.push_back({e.layer.get(), x.path, static_cast<int>(n)});
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> PrimIndex::variantSelections() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const PrimIndexNode& x : nodes_) {
    if (!x.path.isPrimVariantSelectionPath()) continue;
    auto [set, sel] = x.path.variantSelection();
    bool have = false;
    for (auto& [s, v] : out) if (s == set) have = true;
    if (!have) out.emplace_back(std::string(set), std::string(sel));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> PrimIndex::variantSetNames() const {
  std::vector<std::string> out;
  for (const PrimIndexNode& x : nodes_) {
    if (x.culled || !(x.path.isPrimPath() || x.path.isPrimVariantSelectionPath())) continue;
    for (std::string& name : detail::composeListField<std::string>(*x.layerStack, x.path,
                                                                   fieldNames().variantSetNames, {}))
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

std::vector<std::string> PrimIndex::variantNames(const std::string& set) const {
  std::set<std::string> names;
  for (const PrimIndexNode& x : nodes_) {
    if (x.culled || !(x.path.isPrimPath() || x.path.isPrimVariantSelectionPath())) continue;
    const Path setPath = x.path.appendVariantSelection(set, "");
    for (const LayerStackEntry& e : x.layerStack->layers())
      for (const Token& t : e.layer->variantNames(setPath)) names.insert(t.string());
  }
  return {names.begin(), names.end()};
}

}  // namespace usdkit
