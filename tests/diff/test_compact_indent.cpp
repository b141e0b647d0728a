// Compacted indentation (usddiff's in-memory texts): expanding a compacted
// line gives the line back, equal lines compact equally and unequal ones
// unequally, however the text is cut into chunks.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "diff/CompactIndent.h"
#include "diff/LineDiff.h"

using namespace usdkit::diff;

namespace {

std::string compact(std::string_view text, std::size_t chunk) {
  IndentCompactor c;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += chunk) c.append(text.substr(i, chunk), out);
  c.finish(out);
  return out;
}

std::string expandAll(std::string_view compacted) {
  std::string out;
  for (std::string_view line : splitLines(compacted)) out += expandCompactIndent(line);
  return out;
}

}  // namespace

TEST_CASE("compacted indentation expands back to the text", "[diff][compact-indent]") {
  const std::string text = std::string(4000, ' ') + "def \"a\" {\n" + std::string(7, ' ') + "short\n" +
                           std::string(12, ' ') + "\x0e literal \x0e" + "12\x0f\n" + "\n" + std::string(9, ' ') +
                           "\n" + "no indent \x01usddiff#3\x01\n" + std::string(20, ' ');
  for (std::size_t chunk : {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(7), std::size_t(64), text.size()}) {
    INFO("chunk " << chunk);
    const std::string c = compact(text, chunk);
    CHECK(c == compact(text, text.size()));  // chunking changes nothing
    CHECK(c.size() < 200);                   // the 4,000 spaces became a count
    CHECK(expandAll(c) == text);
  }
  // Lines of 7 or fewer leading spaces are left alone.
  CHECK(compact("       x\n", 100) == "       x\n");
  CHECK_FALSE(hasCompactIndent("       x\n"));
  CHECK(hasCompactIndent(compact("        x\n", 100)));
}

TEST_CASE("compacted lines are equal exactly when the lines are", "[diff][compact-indent]") {
  std::mt19937 rng(7);
  const std::string alphabet = " \x0e\x0f" "0123x\n";
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    std::string line(rng() % 12, ' ');
    const std::size_t extra = rng() % 6;
    for (std::size_t k = 0; k < extra; ++k) line += alphabet[rng() % (alphabet.size() - 1)];
    lines.push_back(line + "\n");
  }
  for (const std::string& a : lines) {
    const std::string ca = compact(a, 3);
    REQUIRE(expandCompactIndent(ca) == a);
    for (int k = 0; k < 20; ++k) {
      const std::string& b = lines[rng() % lines.size()];
      CHECK((ca == compact(b, 5)) == (a == b));
    }
  }
}
