// usdchecker: check USD assets against OpenUSD's compliance rules (and the
// ARKit set with --arkit) plus usdkit's schema rules. Flags, messages and
// the final verdict line follow OpenUSD's usdchecker; several inputs are
// checked in parallel and reports can be written for CI systems.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/FileIO.h"
#include "check/Checker.h"
#include "check/ReportFormats.h"
#include "common/ToolMain.h"

namespace usdkit {
namespace {

using tool::kExitFailure;
using tool::kExitOk;

struct Args {
  std::vector<std::string> inputs;
  bool skipVariants = false;
  bool rootPackageOnly = false;
  std::string out = "stdout";
  bool noAssetChecks = false;
  bool arkit = false;
  bool dumpRules = false;
  bool verbose = false;
  bool strict = false;
  unsigned jobs = 0;     // --jobs (0: not given; -j/--threads decides)
  unsigned threads = 1;  // -j/--threads, from the standard options
  std::size_t maxVariantCombinations = 1024;
  std::string format = "text";
  std::vector<std::string> enable, disable;
};

void configure(tool::CommandLine& cmd, Args& args) {
  cmd.option("inputFile", args.inputs,
                 "Files to check (layers or .usdz packages); a directory stands for\n"
                 "every USD file below it")
      .usdFiles();
  cmd.flag("-s,--skipVariants", args.skipVariants,
               "Check only the selected variants, not every combination of variant selections");
  cmd.flag("-p,--rootPackageOnly", args.rootPackageOnly,
               "Check only the given package: not nested packages, dependencies or the stage");
  cmd.option("-o,--out", args.out,
                 "Write the findings to FILE ('stdout' and 'stderr' name the streams);\n"
                 "the verdict line still goes to standard output")
      .optionText("FILE")
      .anyFiles();
  cmd.flag("--noAssetChecks", args.noAssetChecks,
               "Skip the checks that make an asset safe to reference (defaultPrim)");
  cmd.flag("--arkit", args.arkit,
               "Also check what RealityKit's usdz support requires (the ARKit rules)");
  cmd.flag("-d,--dumpRules", args.dumpRules, "Print the rules checked with these options");
  cmd.flag("-v,--verbose", args.verbose, "Print what is being checked");
  cmd.flag("-t,--strict", args.strict, "Fail on warnings too");
  // -j/--threads (every tool's option) sets how many inputs are checked at
  // a time; --jobs is its older name here, where 0 still means one per core.
  cmd.option("--jobs", args.jobs, "Check N inputs at a time (as -j; 0: one per core)").optionText("N");
  cmd.option("--maxVariantCombinations", args.maxVariantCombinations,
                 "Check at most N combinations of variant selections per prim; past it, each\n"
                 "variant of each set once (with a warning). 0: no limit. Default 1024")
      .optionText("N");
  cmd.option("--format", args.format, "Report format: text (OpenUSD's), json, junit, sarif or github")
      .oneOf({"text", "json", "junit", "sarif", "github"})
      .optionText("FORMAT");
  // One rule per occurrence, so that an input file may follow.
  cmd.option("--enable", args.enable, "Also run this rule, e.g. one ARKit rule alone (repeatable)")
      .oneValuePerOccurrence()
      .optionText("RULE");
  cmd.option("--disable", args.disable, "Do not run this rule (repeatable)").oneValuePerOccurrence().optionText("RULE");
}

// False (after saying why) when the text cannot be written.
bool writeTo(std::FILE* stream, const std::string& text) {
  if (stream == stdout) {
    Status written = tool::writeStandardOutput(text);
    if (!written) spdlog::error("{}", written.error().message);
    return written.ok();
  }
  // stderr bypasses OutputFile, and with it the refusal of text made from
  // an input truncated while it was read (see checkMappedInputs).
  if (Status inputs = checkMappedInputs(); !inputs) {
    spdlog::error("{}", inputs.error().message);
    return false;
  }
  return std::fwrite(text.data(), 1, text.size(), stream) == text.size() && std::fflush(stream) == 0;
}

// Findings go to --out; a file is written whole and renamed into place.
bool writeFindings(const std::string& out, const std::string& text) {
  if (out == "stdout" || out == "-") return writeTo(stdout, text);
  if (out == "stderr") return writeTo(stderr, text);
  auto file = OutputFile::create(out);
  if (!file) {
    spdlog::error("{}", file.error().message);
    return false;
  }
  if (auto s = file->write(text); !s) {
    spdlog::error("{}", s.error().message);
    return false;
  }
  if (auto s = file->commit(); !s) {
    spdlog::error("{}", s.error().message);
    return false;
  }
  return true;
}

int usdchecker(const Args& args, const tool::ToolContext& context) {
  check::CheckOptions options;
  options.arkit = args.arkit;
  options.rootPackageOnly = args.rootPackageOnly;
  options.skipVariants = args.skipVariants;
  options.assetLevelChecks = !args.noAssetChecks;
  options.verbose = args.verbose;
  options.maxVariantCombinations = args.maxVariantCombinations;
  options.enable = args.enable;
  options.disable = args.disable;
  options.progress = context.progress();
  auto rules = check::selectRules(options);
  if (!rules) throw tool::UsageError(rules.error().message);
  if (!args.dumpRules && args.inputs.empty())
    throw tool::UsageError("Either an inputFile or the --dumpRules option must be specified.");
  if (args.dumpRules) {
    const std::string dump = args.format == "json" ? check::dumpRulesJson(*rules) : check::dumpRules(*rules);
    if (!writeTo(stdout, dump)) return kExitFailure;
    if (args.inputs.empty()) return kExitOk;
  }
  const std::vector<std::string> inputs = check::expandCheckInputs(args.inputs);
  if (inputs.empty()) {
    spdlog::error("no USD files found in {}", args.inputs.front());
    return kExitFailure;
  }
  const std::vector<check::CheckResult> results = check::checkAssets(inputs, options, *rules, args.jobs ? args.jobs : args.threads);

  const check::ReportFormat format = *check::parseReportFormat(args.format);
  check::ReportOptions report;
  report.strict = args.strict;
  report.prefixInputs = inputs.size() > 1;
  report.color = format == check::ReportFormat::Text && (args.out == "stdout" || args.out == "-") &&
                 ::isatty(STDOUT_FILENO);
  if (args.verbose)
    for (const check::CheckResult& r : results)
      for (const std::string& line : r.log)
        if (!writeTo(stdout, line + "\n")) return kExitFailure;
  if (!writeFindings(args.out, check::formatReport(results, *rules, format, report))) return kExitFailure;
  // Machine-readable reports on stdout stay parseable: the verdict then goes to stderr.
  const bool reportOnStdout = format != check::ReportFormat::Text && (args.out == "stdout" || args.out == "-");
  std::FILE* verdictStream = reportOnStdout ? stderr : stdout;
  if (inputs.size() > 1 || format != check::ReportFormat::Text)
    if (!writeTo(verdictStream, check::textSummary(results, report))) return kExitFailure;
  if (!writeTo(verdictStream, check::textVerdict(results, report))) return kExitFailure;
  for (const check::CheckResult& r : results)
    if (r.failed(args.strict)) return kExitFailure;
  return kExitOk;
}

}  // namespace
}  // namespace usdkit

int main(int argc, char** argv) {
  usdkit::Args args;
  return usdkit::tool::runTool(
      "usdchecker",
      "Check USD assets (layers or .usdz packages) for compliance: OpenUSD's rules,\n"
      "the ARKit rules with --arkit, and the core schemas. Exit status 0 when every\n"
      "input passes, 1 when one fails, 2 on a usage error.",
      argc, argv, [&](usdkit::tool::CommandLine& cmd) { usdkit::configure(cmd, args); },
      [&](const usdkit::tool::ToolContext& context) {
        args.threads = context.threads();
        return usdkit::usdchecker(args, context);
      });
}
