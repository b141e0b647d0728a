// Writing check results for people and for CI systems: OpenUSD's text,
// JSON, JUnit XML, SARIF 2.1.0 and GitHub Actions workflow commands.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "check/Checker.h"

namespace usdkit::check {

enum class ReportFormat { Text, Json, JUnit, Sarif, GitHub };

std::optional<ReportFormat> parseReportFormat(std::string_view name);

struct ReportOptions {
  bool strict = false;        // warnings fail an input
  bool prefixInputs = false;  // text: "input: " before each line (several inputs)
  bool color = false;         // text: ANSI colours, as OpenUSD uses on a terminal
};

// The findings of every input in the chosen format. For Text these are
// OpenUSD's lines only; the verdict lines come from textVerdict.
std::string formatReport(std::span<const CheckResult> results, std::span<const RuleInfo* const> rules,
                         ReportFormat format, const ReportOptions& options);

// "N files checked: F failed; E errors, C failed checks, W warnings" and
// OpenUSD's final line ("Success!", "Success with warnings...", "Failed!").
std::string textSummary(std::span<const CheckResult> results, const ReportOptions& options);
std::string textVerdict(std::span<const CheckResult> results, const ReportOptions& options);

// --dumpRules, as OpenUSD prints it, or as a JSON list of {id, set,
// severity, description} for scripts.
std::string dumpRules(std::span<const RuleInfo* const> rules);
std::string dumpRulesJson(std::span<const RuleInfo* const> rules);

}  // namespace usdkit::check
