#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sdf/ValueTypes.h"

using namespace usdkit;

namespace {

using Slot = IntListOp::Slot;

std::vector<Token> toks(std::initializer_list<const char*> names) {
  std::vector<Token> out;
  for (const char* n : names) out.emplace_back(n);
  return out;
}

std::vector<std::string> texts(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (Token t : tokens) out.push_back(t.string());
  return out;
}

template <class T>
std::vector<T> applied(const ListOp<T>& op, std::vector<T> list = {}) {
  op.applyTo(list);
  return list;
}

IntListOp makeOp(std::initializer_list<std::pair<Slot, std::vector<int>>> slots) {
  IntListOp op;
  for (const auto& [slot, items] : slots) op.set(slot, items);
  return op;
}

using V = std::vector<int>;

}  // namespace

TEST_CASE("ListOp::set and items", "[listop]") {
  IntListOp op;
  CHECK_FALSE(op.isExplicit);
  CHECK_FALSE(op.hasKeys());

  op.set(Slot::Prepended, {1, 2});
  op.set(Slot::Appended, {3});
  op.set(Slot::Deleted, {4});
  op.set(Slot::Added, {5});
  op.set(Slot::Ordered, {6});
  CHECK_FALSE(op.isExplicit);
  CHECK(op.prependedItems == V{1, 2});
  CHECK(op.items(Slot::Appended) == V{3});
  CHECK(op.items(Slot::Deleted) == V{4});
  CHECK(op.items(Slot::Added) == V{5});
  CHECK(op.items(Slot::Ordered) == V{6});
  CHECK(&op.items(Slot::Prepended) == &op.prependedItems);
  const IntListOp& cop = op;
  CHECK(&cop.items(Slot::Explicit) == &op.explicitItems);
  CHECK(&cop.items(Slot::Ordered) == &op.orderedItems);

  // Replacing a slot in the same mode keeps the others.
  op.set(Slot::Prepended, {7});
  CHECK(op.prependedItems == V{7});
  CHECK(op.appendedItems == V{3});

  // Switching to explicit clears every list-editing slot.
  op.set(Slot::Explicit, {8, 9});
  CHECK(op.isExplicit);
  CHECK(op.explicitItems == V{8, 9});
  CHECK(op.prependedItems.empty());
  CHECK(op.appendedItems.empty());
  CHECK(op.deletedItems.empty());
  CHECK(op.addedItems.empty());
  CHECK(op.orderedItems.empty());
  CHECK(op.hasKeys());

  // And back: the explicit items go.
  op.set(Slot::Deleted, {1});
  CHECK_FALSE(op.isExplicit);
  CHECK(op.explicitItems.empty());
  CHECK(op.deletedItems == V{1});

  // An explicit empty list still has keys (it clears the weaker list).
  IntListOp none;
  none.set(Slot::Explicit, {});
  CHECK(none.isExplicit);
  CHECK(none.hasKeys());
  none.clearAndMakeExplicit();
  CHECK(none.isExplicit);
  CHECK(none.explicitItems.empty());
}

TEST_CASE("ListOp::applyTo: explicit replaces the list", "[listop]") {
  auto op = makeOp({{Slot::Explicit, {3, 1, 2}}});
  CHECK(applied(op, V{9, 8, 7}) == V{3, 1, 2});
  CHECK(applied(op, V{}) == V{3, 1, 2});
  // Duplicates keep their first position.
  auto dup = makeOp({{Slot::Explicit, {2, 1, 2, 3, 1}}});
  CHECK(applied(dup, V{5}) == V{2, 1, 3});
  // Explicit empty clears.
  auto empty = makeOp({{Slot::Explicit, {}}});
  CHECK(applied(empty, V{1, 2}) == V{});
}

TEST_CASE("ListOp::applyTo: an op without edits leaves the list alone", "[listop]") {
  IntListOp op;
  CHECK(applied(op, V{3, 1, 3, 2}) == V{3, 1, 3, 2});
}

