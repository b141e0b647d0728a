// Runs the built usdcat over ../shared/conformance/sdf-parsing and compares
// with what OpenUSD 24.11 does: good files must print byte-identical to
// expected-usdcat/ (falling back to expected/), bad files must exit 1 with a
// file:line:col message. Every good file must also round-trip:
// `usdcat f -o t.usda` then `usdcat t.usda` prints t.usda exactly.
//
// Usage: conformance_sdf_parsing <sdf-parsing dir> <usdcat binary>
#include <unistd.h>

#include "../TempDirectory.h"
#include "ConformanceSupport.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace conformance;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: conformance_sdf_parsing <sdf-parsing dir> <usdcat>\n";
    return 2;
  }
  std::string dir = argv[1];
  std::string usdcat = argv[2];
  if (!exists(dir + "/manifest.tsv")) {
    std::cout << "skipped: conformance data not found at " << dir << "\n";
    return 77;  // meson's "skipped" exit code
  }
  // The suite declares extra list-op metadata in its plugInfo.json.
  ::setenv("PXR_PLUGINPATH_NAME", dir.c_str(), 1);
  const usdkit::testing::TempDirectory scratch("usdkit-conformance");
  const std::string tmp = scratch.string();

  std::ifstream manifest(dir + "/manifest.tsv");
  std::string line;
  int passed = 0, failed = 0, roundTripFailed = 0;
  std::regex position(":[0-9]+:[0-9]+:");
  while (std::getline(manifest, line)) {
    std::istringstream fields(line);
    std::string file, expect;
    std::getline(fields, file, '\t');
    std::getline(fields, expect, '\t');
    if (file == "file" || file.empty()) continue;
    std::string input = dir + "/cases/" + file;
    std::string out = tmp + "/out", err = tmp + "/err";
    int rc = run(quote(usdcat) + " " + quote(input) + " >" + out + " 2>" + err);
    bool ok = false;
    std::string why;
    if (expect == "good") {
      std::string expected = dir + "/expected-usdcat/" + file;
      if (!exists(expected)) expected = dir + "/expected/" + file;
      if (rc != 0) why = "exit code " + std::to_string(rc) + ": " + slurp(err);
      else if (slurp(out) != slurp(expected)) why = "output differs from " + expected;
      else ok = true;
      if (ok) {
        std::string copy = tmp + "/copy.usda";
        int rc1 = run(quote(usdcat) + " " + quote(input) + " -o " + copy + " 2>" + err);
        int rc2 = run(quote(usdcat) + " " + copy + " >" + out + " 2>" + err);
        if (rc1 != 0 || rc2 != 0 || slurp(out) != slurp(copy)) {
          ok = false;
          ++roundTripFailed;
          why = "round trip through .usda is not stable";
        }
      }
    } else {
      std::string msg = slurp(err);
      if (rc != 1) why = "expected exit 1, got " + std::to_string(rc);
      else if (!std::regex_search(msg, position)) why = "no file:line:col in message: " + msg;
      else ok = true;
    }
    if (ok) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL " << file << " (" << expect << "): " << why << "\n";
    }
  }
  std::cout << "sdf-parsing conformance (round-trip failures: " << roundTripFailed << ")\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
