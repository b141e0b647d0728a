// Writes every good file of ../shared/conformance/sdf-parsing as crate and as
// a usdz package with the built usdcat, and checks the results against
// OpenUSD 24.11:
//   * files OpenUSD can store as usdc (manifest column `usdc`): our .usdc and
//     our .usdz, printed by our usdcat, equal crate/good/<name>.usda (the
//     text OpenUSD prints for its own .usdc of that file), and a second write
//     gives the same bytes;
//   * files it cannot (`no-usdc`): usdcat exits 1 naming the input and
//     leaves no output file behind.
//
// Usage: conformance_crate_roundtrip <conformance dir> <usdcat binary>
#include <unistd.h>

#include <iostream>
#include <sstream>
#include <string>

#include "../TempDirectory.h"
#include "ConformanceSupport.h"

using namespace conformance;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: conformance_crate_roundtrip <conformance dir> <usdcat>\n";
    return 2;
  }
  const std::string dir = argv[1];
  const std::string usdcat = argv[2];
  const std::string parsing = dir + "/sdf-parsing", crateGood = dir + "/crate/good";
  if (!exists(parsing + "/manifest.tsv") || !exists(crateGood)) {
    std::cout << "skipped: conformance data not found at " << dir << "\n";
    return 77;  // meson's "skipped" exit code
  }
  ::setenv("PXR_PLUGINPATH_NAME", parsing.c_str(), 1);
  const usdkit::testing::TempDirectory scratch("usdkit-crate-roundtrip");
  const std::string tmp = scratch.string();
  const std::string out = tmp + "/out", err = tmp + "/err";
  const std::string cat = "timeout -s KILL 60 " + quote(usdcat) + " ";

  std::istringstream manifest(slurp(parsing + "/manifest.tsv"));
  std::string line;
  int passed = 0, failed = 0, refused = 0;
  while (std::getline(manifest, line)) {
    std::istringstream fields(line);
    std::string file, expect, label, usdc;
    std::getline(fields, file, '\t');
    std::getline(fields, expect, '\t');
    std::getline(fields, label, '\t');
    std::getline(fields, usdc, '\t');
    if (file == "file" || expect != "good") continue;
    const std::string input = quote(parsing + "/cases/" + file);
    const std::string stem = file.substr(0, file.rfind('.'));
    const std::string a = tmp + "/" + stem + ".usdc", b = tmp + "/again.usdc", z = tmp + "/" + stem + ".usdz";
    std::string why;
    if (usdc == "no-usdc") {
      const int rc = run(cat + input + " -o " + quote(a) + " 2>" + err);
      if (rc != 1) why = "expected exit 1 for content crate cannot hold, got " + std::to_string(rc);
      else if (exists(a)) why = "a refused write left " + a + " behind";
      else if (slurp(err).find(file) == std::string::npos) why = "message does not name the file: " + slurp(err);
      refused += why.empty();
    } else {
      const std::string expected = slurp(crateGood + "/" + stem + ".usda");
      auto printed = [&](const std::string& layer, const char* what) {
        const int rc = run(cat + quote(layer) + " >" + out + " 2>" + err);
        if (rc != 0) return std::string(what) + " does not print: exit " + std::to_string(rc) + ": " + slurp(err);
        if (slurp(out) != expected) return std::string(what) + " prints text that differs from crate/good/" + stem + ".usda";
        return std::string();
      };
      if (!exists(crateGood + "/" + stem + ".usda")) why = "no crate/good/" + stem + ".usda to compare with";
      else if (run(cat + input + " -o " + quote(a) + " 2>" + err) != 0) why = "writing .usdc failed: " + slurp(err);
      else if (run(cat + input + " -o " + quote(b) + " 2>" + err) != 0) why = "second .usdc write failed: " + slurp(err);
      else if (slurp(a) != slurp(b)) why = "two writes of the same layer differ";
      else if (why = printed(a, ".usdc"); !why.empty()) {
      } else if (run(cat + input + " -o " + quote(z) + " 2>" + err) != 0) why = "writing .usdz failed: " + slurp(err);
      else why = printed(z, ".usdz");
    }
    if (why.empty()) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL " << file << ": " << why << "\n";
    }
  }
  std::cout << "sdf-parsing through usdc and usdz (" << refused << " refused as OpenUSD refuses them)\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
