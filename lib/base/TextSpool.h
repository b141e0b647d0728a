// Text made ahead of where it is written: pieces kept in memory up to a
// limit, and past it in an unnamed temporary file, read back in any order.
// A flatten that writes text prim by prim holds its text until the
// prototypes that come first are known; the text can be far larger than
// the input (deep indentation, a stage the square of its file), so it must
// not all stay in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/Expected.h"

namespace usdkit {

class TextSpool {
 public:
  // A stored piece: in memory, or `size` bytes at `offset` of the file.
  struct Piece {
    std::string text;
    std::uint64_t offset = 0, size = 0;
    bool spilled = false;
  };

  explicit TextSpool(std::size_t memoryLimit = std::size_t(2) << 20);
  ~TextSpool();
  TextSpool(const TextSpool&) = delete;
  TextSpool& operator=(const TextSpool&) = delete;

  // Keeps `text` in memory while the pieces kept so far fit the limit,
  // else writes it to the file ($TMPDIR or /tmp; unlinked at once, so it
  // goes with the process). Errors name the file and the cause.
  Expected<Piece> store(std::string text);
  // Passes the piece's text to `sink`, in chunks for a spilled one.
  Status read(const Piece& piece, const std::function<Status(std::string_view)>& sink) const;

 private:
  std::size_t memoryLimit_;
  std::size_t inMemory_ = 0;
  int fd_ = -1;
  std::uint64_t fileSize_ = 0;
  std::string fileName_;  // for messages
};

}  // namespace usdkit
