// A fresh directory under $TMPDIR (or /tmp), removed with everything in it
// when the object goes: the one temporary-folder helper of the unit tests,
// the composition scenes and the conformance programs. Throws when no
// folder can be made (a Catch2 test then fails; a program ends).
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace usdkit::testing {

struct TempDirectory {
  std::filesystem::path path;

  // `prefix` names the folder (e.g. "usdkit-pcp-conformance") so a leftover
  // one says what made it.
  explicit TempDirectory(std::string_view prefix = "usdkit-test") {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + std::string(prefix) + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder " + pattern);
    path = pattern;
  }
  ~TempDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  std::string string() const { return path.string(); }
  std::string file(std::string_view name) const { return (path / name).string(); }
  std::string operator/(std::string_view name) const { return file(name); }
  // Names directly inside, in no particular order.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path)) names.push_back(e.path().filename().string());
    return names;
  }
};

}  // namespace usdkit::testing
