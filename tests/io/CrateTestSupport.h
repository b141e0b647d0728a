// Helpers shared by the crate tests: a layer's crate bytes (which must
// write), the version those bytes carry, and bytes read back as a layer
// (which must read).
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "io/crate/CrateReader.h"
#include "io/crate/CrateWriter.h"

namespace usdkit::crate_test {

inline std::string crateOf(const Layer& layer, CrateWriteOptions options = {}) {
  auto bytes = writeCrate(layer, options);
  INFO((bytes.ok() ? std::string() : bytes.error().message));
  REQUIRE(bytes.ok());
  return *bytes;
}

// "major.minor.patch" of the header.
inline std::string versionOf(const std::string& crate) {
  REQUIRE(crate.size() > 11);
  return std::to_string(static_cast<unsigned char>(crate[8])) + "." +
         std::to_string(static_cast<unsigned char>(crate[9])) + "." +
         std::to_string(static_cast<unsigned char>(crate[10]));
}

inline std::shared_ptr<Layer> readBack(const std::string& bytes) {
  auto layer = readCrate(bytes, nullptr, "back.usdc");
  INFO((layer.ok() ? std::string() : layer.error().message));
  REQUIRE(layer.ok());
  return *layer;
}

}  // namespace usdkit::crate_test