TEST_CASE("ListOp::applyTo: delete", "[listop]") {
  auto op = makeOp({{Slot::Deleted, {2, 9}}});
  CHECK(applied(op, V{1, 2, 3}) == V{1, 3});
  CHECK(applied(op, V{}) == V{});
  CHECK(applied(op, V{1, 3}) == V{1, 3});
}

TEST_CASE("ListOp::applyTo: add appends only missing items", "[listop]") {
  auto op = makeOp({{Slot::Added, {1, 4, 5, 4}}});
  // 1 is present and stays where it is; 4 and 5 are appended once each.
  CHECK(applied(op, V{2, 1, 3}) == V{2, 1, 3, 4, 5});
  CHECK(applied(op, V{}) == V{1, 4, 5});
}

TEST_CASE("ListOp::applyTo: prepend moves or inserts at the front", "[listop]") {
  auto op = makeOp({{Slot::Prepended, {3, 1, 9}}});
  CHECK(applied(op, V{1, 2, 3, 4}) == V{3, 1, 9, 2, 4});
  CHECK(applied(op, V{}) == V{3, 1, 9});
  // Already in front in that order: unchanged.
  CHECK(applied(op, V{3, 1, 9, 5}) == V{3, 1, 9, 5});
}

TEST_CASE("ListOp::applyTo: append moves or inserts at the end", "[listop]") {
  auto op = makeOp({{Slot::Appended, {1, 9, 3}}});
  CHECK(applied(op, V{1, 2, 3, 4}) == V{2, 4, 1, 9, 3});
  CHECK(applied(op, V{}) == V{1, 9, 3});
}

TEST_CASE("ListOp::applyTo: operation order is delete, add, prepend, append, reorder",
          "[listop]") {
  // Delete then add: the item comes back at the end.
  CHECK(applied(makeOp({{Slot::Deleted, {1}}, {Slot::Added, {1}}}), V{1, 2, 3}) == V{2, 3, 1});
  // Delete then prepend / append: re-inserted.
  CHECK(applied(makeOp({{Slot::Deleted, {3}}, {Slot::Prepended, {3}}}), V{1, 2, 3}) == V{3, 1, 2});
  CHECK(applied(makeOp({{Slot::Deleted, {1}}, {Slot::Appended, {1}}}), V{1, 2, 3}) == V{2, 3, 1});
  // Add then prepend: prepend wins.
  CHECK(applied(makeOp({{Slot::Added, {5}}, {Slot::Prepended, {5}}}), V{1, 2}) == V{5, 1, 2});
  // Prepend then append of the same item: ends up last.
  CHECK(applied(makeOp({{Slot::Prepended, {2}}, {Slot::Appended, {2}}}), V{1, 2, 3}) == V{1, 3, 2});
  // Reorder runs last and sees the items added by the other slots.
  CHECK(applied(makeOp({{Slot::Appended, {4}}, {Slot::Ordered, {4, 1}}}), V{1, 2, 3}) ==
        V{4, 1, 2, 3});
  // The authored order of set() calls does not matter.
  auto a = makeOp({{Slot::Appended, {1}}, {Slot::Deleted, {1}}});
  CHECK(applied(a, V{1, 2}) == V{2, 1});
}

