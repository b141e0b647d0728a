// How `usddiff` compares one pair of files: layers by the usda text `usdcat`
// prints for them (so a .usda and a .usdc with the same content are equal),
// .usdz packages entry by entry. (Which files pair up is usddiff/FilePairs.)
#pragma once

#include <functional>
#include <memory>
#include <optional>
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

// The two texts an external diff program compares, and the files they
// come from (which name the temporary files).
struct ExternalDiffInput {
  std::string_view baselineText, comparisonText;
  const std::string& baselineName;
  const std::string& comparisonName;
};
// A text the user changed in the program, and the file it was edited in
// (named in messages).
struct EditedText {
  std::string file, text;
};
struct ExternalDiffResult {
  int status = 0;  // nonzero: the files differ (or the program failed)
  std::optional<EditedText> editedBaseline, editedComparison;
};

struct FileDiffOptions {
  bool brief = false;    // "Files A and B differ" instead of the differences
  bool summary = false;  // structural changes (LayerDiff) instead of text
  bool json = false;     // with summary: JSON records
  LayerDiffOptions layerDiff;  // tolerance for summary mode
  UnifiedOptions unified;      // colour and context of text differences
  // An external diff program (USD_DIFF / DIFF; usddiff/ExternalDiff runs
  // it on temporary files): gets the two usda texts, returns the program's
  // exit status and the texts the user edited in it. Unset: the built-in
  // line diff.
  std::function<Expected<ExternalDiffResult>(const ExternalDiffInput&)> externalTool;
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
