// `edit [ ... ]`: array edits in usda 1.2 (current OpenUSD's
// SdfTextFileFormat grammar), for an array-typed attribute's default or
// time sample. Statements are separated by ';' or newlines:
//   prepend X | append X | write X to [i] | insert X at [i] | erase [i]
//   minsize N [fill L] | resize N [fill L] | maxsize N
// where X is a literal of the element type or a reference `[j]` to an
// element of the array being edited (negative from the end).
#include <string>
#include <unordered_map>

#include "io/usda/Reader.h"

namespace usdkit::usda {

namespace {

// Each distinct literal once, in order of first use (OpenUSD's builder
// does the same, so the crate file of an edit is the same bytes). Values
// are compared as their element type compares them, except that NaN, equal
// to nothing, is never shared.
class LiteralTable {
 public:
  explicit LiteralTable(ValueKind kind) : kind_(kind) {}

  std::int64_t add(const Value& v) {
    std::string key;
    const bool shareable = withKindType(kind_, [&](auto type) {
      using T = typename decltype(type)::type;
      const T& x = v.get<T>();
      if constexpr (std::is_same_v<T, std::string>) key = x;
      else if constexpr (std::is_same_v<T, Token>) key = x.str();
      else if constexpr (std::is_same_v<T, AssetPath>) key = x.path;
      else if constexpr (std::is_same_v<T, PathExpression>) key = x.text;
      else {
        if (!(x == x)) return false;
        key.assign(reinterpret_cast<const char*>(&x), sizeof(T));
      }
      return true;
    });
    if (shareable) {
      const auto [it, added] = index_.try_emplace(std::move(key), static_cast<std::int64_t>(values_.size()));
      if (!added) return it->second;
    }
    values_.push_back(v);
    return static_cast<std::int64_t>(values_.size() - 1);
  }

  Value array() const {
    return withKindType(kind_, [&](auto type) {
      using T = typename decltype(type)::type;
      std::vector<T> out;
      out.reserve(values_.size());
      for (const Value& v : values_) out.push_back(v.get<T>());
      return Value(std::move(out));
    });
  }

 private:
  ValueKind kind_;
  std::vector<Value> values_;
  std::unordered_map<std::string, std::int64_t> index_;
};

}  // namespace

std::int64_t Reader::parseArrayEditInteger(const char* what) {
  const char* at = s_.p;
  const bool negative = s_.tryChar('-');
  if (!(s_.peek() >= '0' && s_.peek() <= '9')) fail(s_.p, what);
  // Accumulated as a negative number: INT64_MIN is a valid index.
  std::int64_t n = 0;
  while (s_.peek() >= '0' && s_.peek() <= '9') {
    const int digit = s_.peek() - '0';
    if (n < (std::numeric_limits<std::int64_t>::min() + digit) / 10)
      fail(at, "integer out of range (a 64-bit integer is expected)");
    n = n * 10 - digit;
    ++s_.p;
  }
  if (!negative) {
    if (n == std::numeric_limits<std::int64_t>::min()) fail(at, "integer out of range (a 64-bit integer is expected)");
    n = -n;
  }
  return n;
}

Value Reader::parseArrayEdit(const std::optional<ValueTypeInfo>& type, const char* at) {
  if (!type || !type->isArray || type->isOpaque)
    fail(at, "array edits ('edit [...]') are only for attributes of array types");
  ValueTypeInfo elementType = *type;
  elementType.isArray = false;
  LiteralTable literals(type->kind);
  ArrayEdit edit{type->kind, Value(), {}};
  using Code = ArrayEditOp::Code;
  // `[index]`
  auto reference = [&]() {
    s_.expectChar('[', "Expected [");
    s_.skipInlinePad();
    const std::int64_t i = parseArrayEditInteger("Expected integer");
    s_.skipInlinePad();
    s_.expectChar(']', "Expected ]");
    return i;
  };
  auto literal = [&]() {
    const char* litAt = s_.p;
    if (s_.peek() == '[') fail(litAt, "Expected a literal value (lists are not literals in an array edit)");
    const RawValue raw = values_.parseRaw("Expected a literal value");
    if (raw.kind == RawValue::Kind::List) fail(litAt, "Expected a literal value (lists are not literals in an array edit)");
    return literals.add(values_.convert(raw, elementType));
  };
  // A literal or a reference, then the op that takes it.
  auto operand = [&](Code byValue, Code byReference, auto&& destination) {
    s_.skipInlinePad();
    if (s_.peek() == '[') {
      const std::int64_t j = reference();
      edit.ops.push_back({byReference, j, destination()});
    } else {
      const std::int64_t k = literal();
      edit.ops.push_back({byValue, k, destination()});
    }
  };
  auto keywordThenReference = [&](const char* keyword, const char* expected) {
    return [&, keyword, expected]() {
      s_.skipInlinePad();
      if (!s_.tryKeyword(keyword)) fail(s_.p, expected);
      s_.skipInlinePad();
      return reference();
    };
  };
  // `N [fill L]`; a negative size is dropped with a warning, as OpenUSD's
  // builder drops it.
  auto sized = [&](Code plain, Code filled, bool mayFill) {
    s_.skipInlinePad();
    const char* sizeAt = s_.p;
    const std::int64_t n = parseArrayEditInteger("Expected integer");
    std::optional<std::int64_t> fill;
    const char* before = s_.p;
    s_.skipInlinePad();
    if (mayFill && s_.tryKeyword("fill")) {
      s_.skipInlinePad();
      fill = literal();
    } else {
      s_.p = before;
    }
    if (n < 0) {
      warn(sizeAt, "negative size " + std::to_string(n) + " in an array edit: the operation is ignored");
      return;
    }
    if (fill) edit.ops.push_back({filled, n, *fill});
    else edit.ops.push_back({plain, n, 0});
  };
  s_.skipInlinePad();
  s_.expectChar('[', "Expected [");
  s_.statementList(']', [&] {
    const char* opAt = s_.p;
    if (s_.tryKeyword("prepend")) {
      operand(Code::InsertLiteral, Code::InsertRef, [] { return std::int64_t(0); });
    } else if (s_.tryKeyword("append")) {
      operand(Code::InsertLiteral, Code::InsertRef, [] { return kArrayEditEnd; });
    } else if (s_.tryKeyword("write")) {
      operand(Code::WriteLiteral, Code::WriteRef, keywordThenReference("to", "Expected to"));
    } else if (s_.tryKeyword("insert")) {
      operand(Code::InsertLiteral, Code::InsertRef, keywordThenReference("at", "Expected at"));
    } else if (s_.tryKeyword("erase")) {
      s_.skipInlinePad();
      edit.ops.push_back({Code::EraseRef, reference(), 0});
    } else if (s_.tryKeyword("minsize")) {
      sized(Code::MinSize, Code::MinSizeFill, true);
    } else if (s_.tryKeyword("resize")) {
      sized(Code::SetSize, Code::SetSizeFill, true);
    } else if (s_.tryKeyword("maxsize")) {
      sized(Code::MaxSize, Code::MaxSize, false);
    } else {
      fail(opAt, "Expected prepend, append, write, insert, erase, minsize, resize or maxsize");
    }
  });
  edit.literals = literals.array();
  return Value(std::move(edit));
}

}  // namespace usdkit::usda