TEST_CASE("ListOp::applyTo: reorder", "[listop]") {
  auto reorder = [](V order, V list) { return applied(makeOp({{Slot::Ordered, order}}), list); };
  CHECK(reorder({4, 3, 2, 1}, {1, 2, 3, 4}) == V{4, 3, 2, 1});
  // Unnamed items travel with the named item before them.
  CHECK(reorder({3, 1}, {1, 10, 3, 30}) == V{3, 30, 1, 10});
  // Unnamed items before the first named one stay in front.
  CHECK(reorder({3, 1}, {10, 1, 20, 3}) == V{10, 3, 1, 20});
  // Names not in the list are ignored.
  CHECK(reorder({9, 3, 1}, {1, 2, 3}) == V{3, 1, 2});
  // Only the first mention of a name counts.
  CHECK(reorder({3, 1, 3}, {1, 2, 3}) == V{3, 1, 2});
  // Partial orders leave other named-free runs attached.
  CHECK(reorder({2}, {1, 2, 3}) == V{1, 2, 3});
  CHECK(reorder({}, {3, 2, 1}) == V{3, 2, 1});
  CHECK(reorder({1, 2}, {}) == V{});

  // The two examples in OpenUSD's listOp.cpp comment on why reorders do not
  // compose: A = [2, 0] over B = [0, 1, 2].
  auto A = makeOp({{Slot::Ordered, {2, 0}}});
  auto B = makeOp({{Slot::Ordered, {0, 1, 2}}});
  CHECK(applied(A, applied(B, V{2, 1})) == V{1, 2});
  CHECK(applied(A, applied(B, V{2, 1, 0})) == V{2, 0, 1});
}

TEST_CASE("ListOp with tokens: the apiSchemas example", "[listop]") {
  // Weakest layer: prepend RigidBody, append Mass and ArticulationRoot.
  TokenListOp weak;
  weak.set(TokenListOp::Slot::Prepended, toks({"PhysicsRigidBodyAPI"}));
  weak.set(TokenListOp::Slot::Appended, toks({"PhysicsMassAPI", "PhysicsArticulationRootAPI"}));
  // Middle layer: prepend Collision and Mass.
  TokenListOp middle;
  middle.set(TokenListOp::Slot::Prepended, toks({"PhysicsCollisionAPI", "PhysicsMassAPI"}));
  // Strongest layer: delete RigidBody.
  TokenListOp strong;
  strong.set(TokenListOp::Slot::Deleted, toks({"PhysicsRigidBodyAPI"}));

  std::vector<Token> list;
  weak.applyTo(list);
  CHECK(texts(list) == std::vector<std::string>{"PhysicsRigidBodyAPI", "PhysicsMassAPI",
                                                "PhysicsArticulationRootAPI"});
  middle.applyTo(list);
  CHECK(texts(list) == std::vector<std::string>{"PhysicsCollisionAPI", "PhysicsMassAPI",
                                                "PhysicsRigidBodyAPI",
                                                "PhysicsArticulationRootAPI"});
  strong.applyTo(list);
  const std::vector<std::string> expected = {"PhysicsCollisionAPI", "PhysicsMassAPI",
                                             "PhysicsArticulationRootAPI"};
  CHECK(texts(list) == expected);

  // Composing the ops first gives one op with the same effect.
  TokenListOp composed = strong.composeOver(middle.composeOver(weak));
  CHECK_FALSE(composed.isExplicit);
  CHECK(texts(applied(composed)) == expected);
  CHECK(texts(composed.deletedItems) == std::vector<std::string>{"PhysicsRigidBodyAPI"});
  CHECK(texts(composed.prependedItems) ==
        std::vector<std::string>{"PhysicsCollisionAPI", "PhysicsMassAPI"});
  CHECK(texts(composed.appendedItems) == std::vector<std::string>{"PhysicsArticulationRootAPI"});
  // Composition is associative here.
  CHECK(texts(applied(strong.composeOver(middle).composeOver(weak))) == expected);
}

