// Array edits applied to arrays: the cases of OpenUSD's testVtArrayEdit
// (as the facts sheet for issue 16 records them), plus the index and size
// rules at their edges.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sdf/Value.h"

using namespace usdkit;
using Code = ArrayEditOp::Code;

namespace {

ArrayEdit intEdit(std::vector<std::int32_t> literals, std::vector<ArrayEditOp> ops) {
  return ArrayEdit{ValueKind::Int, Value(std::move(literals)), std::move(ops)};
}

std::vector<std::int32_t> applied(const ArrayEdit& e, std::vector<std::int32_t> weaker) {
  std::optional<Value> v = applyArrayEdit(e, Value(std::move(weaker)));
  REQUIRE(v);
  return v->get<std::vector<std::int32_t>>();
}

}  // namespace

TEST_CASE("array edit: prepend and append over empty and non-empty arrays") {
  // prepend 0; append 9
  const ArrayEdit e = intEdit({0, 9}, {{Code::InsertLiteral, 0, 0}, {Code::InsertLiteral, 1, kArrayEditEnd}});
  CHECK(applied(e, {}) == std::vector<std::int32_t>{0, 9});
  CHECK(applied(e, {5}) == std::vector<std::int32_t>{0, 5, 9});
  // No weaker opinion: applied to an empty array.
  std::optional<Value> none = applyArrayEdit(e, Value());
  REQUIRE(none);
  CHECK(none->get<std::vector<std::int32_t>>() == std::vector<std::int32_t>{0, 9});
}

TEST_CASE("array edit: writes and erases by index, negative from the end, out of range skipped") {
  // write [-1] to [2]; write [0] to [4]; erase [-1]; erase [0]
  const ArrayEdit e = intEdit({}, {{Code::WriteRef, -1, 2}, {Code::WriteRef, 0, 4}, {Code::EraseRef, -1}, {Code::EraseRef, 0}});
  CHECK(applied(e, {0, 0, 3, 4, 5, 9, 9}) == std::vector<std::int32_t>{0, 9, 4, 0, 9});
  CHECK(applied(e, {4, 5, 6, 7}) == std::vector<std::int32_t>{5, 7});  // [4] is past the end
  // Indexes are resolved against the size when the op runs.
  const ArrayEdit grown = intEdit({0, 7}, {{Code::InsertLiteral, 0, 0}, {Code::WriteLiteral, 1, -1}});
  CHECK(applied(grown, {1, 2}) == std::vector<std::int32_t>{0, 1, 7});
  // Far outside either way, and the most negative index: skipped.
  const ArrayEdit outside = intEdit({3}, {{Code::WriteLiteral, 0, 5}, {Code::WriteLiteral, 0, -5},
                                          {Code::EraseRef, kArrayEditEnd}, {Code::WriteLiteral, 1, 0}});
  CHECK(applied(outside, {1, 2}) == std::vector<std::int32_t>{1, 2});
}

TEST_CASE("array edit: inserts, at the end and before the last, by value and by reference") {
  // insert 5 at [2] (the end); insert 6 at [-1]; insert [0] at [1]; append [-1]
  const ArrayEdit e = intEdit({5, 6}, {{Code::InsertLiteral, 0, 2}, {Code::InsertLiteral, 1, -1},
                                       {Code::InsertRef, 0, 1}, {Code::InsertRef, -1, kArrayEditEnd}});
  CHECK(applied(e, {1, 2}) == std::vector<std::int32_t>{1, 1, 2, 6, 5, 5});
  // An insertion past the end is skipped.
  CHECK(applied(intEdit({5}, {{Code::InsertLiteral, 0, 3}}), {1, 2}) == std::vector<std::int32_t>{1, 2});
}

TEST_CASE("array edit: minsize, resize and maxsize, with and without fill") {
  CHECK(applied(intEdit({}, {{Code::MinSize, 10}}), {}) == std::vector<std::int32_t>(10, 0));
  CHECK(applied(intEdit({9}, {{Code::MinSizeFill, 10, 0}}), {}) == std::vector<std::int32_t>(10, 9));
  CHECK(applied(intEdit({9}, {{Code::MinSizeFill, 2, 0}}), {1, 2, 3}) == std::vector<std::int32_t>{1, 2, 3});
  CHECK(applied(intEdit({}, {{Code::MaxSize, 15}}), std::vector<std::int32_t>(20, 2)) ==
        std::vector<std::int32_t>(15, 2));
  CHECK(applied(intEdit({}, {{Code::SetSize, 7}}), {}) == std::vector<std::int32_t>(7, 0));
  CHECK(applied(intEdit({}, {{Code::SetSize, 7}}), std::vector<std::int32_t>(27, 9)) ==
        std::vector<std::int32_t>(7, 9));
  CHECK(applied(intEdit({3}, {{Code::SetSizeFill, 7, 0}}), {}) == std::vector<std::int32_t>(7, 3));
  // Negative sizes and missing fill literals: skipped.
  CHECK(applied(intEdit({}, {{Code::SetSize, -1}, {Code::MinSizeFill, 4, 2}}), {1}) == std::vector<std::int32_t>{1});
}

TEST_CASE("array edit: other element types; a weaker value of another type is refused") {
  const ArrayEdit strings{ValueKind::String, Value(std::vector<std::string>{"a", "b"}),
                          {{Code::InsertLiteral, 1, kArrayEditEnd}, {Code::WriteLiteral, 0, 0}}};
  std::optional<Value> v = applyArrayEdit(strings, Value(std::vector<std::string>{"x", "y"}));
  REQUIRE(v);
  CHECK(v->get<std::vector<std::string>>() == std::vector<std::string>{"a", "y", "b"});
  const ArrayEdit bools{ValueKind::Bool, Value(std::vector<bool>{true}), {{Code::MinSizeFill, 3, 0}, {Code::WriteRef, 0, 1}}};
  v = applyArrayEdit(bools, Value(std::vector<bool>{false}));
  REQUIRE(v);
  CHECK(v->get<std::vector<bool>>() == std::vector<bool>{false, false, true});
  CHECK_FALSE(applyArrayEdit(strings, Value(std::vector<std::int32_t>{1})));
  CHECK_FALSE(applyArrayEdit(strings, Value(std::string("scalar"))));
}
