// Scenes for composition tests: usda files written to a fresh temporary
// folder (the registry opens layers from disk, as it does for real stages).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace usdkit::test {

class SceneDir {
 public:
  SceneDir() {
    char tmpl[] = "/tmp/usdkit-compose-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  ~SceneDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SceneDir(const SceneDir&) = delete;
  SceneDir& operator=(const SceneDir&) = delete;

  // Writes `text` (usda, without the cookie) to `name`; returns its path.
  std::string write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << "#usda 1.0\n" << text;
    return path;
  }
  const std::string& path() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace usdkit::test