TEST_CASE("ListOp with other item types", "[listop]") {
  StringListOp s;
  s.set(StringListOp::Slot::Prepended, {"b"});
  s.set(StringListOp::Slot::Deleted, {"c"});
  CHECK(applied(s, std::vector<std::string>{"a", "b", "c"}) == std::vector<std::string>{"b", "a"});

  PathListOp p;
  const Path a = Path::fromCanonical("/A"), b = Path::fromCanonical("/B"),
             c = Path::fromCanonical("/C");
  p.set(PathListOp::Slot::Appended, {a});
  p.set(PathListOp::Slot::Ordered, {c, a});
  // Append gives [B, C, A]; reorder [C, A] keeps B (before any named item)
  // in front.
  CHECK(applied(p, std::vector<Path>{a, b, c}) == std::vector<Path>{b, c, a});

  // Items without a hash use the linear index.
  UnregisteredListOp u;
  u.set(UnregisteredListOp::Slot::Prepended, {UnregisteredValue{"2"}});
  u.set(UnregisteredListOp::Slot::Deleted, {UnregisteredValue{"1"}});
  CHECK(applied(u, std::vector<UnregisteredValue>{{"1"}, {"3"}, {"2"}}) ==
        std::vector<UnregisteredValue>{{"2"}, {"3"}});

  PayloadListOp pl;
  Payload p1{"a.usda", a, {}}, p2{"b.usda", b, {}}, p3{"a.usda", a, {1.0, 1.0}};
  pl.set(PayloadListOp::Slot::Appended, {p1, p3});
  // p1 and p3 differ only by layer offset, so both are kept.
  CHECK(applied(pl, std::vector<Payload>{p1, p2}) == std::vector<Payload>{p2, p1, p3});

  ReferenceListOp r;
  Reference r1{"x.usda", a, {}, nullptr}, r2{"y.usda", Path(), {}, nullptr};
  r.set(ReferenceListOp::Slot::Prepended, {r2});
  r.set(ReferenceListOp::Slot::Deleted, {r1});
  CHECK(applied(r, std::vector<Reference>{r1}) == std::vector<Reference>{r2});

  Int64ListOp i64;
  i64.set(Int64ListOp::Slot::Explicit, {std::int64_t(1) << 40, 5, std::int64_t(1) << 40});
  CHECK(applied(i64) == std::vector<std::int64_t>{std::int64_t(1) << 40, 5});
  UInt64ListOp u64;
  u64.set(UInt64ListOp::Slot::Appended, {~std::uint64_t(0)});
  CHECK(applied(u64, std::vector<std::uint64_t>{~std::uint64_t(0), 1}) ==
        std::vector<std::uint64_t>{1, ~std::uint64_t(0)});
  UIntListOp u32;
  u32.set(UIntListOp::Slot::Deleted, {7u});
  CHECK(applied(u32, std::vector<std::uint32_t>{7u, 8u}) == std::vector<std::uint32_t>{8u});
}

TEST_CASE("ListOp::composeOver: explicit and empty cases", "[listop]") {
  auto strongExplicit = makeOp({{Slot::Explicit, {5, 6}}});
  auto weak = makeOp({{Slot::Prepended, {1}}, {Slot::Deleted, {2}}});
  CHECK(strongExplicit.composeOver(weak) == strongExplicit);

  // Weaker explicit: the result is explicit, holding the applied list, even
  // with add and reorder in the stronger op.
  auto weakExplicit = makeOp({{Slot::Explicit, {1, 2, 3}}});
  auto strong = makeOp({{Slot::Deleted, {2}}, {Slot::Added, {4}}, {Slot::Ordered, {3, 1}}});
  IntListOp r = strong.composeOver(weakExplicit);
  CHECK(r.isExplicit);
  CHECK(r.explicitItems == V{3, 4, 1});

  IntListOp empty;
  CHECK(empty.composeOver(weak) == weak);
  CHECK(strong.composeOver(empty) == strong);
  auto weakOrdered = makeOp({{Slot::Ordered, {2, 1}}});
  CHECK(empty.composeOver(weakOrdered) == weakOrdered);
}

