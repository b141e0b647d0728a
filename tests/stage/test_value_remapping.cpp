#include <catch2/catch.hpp>

#include "sdf/Fields.h"
#include "stage/ValueRemapping.h"

using namespace usdkit;

TEST_CASE("layer offsets move time-valued data only") {
  const LayerOffset o{10, 2};  // t -> 2t + 10
  const Token field("myField");
  CHECK(applyLayerOffsetToValue(field, Value(TimeCode{3}), o) == Value(TimeCode{16}));
  CHECK(applyLayerOffsetToValue(field, Value(3.0), o) == Value(3.0));
  CHECK(applyLayerOffsetToValue(field, Value(std::vector<TimeCode>{{1}, {2}}), o) ==
        Value(std::vector<TimeCode>{{12}, {14}}));

  TimeSamples ts;
  ts.samples = {{0, Value(1.0f)}, {5, Value(TimeCode{1})}};
  const Value mapped = applyLayerOffsetToValue(fieldNames().timeSamples, Value(ts), o);
  const TimeSamples& m = mapped.get<TimeSamples>();
  REQUIRE(m.samples.size() == 2);
  CHECK(m.samples[0].first == 10);
  CHECK(m.samples[1].first == 20);
  CHECK(m.samples[1].second == Value(TimeCode{12}));  // timecode values move too

  Dictionary d;
  d.entries["when"] = TimeCode{1};
  d.entries["what"] = std::string("x");
  const Value mappedDict = applyLayerOffsetToValue(field, Value(d), o);
  const Dictionary& md = mappedDict.get<Dictionary>();
  CHECK(md.entries.at("when") == Value(TimeCode{12}));
  CHECK(md.entries.at("what") == Value(std::string("x")));
}

TEST_CASE("a negative scale keeps time samples ascending") {
  TimeSamples ts;
  ts.samples = {{1, Value(1.0)}, {2, Value(2.0)}};
  const Value mapped = applyLayerOffsetToValue(fieldNames().timeSamples, Value(ts), LayerOffset{0, -1});
  const TimeSamples& m = mapped.get<TimeSamples>();
  CHECK(m.samples[0] == std::pair<double, Value>{-2, Value(2.0)});
  CHECK(m.samples[1] == std::pair<double, Value>{-1, Value(1.0)});
}

TEST_CASE("reference and payload offsets compose under the layer's offset") {
  ReferenceListOp refs;
  refs.prependedItems.push_back(Reference{"a.usda", Path(), LayerOffset{5, 1}, nullptr});
  const Value mapped = applyLayerOffsetToValue(fieldNames().references, Value(refs), LayerOffset{10, 2});
  // The layer's offset applies after the reference's own: 2 * (t + 5) + 10.
  CHECK(mapped.get<ReferenceListOp>().prependedItems.front().layerOffset == LayerOffset{20, 2});
  CHECK(applyLayerOffsetToValue(fieldNames().references, Value(refs), LayerOffset{}) == Value(refs));
}

TEST_CASE("asset paths are rewritten wherever a value holds them") {
  const AssetPathFix fix = [](std::string_view p) { return "/abs/" + std::string(p); };
  const Token field("info");
  CHECK(fixAssetPathsInValue(field, Value(AssetPath{"x.png"}), fix) == Value(AssetPath{"/abs/x.png"}));
  CHECK(fixAssetPathsInValue(field, Value(std::vector<AssetPath>{{"a"}, {"b"}}), fix) ==
        Value(std::vector<AssetPath>{{"/abs/a"}, {"/abs/b"}}));

  PayloadListOp pls;
  pls.appendedItems = {Payload{"p.usda", Path(), {}}, Payload{"", *Path::parse("/Internal"), {}}};
  const Value fixedValue = fixAssetPathsInValue(fieldNames().payload, Value(pls), fix);
  const PayloadListOp& fixed = fixedValue.get<PayloadListOp>();
  CHECK(fixed.appendedItems[0].assetPath == "/abs/p.usda");
  CHECK(fixed.appendedItems[1].assetPath.empty());  // internal payloads stay internal

  Dictionary d;
  d.entries["tex"] = AssetPath{"t.png"};
  // The layer-stack flatten leaves nested asset paths alone; the stage
  // flatten anchors them too.
  CHECK(fixAssetPathsInValue(field, Value(d), fix) == Value(d));
  const Value deepValue = fixAssetPathsInValue(field, Value(d), fix, AssetPathScope{true});
  const Dictionary& deep = deepValue.get<Dictionary>();
  CHECK(deep.entries.at("tex") == Value(AssetPath{"/abs/t.png"}));
}

TEST_CASE("value clips: active and times move with the layer offset, clip asset paths are rewritten") {
  Dictionary set;
  set.entries["active"] = std::vector<Vec2d>{Vec2d{{0, 0}}, Vec2d{{10, 1}}};
  set.entries["times"] = std::vector<Vec2d>{Vec2d{{0, 5}}};
  set.entries["assetPaths"] = std::vector<AssetPath>{{"./c0.usda"}, {"./c1.usda"}};
  set.entries["primPath"] = std::string("/Clip");
  Dictionary clips;
  clips.entries["default"] = set;
  const Token field("clips");

  const Value moved = applyLayerOffsetToValue(field, Value(clips), LayerOffset{100, 1});
  const Dictionary& movedSet = moved.get<Dictionary>().entries.at("default").get<Dictionary>();
  // Only the stage-time component moves, not the clip's own time.
  CHECK(movedSet.entries.at("active") == Value(std::vector<Vec2d>{Vec2d{{100, 0}}, Vec2d{{110, 1}}}));
  CHECK(movedSet.entries.at("times") == Value(std::vector<Vec2d>{Vec2d{{100, 5}}}));
  CHECK(movedSet.entries.at("primPath") == Value(std::string("/Clip")));

  const Value fixed =
      fixAssetPathsInValue(field, Value(clips), [](std::string_view p) { return "/abs/" + std::string(p.substr(2)); });
  const Dictionary& fixedSet = fixed.get<Dictionary>().entries.at("default").get<Dictionary>();
  CHECK(fixedSet.entries.at("assetPaths") == Value(std::vector<AssetPath>{{"/abs/c0.usda"}, {"/abs/c1.usda"}}));
}
