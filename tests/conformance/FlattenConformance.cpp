// Runs the built usdflatten over ../shared/conformance/flatten and compares
// with OpenUSD 24.11's `usdcat --flatten` and `usdcat --flattenLayerStack`:
// each case runs in its input/ folder with the root layer from the
// manifest; the absolute path of that folder, written `$CASEDIR` in the
// expected files, is replaced in our output before comparing, and the exit
// code must match.
//
// Usage: conformance_flatten <flatten dir> <usdflatten binary> [mode]
//   mode: both (default), flatten or layerstack
#include <unistd.h>

#include <iostream>
#include <regex>
#include <string>

#include "../TempDirectory.h"
#include "ConformanceSupport.h"

using namespace conformance;

namespace {

struct Case {
  std::string name, root;
  int flattenRc = 0, layerStackRc = 0;
};

// The manifest is a JSON list of flat objects with string and integer
// values; a regex per field is enough for that shape.
std::vector<Case> readManifest(const std::string& text) {
  std::vector<Case> cases;
  const std::regex object(R"(\{[^{}]*\})");
  auto field = [](const std::string& obj, const std::string& key) {
    std::smatch m;
    const std::regex re("\"" + key + R"re("\s*:\s*("([^"]*)"|-?[0-9]+))re");
    if (!std::regex_search(obj, m, re)) return std::string();
    return m[2].matched ? m[2].str() : m[1].str();
  };
  for (auto it = std::sregex_iterator(text.begin(), text.end(), object); it != std::sregex_iterator(); ++it) {
    const std::string obj = it->str();
    Case c{field(obj, "case"), field(obj, "root")};
    const std::string f = field(obj, "flatten_rc"), l = field(obj, "flattenLayerStack_rc");
    c.flattenRc = f.empty() ? 0 : std::stoi(f);
    c.layerStackRc = l.empty() ? 0 : std::stoi(l);
    if (!c.name.empty()) cases.push_back(c);
  }
  return cases;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: conformance_flatten <flatten dir> <usdflatten> [both|flatten|layerstack]\n";
    return 2;
  }
  const std::string dir = argv[1], tool = argv[2], mode = argc > 3 ? argv[3] : "both";
  if (!exists(dir + "/manifest.json")) {
    std::cout << "skipped: conformance data not found at " << dir << "\n";
    return 77;  // meson's "skipped" exit code
  }
  const usdkit::testing::TempDirectory scratch("usdkit-flatten-conformance");
  const std::string tmp = scratch.string();
  const std::string out = tmp + "/out", err = tmp + "/err";
  int passed = 0, failed = 0;
  for (const Case& c : readManifest(slurp(dir + "/manifest.json"))) {
    const std::string caseDir = dir + "/" + c.name, input = caseDir + "/input";
    // The manifest's root is relative to the conformance folder, which is
    // the flatten folder's parent.
    const std::string prefix = "flatten/" + c.name + "/input/";
    if (c.root.compare(0, prefix.size(), prefix) != 0) {
      ++failed;
      std::cout << "FAIL " << c.name << ": unexpected root " << c.root << "\n";
      continue;
    }
    const std::string root = c.root.substr(prefix.size());
    char* real = ::realpath(input.c_str(), nullptr);
    const std::string absInput = real ? real : input;
    ::free(real);
    for (const bool layerStack : {true, false}) {
      if ((layerStack && mode == "flatten") || (!layerStack && mode == "layerstack")) continue;
      const std::string label = c.name + (layerStack ? " --flattenLayerStack" : " --flatten");
      const std::string expectedFile = caseDir + (layerStack ? "/flattenLayerStack.usda" : "/flatten.usda");
      const int expectedRc = layerStack ? c.layerStackRc : c.flattenRc;
      const int rc = run("cd " + quote(input) + " && timeout -s KILL 60 " + quote(tool) +
                         (layerStack ? " --flattenLayerStack " : " ") + quote(root) + " >" + out + " 2>" + err);
      std::string why;
      if (rc != expectedRc) {
        why = "exit " + std::to_string(rc) + ", expected " + std::to_string(expectedRc) + ": " + slurp(err);
      } else if (rc == 0 && exists(expectedFile) &&
                 replaceAll(slurp(out), absInput, "$CASEDIR") != slurp(expectedFile)) {
        why = "output differs from " + expectedFile;
      }
      if (why.empty()) {
        ++passed;
      } else {
        ++failed;
        std::cout << "FAIL " << label << ": " << why << "\n";
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
