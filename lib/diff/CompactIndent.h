// Text with its line indentation stored as counts, for comparing texts
// whose lines are indented far deeper than they are long.
//
// usddiff compares the usda text of two layers line by line. That text
// repeats four spaces per nesting level on every line, so a file nesting
// prims 900 deep has lines of 3,600 spaces and a text a hundred times the
// file. Compacted, a line's run of leading spaces (8 or more) becomes
// "\x0e" <count in decimal> "\x0f", and a literal "\x0e" becomes "\x0e\x0f",
// so equal lines stay equal and unequal ones unequal (the array
// placeholders of FileDiff use \x01, which passes through); only the lines that
// are printed are expanded again.
#pragma once

#include <string>
#include <string_view>

namespace usdkit::diff {

// Appends text chunk by chunk; a line may span chunks.
class IndentCompactor {
 public:
  void append(std::string_view chunk, std::string& out);
  // Emits a run of spaces still pending at the end of the text.
  void finish(std::string& out);

 private:
  bool atLineStart_ = true;
  std::size_t spaces_ = 0;  // leading spaces of the current line, not yet written
};

// True when `line` holds a compacted run or escape.
bool hasCompactIndent(std::string_view line);

// The line as it was before compaction.
std::string expandCompactIndent(std::string_view line);

}  // namespace usdkit::diff
