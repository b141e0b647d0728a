// Report writers; see ReportFormats.h.
#include "check/ReportFormats.h"

#include "base/Json.h"

namespace usdkit::check {

namespace {

std::string_view severityName(Severity s) {
  switch (s) {
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    case Severity::Failure: break;
  }
  return "failure";
}

std::string xmlEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += "&#10;"; break;
      default:
        // XML 1.0 cannot carry other control characters at all.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') out += "?";
        else out += c;
    }
  }
  return out;
}

// GitHub workflow commands: data escapes %, CR and LF; properties also : and ,.
std::string githubEscaped(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string json(std::string_view s) {
  std::string out;
  appendJsonString(out, s);
  return out;
}

std::string textReport(std::span<const CheckResult> results, const ReportOptions& options) {
  std::string out;
  for (const CheckResult& r : results) {
    for (const Finding& f : r.findings) {
      if (options.prefixInputs) out += r.input + ": ";
      if (options.color) out += f.severity == Severity::Warning ? "\033[93m" : "\033[91m";
      out += openUsdLine(f);
      if (options.color) out += "\033[0m";
      out += '\n';
    }
  }
  return out;
}

std::string jsonReport(std::span<const CheckResult> results, const ReportOptions& options) {
  std::string out = "{\"inputs\": [";
  std::size_t failed = 0, warnings = 0, errors = 0, failures = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const CheckResult& r = results[i];
    const bool bad = r.failed(options.strict);
    failed += bad;
    warnings += r.count(Severity::Warning);
    errors += r.count(Severity::Error);
    failures += r.count(Severity::Failure);
    out += i ? ",\n  " : "\n  ";
    out += "{\"input\": " + json(r.input) + ", \"passed\": " + (bad ? "false" : "true") + ", \"findings\": [";
    for (std::size_t k = 0; k < r.findings.size(); ++k) {
      const Finding& f = r.findings[k];
      out += k ? ", " : "";
      out += "{\"rule\": " + (f.rule.empty() ? std::string("null") : json(f.rule)) +
             ", \"severity\": " + json(severityName(f.severity)) + ", \"message\": " + json(f.message) + "}";
    }
    out += "]}";
  }
  out += "\n], \"summary\": {\"inputs\": " + std::to_string(results.size()) + ", \"failed\": " + std::to_string(failed) +
         ", \"errors\": " + std::to_string(errors) + ", \"failedChecks\": " + std::to_string(failures) +
         ", \"warnings\": " + std::to_string(warnings) + "}}\n";
  return out;
}

std::string junitReport(std::span<const CheckResult> results, const ReportOptions& options) {
  std::size_t failed = 0;
  for (const CheckResult& r : results) failed += r.failed(options.strict);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  out += "  <testsuite name=\"usdchecker\" tests=\"" + std::to_string(results.size()) + "\" failures=\"" +
         std::to_string(failed) + "\" errors=\"0\">\n";
  for (const CheckResult& r : results) {
    out += "    <testcase classname=\"usdchecker\" name=\"" + xmlEscaped(r.input) + "\"";
    std::string lines;
    for (const Finding& f : r.findings) lines += openUsdLine(f) + "\n";
    if (r.failed(options.strict)) {
      const std::string first = r.findings.empty() ? std::string("failed") : openUsdLine(r.findings.front());
      out += ">\n      <failure message=\"" + xmlEscaped(first) + "\">" + xmlEscaped(lines) + "</failure>\n    </testcase>\n";
    } else if (!lines.empty()) {
      out += ">\n      <system-out>" + xmlEscaped(lines) + "</system-out>\n    </testcase>\n";
    } else {
      out += "/>\n";
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string sarifReport(std::span<const CheckResult> results, std::span<const RuleInfo* const> rules,
                        const ReportOptions& options) {
  std::string out =
      "{\"version\": \"2.1.0\", \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"runs\": [{\n"
      "\"tool\": {\"driver\": {\"name\": \"usdchecker\", \"informationUri\": \"https://openusd.org\", \"rules\": [";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    out += i ? ",\n  " : "\n  ";
    out += "{\"id\": " + json(rules[i]->id) + ", \"shortDescription\": {\"text\": " + json(rules[i]->description) + "}}";
  }
  out += "]}},\n\"results\": [";
  bool first = true;
  for (const CheckResult& r : results) {
    for (const Finding& f : r.findings) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      const bool error = f.severity != Severity::Warning || options.strict;
      out += "{\"ruleId\": " + json(f.rule.empty() ? "usdchecker" : f.rule) + ", \"level\": " +
             json(error ? "error" : "warning") + ", \"message\": {\"text\": " + json(f.message) +
             "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": " + json(r.input) + "}}}]}";
    }
  }
  out += "\n]}]}\n";
  return out;
}

