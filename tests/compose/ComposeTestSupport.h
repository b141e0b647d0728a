// Scenes for composition tests: usda files written to a fresh temporary
// folder (the registry opens layers from disk, as it does for real stages).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../TempDirectory.h"

namespace usdkit::test {

class SceneDir {
 public:

  // Writes `text` (usda, without the cookie) to `name`; returns its path.
  std::string write(const std::string& name, const std::string& text) {
    std::string path = dir_.file(name);
    std::ofstream(path, std::ios::binary) << "#usda 1.0\n" << text;
    return path;
  }
  std::string path() const { return dir_.string(); }

 private:
  testing::TempDirectory dir_{"usdkit-compose-test"};
};

// One layer: </R/C0> is relocated to </R/D0>, </R/D0/C1> to </R/D0/D1>, ...
// n deep (as tools/gen-compose-chains.py relocates writes); /R references
// /M0, whose C0 references /M1, ... so that each source exists. M_{i+1}
// holds x_i. Returns the layer's path.
inline std::string writeRelocateChain(SceneDir& d, int n) {
  std::string pairs, prims, src = "/R";
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    pairs += "    <" + src + "/C" + k + ">: <" + src + "/D" + k + ">,\n";
    src += "/D" + k;
    const std::string child = i + 1 < n ? "    def \"C" + std::to_string(i + 1) + "\" (\n        references = </M" +
                                              std::to_string(i + 2) + ">\n    ) {\n    }\n"
                                        : std::string();
    prims += "def \"M" + std::to_string(i + 1) + "\" {\n    double x" + k + " = " + k + "\n" + child + "}\n";
  }
  return d.write("a0.usda", "(\n    relocates = {\n" + pairs + "    }\n)\ndef \"R\" (\n    references = </M0>\n) {\n}\n" +
                                "def \"M0\" {\n    def \"C0\" (\n        references = </M1>\n    ) {\n    }\n}\n" + prims);
}

}  // namespace usdkit::test
