#include <catch2/catch.hpp>

#include "sdf/TimeSampleQueries.h"
#include "sdf/ValueInterpolation.h"

using namespace usdkit;

TEST_CASE("interpolateLinear: floating-point scalars, vectors and matrices mix linearly") {
  CHECK(interpolateLinear(Value(1.0), Value(3.0), 0.25)->get<double>() == 1.5);
  // A float mixes in double and is rounded once.
  CHECK(interpolateLinear(Value(0.0f), Value(1.0f), 0.1)->get<float>() == static_cast<float>(0.1));
  const Value v = *interpolateLinear(Value(Vec3d{{0, 10, -2}}), Value(Vec3d{{4, 20, 2}}), 0.5);
  CHECK(v.get<Vec3d>() == Vec3d{{2, 15, 0}});
  Matrix2d a, b;
  a.m = {{{0, 0}, {0, 0}}};
  b.m = {{{2, 4}, {6, 8}}};
  CHECK(interpolateLinear(Value(a), Value(b), 0.5)->get<Matrix2d>().m[1][1] == 4);
  CHECK(interpolateLinear(Value(TimeCode{10}), Value(TimeCode{20}), 0.5)->get<TimeCode>().time == 15);
  CHECK(interpolateLinear(Value(Half::fromFloat(1)), Value(Half::fromFloat(2)), 0.5)->get<Half>().toFloat() == 1.5f);
}

TEST_CASE("interpolateLinear: quaternions take the shorter arc") {
  const double s = std::sqrt(0.5);
  Quatd identity, quarter;  // no rotation; 90 degrees about z
  identity.real = 1;
  quarter.real = s;
  quarter.imaginary = {0, 0, s};
  const Quatd half = interpolateLinear(Value(identity), Value(quarter), 0.5)->get<Quatd>();
  CHECK(half.real == Approx(std::cos(M_PI / 8)));
  CHECK(half.imaginary[2] == Approx(std::sin(M_PI / 8)));
  // -q is the same rotation: interpolating towards it must not go the long way.
  Quatd negated = quarter;
  negated.real = -s;
  negated.imaginary[2] = -s;
  const Quatd viaNegated = interpolateLinear(Value(identity), Value(negated), 0.5)->get<Quatd>();
  CHECK(viaNegated.real == Approx(half.real));
  CHECK(viaNegated.imaginary[2] == Approx(half.imaginary[2]));
}

TEST_CASE("interpolateLinear: arrays element by element, held when lengths or types differ") {
  const Value lower(std::vector<float>{0, 10}), upper(std::vector<float>{10, 20});
  CHECK(interpolateLinear(lower, upper, 0.5)->get<std::vector<float>>() == std::vector<float>{5, 15});
  CHECK(!interpolateLinear(lower, Value(std::vector<float>{1}), 0.5));
  CHECK(!interpolateLinear(Value(std::int32_t{1}), Value(std::int32_t{3}), 0.5));
  CHECK(!interpolateLinear(Value(std::string("a")), Value(std::string("b")), 0.5));
  CHECK(!interpolateLinear(Value(1.0), Value(1.0f), 0.5));
}

TEST_CASE("time sample queries: bracketing times and interpolated values") {
  TimeSamples ts;
  ts.samples = {{0, Value(0.0)}, {10, Value(100.0)}, {20, Value(ValueBlock{})}, {30, Value(std::string("x"))}};
  CHECK(bracketingTimes(ts, -5)->lower == 0);
  CHECK(bracketingTimes(ts, 5)->upper == 10);
  CHECK(bracketingTimes(ts, 10)->lower == 10);
  CHECK(bracketingTimes(ts, 99)->lower == 30);
  CHECK(!bracketingTimes(TimeSamples{}, 1));
  CHECK(interpolatedSampleValue(ts, 2.5)->get<double>() == 25);
  // A blocked upper sample holds the lower one; a blocked lower one gives none.
  CHECK(interpolatedSampleValue(ts, 15)->get<double>() == 100);
  CHECK(!interpolatedSampleValue(ts, 25));
  CHECK(sampleAt(ts, 10) != nullptr);
  CHECK(sampleAt(ts, 11) == nullptr);
}
