// Runs the built usdcat over ../shared/conformance/crate and compares with
// OpenUSD 24.11: every good/X.usdc must print exactly good/X.usda; every
// file in bad/ must make usdcat exit 0 or 1 (never a signal or a hang), and
// an exit 1 must come with a message naming the file.
//
// Usage: conformance_crate <crate dir> <usdcat binary>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

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

// Exit status of the command, or -1 when it died from a signal (timeout
// included: `timeout` kills with SIGKILL and reports 137).
int run(const std::string& cmd) {
  int status = std::system(cmd.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

std::vector<std::string> listDir(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) names.push_back(n);
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

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
  char tmpl[] = "/tmp/usdkit-crate-conformance-XXXXXX";
  const std::string tmp = ::mkdtemp(tmpl);
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
  run("rm -rf " + quote(tmp));
  std::cout << "crate good: " << goodPassed << " passed, " << goodFailed << " failed\n";
  std::cout << "crate bad: " << badPassed << " passed (" << badRejected << " rejected, " << (badPassed - badRejected)
            << " accepted), " << badFailed << " failed\n";
  return goodFailed == 0 && badFailed == 0 && goodPassed > 0 ? 0 : 1;
}
