// Applying array edits (ArrayEdit in Value.h) to arrays.
#include <optional>
#include <type_traits>

#include "sdf/Value.h"

namespace usdkit {

namespace {

// An element index, negative from the end, inside [0, size) (or [0, size]
// where `end` allows one past the last, for insertions); -1 when outside.
std::int64_t resolveIndex(std::int64_t i, std::size_t size, bool end) {
  const auto n = static_cast<std::int64_t>(size);
  if (end && i == kArrayEditEnd) return n;
  if (i < 0) {
    if (i < -n) return -1;  // (also keeps i + n from overflowing)
    i += n;
  }
  return i < n || (end && i == n) ? i : -1;
}

template <class T>
Value apply(const ArrayEdit& edit, const std::vector<T>* weaker) {
  std::vector<T> a = weaker ? *weaker : std::vector<T>();
  static const std::vector<T> none;
  const std::vector<T>* lits = edit.literals.getIf<std::vector<T>>();
  if (!lits) lits = &none;
  // (By value: std::vector<bool> has no element to point at.)
  auto literal = [&](std::int64_t k) -> std::optional<T> {
    if (k < 0 || static_cast<std::uint64_t>(k) >= lits->size()) return std::nullopt;
    return T((*lits)[static_cast<std::size_t>(k)]);
  };
  using Code = ArrayEditOp::Code;
  for (const ArrayEditOp& op : edit.ops) {
    switch (op.code) {
      case Code::WriteLiteral: {
        const std::optional<T> v = literal(op.a);
        const std::int64_t i = resolveIndex(op.b, a.size(), false);
        if (v && i >= 0) a[static_cast<std::size_t>(i)] = *v;
        break;
      }
      case Code::WriteRef: {
        const std::int64_t j = resolveIndex(op.a, a.size(), false), i = resolveIndex(op.b, a.size(), false);
        if (j >= 0 && i >= 0) a[static_cast<std::size_t>(i)] = T(a[static_cast<std::size_t>(j)]);
        break;
      }
      case Code::InsertLiteral: {
        const std::optional<T> v = literal(op.a);
        const std::int64_t i = resolveIndex(op.b, a.size(), true);
        if (v && i >= 0) a.insert(a.begin() + i, *v);
        break;
      }
      case Code::InsertRef: {
        const std::int64_t j = resolveIndex(op.a, a.size(), false), i = resolveIndex(op.b, a.size(), true);
        if (j < 0 || i < 0) break;
        T copy = a[static_cast<std::size_t>(j)];  // a copy: inserting moves the elements
        a.insert(a.begin() + i, std::move(copy));
        break;
      }
      case Code::EraseRef: {
        const std::int64_t i = resolveIndex(op.a, a.size(), false);
        if (i >= 0) a.erase(a.begin() + i);
        break;
      }
      case Code::MinSize:
      case Code::MinSizeFill:
      case Code::SetSize:
      case Code::SetSizeFill:
      case Code::MaxSize: {
        if (op.a < 0) break;
        const auto n = static_cast<std::uint64_t>(op.a);
        const bool fill = op.code == Code::MinSizeFill || op.code == Code::SetSizeFill;
        const std::optional<T> v = fill ? literal(op.b) : std::nullopt;
        if (fill && !v) break;
        // A size is what the file says; growing is bounded like any
        // allocation the input asks for (the vector throws past its limit).
        if (n > a.max_size()) break;
        const bool grow = op.code != Code::MaxSize && n > a.size();
        const bool shrink = (op.code == Code::SetSize || op.code == Code::SetSizeFill || op.code == Code::MaxSize) &&
                            n < a.size();
        if (grow) a.resize(static_cast<std::size_t>(n), v ? *v : T());
        else if (shrink) a.resize(static_cast<std::size_t>(n));
        break;
      }
    }
  }
  return Value(std::move(a));
}

}  // namespace

std::optional<Value> applyArrayEdit(const ArrayEdit& edit, const Value& weaker) {
  return withKindType(edit.kind, [&](auto type) -> std::optional<Value> {
    using T = typename decltype(type)::type;
    const auto* array = weaker.getIf<std::vector<T>>();
    if (!array && !weaker.empty()) return std::nullopt;
    return apply<T>(edit, array);
  });
}

Value emptyArrayOf(ValueKind kind) {
  return withKindType(kind, [](auto type) {
    using T = typename decltype(type)::type;
    return Value(std::vector<T>());
  });
}

}  // namespace usdkit
