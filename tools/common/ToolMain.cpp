#include "common/ToolMain.h"

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "base/FileIO.h"
#include "base/Parallel.h"
#include "common/Completions.h"
#include "common/HugePageHeap.h"
#include "common/ProgressLine.h"

#ifndef USDKIT_VERSION
#define USDKIT_VERSION "unknown"
#endif

namespace usdkit::tool {

namespace {
std::vector<std::string> listOf(std::initializer_list<const char*> names) { return {names.begin(), names.end()}; }
}  // namespace

OptionRef& OptionRef::required() {
  option_->required();
  return *this;
}

OptionRef& OptionRef::optionText(const std::string& text) {
  option_->option_text(text);
  return *this;
}

OptionRef& OptionRef::oneOf(std::initializer_list<const char*> names) {
  option_->check(CLI::IsMember(listOf(names)));
  hints_->choices = listOf(names);
  return *this;
}

OptionRef& OptionRef::oneOfIgnoringCase(std::initializer_list<const char*> names) {
  option_->transform(CLI::IsMember(listOf(names), CLI::ignore_case));
  hints_->choices = listOf(names);
  return *this;
}

OptionRef& OptionRef::range(long long min, long long max) {
  option_->check(CLI::Range(min, max));
  return *this;
}

OptionRef& OptionRef::range(double min, double max) {
  option_->check(CLI::Range(min, max));
  return *this;
}

OptionRef& OptionRef::nonNegative() {
  option_->check(CLI::NonNegativeNumber);
  return *this;
}

OptionRef& OptionRef::positive() {
  option_->check(CLI::PositiveNumber);
  return *this;
}

OptionRef& OptionRef::oneValuePerOccurrence() {
  option_->allow_extra_args(false);
  return *this;
}

OptionRef& OptionRef::usdFiles() {
  hints_->files = ValueHints::Files::Usd;
  return *this;
}

OptionRef& OptionRef::anyFiles() {
  hints_->files = ValueHints::Files::Any;
  return *this;
}

ValueHints CommandLine::hintsFor(const CLI::Option* option) const {
  auto found = hints_.find(option);
  return found == hints_.end() ? ValueHints{} : found->second;
}

OptionRef CommandLine::option(const std::string& names, std::string& value, const std::string& help) {
  return ref(app_.add_option(names, value, help));
}

OptionRef CommandLine::option(const std::string& names, std::vector<std::string>& values, const std::string& help) {
  return ref(app_.add_option(names, values, help));
}

OptionRef CommandLine::option(const std::string& names, int& value, const std::string& help) {
  return ref(app_.add_option(names, value, help));
}

OptionRef CommandLine::option(const std::string& names, unsigned& value, const std::string& help) {
  return ref(app_.add_option(names, value, help));
}

OptionRef CommandLine::option(const std::string& names, long long& value, const std::string& help) {
  return ref(app_.add_option(names, value, help));
}

OptionRef CommandLine::option(const std::string& names, unsigned long& value, const std::string& help) {
  return ref(app_.add_option(names, value, help));
}

OptionRef CommandLine::option(const std::string& names, double& value, const std::string& help) {
  return ref(app_.add_option(names, value, help));
}

OptionRef CommandLine::flag(const std::string& names, bool& value, const std::string& help) {
  return ref(app_.add_flag(names, value, help));
}

OptionRef CommandLine::flag(const std::string& names, int& count, const std::string& help) {
  return ref(app_.add_flag(names, count, help));
}

int StandardOptions::defaultThreadCount() { return static_cast<int>(hardwareThreads()); }

namespace {

// Erases the progress line before each message (and holds the line's lock
// while writing, so the line's drawing thread cannot cut into a message).
class ProgressErasingSink final : public spdlog::sinks::sink {
 public:
  ProgressErasingSink(std::shared_ptr<spdlog::sinks::sink> inner, std::shared_ptr<ProgressLine> line)
      : inner_(std::move(inner)), line_(std::move(line)) {}
  void log(const spdlog::details::log_msg& msg) override {
    line_->whileErased([&] { inner_->log(msg); });
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
  std::shared_ptr<ProgressLine> line_;
};

}  // namespace

bool wantsProgressLine(const StandardOptions& options) {
  if (options.progress || options.noProgress) return options.progress;
  if (options.quiet || !::isatty(STDERR_FILENO)) return false;
  // A dumb terminal cannot erase a line.
  const char* term = std::getenv("TERM");
  return !(term && std::string_view(term) == "dumb");
}

ProgressSink* ToolContext::progress() const { return progressLine_.get(); }

Status ToolContext::writeOutput(std::string_view text) const {
  if (!progressLine_) return writeStandardOutput(text);
  Status written = Ok{};
  progressLine_->whileErased([&] { written = writeStandardOutput(text); });
  return written;
}

void setupLogging(std::string_view toolName, const StandardOptions& options,
                  std::shared_ptr<ProgressLine> progressLine) {
  // Unsynchronised sink: the tools log from one thread, and stderr must stay
  // unbuffered so messages interleave correctly with partial output.
  std::shared_ptr<spdlog::sinks::sink> sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
  if (progressLine) sink = std::make_shared<ProgressErasingSink>(std::move(sink), std::move(progressLine));
  auto logger = std::make_shared<spdlog::logger>(std::string(toolName), std::move(sink));
  logger->set_pattern("%n: %l: %v");
  spdlog::level::level_enum level = spdlog::level::warn;
  if (options.quiet)
    level = spdlog::level::err;
  else if (options.verbose == 1)
    level = spdlog::level::info;
  else if (options.verbose >= 2)
    level = spdlog::level::debug;
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

int reportUsageError(std::string_view toolName, std::string_view message) {
  std::fflush(stdout);
  std::string text;
  text.append(toolName).append(": error: ").append(message);
  if (!text.empty() && text.back() != '\n') text += '\n';
  text.append("Try '").append(toolName).append(" --help' for more information.\n");
  std::fputs(text.c_str(), stderr);
  return kExitUsage;
}

Status writeStandardOutput(std::string_view text) {
  Expected<OutputFile> out = OutputFile::create("-");
  if (!out) return std::move(out).error();
  if (Status s = out->write(text); !s) return s;
  return out->commit();
}

namespace {

// Thrown by the hidden --completions option while the command line is parsed.
struct CompletionRequest {
  std::string shell;
};

void addStandardOptions(CLI::App& app, std::string_view toolName, StandardOptions& options) {
  // A flag bound to an int counts its occurrences, so -vv raises it to 2.
  // A tool whose OpenUSD original gives -v or -q another meaning (usddiff's
  // -q is --brief) keeps it; the long forms still work unless taken too.
  const bool vTaken = app.get_option_no_throw("-v") != nullptr;
  const bool qTaken = app.get_option_no_throw("-q") != nullptr;
  // usdchecker's -v/--verbose is its own (OpenUSD's verbose listing).
  if (app.get_option_no_throw("--verbose") == nullptr)
    app.add_flag(vTaken ? "--verbose" : "-v,--verbose", options.verbose,
                 "Report progress (repeat for debug detail)");
  app.add_flag(qTaken ? "--quiet" : "-q,--quiet", options.quiet, "Report errors only, no warnings");
  const bool jTaken = app.get_option_no_throw("-j") != nullptr;
  app.add_option(jTaken ? "--threads" : "-j,--threads", options.threads,
                 "Use up to N threads (1: one thread; default: one per hardware thread)")
      ->option_text("N")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // More threads than this only costs memory and start-up time.
            constexpr long kMaxThreads = 1024;
            char* end = nullptr;
            errno = 0;
            const long n = std::strtol(text.c_str(), &end, 10);
            if (text.empty() || *end != '\0' || errno != 0 || n < 1 || n > kMaxThreads)
              return "the thread count must be a whole number from 1 to " + std::to_string(kMaxThreads) + ", not '" +
                     text + "'";
            return {};
          },
          "N"));
  app.add_flag("--progress", options.progress,
               "Show a progress line on stderr for long work, even when stderr\n"
               "is not a terminal or with --quiet");
  // Both given is checked after parsing: CLI11's excludes() would add
  // "Excludes: ..." to both lines of --help.
  app.add_flag("--no-progress", options.noProgress, "Never show a progress line");
  std::string version = std::string(toolName) + " (usdkit) " + USDKIT_VERSION;
  app.set_version_flag("--version", version, "Print the version and exit");
  // Hidden (no group): the build runs it to make the installed completion
  // files. Handled when parsed, like --version, so that the tool's required
  // arguments need not be given.
  // The shell is checked here: CLI11's own check would leave the option's
  // name out of its message for an option handled when parsed.
  app.add_option_function<std::string>(
         "--completions",
         [](const std::string& shell) {
           std::string known;
           for (std::string_view name : kCompletionShells) {
             if (name == shell) throw CompletionRequest{shell};
             if (!known.empty()) known += ',';
             known += name;
           }
           throw CLI::ValidationError("--completions", shell + " not in {" + known + "}");
         },
         "Print a completion script for this shell")
      ->trigger_on_parse()
      ->group("");
}

// The options of `app` as the completion scripts see them: what CLI11
// knows (names, help, whether a value follows) and the hints the tool
// declared. Hidden options (no group) stay hidden.
CompletionSpec completionSpec(const CLI::App& app, std::string_view toolName, const CommandLine& commandLine) {
  CompletionSpec spec;
  spec.tool = std::string(toolName);
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;
    ValueHints hints = commandLine.hintsFor(option);
    if (option->get_positional() && option->get_lnames().empty() && option->get_snames().empty()) {
      if (hints.files != ValueHints::Files::None) spec.positionals = hints.files;
      continue;
    }
    CompletionOption completion;
    completion.takesValue = option->get_items_expected_max() > 0;  // flags expect 0
    completion.hints = std::move(hints);
    for (const std::string& name : option->get_snames()) completion.names.push_back("-" + name);
    for (const std::string& name : option->get_lnames()) completion.names.push_back("--" + name);
    const std::string& help = option->get_description();
    // The first line, which may end in the middle of a sentence.
    completion.help = help.substr(0, help.find('\n'));
    while (!completion.help.empty() && (completion.help.back() == ';' || completion.help.back() == ','))
      completion.help.pop_back();
    spec.options.push_back(std::move(completion));
  }
  return spec;
}

