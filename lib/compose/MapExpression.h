// A map function composed on demand. A prim index node's map to the root is
// its parent's map to the root composed with its own arc's map; composed
// eagerly, every node of a chain of nested relocations would hold the pairs
// of all the relocations above it, when most nodes only ever have their
// time offset read. An expression keeps the operands instead, works the
// time offset out at once (it is cheap), and composes the pairs the first
// time a path is mapped through it, remembering the result.
//
// Copies share the expression and what it has computed, so the copies of
// nodes each prim index takes from its parent's cost a pointer. Computing
// on demand mutates shared state: one stage's composition is used by one
// thread at a time.
#pragma once

#include <memory>

#include "compose/MapFunction.h"

namespace usdkit {

class MapExpression {
 public:
  MapExpression() = default;  // maps nothing, as MapFunction() does
  static MapExpression constant(MapFunction f);
  static MapExpression identity();
  // outer ∘ inner (apply `inner`, then `outer`), composed when first needed.
  static MapExpression compose(const MapExpression& outer, const MapFunction& inner);

  // The composed map function (made on the first call, then kept).
  const MapFunction& evaluate() const;
  const LayerOffset& timeOffset() const noexcept;
  Path mapSourceToTarget(const Path& path) const { return evaluate().mapSourceToTarget(path); }
  Path mapTargetToSource(const Path& path) const { return evaluate().mapTargetToSource(path); }

 private:
  struct Node;
  explicit MapExpression(std::shared_ptr<Node> node) : node_(std::move(node)) {}
  std::shared_ptr<Node> node_;  // null: maps nothing
};

}  // namespace usdkit
