// Read-only mappings of input files that survive the file being truncated
// under them. Internal to base: the rest of the code sees them through
// InputBuffer and checkMappedInputs() (base/FileIO.h).
//
// Touching a page of a mapping that lies past the file's end (because
// another process truncated the file after we mapped it) raises SIGBUS,
// whose default action kills the process. A process-wide SIGBUS handler
// catches faults inside the mappings made here, puts zero pages where the
// lost ones were so the read can go on, and marks the mapping truncated.
// Readers then see zeros, never a crash; everything that turns input into
// output asks whether a mapping was truncated (MappedFile::intact,
// checkMappedFiles) before it commits anything, so output built from those
// zeros is refused with an error naming the file.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "base/Expected.h"

namespace usdkit {

class MappedFile {
  struct Key {};  // only map() constructs

 public:
  // Maps the regular file open as `fd` (described by `st`, whose size must
  // be positive) for reading. `path` is the name it was opened by (empty
  // for stdin), `name` the one messages use. Null when the file cannot be
  // mapped or every watch slot is in use (then the caller reads the file
  // instead: an unwatched mapping would bring the crash back).
  static std::unique_ptr<MappedFile> map(int fd, const struct stat& st, std::string path, std::string name);

  MappedFile(Key, void* base, std::size_t size, const struct stat& st, std::string path, std::string name);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const noexcept { return {static_cast<const char*>(base_), size_}; }

  // True once a read touched a page the file no longer has: that read
  // (and any later one past the new end) saw zeros instead of the file.
  bool truncated() const noexcept;

  // Ok, or "NAME: the file changed while being read (now shorter than the
  // N bytes mapped)". Besides truncated(), this looks at the file under its
  // name (one stat): when it is still the same file and now shorter than
  // what was mapped, the bytes between its new end and the end of that
  // page read as zeros without any fault, so only its size tells.
  Status intact() const;

  // Drops the pages before `offset` from this process (see
  // InputBuffer::releaseBefore).
  void releaseBefore(std::size_t offset) const noexcept;

 private:
  void* base_;
  std::size_t size_;
  dev_t device_;
  ino_t inode_;
  std::string path_;
  std::string name_;
  int slot_ = -1;  // index in the watch table
};

// Ok, or the error of the first mapping that is not intact: a live one (see
// MappedFile::intact) or one already unmapped whose truncation was seen
// while it lived.
Status checkMappedFiles();

// True once any read of any mapping hit a lost page. One atomic load, for
// checks on hot paths (each write of an output).
bool anyMappedFileTruncated() noexcept;

}  // namespace usdkit
