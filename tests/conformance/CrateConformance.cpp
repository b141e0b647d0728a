// Runs the built usdcat over ../shared/conformance/crate and compares with
// OpenUSD 24.11: every good/X.usdc must print exactly good/X.usda; every
// file in bad/ must make usdcat exit 0 or 1 (never a signal or a hang), and
// an exit 1 must come with a message naming the file.
//
// Usage: conformance_crate <crate dir> <usdcat binary>
#include <unistd.h>

#include "../TempDirectory.h"
#include "ConformanceSupport.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace conformance;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: conformance_crate <crate dir> <usdcat>\n";
    return 2;
  }
  const std::string dir = argv[1];
  const std::string usdcat = argv[2];
  if (!exists(dir + "/good") || !exists(dir + "/bad")) {
    std::cout << "skipped: conformance data not found at " << dir << "\n";
    return 77;  // meson's "skipped" exit code
  }
  const usdkit::testing::TempDirectory scratch("usdkit-crate-conformance");
  const std::string tmp = scratch.string();
  const std::string out = tmp + "/out", err = tmp + "/err";
  // A generous per-file limit: the largest file takes milliseconds.
  const std::string prefix = "timeout -s KILL 60 " + quote(usdcat) + " ";

  int goodPassed = 0, goodFailed = 0;
  for (const std::string& file : listDir(dir + "/good", ".usdc")) {
    const std::string input = dir + "/good/" + file;
    const std::string expected = input.substr(0, input.size() - 5) + ".usda";
    const int rc = run(prefix + quote(input) + " >" + out + " 2>" + err);
    std::string why;
    if (rc != 0) why = "exit code " + std::to_string(rc) + ": " + slurp(err);
    else if (slurp(out) != slurp(expected)) why = "output differs from " + expected;
    if (why.empty()) {
      ++goodPassed;
    } else {
      ++goodFailed;
      std::cout << "FAIL good/" << file << ": " << why << "\n";
    }
  }

  int badPassed = 0, badFailed = 0, badRejected = 0;
  for (const std::string& file : listDir(dir + "/bad", ".usdc")) {
    const std::string input = dir + "/bad/" + file;
    const int rc = run(prefix + quote(input) + " >" + out + " 2>" + err);
    const std::string msg = slurp(err);
    std::string why;
    if (rc == -1 || (rc != 0 && rc != 1)) why = "crashed or hung (status " + std::to_string(rc) + "): " + msg;
    else if (rc == 1 && msg.find(file) == std::string::npos) why = "exit 1 without naming the file: " + msg;
    if (why.empty()) {
      ++badPassed;
      badRejected += rc == 1;
    } else {
      ++badFailed;
      std::cout << "FAIL bad/" << file << ": " << why << "\n";
    }
  }
  std::cout << "crate good: " << goodPassed << " passed, " << goodFailed << " failed\n";
  std::cout << "crate bad: " << badPassed << " passed (" << badRejected << " rejected, " << (badPassed - badRejected)
            << " accepted), " << badFailed << " failed\n";
  return goodFailed == 0 && badFailed == 0 && goodPassed > 0 ? 0 : 1;
}
