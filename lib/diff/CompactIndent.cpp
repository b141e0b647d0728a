#include "diff/CompactIndent.h"

namespace usdkit::diff {

namespace {

constexpr char kOpen = '\x0e';
constexpr char kClose = '\x0f';
// Shorter runs are kept as they are: the marker would not save much.
constexpr std::size_t kMinRun = 8;

void emitSpaces(std::size_t n, std::string& out) {
  if (n >= kMinRun) {
    out += kOpen;
    out += std::to_string(n);
    out += kClose;
  } else {
    out.append(n, ' ');
  }
}

}  // namespace

void IndentCompactor::append(std::string_view chunk, std::string& out) {
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    const char c = chunk[i];
    if (atLineStart_) {
      if (c == ' ') {
        ++spaces_;
        continue;
      }
      emitSpaces(spaces_, out);
      spaces_ = 0;
      atLineStart_ = false;
    }
    if (c == kOpen) {
      out += kOpen;
      out += kClose;
      continue;
    }
    // The rest of the line up to its end (or the chunk's) in one piece.
    std::size_t end = i;
    while (end < chunk.size() && chunk[end] != '\n' && chunk[end] != kOpen) ++end;
    if (end < chunk.size() && chunk[end] == '\n') {
      out.append(chunk.substr(i, end + 1 - i));
      atLineStart_ = true;
      i = end;
    } else {
      out.append(chunk.substr(i, end - i));
      i = end - 1;
    }
  }
}

void IndentCompactor::finish(std::string& out) {
  if (atLineStart_) emitSpaces(spaces_, out);
  spaces_ = 0;
}

bool hasCompactIndent(std::string_view line) { return line.find(kOpen) != std::string_view::npos; }

std::string expandCompactIndent(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] != kOpen) {
      out += line[i];
      continue;
    }
    std::size_t n = 0, j = i + 1;
    while (j < line.size() && line[j] >= '0' && line[j] <= '9') n = n * 10 + static_cast<std::size_t>(line[j++] - '0');
    if (j == i + 1) {
      out += kOpen;  // kOpen kClose: a literal kOpen
    } else {
      out.append(n, ' ');
    }
    i = j;  // at the closing \x02
  }
  return out;
}

}  // namespace usdkit::diff
