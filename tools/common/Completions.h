// Shell completion scripts (bash, zsh, fish) for a tool, written from the
// options the tool declares. Every tool prints its own with the hidden
// option `--completions SHELL`, and the build runs that to make the files
// `meson install` installs (completions/meson.build): completions cannot
// drift from the options because they are never written by hand.
//
// This file knows nothing of CLI11 (ToolMain.cpp describes the parsed
// options in these terms), so that changing a script's shape recompiles
// this file alone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/CommandLine.h"

namespace usdkit::tool {

struct CompletionOption {
  std::vector<std::string> names;  // as typed: "-o", "--out"
  std::string help;                // the first line of the help text
  bool takesValue = false;
  ValueHints hints;
};

struct CompletionSpec {
  std::string tool;
  std::vector<CompletionOption> options;
  // What the positional arguments are (None: nothing to complete).
  ValueHints::Files positionals = ValueHints::Files::None;
};

// The shells completionScript writes for, as `--completions` spells them.
inline constexpr std::string_view kCompletionShells[] = {"bash", "zsh", "fish"};

// The completion script for `shell` (one of kCompletionShells), nullopt
// for any other name.
std::optional<std::string> completionScript(const CompletionSpec& spec, std::string_view shell);

}  // namespace usdkit::tool
