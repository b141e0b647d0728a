// Mapped inputs truncated by another process while we read them: the read
// goes on (zeros), the buffer is marked, outputs are refused; faults that
// are not in our mappings still end the process as before.
//
// Each case runs in a child process: a truncation seen once is remembered
// for the rest of the process (checkMappedInputs), which would fail the
// outputs of every later test in this one. The child reports what it saw
// as lines of text; a child killed by a signal reports nothing.
#include <catch2/catch.hpp>

#include "TempDirectory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "base/FileIO.h"

using namespace usdkit;
using usdkit::testing::TempDirectory;

namespace {

constexpr std::size_t kFileSize = std::size_t(4) << 20;  // well above the size that is mapped

struct ChildResult {
  bool exited = false;   // by _exit, not killed
  int signal = 0;        // when killed
  std::string report;    // what it wrote
};

// Runs `body` in a child; its return value is the child's report.
ChildResult inChild(const std::function<std::string()>& body) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::string report = body();
    const char* p = report.data();
    std::size_t left = report.size();
    while (left > 0) {
      const ssize_t n = ::write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  ChildResult result;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) result.report.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  result.exited = WIFEXITED(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

void makeFile(const std::string& path, std::size_t size) {
  std::ofstream out(path, std::ios::binary);
  out << std::string(size, 'x');
}

void truncateTo(const std::string& path, std::size_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, static_cast<off_t>(size)) == 0);
  ::close(fd);
}

// Reads every byte of [from, to) and counts the zeros, as a parser would
// walk them (volatile: the reads must really happen).
std::size_t zerosIn(std::string_view data, std::size_t from, std::size_t to) {
  std::size_t zeros = 0;
  for (std::size_t i = from; i < to; ++i)
    if (static_cast<const volatile char*>(data.data())[i] == 0) ++zeros;
  return zeros;
}

// The error of a mapped input of kFileSize bytes found shorter.
std::string changedError(const std::string& path) {
  return path + ": the file changed while being read (now shorter than the " + std::to_string(kFileSize) +
         " bytes mapped)";
}

std::string statusLine(std::string_view what, const Status& s) {
  return std::string(what) + ": " + (s ? std::string("ok") : s.error().message) + "\n";
}

}  // namespace

TEST_CASE("a mapped input truncated while it is read reads as zeros and is marked", "[fileio][truncation]") {
  TempDirectory dir;
  const std::string path = dir / "big.bin";
  makeFile(path, kFileSize);
  const std::size_t keep = kFileSize / 4;  // page-aligned: every lost byte is on a lost page

  ChildResult child = inChild([&] {
    std::string report;
    Expected<InputBuffer> in = readInput(path);
    if (!in) return "open failed: " + in.error().message;
    const std::string_view data = in->data();
    report += "before: truncated " + std::to_string(in->truncated()) + "\n";
    report += "first page zeros " + std::to_string(zerosIn(data, 0, 4096)) + "\n";
    truncateTo(path, keep);
    // Past the new end (would be SIGBUS), then the part that is still there.
    report += "lost zeros " + std::to_string(zerosIn(data, keep, data.size())) + "\n";
    report += "kept zeros " + std::to_string(zerosIn(data, 0, keep)) + "\n";
    report += "after: truncated " + std::to_string(in->truncated()) + "\n";
    report += statusLine("intact", in->intact());
    report += statusLine("inputs", checkMappedInputs());
    // Outputs are refused: written bytes could be made of those zeros.
    Expected<OutputFile> out = OutputFile::create(dir / "out.txt");
    if (!out) return report + "create failed\n";
    report += statusLine("write", out->write("text"));
    report += statusLine("commit", out->commit());
    // Still remembered once the buffer is gone.
    in = InputBuffer::fromString("");
    report += statusLine("released", checkMappedInputs());
    return report;
  });
  INFO(child.report);
  REQUIRE(child.exited);
  const std::string changed = changedError(path);
  CHECK(child.report.find("before: truncated 0\n") != std::string::npos);
  CHECK(child.report.find("first page zeros 0\n") != std::string::npos);
  CHECK(child.report.find("lost zeros " + std::to_string(kFileSize - keep) + "\n") != std::string::npos);
  CHECK(child.report.find("kept zeros 0\n") != std::string::npos);
  CHECK(child.report.find("after: truncated 1\n") != std::string::npos);
  CHECK(child.report.find("intact: " + changed + "\n") != std::string::npos);
  CHECK(child.report.find("inputs: " + changed + "\n") != std::string::npos);
  CHECK(child.report.find("write: " + changed + "\n") != std::string::npos);
  CHECK(child.report.find("commit: " + changed + "\n") != std::string::npos);
  CHECK(child.report.find("released: " + changed + "\n") != std::string::npos);
  CHECK_FALSE(std::ifstream(dir / "out.txt").good());
}

