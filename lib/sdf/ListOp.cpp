// ListOp<T> operations with OpenUSD's SdfListOp semantics.
//
// Application follows SdfListOp::ApplyOperations: the list is edited in
// place as a linked list with an item -> node index, so moves keep every
// other item's relative order. Composition (composeOver) follows
// SdfListOp::ApplyOperations(inner) where that is exact and extends it where
// an exact answer still exists; see composeOver below for what is
// approximated.
#include <algorithm>
#include <concepts>
#include <cstddef>
#include <functional>
#include <iterator>
#include <list>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sdf/ValueTypes.h"

namespace usdkit {

namespace {

template <class T>
concept Hashable = requires(const T& t) {
  { std::hash<T>{}(t) } -> std::convertible_to<std::size_t>;
};

// Item -> value lookup. Items only promise operator==; references, payloads
// and unregistered values have no hash, but their lists are a handful of
// entries, so those fall back to a linear scan.
template <class T, class V>
class ItemMap {
 public:
  V* find(const T& item) { return lookup(data_, item); }
  const V* find(const T& item) const { return lookup(data_, item); }
  bool contains(const T& item) const { return find(item) != nullptr; }

  void assign(const T& item, V value) {
    if (V* v = find(item)) *v = std::move(value);
    else add(item, std::move(value));
  }
  // Set-style insertion: false when the item was already present.
  bool insert(const T& item, V value) {
    if (find(item)) return false;
    add(item, std::move(value));
    return true;
  }
  void erase(const T& item) {
    if constexpr (Hashable<T>) {
      data_.erase(item);
    } else {
      auto it = std::find_if(data_.begin(), data_.end(),
                             [&](const auto& entry) { return entry.first == item; });
      if (it != data_.end()) data_.erase(it);
    }
  }

 private:
  using Store =
      std::conditional_t<Hashable<T>, std::unordered_map<T, V>, std::vector<std::pair<T, V>>>;

  template <class S>
  static auto lookup(S& data, const T& item) -> decltype(&data.begin()->second) {
    if constexpr (Hashable<T>) {
      auto it = data.find(item);
      return it == data.end() ? nullptr : &it->second;
    } else {
      for (auto& entry : data)
        if (entry.first == item) return &entry.second;
      return nullptr;
    }
  }
  void add(const T& item, V value) {
    if constexpr (Hashable<T>) data_.emplace(item, std::move(value));
    else data_.emplace_back(item, std::move(value));
  }

  Store data_;
};

template <class T>
class ItemSet {
 public:
  ItemSet() = default;
  explicit ItemSet(const std::vector<T>& items) { add(items); }
  bool insert(const T& item) { return map_.insert(item, {}); }
  void add(const std::vector<T>& items) {
    for (const T& item : items) map_.insert(item, {});
  }
  bool contains(const T& item) const { return map_.contains(item); }

 private:
  struct Empty {};
  ItemMap<T, Empty> map_;
};

template <class T>
std::vector<T> uniqueKeepFirst(const std::vector<T>& items) {
  std::vector<T> out;
  out.reserve(items.size());
  ItemSet<T> seen;
  for (const T& item : items)
    if (seen.insert(item)) out.push_back(item);
  return out;
}

// Appending moves an item to the end, so of repeated entries the last wins.
template <class T>
std::vector<T> uniqueKeepLast(const std::vector<T>& items) {
  std::vector<T> out;
  out.reserve(items.size());
  ItemSet<T> seen;
  for (auto it = items.rbegin(); it != items.rend(); ++it)
    if (seen.insert(*it)) out.push_back(*it);
  std::reverse(out.begin(), out.end());
  return out;
}

template <class T>
void eraseIn(std::vector<T>& items, const ItemSet<T>& remove) {
  std::erase_if(items, [&](const T& item) { return remove.contains(item); });
}

// The list being edited plus an index from item to its node. As in OpenUSD,
// when the input holds an item twice the index tracks the later copy, and the
// edits below only touch tracked nodes.
template <class T>
class EditList {
 public:
  using Iter = typename std::list<T>::iterator;

  EditList() = default;
  explicit EditList(const std::vector<T>& input) {
    for (const T& item : input) index_.assign(item, list_.insert(list_.end(), item));
  }

  void remove(const T& item) {
    if (Iter* node = index_.find(item)) {
      list_.erase(*node);
      index_.erase(item);
    }
  }

