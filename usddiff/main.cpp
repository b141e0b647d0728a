// usddiff: compare USD files. Arguments and exit statuses follow OpenUSD's
// usddiff (0 equal, 1 different, 2 error); the comparison is built in (a
// unified diff of the usda text, or --summary's structural changes) unless
// USD_DIFF or DIFF names an external program, as in OpenUSD.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ExternalDiff.h"
#include "FilePairs.h"
#include "common/ToolMain.h"
#include "diff/FileDiff.h"
#include "stage/Flatten.h"

namespace usdkit {
namespace {

constexpr int kExitEqual = 0;
constexpr int kExitDifferent = 1;
constexpr int kExitError = 2;

struct Args {
  std::vector<std::string> files;
  bool noEffect = false;
  bool flatten = false;
  bool brief = false;
  std::string color = "auto";
  bool summary = false;
  bool json = false;
  double tolerance = 0.0;
  std::size_t context = 0;
};

void configure(tool::CommandLine& cmd, Args& args) {
  cmd.option("files", args.files,
                 "The files to compare: FILE FILE, DIR DIR, DIR FILE..., or FILE... DIR")
      .required()
      .usdFiles();
  cmd.flag("-n,--noeffect", args.noEffect,
               "Do not write edits made in an external diff program back to the files");
  cmd.flag("-f,--flatten", args.flatten,
               "Compose both files as stages and compare them flattened");
  cmd.flag("-q,--brief", args.brief,
               "Only say which files differ (passes --brief to an external diff program)");
  cmd.option("--color", args.color, "Colour the differences: auto (on a terminal), always or never")
      .oneOf({"auto", "always", "never"})
      .optionText("auto|always|never");
  cmd.flag("--summary", args.summary,
               "List structural changes (prims, properties, metadata, values, time\n"
               "samples added, removed or changed) instead of text differences");
  cmd.flag("--json", args.json, "With --summary, print the changes as JSON records");
  cmd.option("--tolerance", args.tolerance,
                 "With --summary, floating-point values this close are equal\n"
                 "(arrays element by element)")
      .nonNegative()
      .optionText("EPS");
  cmd.option("-U,--context", args.context, "Equal lines shown around each change (default 0)")
      .optionText("N");
}

int usddiff(const Args& args, const tool::ToolContext& context) {
  if (args.json && !args.summary) throw tool::UsageError("--json requires --summary");
  if (args.tolerance > 0 && !args.summary) throw tool::UsageError("--tolerance requires --summary");

  diff::FileDiffOptions options;
  if (args.flatten) {
    // Both sides composed and flattened first, as `usdcat --flatten` would,
    // the root layer named in the documentation as given (as OpenUSD's
    // usddiff shows it).
    options.compose = [](const std::string& path) -> Expected<std::shared_ptr<Layer>> {
      FlattenRequest request;
      request.rootLayer = path;
      request.sourceCommentName = path;
      auto result = flatten(request);
      if (!result) return std::move(result).error();
      for (const std::string& w : result->warnings) spdlog::warn("{}", w);
      return std::shared_ptr<Layer>(std::move(result->layer));
    };
  }
  options.brief = args.brief;
  options.summary = args.summary;
  options.json = args.json;
  options.noEffect = args.noEffect;
  options.layerDiff.tolerance = args.tolerance;
  options.unified.context = args.context;
  options.unified.color = args.color == "always" ||
                          (args.color == "auto" && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));

  std::vector<std::string> command = diff::externalDiffCommand();
  if (!command.empty() && !args.summary) {
    if (!diff::onPath(command.front())) {
      spdlog::error("Failed to find diff tool {}.", command.front());
      return kExitError;
    }
    if (args.brief) command.push_back("--brief");
    options.externalTool = [command](const diff::ExternalDiffInput& input) {
      return diff::runExternalDiff(command, input);
    };
  }

  auto pairs = diff::findFilePairs(args.files);
  if (!pairs) {
    spdlog::error("{}", pairs.error().message);
    return kExitError;
  }
  // After a write error nothing more is printed; it is reported once.
  std::optional<Error> outputError;
  diff::Printer print = [&](std::string_view text) {
    if (outputError) return;
    if (Status s = context.writeOutput(text); !s) outputError = s.error();
  };
  int result = kExitEqual;
  bool failed = false;
  // Folders are compared file by file, and counted so; an external program
  // owns the terminal while it runs, so no line is drawn over it.
  const bool counted = pairs->common.size() > 1 && !options.externalTool;
  ProgressTask progress(counted ? context.progress() : nullptr, ProgressUnit::Files, pairs->common.size(),
                        "comparing");
  for (const auto& [baseline, comparison] : pairs->common) {
    auto differ = diff::diffFiles(baseline, comparison, options, print);
    if (!differ) {
      // One unreadable pair (a looping link in a folder) does not hide
      // what the others show; the exit status still says "error".
      spdlog::error("{}", differ.error().message);
      failed = true;
      progress.advance(1);
      continue;
    }
    if (*differ) result = kExitDifferent;
    progress.advance(1);
  }
  for (const std::string& f : pairs->baselineOnly) print("No corresponding file found for " + f + ", skipping.\n");
  for (const std::string& f : pairs->comparisonOnly) print("No corresponding file found for " + f + ", skipping.\n");
  if (outputError) {
    spdlog::error("{}", outputError->message);
    return kExitError;
  }
  if (failed) return kExitError;
  return result;
}

}  // namespace
}  // namespace usdkit

int main(int argc, char** argv) {
  usdkit::Args args;
  return usdkit::tool::runTool(
      "usddiff",
      "Compare USD files: the usda text of two layers as a unified diff, .usdz packages\n"
      "entry by entry, or folders file by file. Exit status 0: equal, 1: different, 2: error.\n"
      "USD_DIFF or DIFF select an external diff program instead.",
      argc, argv, [&](usdkit::tool::CommandLine& cmd) { usdkit::configure(cmd, args); },
      // -j is accepted for a uniform command line; the layers are compared
      // by one thread.
      [&](const usdkit::tool::ToolContext& context) {
        // The frame reports unexpected exceptions as 1, which for usddiff
        // means "different": they are errors (2) here.
        try {
          return usdkit::usddiff(args, context);
        } catch (const usdkit::tool::UsageError&) {
          throw;
        } catch (const std::exception& e) {
          spdlog::error("{}", e.what());
          return usdkit::kExitError;
        }
      },
      usdkit::kExitError);
}