TEST_CASE("a mapped input cut inside a page is found by its size", "[fileio][truncation]") {
  // The kernel zeroes the rest of the page that holds the new end: reading
  // there is no fault, so no mark, and only the file's size tells.
  TempDirectory dir;
  const std::string path = dir / "big.bin";
  makeFile(path, kFileSize);
  const std::size_t keep = kFileSize / 2 + 100;
  ChildResult child = inChild([&] {
    Expected<InputBuffer> in = readInput(path);
    if (!in) return "open failed: " + in.error().message;
    std::string report = statusLine("before", in->intact());
    truncateTo(path, keep);
    report += "tail zeros " + std::to_string(zerosIn(in->data(), keep, keep + 1000)) + "\n";
    report += "truncated " + std::to_string(in->truncated()) + "\n";
    report += statusLine("intact", in->intact());
    report += statusLine("inputs", checkMappedInputs());
    return report;
  });
  INFO(child.report);
  REQUIRE(child.exited);
  const std::string changed = changedError(path);
  CHECK(child.report.find("before: ok\n") != std::string::npos);
  CHECK(child.report.find("tail zeros 1000\n") != std::string::npos);
  CHECK(child.report.find("truncated 0\n") != std::string::npos);
  CHECK(child.report.find("intact: " + changed + "\n") != std::string::npos);
  CHECK(child.report.find("inputs: " + changed + "\n") != std::string::npos);
}

TEST_CASE("mapped inputs that are replaced, not truncated, stay intact", "[fileio][truncation]") {
  TempDirectory dir;
  const std::string path = dir / "big.bin";
  makeFile(path, kFileSize);
  ChildResult child = inChild([&] {
    Expected<InputBuffer> in = readInput(path);
    if (!in) return "open failed: " + in.error().message;
    // A smaller file renamed over the name, as editors and our own outputs
    // do: the mapped file is whole, the name now leads to another.
    makeFile(dir / "new.bin", 100);
    ::rename((dir / "new.bin").c_str(), path.c_str());
    std::string report = "zeros " + std::to_string(zerosIn(in->data(), 0, in->size())) + "\n";
    report += statusLine("intact", in->intact());
    report += statusLine("inputs", checkMappedInputs());
    return report;
  });
  INFO(child.report);
  REQUIRE(child.exited);
  CHECK(child.report == "zeros 0\nintact: ok\ninputs: ok\n");
}

TEST_CASE("threads reading lost pages of one mapped input all survive", "[fileio][truncation]") {
  TempDirectory dir;
  const std::string path = dir / "big.bin";
  makeFile(path, kFileSize);
  ChildResult child = inChild([&] {
    Expected<InputBuffer> in = readInput(path);
    if (!in) return "open failed: " + in.error().message;
    truncateTo(path, 0);
    std::vector<std::size_t> zeros(4);
    std::vector<std::thread> threads;
    const std::size_t part = kFileSize / zeros.size();
    // Each from its own quarter, backwards: every page faults on its own.
    for (std::size_t t = 0; t < zeros.size(); ++t)
      threads.emplace_back([&, t] {
        const auto* bytes = static_cast<const volatile char*>(in->data().data());
        for (std::size_t i = (t + 1) * part; i-- > t * part;) zeros[t] += bytes[i] == 0;
      });
    for (std::thread& t : threads) t.join();
    std::size_t total = 0;
    for (std::size_t z : zeros) total += z;
    return "zeros " + std::to_string(total) + " truncated " + std::to_string(in->truncated()) + "\n";
  });
  INFO(child.report);
  REQUIRE(child.exited);
  CHECK(child.report == "zeros " + std::to_string(kFileSize) + " truncated 1\n");
}

TEST_CASE("a SIGBUS outside our mappings still ends the process", "[fileio][truncation]") {
  // Our handler passes faults it does not own to the handler before it (the
  // default action, or a sanitizer's, which then aborts).
  TempDirectory dir;
  const std::string path = dir / "big.bin";
  makeFile(path, kFileSize);
  ChildResult child = inChild([&] {
    Expected<InputBuffer> ours = readInput(path);  // installs the handler
    if (!ours) return "open failed: " + ours.error().message;
    const std::string other = dir / "other.bin";
    makeFile(other, kFileSize);
    const int fd = ::open(other.c_str(), O_RDONLY | O_CLOEXEC);
    void* p = ::mmap(nullptr, kFileSize, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return std::string("mmap failed\n");
    truncateTo(other, 0);
    const std::size_t zeros = zerosIn(std::string_view(static_cast<const char*>(p), kFileSize), 0, kFileSize);
    return "survived with " + std::to_string(zeros) + " zeros\n";
  });
  INFO(child.report);
  CHECK_FALSE(child.exited);
  CHECK((child.signal == SIGBUS || child.signal == SIGABRT));
  CHECK(child.report.empty());

  // A SIGBUS sent (kill), not a fault: also the default action.
  ChildResult sent = inChild([&] {
    Expected<InputBuffer> ours = readInput(path);
    if (!ours) return "open failed: " + ours.error().message;
    ::kill(::getpid(), SIGBUS);
    return std::string("survived\n");
  });
  INFO(sent.report);
  CHECK_FALSE(sent.exited);
  CHECK((sent.signal == SIGBUS || sent.signal == SIGABRT));
}
