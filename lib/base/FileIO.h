// Getting bytes in and out: memory-mapped input, stdin as "-", transparent
// zstd for names ending in ".zst", and output files that only appear (by an
// atomic rename) once everything was written.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/Expected.h"

namespace usdkit {

// Read-only bytes of one input. Mapped files stay mapped for the buffer's
// lifetime; stdin and decompressed data are owned in memory.
class InputBuffer {
 public:
  InputBuffer();
  InputBuffer(InputBuffer&&) noexcept;
  InputBuffer& operator=(InputBuffer&&) noexcept;
  ~InputBuffer();

  std::string_view data() const noexcept;
  std::size_t size() const noexcept { return data().size(); }

  static InputBuffer fromString(std::string bytes);

  // Tells the buffer that bytes before `offset` will rarely be read again.
  // For a mapped file the pages are dropped from this process (they are
  // read back from the page cache if touched), so a one-pass reader's peak
  // memory does not include the whole input. No effect on owned buffers.
  void releaseBefore(std::size_t offset) const noexcept;

  // A mapped file that another process truncates while we read it does not
  // kill us (SIGBUS): the pages it lost read as zeros, and the buffer is
  // marked. truncated() is that mark (a read hit a lost page). intact() is
  // Ok, or the error "NAME: the file changed while being read (now shorter
  // than the N bytes mapped)" when the buffer is marked or the file is now
  // shorter than what was mapped (its last page may hold zeros without any
  // fault). Whatever is built from the buffer is valid only while intact()
  // is Ok; owned buffers always are.
  bool truncated() const noexcept;
  Status intact() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend Expected<InputBuffer> readInput(const std::string& path, const std::function<Status(std::string_view)>& checkStreamHead);
};

// "-" reads all of stdin. A path ending in ".zst" (or any input starting with
// the zstd frame magic) is decompressed. Errors name the path and the cause.
//
// A stream (stdin, a pipe, a device) has no size to bound what reading it
// costs: `checkStreamHead`, when given, sees its first bytes (kStreamHeadSize,
// or all of a shorter stream) before the rest is read, and its error ends
// the read. So `usdcat /dev/zero` fails at once instead of filling memory.
// Not called for regular files, nor for zstd streams (whose head is only
// the frame magic).
inline constexpr std::size_t kStreamHeadSize = 16;
Expected<InputBuffer> readInput(const std::string& path,
                                const std::function<Status(std::string_view)>& checkStreamHead = {});

// True for "x.zst"; `stripZstdSuffix("a.usda.zst")` is "a.usda". Format
// decisions use the stripped name.
bool hasZstdSuffix(std::string_view path) noexcept;
std::string_view stripZstdSuffix(std::string_view path) noexcept;

// An output. A regular file (or a new name) is written to a temporary in
// the same folder that replaces it atomically at commit(); a symbolic link
// is followed and its final target replaced. Destroying an uncommitted
// OutputFile drops the temporary, so failed runs leave no partial or
// clobbered file, and temporaries of killed runs are removed by the next
// run writing the same output. Character devices, FIFOs and this process's
// descriptors (/dev/stdout, /proc/self/fd/N) are written directly; other
// kinds of file are refused. "-" writes to stdout. ".zst" names are
// zstd-compressed. Errors name the path.
class OutputFile {
 public:
  static Expected<OutputFile> create(const std::string& path);
  OutputFile(OutputFile&&) noexcept;
  OutputFile& operator=(OutputFile&&) noexcept;
  ~OutputFile();

  Status write(std::string_view bytes);
  Status commit();
  const std::string& path() const noexcept;

 private:
  OutputFile();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Ok, or the error (see InputBuffer::intact) of the first mapped input of
// this process, alive or already released, that was found truncated or is
// now shorter than it was. OutputFile checks it before every write once a
// lost page was hit, and always before commit(), so no output built from a
// truncated input's zeros is written or committed; tools check it before
// exiting, for results given by the exit status alone.
Status checkMappedInputs();

// True when OutputFile writes `path` directly (stdout, a character device,
// a FIFO, one of our descriptors) instead of replacing a file.
bool writesThrough(const std::string& path);

// Same file on disk (device and inode), false when either does not exist.
bool sameFile(const std::string& a, const std::string& b) noexcept;

}  // namespace usdkit
