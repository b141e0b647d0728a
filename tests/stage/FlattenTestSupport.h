// The text of a flattened scene, for the stage tests. A stage flatten is
// made twice, as a layer and as text written prim by prim (what the tools
// do for text output): every stage test also checks that both are the
// same bytes.
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
  if (!layerStackOnly) {
    request.textOutput = true;
    auto streamed = flatten(request);
    REQUIRE(streamed.ok());
    CHECK(streamed->layer == nullptr);
    auto streamedText = exportToString(streamed->text);
    REQUIRE(streamedText.ok());
    CHECK(*streamedText == *text);
    CHECK(streamed->warnings == result->warnings);
  }
  return *text;
}

}  // namespace usdkit::test
