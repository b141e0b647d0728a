// usddiff with an external diff program (USD_DIFF or DIFF, as OpenUSD's
// usddiff): the two texts go to temporary files the program compares and
// may edit.
#pragma once

#include <string>
#include <vector>

#include "base/Expected.h"
#include "diff/FileDiff.h"

namespace usdkit::diff {

// USD_DIFF, else DIFF: a program name and its own arguments, split at
// whitespace as OpenUSD does. Empty when neither is set.
std::vector<std::string> externalDiffCommand();

// Whether `program` can be run: a path that is executable, or a name found
// in PATH.
bool onPath(const std::string& program);

// Writes the texts to "usddiffNNNNNN__<stem>.usda" files in the temporary
// folder (so the program shows which input is which), runs `command` on
// them and reports its exit status and the texts whose file it changed.
// The files are removed afterwards.
Expected<ExternalDiffResult> runExternalDiff(const std::vector<std::string>& command, const ExternalDiffInput& input);

}  // namespace usdkit::diff
