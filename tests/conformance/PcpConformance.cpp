// Runs compose-dump over ../shared/conformance/pcp (OpenUSD's Pcp museum
// cases) and compares with OpenUSD 24.11's baselines: per case, the
// arguments and environment of manifest.json, run in the case folder; the
// printed results must equal the first expected file and, when the case
// names an --errorFile, the errors must equal the second.
//
// Usage: conformance_pcp <pcp dir> <compose-dump binary> [minimum passes]
// Exit 0 when at least `minimum passes` cases pass (default: all).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "../TempDirectory.h"
#include "base/Json.h"

namespace {

bool exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

int run(const std::string& cmd) {
  int status = std::system(cmd.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// First line where two texts differ, for the failure list.
std::string firstDifference(const std::string& got, const std::string& want) {
  std::istringstream a(got), b(want);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ha = static_cast<bool>(std::getline(a, la)), hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "(differs only in the final newline)";
    if (!ha || !hb || la != lb)
      return "line " + std::to_string(line) + ": got '" + (ha ? la : "<end>") + "', want '" + (hb ? lb : "<end>") + "'";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: conformance_pcp <pcp dir> <compose-dump> [minimum passes]\n";
    return 2;
  }
  const std::string dir = argv[1];
  const std::string tool = argv[2];
  if (!exists(dir + "/manifest.json")) {
    std::cout << "skipped: conformance data not found at " << dir << "\n";
    return 77;
  }
  auto manifest = usdkit::parseJson(slurp(dir + "/manifest.json"), dir + "/manifest.json");
  if (!manifest || !manifest->array()) {
    std::cout << "cannot read " << dir << "/manifest.json\n";
    return 1;
  }
  const usdkit::testing::TempDirectory scratch("usdkit-pcp-conformance");
  const std::string tmp = scratch.string();
  int passed = 0, failed = 0;
  for (const usdkit::JsonValue& c : *manifest->array()) {
    const std::string name = c.get("case") && c.get("case")->string() ? *c.get("case")->string() : "?";
    const std::string caseDir = dir + "/" + name;
    std::string cmd = "cd " + quote(caseDir) + " && env";
    if (const auto* env = c.get("env"); env && env->array())
      for (const auto& e : *env->array())
        if (e.string()) cmd += " " + quote(*e.string());
    cmd += " timeout -s KILL 60 " + quote(tool);
    std::string errorFile;
    if (const auto* args = c.get("args"); args && args->array()) {
      bool nextIsErrorFile = false;
      for (const auto& a : *args->array()) {
        if (!a.string()) continue;
        std::string arg = *a.string();
        if (nextIsErrorFile) {
          errorFile = tmp + "/errors.txt";
          arg = errorFile;
          nextIsErrorFile = false;
        } else if (arg == "--errorFile") {
          nextIsErrorFile = true;
        }
        cmd += " " + quote(arg);
      }
    }
    std::vector<std::string> expected;
    if (const auto* ex = c.get("expected"); ex && ex->array())
      for (const auto& e : *ex->array())
        if (e.string()) expected.push_back(caseDir + "/" + *e.string());
    ::unlink((tmp + "/errors.txt").c_str());
    const int rc = run(cmd + " >" + tmp + "/out 2>" + tmp + "/err");
    std::string why;
    if (rc == -1 || rc > 1) why = "crashed or hung (status " + std::to_string(rc) + "): " + slurp(tmp + "/err");
    else if (expected.empty()) why = "no expected file in the manifest";
    else if (slurp(tmp + "/out") != slurp(expected[0]))
      why = "results differ, " + firstDifference(slurp(tmp + "/out"), slurp(expected[0]));
    else if (!errorFile.empty() && expected.size() > 1 && slurp(errorFile) != slurp(expected[1]))
      why = "errors differ, " + firstDifference(slurp(errorFile), slurp(expected[1]));
    if (why.empty()) {
      ++passed;
    } else {
      ++failed;
      std::cout << "FAIL " << name << ": " << why << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  const int minimum = argc > 3 ? std::atoi(argv[3]) : passed + failed;
  return passed >= minimum && passed > 0 ? 0 : 1;
}
