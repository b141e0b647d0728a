// Shared by the path tests: Catch printing of paths and small helpers.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "sdf/Path.h"

namespace Catch {
template <>
struct StringMaker<usdkit::Path> {
  static std::string convert(const usdkit::Path& p) {
    if (p.empty()) return "<empty>";
    std::string s = "<";
    s += p.string();
    s += '>';
    return s;
  }
};
}  // namespace Catch

namespace path_test {

inline usdkit::Path P(std::string_view text) {
  auto p = usdkit::Path::parse(text);
  INFO("path text: <" << std::string(text) << ">");
  REQUIRE(p.has_value());
  return *p;
}

inline std::vector<std::string> texts(const std::vector<usdkit::Path>& paths) {
  std::vector<std::string> out;
  for (const usdkit::Path& p : paths) out.push_back(p.string());
  return out;
}

}  // namespace path_test
