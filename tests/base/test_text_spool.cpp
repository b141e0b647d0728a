#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "base/TextSpool.h"

using namespace usdkit;

namespace {
std::string readBack(const TextSpool& spool, const TextSpool::Piece& piece) {
  std::string out;
  REQUIRE(spool.read(piece, [&](std::string_view chunk) -> Status {
    out += chunk;
    return Ok{};
  }).ok());
  return out;
}
}  // namespace

TEST_CASE("text spool: pieces stay in memory up to the limit, then go to the file, and read back in any order") {
  TextSpool spool(100);
  std::vector<std::string> texts = {std::string(60, 'a'), std::string(30, 'b'), std::string(20, 'c'),
                                    std::string(3u << 20, 'd'), "", "tail"};
  texts[3][12345] = 'X';  // a spilled piece bigger than one read chunk, not uniform
  std::vector<TextSpool::Piece> pieces;
  for (const std::string& t : texts) {
    auto stored = spool.store(t);
    REQUIRE(stored.ok());
    pieces.push_back(std::move(*stored));
  }
  CHECK_FALSE(pieces[0].spilled);
  CHECK_FALSE(pieces[1].spilled);
  CHECK(pieces[2].spilled);  // 60 + 30 + 20 passes 100
  CHECK(pieces[3].spilled);
  for (std::size_t i = pieces.size(); i-- > 0;) CHECK(readBack(spool, pieces[i]) == texts[i]);
}

TEST_CASE("text spool: a temporary folder that cannot be written is an error naming the file") {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent-usdkit-dir", 1);
  TextSpool spool(0);
  auto stored = spool.store("x");
  if (old) setenv("TMPDIR", saved.c_str(), 1);
  else unsetenv("TMPDIR");
  REQUIRE_FALSE(stored.ok());
  CHECK(stored.error().message.find("/nonexistent-usdkit-dir/usdkit-spool-") != std::string::npos);
}