TEST_CASE("ListOp::composeOver: add and reorder handling", "[listop]") {
  // An add of an item the weaker op prepends is a no-op and disappears.
  auto weak = makeOp({{Slot::Prepended, {1}}, {Slot::Deleted, {2}}});
  IntListOp r = makeOp({{Slot::Added, {1, 2}}}).composeOver(weak);
  CHECK(r.addedItems.empty());
  CHECK(r.prependedItems == V{1});
  // 2 is certainly absent (deleted by the weaker op), so its add is an append.
  CHECK(r.appendedItems == V{2});
  CHECK(r.deletedItems.empty());
  for (V input : {V{}, V{2}, V{1, 2, 3}, V{3, 2, 1}})
    CHECK(applied(r, input) == applied(makeOp({{Slot::Added, {1, 2}}}), applied(weak, input)));

  // An add whose effect depends on the input becomes an append; it is exact
  // for inputs without the item.
  auto strongAdd = makeOp({{Slot::Added, {7}}});
  IntListOp approx = strongAdd.composeOver(weak);
  CHECK(approx.appendedItems == V{7});
  CHECK(approx.addedItems.empty());
  CHECK(applied(approx, V{3, 4}) == applied(strongAdd, applied(weak, V{3, 4})));

  // The stronger reorder is kept (it runs last either way) ...
  auto strongOrder = makeOp({{Slot::Ordered, {3, 1}}, {Slot::Appended, {4}}});
  IntListOp kept = strongOrder.composeOver(weak);
  CHECK(kept.orderedItems == V{3, 1});
  for (V input : {V{}, V{1, 2, 3}, V{3, 4, 5, 1}, V{5, 3}})
    CHECK(applied(kept, input) == applied(strongOrder, applied(weak, input)));
  // ... the weaker one is dropped.
  auto weakOrder = makeOp({{Slot::Ordered, {2, 1}}, {Slot::Appended, {5}}});
  IntListOp dropped = makeOp({{Slot::Deleted, {9}}}).composeOver(weakOrder);
  CHECK(dropped.orderedItems.empty());
  CHECK(dropped.appendedItems == V{5});
  CHECK(dropped.deletedItems == V{9});
}

namespace {

// Random op over items 0..5 using the given slots.
IntListOp randomOp(std::mt19937& rng, std::initializer_list<Slot> slots) {
  IntListOp op;
  std::uniform_int_distribution<int> count(0, 3), item(0, 5);
  for (Slot s : slots) {
    V items;
    for (int n = count(rng); n > 0; --n) items.push_back(item(rng));
    op.set(s, items);
  }
  return op;
}

V randomList(std::mt19937& rng) {
  V all = {0, 1, 2, 3, 4, 5, 6};
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(std::uniform_int_distribution<std::size_t>(0, all.size())(rng));
  return all;
}

void checkEquivalent(const IntListOp& strong, const IntListOp& weak, std::mt19937& rng) {
  const IntListOp composed = strong.composeOver(weak);
  for (int trial = 0; trial < 12; ++trial) {
    const V input = randomList(rng);
    const V sequential = applied(strong, applied(weak, input));
    const V combined = applied(composed, input);
    if (sequential != combined) {
      FAIL_CHECK("composeOver differs for input of size " << input.size());
      return;
    }
  }
}

}  // namespace

