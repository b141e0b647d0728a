// Numeric conversions between value kinds (sdf/ValueCast.h).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "sdf/ValueCast.h"

using namespace usdkit;

TEST_CASE("numeric values convert between arithmetic kinds", "[value][cast]") {
  // float to double keeps the float's exact value (0.1f is not 0.1).
  std::optional<Value> d = castNumericValue(Value(0.1f), ValueKind::Double);
  REQUIRE(d);
  REQUIRE(d->getIf<double>());
  CHECK(*d->getIf<double>() == static_cast<double>(0.1f));
  CHECK(*d->getIf<double>() != 0.1);

  std::optional<Value> i = castNumericValue(Value(7.9), ValueKind::Int);
  REQUIRE(i);
  CHECK(*i->getIf<std::int32_t>() == 7);  // truncated
  CHECK(*castNumericValue(Value(2.0), ValueKind::Bool)->getIf<bool>());
  CHECK(*castNumericValue(Value(true), ValueKind::Float)->getIf<float>() == 1.0f);
  CHECK(castNumericValue(Value(Half::fromFloat(1.5f)), ValueKind::Double)->get<double>() == 1.5);
  CHECK(castNumericValue(Value(std::int32_t{3}), ValueKind::Half)->get<Half>().toFloat() == 3.0f);

  // Out of range, NaN or infinity for an integer: no conversion.
  CHECK_FALSE(castNumericValue(Value(1e10), ValueKind::Int));
  CHECK_FALSE(castNumericValue(Value(std::numeric_limits<double>::quiet_NaN()), ValueKind::Int64));
  CHECK_FALSE(castNumericValue(Value(std::int64_t{-1}), ValueKind::UInt64));
  CHECK_FALSE(castNumericValue(Value(std::uint64_t{1} << 40), ValueKind::UInt));
}

TEST_CASE("vectors convert among vectors of one size, arrays element by element", "[value][cast]") {
  std::optional<Value> v = castNumericValue(Value(Vec3f{{1.5f, 2, 3}}), ValueKind::Vec3d);
  REQUIRE(v);
  CHECK(v->get<Vec3d>() == Vec3d{{1.5, 2, 3}});
  CHECK_FALSE(castNumericValue(Value(Vec3f{{1, 2, 3}}), ValueKind::Vec2f));
  CHECK_FALSE(castNumericValue(Value(Vec3f{{1, 2, 3}}), ValueKind::Double));
  CHECK_FALSE(castNumericValue(Value(1.0), ValueKind::Vec3d));

  std::optional<Value> a = castNumericValue(Value(std::vector<float>{1, 2.5f}), ValueKind::Double);
  REQUIRE(a);
  CHECK(a->get<std::vector<double>>() == std::vector<double>{1, 2.5});
  // One element that does not fit fails the whole array.
  CHECK_FALSE(castNumericValue(Value(std::vector<double>{1, 1e300}), ValueKind::Int));

  // Not numbers at all.
  CHECK_FALSE(castNumericValue(Value(std::string("1")), ValueKind::Double));
  CHECK_FALSE(castNumericValue(Value(1.0), ValueKind::String));
}
