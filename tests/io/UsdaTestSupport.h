// Helpers shared by the usda reader tests: parse text that must read (with
// its warnings collected) or must fail, and find a spec that must exist.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/usda/UsdaReader.h"

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

}  // namespace usdkit::usda_test
