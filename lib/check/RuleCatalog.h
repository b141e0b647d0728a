// Every rule usdchecker knows: OpenUSD's (same ids, same descriptions, so
// `--dumpRules` reads as OpenUSD's does) and usdkit's own schema-conformance
// rules, which OpenUSD 24.11's usdchecker does not have.
#pragma once

#include <span>
#include <string_view>

namespace usdkit::check {

enum class RuleSet : unsigned char {
  Base,    // OpenUSD's base rules: always run
  ARKit,   // OpenUSD's ARKit rules: with --arkit
  Schema,  // usdkit's schema rules: always run, findings are warnings
};

struct RuleInfo {
  std::string_view id;           // stable: scripts and --enable/--disable use it
  RuleSet set;
  std::string_view description;  // may span lines, as OpenUSD's do
};

// In the order rules run and report (OpenUSD's order, then usdkit's).
std::span<const RuleInfo> allRules();
const RuleInfo* findRule(std::string_view id);

}  // namespace usdkit::check
