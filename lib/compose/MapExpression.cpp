#include "compose/MapExpression.h"

#include <vector>

#include "compose/LayerStack.h"

namespace usdkit {

struct MapExpression::Node {
  MapExpression outer;    // empty once composed
  MapFunction function;   // the inner operand until composed, then the result
  LayerOffset offset;     // the result's, known from the start
  bool composed = false;
  bool identity = false;  // known to be the identity without composing
  ~Node();
};

MapExpression::Node::~Node() {
  // A chain of compositions is as long as a prim index is deep: released
  // link by link here, not by a recursion of destructors.
  std::shared_ptr<Node> next = std::move(outer.node_);
  while (next && next.use_count() == 1) {
    std::shared_ptr<Node> after = std::move(next->outer.node_);
    next = std::move(after);
  }
}

MapExpression MapExpression::constant(MapFunction f) {
  auto node = std::make_shared<Node>();
  node->offset = f.timeOffset();
  node->identity = f.isIdentity();
  node->function = std::move(f);
  node->composed = true;
  return MapExpression(std::move(node));
}

MapExpression MapExpression::identity() {
  // Constants are never mutated, so one can serve every thread.
  static const MapExpression kIdentity = constant(MapFunction::identity());
  return kIdentity;
}

MapExpression MapExpression::compose(const MapExpression& outer, const MapFunction& inner) {
  // The shortcuts MapFunction::compose takes, so that the result (and its
  // time offset) is the one composing at once would give.
  if (outer.node_ && outer.node_->identity) return constant(inner);
  if (inner.isIdentity()) return outer;
  auto node = std::make_shared<Node>();
  node->outer = outer;
  node->function = inner;
  node->offset = composeOffsets(outer.timeOffset(), inner.timeOffset());
  return MapExpression(std::move(node));
}

const LayerOffset& MapExpression::timeOffset() const noexcept {
  static const LayerOffset kNoOffset;
  return node_ ? node_->offset : kNoOffset;
}

const MapFunction& MapExpression::evaluate() const {
  static const MapFunction kMapsNothing;
  if (!node_) return kMapsNothing;
  // Up the chain to the nearest operand composed already, then back down,
  // composing each link once (no recursion: chains are as deep as graphs).
  std::vector<Node*> pending;
  for (Node* n = node_.get(); n && !n->composed; n = n->outer.node_.get()) pending.push_back(n);
  for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
    Node& n = **it;
    n.function = n.outer.evaluate().compose(n.function);
    n.outer = MapExpression();
    n.composed = true;
  }
  return node_->function;
}

}  // namespace usdkit
