// usdtree --layers: the text lines and the JSON list of the layers a stage
// uses, written out by hand from the format the tool documents.
#include <catch2/catch.hpp>

#include <vector>

#include "tree/StageLayersReport.h"

using namespace usdkit;

namespace {

std::vector<StageLayer> sampleLayers() {
  return {{"/s/shot.usda", "root", Path()},
          {"/s/asset \"a\".usda", "reference", *Path::parse("/World/A")},
          {"missing.usda: could not open", "unresolved", Path()}};
}

}  // namespace

TEST_CASE("--layers text: one line per layer, the arc and the prim it is on", "[tree]") {
  CHECK(formatStageLayers(sampleLayers(), false) ==
        "@/s/shot.usda@ (root)\n"
        "@/s/asset \"a\".usda@ (reference on </World/A>)\n"
        "unresolved: missing.usda: could not open\n");
}

TEST_CASE("--layers JSON: a list of objects with escaped strings", "[tree]") {
  CHECK(formatStageLayers(sampleLayers(), true) ==
        "[{\"layer\": \"/s/shot.usda\", \"arc\": \"root\", \"prim\": \"\"}, "
        "{\"layer\": \"/s/asset \\\"a\\\".usda\", \"arc\": \"reference\", \"prim\": \"/World/A\"}, "
        "{\"layer\": \"missing.usda: could not open\", \"arc\": \"unresolved\", \"prim\": \"\"}]\n");
  CHECK(formatStageLayers({}, true) == "[]\n");
  CHECK(formatStageLayers({}, false).empty());
}