// The help or version text; a failure to print it is the run's failure.
int printInfo(const std::string& text, int writeErrorExit) {
  if (Status s = writeStandardOutput(text); !s) {
    spdlog::error("{}", s.error().message);
    return writeErrorExit;
  }
  return kExitOk;
}

// A standard descriptor the caller closed (`tool >&-`) would be taken by
// the next file the tool opens, and text meant for stdout could end up in
// an output file. It is taken by /dev/null instead, opened the other way
// round, so that using it still fails (EBADF) and is reported.
void occupyClosedStandardDescriptors() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    const int opened = ::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

}  // namespace

int runTool(std::string_view toolName, std::string_view description, int argc, char** argv,
            const SetupFn& setup, const RunInContextFn& run, int writeErrorExit) {
  restartWithHugePageHeap(argc, argv);
  occupyClosedStandardDescriptors();
  CLI::App app{std::string(description), std::string(toolName)};
  StandardOptions standard;
  // Logging must work during setup and parsing too (before -v/-q are known).
  setupLogging(toolName, standard);

  CommandLine commandLine(app);
  try {
    if (setup) setup(commandLine);
    // After the tool's own options, so --help lists what matters first.
    addStandardOptions(app, toolName, standard);
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return printInfo(app.help(), writeErrorExit);
  } catch (const CLI::CallForAllHelp&) {
    return printInfo(app.help("", CLI::AppFormatMode::All), writeErrorExit);
  } catch (const CLI::CallForVersion& e) {
    return printInfo(std::string(e.what()) + "\n", writeErrorExit);
  } catch (const CompletionRequest& request) {
    return printInfo(*completionScript(completionSpec(app, toolName, commandLine), request.shell), writeErrorExit);
  } catch (const CLI::ParseError& e) {
    return reportUsageError(toolName, e.what());
  } catch (const CLI::Error& e) {
    // A mistake in the tool's own option definitions, not the user's.
    spdlog::error("internal error while defining options: {}", e.what());
    return kExitFailure;
  }
  if (standard.progress && standard.noProgress)
    return reportUsageError(toolName, "--progress and --no-progress cannot be used together");
  std::shared_ptr<ProgressLine> progressLine;
  if (wantsProgressLine(standard))
    progressLine = std::make_shared<ProgressLine>(std::string(toolName), progressSettingsFromEnvironment());
  setupLogging(toolName, standard, progressLine);

  int rc = kExitFailure;
  try {
    rc = run(ToolContext(progressLine, static_cast<unsigned>(standard.threads)));
  } catch (const UsageError& e) {
    if (progressLine) progressLine->finish();
    rc = reportUsageError(toolName, e.what());
  } catch (const std::bad_alloc&) {
    spdlog::error("out of memory");
    rc = kExitFailure;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    rc = kExitFailure;
  }
  // Whatever comes next on stderr starts on a clean line.
  if (progressLine) progressLine->finish();
  // Results that are only an exit status (usddiff -q, usdchecker) may rest
  // on an input that was truncated while we read it (see
  // checkMappedInputs). Outputs were refused already, and reported with a
  // status at least writeErrorExit; other runs are failed here.
  if (rc < writeErrorExit) {
    if (Status inputs = checkMappedInputs(); !inputs) {
      spdlog::error("{}", inputs.error().message);
      rc = writeErrorExit;
    }
  }
  // Output still buffered for stdout must reach it, and a failure to get
  // it there (full disk, closed pipe) is a failure of the run. Tools write
  // through writeStandardOutput, which reports its errors itself; stdio's
  // error flag is only set by text that bypassed it.
  const bool earlierError = std::ferror(stdout) != 0;
  errno = 0;
  if (std::fflush(stdout) != 0 || earlierError) {
    const int err = errno;
    spdlog::error("error writing to standard output{}{}", err ? ": " : "", err ? std::strerror(err) : "");
    rc = std::max(rc, writeErrorExit);
  }
  return rc;
}

}  // namespace usdkit::tool