TEST_CASE("ListOp::composeOver: random equivalence with sequential application", "[listop]") {
  std::mt19937 rng(20240611);
  const auto editSlots = {Slot::Deleted, Slot::Prepended, Slot::Appended};
  for (int i = 0; i < 3000; ++i) {
    // Delete/prepend/append on both sides, plus a reorder on the strong side.
    IntListOp weak = randomOp(rng, editSlots);
    IntListOp strong =
        randomOp(rng, {Slot::Deleted, Slot::Prepended, Slot::Appended, Slot::Ordered});
    checkEquivalent(strong, weak, rng);

    // Weaker explicit, stronger anything.
    IntListOp weakExplicit = randomOp(rng, {Slot::Explicit});
    IntListOp strongAll = randomOp(rng, {Slot::Deleted, Slot::Added, Slot::Prepended,
                                         Slot::Appended, Slot::Ordered});
    checkEquivalent(strongAll, weakExplicit, rng);
    // Stronger explicit.
    checkEquivalent(randomOp(rng, {Slot::Explicit}), strongAll, rng);

    // Adds whose outcome is decided by the ops: weak adds of items the weak
    // op deletes or moves; strong adds of items mentioned by either op.
    IntListOp weakAdds = randomOp(rng, editSlots);
    {
      V pool = weakAdds.deletedItems;
      pool.insert(pool.end(), weakAdds.prependedItems.begin(), weakAdds.prependedItems.end());
      pool.insert(pool.end(), weakAdds.appendedItems.begin(), weakAdds.appendedItems.end());
      std::shuffle(pool.begin(), pool.end(), rng);
      weakAdds.addedItems = pool;
    }
    IntListOp strongAdds = randomOp(rng, {Slot::Deleted, Slot::Prepended, Slot::Appended,
                                          Slot::Ordered});
    {
      V pool = strongAdds.deletedItems;
      for (const V* v : {&strongAdds.prependedItems, &strongAdds.appendedItems,
                         &weakAdds.prependedItems, &weakAdds.appendedItems, &weakAdds.addedItems})
        pool.insert(pool.end(), v->begin(), v->end());
      for (int x : weakAdds.deletedItems) {
        // Deleted by the weaker op and not put back: certainly absent.
        auto mentioned = [&](const V& v) { return std::find(v.begin(), v.end(), x) != v.end(); };
        if (!mentioned(weakAdds.prependedItems) && !mentioned(weakAdds.appendedItems) &&
            !mentioned(weakAdds.addedItems))
          pool.push_back(x);
      }
      std::shuffle(pool.begin(), pool.end(), rng);
      pool.resize(std::min<std::size_t>(pool.size(), 3));
      strongAdds.addedItems = pool;
    }
    checkEquivalent(strongAdds, weakAdds, rng);
  }
}

TEST_CASE("ListOp::composeOver: approximated adds are exact when the input lacks the items",
          "[listop]") {
  // Documented approximation: an add that cannot be resolved becomes an
  // append, which is what add does whenever the item is not in the list.
  std::mt19937 rng(99);
  for (int i = 0; i < 3000; ++i) {
    IntListOp weak = randomOp(rng, {Slot::Deleted, Slot::Added, Slot::Prepended, Slot::Appended});
    IntListOp strong = randomOp(rng, {Slot::Deleted, Slot::Added, Slot::Prepended,
                                      Slot::Appended, Slot::Ordered});
    const IntListOp composed = strong.composeOver(weak);
    // (An empty op on either side returns the other one unchanged.)
    if (weak.hasKeys() && strong.hasKeys()) CHECK(composed.addedItems.empty());
    for (int trial = 0; trial < 8; ++trial) {
      V input = randomList(rng);
      std::erase_if(input, [&](int x) {
        auto has = [x](const V& v) { return std::find(v.begin(), v.end(), x) != v.end(); };
        return has(weak.addedItems) || has(strong.addedItems);
      });
      const V sequential = applied(strong, applied(weak, input));
      if (applied(composed, input) != sequential) {
        FAIL_CHECK("approximation not exact on an input without added items");
        break;
      }
    }
  }
}

TEST_CASE("ListOp::composeOver: chains of random ops", "[listop]") {
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::vector<IntListOp> layers;  // weakest first
    for (int n = 0; n < 4; ++n) {
      if (rng() % 6 == 0) layers.push_back(randomOp(rng, {Slot::Explicit}));
      else layers.push_back(randomOp(rng, {Slot::Deleted, Slot::Prepended, Slot::Appended}));
    }
    IntListOp composed = layers.front();
    for (std::size_t n = 1; n < layers.size(); ++n) composed = layers[n].composeOver(composed);
    for (int trial = 0; trial < 8; ++trial) {
      V input = randomList(rng);
      V sequential = input;
      for (const auto& op : layers) op.applyTo(sequential);
      CHECK(applied(composed, input) == sequential);
    }
  }
}
