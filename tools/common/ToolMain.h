// The command-line frame every usdkit executable shares, so that all tools
// agree on exit codes, standard flags, how usage errors look and where
// diagnostics go:
//
//   int main(int argc, char** argv) {
//     Args args;
//     return usdkit::tool::runTool("usdcat", "Write USD files as text ...", argc, argv,
//         [&](CommandLine& cmd) { cmd.option("inputFiles", args.inputs, "Input layers"); },
//         [&] { return run(args); });
//   }
//
// Diagnostics go through spdlog's default logger on stderr as
// "<tool>: <level>: <message>"; stdout is left to the tool's real output.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "base/Expected.h"
#include "base/Progress.h"
#include "common/CommandLine.h"

namespace usdkit::tool {

class ProgressLine;

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // an input failed, or inputs differ
inline constexpr int kExitUsage = 2;    // the command line itself is wrong

// Thrown by a tool for argument combinations CLI11 cannot check by itself
// ("--mask requires --flatten"); runTool reports it like a parse error.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StandardOptions {
  int verbose = 0;     // -v: info, -vv: debug
  bool quiet = false;  // -q: errors only (wins over -v)
  // -j/--threads: how many threads the work may use (1: the calling thread
  // only). The library takes it as a plain setting (SaveOptions::threads);
  // output is the same for every count.
  int threads = defaultThreadCount();
  static int defaultThreadCount();
  // --progress / --no-progress; neither: a progress line when stderr is a
  // terminal (not a dumb one) and not --quiet.
  bool progress = false;
  bool noProgress = false;
};

// Whether a run with these options shows a progress line.
bool wantsProgressLine(const StandardOptions& options);

// Installs the stderr logger for `toolName` at the level `options` selects
// (warn by default). With a progress line, the line is erased before each
// message.
void setupLogging(std::string_view toolName, const StandardOptions& options,
                  std::shared_ptr<ProgressLine> progressLine = nullptr);

// Prints "<tool>: error: <message>" and the --help hint; returns kExitUsage.
int reportUsageError(std::string_view toolName, std::string_view message);

// Keeps `object` alive until the process exits, without destroying it.
// A tool that is about to exit would otherwise spend a noticeable share of
// its run time (15% for a layer of a million specs) handing small blocks
// back to the heap one by one; the kernel reclaims the memory at once.
// This is the one deliberate leak: LeakSanitizer is told about it, so that
// the checking build still reports every other leak.
template <class T>
void keepUntilExit(std::shared_ptr<T> object) {
  auto holder = std::make_unique<std::shared_ptr<T>>(std::move(object));
#if defined(__SANITIZE_ADDRESS__)
  __lsan_ignore_object(holder.get());
#endif
  (void)holder.release();  // deliberately never freed
}

// Writes `text` to standard output (after what stdio holds for it). The
// error says "error writing to standard output: <reason>" (a full disk, a
// closed pipe); the tool logs it and exits with its error status.
Status writeStandardOutput(std::string_view text);

// What runTool gives a tool's run besides its parsed options.
class ToolContext {
 public:
  ToolContext(std::shared_ptr<ProgressLine> progressLine, unsigned threads)
      : progressLine_(std::move(progressLine)), threads_(threads) {}

  // -j/--threads: how many threads the work may use (1: the calling thread
  // only); the library takes it as a plain setting.
  unsigned threads() const noexcept { return threads_; }

  // Where the tool's long operations report (their options' `progress`);
  // null when no progress line is shown, which costs the library nothing.
  ProgressSink* progress() const;
  // writeStandardOutput with the progress line erased first, for text
  // printed while a task is under way (stdout may be the same terminal).
  Status writeOutput(std::string_view text) const;

 private:
  std::shared_ptr<ProgressLine> progressLine_;
  unsigned threads_;
};

using SetupFn = std::function<void(CommandLine&)>;
using RunFn = std::function<int()>;
using RunInContextFn = std::function<int(const ToolContext&)>;

// Lets `setup` declare the tool's options, adds -v/--verbose, -q/--quiet,
// -j/--threads (a positive count; default the hardware threads),
// --progress/--no-progress
// and --version ("<tool> (usdkit) <version>"; a short form the tool already
// uses for something else is left out), parses, configures
// logging and returns what `run` returns (it receives the standard options). --help and --version exit 0; parse
// errors and UsageError exit 2; any other exception escaping `run` is logged
// and exits 1. Output stdio still holds is flushed at the end; if it (or
// --help's text) cannot be written, that is reported and the exit status is
// at least `writeErrorExit` (usddiff's errors are 2, because 1 means
// "different").
// A progress line, when wanted, lives while `run` does and is erased
// before runTool returns.
int runTool(std::string_view toolName, std::string_view description, int argc, char** argv,
            const SetupFn& setup, const RunInContextFn& run, int writeErrorExit = kExitFailure);
// For tools with no long work to report.
inline int runTool(std::string_view toolName, std::string_view description, int argc, char** argv,
                   const SetupFn& setup, const RunFn& run, int writeErrorExit = kExitFailure) {
  return runTool(toolName, description, argc, argv, setup,
                 RunInContextFn([&run](const ToolContext&) { return run(); }), writeErrorExit);
}

}  // namespace usdkit::tool