  void appendIfAbsent(const T& item) {
    if (!index_.contains(item)) index_.assign(item, list_.insert(list_.end(), item));
  }

  void insertOrMove(const T& item, Iter pos) {
    if (Iter* node = index_.find(item)) {
      if (*node != pos) list_.splice(pos, list_, *node);
    } else {
      index_.assign(item, list_.insert(pos, item));
    }
  }

  void prepend(const std::vector<T>& items) {
    // Inserting each at the front in reverse leaves them in authored order.
    for (auto it = items.rbegin(); it != items.rend(); ++it) insertOrMove(*it, list_.begin());
  }

  void append(const std::vector<T>& items) {
    for (const T& item : items) insertOrMove(item, list_.end());
  }

  // OpenUSD's reorder: the items named in `order` (first mention counts) are
  // put in that order, each carrying along the unnamed items that follow it;
  // unnamed items before the first named one stay at the front.
  void reorder(const std::vector<T>& order) {
    std::vector<T> uniqueOrder;
    ItemSet<T> named;
    for (const T& item : order)
      if (named.insert(item)) uniqueOrder.push_back(item);
    if (uniqueOrder.empty()) return;

    std::list<T> scratch;
    scratch.swap(list_);  // node iterators stay valid across swap and splice
    for (const T& item : uniqueOrder) {
      Iter* node = index_.find(item);
      if (!node) continue;
      Iter end = std::next(*node);
      while (end != scratch.end() && !named.contains(*end)) ++end;
      list_.splice(list_.end(), scratch, *node, end);
    }
    list_.splice(list_.begin(), scratch);
  }

  std::vector<T> take() {
    return std::vector<T>(std::make_move_iterator(list_.begin()),
                          std::make_move_iterator(list_.end()));
  }

