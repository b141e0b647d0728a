// usdchecker's inputs: directories stand for the USD files below them.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "TempDirectory.h"
#include "check/Checker.h"

using namespace usdkit;
using usdkit::testing::TempDirectory;

namespace {
void touch(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << "#usda 1.0\n";
}
}  // namespace

TEST_CASE("a directory stands for its USD files in path order; looping links are kept", "[check]") {
  TempDirectory dir;
  touch(dir / "b.usda");
  touch(dir / "a/z.usdz");
  touch(dir / "a/y.USDA");  // extensions are matched as written
  touch(dir / "notes.txt");
  touch(dir / "c.usdc");
  touch(dir / "d.usd");
  REQUIRE(::symlink("loop.usda", (dir / "loop.usda").c_str()) == 0);
  REQUIRE(::symlink("b.usda", (dir / "good-link.usda").c_str()) == 0);
  const std::string root = dir.path.string();
  const std::vector<std::string> inputs{"single.usda", root};
  CHECK(check::expandCheckInputs(inputs) == std::vector<std::string>{"single.usda", root + "/a/z.usdz", root + "/b.usda",
                                                                   root + "/c.usdc", root + "/d.usd",
                                                                   root + "/good-link.usda", root + "/loop.usda"});
}