std::string githubReport(std::span<const CheckResult> results, const ReportOptions& options) {
  std::string out;
  for (const CheckResult& r : results) {
    for (const Finding& f : r.findings) {
      const bool error = f.severity != Severity::Warning || options.strict;
      out += error ? "::error file=" : "::warning file=";
      out += githubEscaped(r.input, true);
      out += ",title=" + githubEscaped(f.rule.empty() ? std::string("usdchecker") : f.rule, true);
      out += "::" + githubEscaped(f.message, false) + "\n";
    }
  }
  return out;
}

}  // namespace

std::optional<ReportFormat> parseReportFormat(std::string_view name) {
  if (name == "text") return ReportFormat::Text;
  if (name == "json") return ReportFormat::Json;
  if (name == "junit") return ReportFormat::JUnit;
  if (name == "sarif") return ReportFormat::Sarif;
  if (name == "github") return ReportFormat::GitHub;
  return std::nullopt;
}

std::string formatReport(std::span<const CheckResult> results, std::span<const RuleInfo* const> rules,
                         ReportFormat format, const ReportOptions& options) {
  switch (format) {
    case ReportFormat::Text: return textReport(results, options);
    case ReportFormat::Json: return jsonReport(results, options);
    case ReportFormat::JUnit: return junitReport(results, options);
    case ReportFormat::Sarif: return sarifReport(results, rules, options);
    case ReportFormat::GitHub: return githubReport(results, options);
  }
  return {};
}

std::string textSummary(std::span<const CheckResult> results, const ReportOptions& options) {
  std::size_t failed = 0, warnings = 0, errors = 0, failures = 0;
  for (const CheckResult& r : results) {
    failed += r.failed(options.strict);
    warnings += r.count(Severity::Warning);
    errors += r.count(Severity::Error);
    failures += r.count(Severity::Failure);
  }
  const auto plural = [](std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  return plural(results.size(), "file") + " checked, " + std::to_string(failed) + " failed: " +
         plural(errors, "error") + ", " + plural(failures, "failed check") + ", " + plural(warnings, "warning") + "\n";
}

std::string textVerdict(std::span<const CheckResult> results, const ReportOptions& options) {
  bool failed = false, warned = false;
  for (const CheckResult& r : results) {
    failed = failed || r.failed(options.strict);
    warned = warned || r.count(Severity::Warning) > 0;
  }
  if (failed) return "Failed!\n";
  return warned ? "Success with warnings...\n" : "Success!\n";
}

std::string dumpRules(std::span<const RuleInfo* const> rules) {
  const std::string dashes(30, '-');
  std::string out = "Checking rules: \n";
  for (const RuleInfo* r : rules) out += dashes + "\n[" + std::string(r->id) + "]:\n " + std::string(r->description) + "\n";
  return out + dashes + "\n";
}

}  // namespace usdkit::check

namespace usdkit::check {

std::string dumpRulesJson(std::span<const RuleInfo* const> rules) {
  std::string out = "[";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const RuleInfo& r = *rules[i];
    const char* set = r.set == RuleSet::Base ? "base" : r.set == RuleSet::ARKit ? "arkit" : "schema";
    // OpenUSD's rules report failed checks (a few also errors or warnings);
    // usdkit's schema rules report warnings.
    out += std::string(i ? ",\n " : "\n ") + "{\"id\": " + json(r.id) + ", \"set\": " + json(set) +
           ", \"severity\": " + json(r.set == RuleSet::Schema ? "warning" : "failure") +
           ", \"description\": " + json(r.description) + "}";
  }
  return out + "\n]\n";
}

}  // namespace usdkit::check
