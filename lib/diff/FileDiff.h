// How `usddiff` compares one pair of files: layers by the usda text `usdcat`
// prints for them (so a .usda and a .usdc with the same content are equal),
// .usdz packages entry by entry. (Which files pair up is usddiff/FilePairs.)
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Expected.h"
#include "diff/LayerDiff.h"
#include "diff/LineDiff.h"
#include "sdf/Layer.h"

namespace usdkit::diff {

// Receives output text as it is produced.
using Printer = std::function<void(std::string_view)>;

struct FileDiffOptions {
  bool brief = false;    // "Files A and B differ" instead of the differences
  bool summary = false;  // structural changes (LayerDiff) instead of text
  bool json = false;     // with summary: JSON records
  LayerDiffOptions layerDiff;  // tolerance for summary mode
  UnifiedOptions unified;      // colour and context of text differences
  // An external diff program (USD_DIFF / DIFF): called with the two usda
  // text files written to temporary files; returns the program's exit
  // status. Unset: the built-in line diff.
  std::function<int(const std::string& baselineText, const std::string& comparisonText)> externalTool;
  // With an external tool: do not write edits made to the temporary files
  // back to the inputs (-n).
  bool noEffect = false;
  // Turns a file into the layer to compare. Unset: the file's own layer.
  // The composition engine plugs in here for --flatten. Edits are never
  // written back when this is set.
  std::function<Expected<std::shared_ptr<Layer>>(const std::string& path)> compose;
};

// Compares one pair; prints what differs. Returns true when the files
// differ. Errors (exit status 2) name the file: unknown formats, files that
// cannot be read or parsed, failures writing edits back.
Expected<bool> diffFiles(const std::string& baseline, const std::string& comparison,
                         const FileDiffOptions& options, const Printer& print);

// The text `usdcat path` prints (an empty file gives empty text, as
// OpenUSD's usddiff copies empty files instead of converting them).
Expected<std::string> layerText(const std::string& path, const FileDiffOptions& options);

}  // namespace usdkit::diff
