#include <catch2/catch.hpp>

#include "compose/MapFunction.h"

using namespace usdkit;

namespace {
Path P(const char* text) { return *Path::parse(text); }
}  // namespace

TEST_CASE("map function: longest prefix wins, unmapped paths are empty") {
  MapFunction f = MapFunction::create({{P("/Ref"), P("/Model")}, {P("/Ref/Sub"), P("/Model/Other")}});
  CHECK(f.mapSourceToTarget(P("/Ref/Geom")) == P("/Model/Geom"));
  CHECK(f.mapSourceToTarget(P("/Ref/Sub/X")) == P("/Model/Other/X"));
  CHECK(f.mapSourceToTarget(P("/Elsewhere")).empty());
  CHECK(f.mapTargetToSource(P("/Model/Geom")) == P("/Ref/Geom"));
}

TEST_CASE("map function: root identity maps everything else, but not onto a mapped target") {
  MapFunction f = MapFunction::create({{P("/_class_Model"), P("/Model")}, {P("/"), P("/")}});
  CHECK(f.hasRootIdentity());
  CHECK(f.mapSourceToTarget(P("/Other/X")) == P("/Other/X"));
  CHECK(f.mapSourceToTarget(P("/_class_Model/A")) == P("/Model/A"));
  // /Model would map to itself by the identity, but /Model is the target of
  // another pair, so mapping back would not round-trip.
  CHECK(f.mapSourceToTarget(P("/Model")).empty());
}

TEST_CASE("map function: compose, inverse and time offsets") {
  MapFunction inner = MapFunction::create({{P("/A"), P("/B")}}, LayerOffset{10, 1});
  MapFunction outer = MapFunction::create({{P("/B"), P("/C")}}, LayerOffset{0, 2});
  MapFunction both = outer.compose(inner);
  CHECK(both.mapSourceToTarget(P("/A/x")) == P("/C/x"));
  CHECK(both.timeOffset() == LayerOffset{20, 2});
  MapFunction back = both.inverse();
  CHECK(back.mapSourceToTarget(P("/C/x")) == P("/A/x"));
  CHECK(back.timeOffset() == LayerOffset{-10, 0.5});
  CHECK(MapFunction::identity().compose(inner) == inner);
  // A redundant pair (implied by its parent's) is dropped.
  MapFunction r = MapFunction::create({{P("/A"), P("/B")}, {P("/A/c"), P("/B/c")}});
  CHECK(r.pairs().size() == 1);
}
