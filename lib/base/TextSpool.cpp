// TextSpool; see TextSpool.h.
#include "base/TextSpool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace usdkit {

namespace {
Error ioError(const std::string& what, const std::string& name) {
  return makeError(what + " '" + name + "': " + std::strerror(errno));
}
}  // namespace

TextSpool::TextSpool(std::size_t memoryLimit) : memoryLimit_(memoryLimit) {}

TextSpool::~TextSpool() {
  if (fd_ >= 0) ::close(fd_);
}

Expected<TextSpool::Piece> TextSpool::store(std::string text) {
  Piece piece;
  if (inMemory_ + text.size() <= memoryLimit_) {
    inMemory_ += text.size();
    piece.size = text.size();
    piece.text = std::move(text);
    return piece;
  }
  if (fd_ < 0) {
    const char* dir = std::getenv("TMPDIR");
    std::string name = std::string(dir && *dir ? dir : "/tmp") + "/usdkit-spool-XXXXXX";
    std::vector<char> buffer(name.begin(), name.end());
    buffer.push_back('\0');
    fd_ = ::mkostemp(buffer.data(), O_CLOEXEC);
    fileName_ = buffer.data();
    if (fd_ < 0) return ioError("cannot create the temporary file", fileName_);
    ::unlink(buffer.data());
  }
  piece.spilled = true;
  piece.offset = fileSize_;
  piece.size = text.size();
  std::string_view rest = text;
  while (!rest.empty()) {
    const ssize_t n = ::pwrite(fd_, rest.data(), rest.size(), static_cast<off_t>(fileSize_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ioError("cannot write the temporary file", fileName_);
    rest.remove_prefix(static_cast<std::size_t>(n));
    fileSize_ += static_cast<std::uint64_t>(n);
  }
  return piece;
}

Status TextSpool::read(const Piece& piece, const std::function<Status(std::string_view)>& sink) const {
  if (!piece.spilled) return sink(piece.text);
  constexpr std::size_t kChunk = std::size_t(1) << 20;
  std::string buffer(kChunk, '\0');
  std::uint64_t at = piece.offset;
  const std::uint64_t end = piece.offset + piece.size;
  while (at < end) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, end - at));
    const ssize_t n = ::pread(fd_, buffer.data(), want, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ioError("cannot read the temporary file", fileName_);
    if (Status s = sink(std::string_view(buffer.data(), static_cast<std::size_t>(n))); !s) return s;
    at += static_cast<std::uint64_t>(n);
  }
  return Ok{};
}

}  // namespace usdkit
