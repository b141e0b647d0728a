// Helpers shared by the usda tests: parse text that must read (with its
// warnings collected) or must fail, find a spec that must exist, and write
// a layer's text (with the writer's warnings collected).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/usda/UsdaReader.h"
#include "io/usda/UsdaWriter.h"

namespace usdkit::usda_test {

inline std::unique_ptr<Layer> parseOk(std::string_view text, std::vector<std::string>* warnings = nullptr) {
  UsdaReadOptions options;
  options.warnings = warnings;
  auto layer = readUsda(text, "test.usda", options);
  INFO((layer.ok() ? std::string() : layer.error().message));
  REQUIRE(layer);
  return std::move(layer.value());
}

inline std::string parseError(std::string_view text) {
  auto layer = readUsda(text, "test.usda");
  REQUIRE_FALSE(layer);
  return layer.error().message;
}

inline const Spec& spec(const Layer& layer, std::string_view path) {
  const Spec* s = layer.findSpec(*Path::parse(path));
  INFO(path);
  REQUIRE(s);
  return *s;
}

inline std::string usdaOf(const Layer& layer, std::vector<std::string>* warnings = nullptr) {
  UsdaWriteOptions options;
  options.warnings = warnings;
  auto text = writeUsdaToString(layer, options);
  REQUIRE(text.ok());
  return *text;
}

}  // namespace usdkit::usda_test
