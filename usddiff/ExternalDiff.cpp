#include "ExternalDiff.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>

#include "base/FileIO.h"
#include "base/FilePaths.h"

extern char** environ;

namespace usdkit::diff {

namespace fs = std::filesystem;

namespace {

struct TempFile {
  std::string path;
  TempFile() = default;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ec;
    if (!path.empty()) fs::remove(path, ec);
  }
};

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

Status writeTemp(TempFile& temp, const std::string& original, std::string_view text) {
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string stem(fileStem(stripZstdSuffix(original)));
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string candidate = (dir / ("usddiff" + std::to_string(rd() % 1000000) + "__" + stem + ".usda")).string();
    // O_EXCL: never a name that exists, nor a link someone placed there
    // (the folder is shared).
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      break;
    }
    temp.path = candidate;
    bool ok = true;
    for (std::string_view rest = text; ok && !rest.empty();) {
      const ssize_t n = ::write(fd, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) rest.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::close(fd) != 0) ok = false;
    if (!ok) return makeError("cannot write temporary file " + inQuotes(candidate) + ": " + std::strerror(errno));
    return Ok{};
  }
  return makeError("cannot create a temporary file in " + inQuotes(dir.string()));
}

fs::file_time_type mtimeOf(const std::string& path) {
  std::error_code ec;
  return fs::last_write_time(path, ec);
}

// Runs the program and returns its exit status (nonzero when it could not
// run or was killed).
int runProgram(std::vector<std::string> argv) {
  std::fflush(stdout);
  std::vector<char*> cargs;
  for (std::string& a : argv) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = 0;
  if (::posix_spawnp(&pid, cargs[0], nullptr, nullptr, cargs.data(), environ) != 0) return 127;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 128;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// The text of a temporary file the program changed.
Expected<std::optional<EditedText>> editedText(const TempFile& temp, fs::file_time_type written) {
  if (mtimeOf(temp.path) == written) return std::optional<EditedText>();
  Expected<InputBuffer> in = readInput(temp.path);
  if (!in) return in.error();
  return std::optional<EditedText>(EditedText{temp.path, std::string(in->data())});
}

}  // namespace

std::vector<std::string> externalDiffCommand() {
  const char* value = std::getenv("USD_DIFF");
  if (!value || !*value) value = std::getenv("DIFF");
  std::vector<std::string> words;
  if (!value) return words;
  std::istringstream in(value);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool onPath(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string_view rest(path);
  while (true) {
    std::size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (dir.empty()) dir = ".";
    if (::access(joinPath(dir, program).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

Expected<ExternalDiffResult> runExternalDiff(const std::vector<std::string>& command, const ExternalDiffInput& input) {
  TempFile baseTemp, compTemp;
  if (Status s = writeTemp(baseTemp, input.baselineName, input.baselineText); !s) return s.error();
  if (Status s = writeTemp(compTemp, input.comparisonName, input.comparisonText); !s) return s.error();
  const auto baseTime = mtimeOf(baseTemp.path), compTime = mtimeOf(compTemp.path);
  std::vector<std::string> argv = command;
  argv.push_back(baseTemp.path);
  argv.push_back(compTemp.path);
  ExternalDiffResult result;
  result.status = runProgram(std::move(argv));
  auto base = editedText(baseTemp, baseTime);
  if (!base) return base.error();
  auto comp = editedText(compTemp, compTime);
  if (!comp) return comp.error();
  result.editedBaseline = std::move(*base);
  result.editedComparison = std::move(*comp);
  return result;
}

}  // namespace usdkit::diff
