// Checking one asset (a layer file or a .usdz package) against usdchecker's
// rules, as OpenUSD's ComplianceChecker does: the composed stage in every
// combination of variant selections, the layers and files it depends on, and
// the packages that hold them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "base/Progress.h"
#include "check/RuleCatalog.h"

namespace usdkit::check {

struct CheckOptions {
  bool arkit = false;             // add the ARKit rules (consumer-level checks)
  bool rootPackageOnly = false;   // check only the root package, not the stage
  bool skipVariants = false;      // only the selected variants
  bool assetLevelChecks = true;   // false: --noAssetChecks (no defaultPrim check)
  bool verbose = false;           // record what is checked (CheckResult::log)
  // A prim with more combinations of variant selections than this (0: no
  // limit) is checked in fewer: every variant of every set once, the other
  // sets keeping their selection; a warning says so.
  std::size_t maxVariantCombinations = 1024;
  std::vector<std::string> enable;   // rule ids run in addition (e.g. an ARKit rule alone)
  std::vector<std::string> disable;  // rule ids not run
  // checkAssets: told of each input checked (checkAsset reports nothing).
  ProgressSink* progress = nullptr;
};

// The rules a check with these options runs, in report order; fails on an
// unknown id in enable/disable.
Expected<std::vector<const RuleInfo*>> selectRules(const CheckOptions& options);

// OpenUSD sorts what it finds into three kinds, reported in this order.
enum class Severity : unsigned char { Warning, Error, Failure };

struct Finding {
  std::string rule;  // rule id; empty for problems of the checker itself (e.g. an unreadable file)
  Severity severity = Severity::Failure;
  std::string message;
};

struct CheckResult {
  std::string input;
  std::vector<Finding> findings;  // warnings, then errors, then failed checks
  std::vector<std::string> log;   // with CheckOptions::verbose
  std::size_t count(Severity s) const;
  // usdchecker's verdict: errors or failed checks, or with `strict` any warning.
  bool failed(bool strict) const;
};

// `rules` comes from selectRules(options). Never throws; every problem,
// including files that cannot be read, ends up as a finding.
CheckResult checkAsset(const std::string& input, const CheckOptions& options,
                       std::span<const RuleInfo* const> rules);

// A finding as OpenUSD's usdchecker prints it: "MSG (fails 'Rule')",
// "Error checking rule 'Rule': MSG", "MSG (may violate 'Rule')".
std::string openUsdLine(const Finding& finding);

// The inputs as given, each directory replaced by the USD files (.usd,
// .usda, .usdc, .usdz) below it in path order. A link below a directory
// that leads nowhere (looping, dangling) is kept, so that checking it
// reports why instead of the file going unchecked.
std::vector<std::string> expandCheckInputs(std::span<const std::string> inputs);

// checkAsset for every input, `jobs` at a time (0: one per core); results
// in input order whatever the thread count.
std::vector<CheckResult> checkAssets(std::span<const std::string> inputs, const CheckOptions& options,
                                     std::span<const RuleInfo* const> rules, unsigned jobs);

}  // namespace usdkit::check
