// The text of a flattened scene, for the stage tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "io/LayerIO.h"
#include "stage/Flatten.h"

namespace usdkit::test {

inline std::string flattenedText(const std::string& root, bool layerStackOnly = false,
                                 bool authoredPropertyTypes = false) {
  FlattenRequest request;
  request.rootLayer = root;
  request.layerStackOnly = layerStackOnly;
  request.authoredPropertyTypes = authoredPropertyTypes;
  request.addSourceFileComment = false;
  auto result = flatten(request);
  REQUIRE(result.ok());
  auto text = exportToString(*result->layer);
  REQUIRE(text.ok());
  return *text;
}

}  // namespace usdkit::test
