// Which files `usddiff` compares: the command line's files paired up as
// OpenUSD's usddiff pairs them (FILE FILE, DIR DIR, DIR FILE..., FILE...
// DIR).
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/Expected.h"

namespace usdkit::diff {

struct FilePairs {
  std::vector<std::string> baselineOnly;
  std::vector<std::pair<std::string, std::string>> common;  // (baseline, comparison)
  std::vector<std::string> comparisonOnly;
};

// Errors (exit status 2): fewer than two arguments, a missing file, or a
// mix of files and folders that is none of the four forms.
Expected<FilePairs> findFilePairs(std::span<const std::string> args);

}  // namespace usdkit::diff