 private:
  std::list<T> list_;
  ItemMap<T, Iter> index_;
};

}  // namespace

template <class T>
std::vector<T>& ListOp<T>::items(Slot s) {
  switch (s) {
    case Slot::Explicit: return explicitItems;
    case Slot::Added: return addedItems;
    case Slot::Prepended: return prependedItems;
    case Slot::Appended: return appendedItems;
    case Slot::Deleted: return deletedItems;
    case Slot::Ordered: return orderedItems;
  }
  return explicitItems;
}

template <class T>
const std::vector<T>& ListOp<T>::items(Slot s) const {
  return const_cast<ListOp*>(this)->items(s);
}

template <class T>
void ListOp<T>::set(Slot s, std::vector<T> values) {
  const bool wantExplicit = s == Slot::Explicit;
  if (wantExplicit != isExplicit) {
    *this = ListOp{};
    isExplicit = wantExplicit;
  }
  items(s) = std::move(values);
}

template <class T>
void ListOp<T>::reorder(std::vector<T>& list, const std::vector<T>& order) {
  if (order.empty()) return;
  EditList<T> result(list);
  result.reorder(order);
  list = result.take();
}

template <class T>
void ListOp<T>::applyTo(std::vector<T>& list) const {
  if (isExplicit) {
    EditList<T> result;
    for (const T& item : explicitItems) result.appendIfAbsent(item);
    list = result.take();
    return;
  }
  // Nothing to do: leave the input exactly as it is (duplicates included).
  if (!hasKeys()) return;

  EditList<T> result(list);
  for (const T& item : deletedItems) result.remove(item);
  for (const T& item : addedItems) result.appendIfAbsent(item);
  result.prepend(prependedItems);
  result.append(appendedItems);
  result.reorder(orderedItems);
  list = result.take();
}

// composeOver(weaker) returns an op R with R.applyTo(L) == this->applyTo(
// weaker.applyTo(L)) for every list L whenever such an R exists in the cases
// below, and a documented approximation otherwise:
//
// * this explicit: R = this. Weaker explicit: R = explicit(result of
//   applying this to weaker's items) -- exact even with add/reorder, where
//   OpenUSD's ApplyOperations(inner) gives up.
// * either op empty: R = the other op.
// * both list-editing: delete/prepend/append combine exactly as in OpenUSD
//   (strong deletes remove weak prepends/appends, strong prepends go in front
//   of weak ones, strong appends after weak ones). This op's reorder is kept
//   as R's reorder: it runs last in both cases, so it stays exact.
// * `add` items are rewritten first. An add whose item is also prepended or
//   appended by the same op is dropped (the move decides the position). An
//   add of an item certainly present at that point (this op adding something
//   the weaker op prepends, appends or adds) is a no-op and is dropped. An add
//   of an item certainly absent (deleted just before) behaves exactly like an
//   append placed before the op's own appends, and becomes one. An add whose
//   outcome depends on L cannot be expressed; it becomes an append too (exact
//   whenever L lacks the item), the approximation usdUtils'
//   flattenLayerStack uses.
// * the weaker op's reorder cannot be carried over in general (it runs before
//   this op's edits) and is dropped, again as flattenLayerStack does.
template <class T>
ListOp<T> ListOp<T>::composeOver(const ListOp& weaker) const {
  if (isExplicit) return *this;
  if (weaker.isExplicit) {
    // Going through applyTo drops duplicate explicit items the way applying
    // the weaker op to any list would.
    std::vector<T> items;
    weaker.applyTo(items);
    applyTo(items);
    ListOp result;
    result.set(Slot::Explicit, std::move(items));
    return result;
  }
  if (!hasKeys()) return weaker;
  if (!weaker.hasKeys()) return *this;

  // Weaker adds -> appends. After delete the item is absent, so an add of a
  // deleted item is exactly an append; others are the approximation.
  std::vector<T> weakAppend;
  {
    const ItemSet<T> moved = [&] {
      ItemSet<T> s(weaker.prependedItems);
      s.add(weaker.appendedItems);
      return s;
    }();
    ItemSet<T> taken;
    for (const T& item : weaker.addedItems)
      if (!moved.contains(item) && taken.insert(item)) weakAppend.push_back(item);
    weakAppend.insert(weakAppend.end(), weaker.appendedItems.begin(), weaker.appendedItems.end());
  }

  // Stronger adds -> appends or nothing.
  std::vector<T> strongAppend;
  {
    ItemSet<T> movedHere(prependedItems);
    movedHere.add(appendedItems);
    const ItemSet<T> deletedHere(deletedItems);
    ItemSet<T> presentAfterWeak(weaker.prependedItems);
    presentAfterWeak.add(weaker.appendedItems);
    presentAfterWeak.add(weaker.addedItems);
    ItemSet<T> taken;
    for (const T& item : addedItems) {
      if (movedHere.contains(item)) continue;
      if (!deletedHere.contains(item) && presentAfterWeak.contains(item)) continue;
      // Once added the item is present, so a repeated add does nothing.
      if (taken.insert(item)) strongAppend.push_back(item);
    }
    strongAppend.insert(strongAppend.end(), appendedItems.begin(), appendedItems.end());
  }

  std::vector<T> del = weaker.deletedItems;
  std::vector<T> pre = weaker.prependedItems;
  std::vector<T> app = std::move(weakAppend);
  // A strong delete removes the item whatever the weaker op did with it.
  {
    const ItemSet<T> strongDel(deletedItems);
    eraseIn(pre, strongDel);
    eraseIn(app, strongDel);
    del.insert(del.end(), deletedItems.begin(), deletedItems.end());
  }
  // Strong prepends and appends place their items last, so earlier mentions
  // of those items (including deletes) no longer matter.
  {
    ItemSet<T> moved(prependedItems);
    moved.add(strongAppend);
    eraseIn(del, moved);
    eraseIn(pre, moved);
    eraseIn(app, moved);
  }
  pre.insert(pre.begin(), prependedItems.begin(), prependedItems.end());
  app.insert(app.end(), strongAppend.begin(), strongAppend.end());

  ListOp result;
  result.deletedItems = uniqueKeepFirst(del);
  result.prependedItems = uniqueKeepFirst(pre);
  result.appendedItems = uniqueKeepLast(app);
  result.orderedItems = orderedItems;
  return result;
}

template struct ListOp<Token>;
template struct ListOp<std::string>;
template struct ListOp<Path>;
template struct ListOp<Reference>;
template struct ListOp<Payload>;
template struct ListOp<std::int32_t>;
template struct ListOp<std::uint32_t>;
template struct ListOp<std::int64_t>;
template struct ListOp<std::uint64_t>;
template struct ListOp<UnregisteredValue>;

}  // namespace usdkit
