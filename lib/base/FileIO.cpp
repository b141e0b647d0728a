#include "base/FileIO.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <utility>

#include "base/FilePaths.h"
#include "base/MappedFile.h"

namespace usdkit {

namespace {

constexpr unsigned char kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
constexpr int kZstdLevel = 3;
// Regular files up to this size are read into memory, not mapped. Reading
// costs a copy and zeroed pages (about 5% more CPU than mapping for a file
// that is parsed once), which is lost in the process start-up for files this
// small but not for big ones.
constexpr off_t kMapOnlyAbove = off_t(64) << 10;

std::string displayName(const std::string& path) {
  return path == "-" ? std::string("<stdin>") : path;
}

Error sysError(std::string_view what, const std::string& path, int err) {
  std::string msg;
  msg.append(what).append(" '").append(path).append("': ").append(std::strerror(err));
  return makeError(std::move(msg));
}

// Closes a descriptor we opened; never closes stdin/stdout.
struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd > 2) ::close(fd);
  }
};

// Reads until EOF. `sizeHint` (the fstat size, 0 when unknown) avoids
// regrowing the buffer for regular files that could not be mapped.
bool startsWithZstdMagic(std::string_view bytes);

// Reads to the end. `checkHead` (if any) sees the first kStreamHeadSize
// bytes, or all of a shorter input, before more is read.
Expected<std::string> readAll(int fd, std::size_t sizeHint, const std::string& name,
                              const std::function<Status(std::string_view)>& checkHead) {
  std::string out;
  out.resize(sizeHint > 0 ? sizeHint + 1 : 64 * 1024);
  std::size_t used = 0;
  bool headChecked = !checkHead;
  auto check = [&]() -> Status {
    headChecked = true;
    const std::string_view head(out.data(), std::min(used, kStreamHeadSize));
    if (startsWithZstdMagic(head)) return Ok{};
    return checkHead(head);
  };
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sysError("cannot read", name, errno);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (!headChecked && used >= kStreamHeadSize)
      if (Status s = check(); !s) return std::move(s).error();
  }
  if (!headChecked)
    if (Status s = check(); !s) return std::move(s).error();
  out.resize(used);
  return out;
}

bool startsWithZstdMagic(std::string_view bytes) {
  return bytes.size() >= sizeof kZstdMagic &&
         std::memcmp(bytes.data(), kZstdMagic, sizeof kZstdMagic) == 0;
}

struct DCtxDeleter {
  void operator()(ZSTD_DCtx* c) const noexcept { ZSTD_freeDCtx(c); }
};
struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};

constexpr std::size_t kZstdFreeBytes = std::size_t(64) << 20;  // any ratio up to this size
constexpr std::size_t kZstdMaxRatio = 1000;

// Streaming decompression copes with frames that do not record their size
// (everything written by a streaming compressor, including ours) and with
// several concatenated frames, which `zstd` itself produces on append.
Expected<std::string> decompress(std::string_view in, const std::string& name) {
  auto fail = [&](std::string_view why) {
    std::string msg = "cannot decompress '";
    msg.append(name).append("': ").append(why);
    return makeError(std::move(msg));
  };
  if (in.empty()) return fail("empty input is not zstd data");

  std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  if (!dctx) return fail("out of memory");

  // Memory must stay bounded by the input, and a few kilobytes of zstd can
  // expand to gigabytes: past kZstdFreeBytes, data expanding more than
  // kZstdMaxRatio times is refused as a decompression bomb. Real layers
  // compress 3 to 30 times; one that is genuinely more repetitive can be
  // decompressed with zstd(1) first.
  const std::size_t limit = std::max(kZstdFreeBytes, in.size() > SIZE_MAX / kZstdMaxRatio ? SIZE_MAX - 1
                                                                                           : in.size() * kZstdMaxRatio);
  std::string out;
  // The header's size is only a hint: a corrupt one must not make us try to
  // allocate terabytes, so cap the reservation at a generous ratio.
  unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  std::size_t initial = in.size() * 4 + 4096;
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
      declared < std::size_t(1) << 40 && declared / 64 <= in.size())
    initial = static_cast<std::size_t>(declared) + 1;
  out.resize(std::min(initial, limit + 1));

  ZSTD_inBuffer input{in.data(), in.size(), 0};
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) {
      if (used > limit)
        return fail("it expands to more than " + std::to_string(kZstdMaxRatio) +
                    " times its size (and past " + std::to_string(kZstdFreeBytes >> 20) +
                    " MiB), which looks like a decompression bomb; if the data is genuine, decompress it with "
                    "'zstd -d' and read the result");
      out.resize(std::min(out.size() * 2, limit + 1));
    }
    ZSTD_outBuffer output{out.data() + used, out.size() - used, 0};
    std::size_t pending = ZSTD_decompressStream(dctx.get(), &output, &input);
    if (ZSTD_isError(pending)) return fail(ZSTD_getErrorName(pending));
    used += output.pos;
    bool inputDone = input.pos == input.size;
    if (pending == 0 && inputDone) break;
    // The decoder had room to write yet wants more input that is not there.
    if (inputDone && output.pos < output.size) return fail("truncated zstd data");
  }
  out.resize(used);
  return out;
}

mode_t processUmask() {
  // umask() can only be read by setting it; do that once, before any output
  // file is created, and remember the answer.
  static const mode_t mask = [] {
    mode_t m = ::umask(0);
    ::umask(m);
    return m;
  }();
  return mask;
}

}  // namespace

// ---------------------------------------------------------------------------
// InputBuffer

struct InputBuffer::Impl {
  std::unique_ptr<MappedFile> mapped;  // null for owned bytes
  std::string owned;
  std::string_view view;

  void own(std::string bytes) {
    owned = std::move(bytes);
    view = owned;
  }
};

InputBuffer::InputBuffer() = default;
InputBuffer::InputBuffer(InputBuffer&&) noexcept = default;
InputBuffer& InputBuffer::operator=(InputBuffer&&) noexcept = default;
InputBuffer::~InputBuffer() = default;

std::string_view InputBuffer::data() const noexcept {
  return impl_ ? impl_->view : std::string_view();
}

void InputBuffer::releaseBefore(std::size_t offset) const noexcept {
  if (impl_ && impl_->mapped) impl_->mapped->releaseBefore(offset);
}

bool InputBuffer::truncated() const noexcept { return impl_ && impl_->mapped && impl_->mapped->truncated(); }

Status InputBuffer::intact() const {
  if (!impl_ || !impl_->mapped) return Ok{};
  return impl_->mapped->intact();
}

InputBuffer InputBuffer::fromString(std::string bytes) {
  InputBuffer b;
  b.impl_ = std::make_unique<Impl>();
  b.impl_->own(std::move(bytes));
  return b;
}

Expected<InputBuffer> readInput(const std::string& path,
                                const std::function<Status(std::string_view)>& checkStreamHead) {
  const std::string name = displayName(path);
  InputBuffer buf;
  buf.impl_ = std::make_unique<InputBuffer::Impl>();
  InputBuffer::Impl& impl = *buf.impl_;

  FdCloser file;
  if (path == "-") {
    file.fd = STDIN_FILENO;
  } else {
    do {
      file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (file.fd < 0 && errno == EINTR);
    if (file.fd < 0) return sysError("cannot open", name, errno);
  }

  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return sysError("cannot read", name, errno);
  if (S_ISDIR(st.st_mode)) return sysError("cannot read", name, EISDIR);

  // Small files (hand-written layers) are read; bigger ones, where a copy
  // would cost time and memory and releaseBefore() matters, are mapped.
  // Another process may truncate a mapped file while we read it: the pages
  // it lost then read as zeros instead of killing us with SIGBUS, and the
  // mapping says so (see MappedFile), so that nothing built from them is
  // written. Writers that replace files by rename (ours, most editors and
  // exporters) do not disturb a mapping at all.
  bool mapped = false;
  if (S_ISREG(st.st_mode) && st.st_size > kMapOnlyAbove) {
    impl.mapped = MappedFile::map(file.fd, st, path == "-" ? std::string() : path, name);
    if (impl.mapped) {
      impl.view = impl.mapped->bytes();
      mapped = true;
    }
  }
  if (!mapped) {
    const bool regular = S_ISREG(st.st_mode);
    std::size_t hint = regular ? static_cast<std::size_t>(st.st_size) : 0;
    auto bytes = readAll(file.fd, hint, name, regular ? std::function<Status(std::string_view)>() : checkStreamHead);
    if (!bytes) return std::move(bytes).error();
    impl.own(std::move(*bytes));
  }

  if (hasZstdSuffix(path) || startsWithZstdMagic(impl.view)) {
    auto plain = decompress(impl.view, name);
    // The compressed bytes are gone once unmapped: whether they were all
    // there must be asked now. A truncation also explains a decoding error.
    if (impl.mapped) {
      if (Status whole = impl.mapped->intact(); !whole) return std::move(whole).error();
      impl.mapped.reset();
    }
    if (!plain) return std::move(plain).error();
    impl.own(std::move(*plain));
  }
  return buf;
}

bool hasZstdSuffix(std::string_view path) noexcept {
  return path.size() > 4 && path.ends_with(".zst");
}

std::string_view stripZstdSuffix(std::string_view path) noexcept {
  return hasZstdSuffix(path) ? path.substr(0, path.size() - 4) : path;
}

// ---------------------------------------------------------------------------
// OutputFile
//
// Where the bytes go depends on what the name leads to:
//  - a regular file, or nothing yet: a new file is written in the same
//    folder and takes the name atomically at commit(), so readers see the
//    old or the new contents, never a mix, and a failed run leaves the old
//    file alone. A symbolic link is followed to its final target, which is
//    replaced; the link stays a link.
//  - a character device or a FIFO (/dev/null, a terminal, a named pipe): the
//    bytes are written to it directly. Renaming a file over it would destroy
//    the device node or pipe (as root, in /dev).
//  - one of this process's descriptors named through /proc (/dev/stdout,
//    /dev/fd/3, /proc/self/fd/1): written through that descriptor, sharing
//    its file position as a shell redirection would, whatever it refers to.
// Directories, block devices and sockets are refused.
//
// The new file is created unnamed (O_TMPFILE) where the file system allows
// it, so a run killed while writing leaves nothing behind. It gets a name
// only between linkat() and rename(), because linkat() cannot replace an
// existing name. Elsewhere it is a named temporary from the start. Either
// name is ".<output name>.usdkit-tmp-<pid>-<random>", and the writer holds
// an flock() on the file until the rename is done, so a later run writing
// the same output can tell a temporary left by a killed run (nobody holds
// it: removed) from one still being written. The lock, not the pid, decides:
// pids are reused, and differ between containers sharing a folder.

namespace {

constexpr std::string_view kTempMarker = ".usdkit-tmp-";
constexpr int kMaxSymlinks = 40;  // the kernel's own limit for ELOOP
constexpr long kProcSuperMagic = 0x9fa0;  // statfs f_type of /proc

// "dir/name" as "dir/" and "name"; a bare name has an empty folder part.
std::pair<std::string, std::string> splitFolder(const std::string& path) {
  return {std::string(directoryPrefix(path)), std::string(fileNameOf(path))};
}

std::string folderToOpen(const std::string& folder) { return folder.empty() ? std::string(".") : folder; }

bool sameInode(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

// The descriptor number when `link` is an entry of /proc/self/fd (reached
// by any name: /dev/fd/1, /proc/<our pid>/fd/1, ...).
std::optional<int> ownDescriptorLink(const std::string& link) {
  auto [folder, name] = splitFolder(link);
  if (name.empty() || name.size() > 9 || name.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  struct stat dir {}, ours {};
  if (::stat(folderToOpen(folder).c_str(), &dir) != 0 || ::stat("/proc/self/fd", &ours) != 0) return std::nullopt;
  if (!sameInode(dir, ours)) return std::nullopt;
  return std::stoi(name);
}

// Links in /proc lead to open files, not to names in the file system.
bool linkIsInProc(const std::string& link) {
  struct statfs fs {};
  return ::statfs(folderToOpen(splitFolder(link).first).c_str(), &fs) == 0 && fs.f_type == kProcSuperMagic;
}

Expected<std::string> readLink(const std::string& link, const std::string& shownName) {
  std::string target(256, '\0');
  for (;;) {
    ssize_t n = ::readlink(link.c_str(), target.data(), target.size());
    if (n < 0) return sysError("cannot write", shownName, errno);
    if (static_cast<std::size_t>(n) < target.size()) {
      target.resize(static_cast<std::size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);
  }
}

const char* fileKindName(mode_t mode) {
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Where create() puts the bytes (see above).
struct Destination {
  enum class Kind { Replace, Stream, Descriptor };
  Kind kind = Kind::Replace;
  std::string target;  // Replace: the file to replace or create; Stream: the name to open
  bool exists = false;  // Replace: `target` is an existing regular file, described by `st`
  struct stat st {};
  int descriptor = -1;  // Descriptor
};

Expected<Destination> resolveDestination(const std::string& path) {
  Destination d;
  std::string p = path;
  for (int links = 0;; ++links) {
    if (p.empty() || p.back() == '/') return sysError("cannot write", path, EISDIR);
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno != ENOENT) return sysError("cannot write", path, errno);
      // A new file; through a dangling link its target is created, as a
      // shell's '>' would.
      d.target = std::move(p);
      return d;
    }
    if (S_ISLNK(st.st_mode)) {
      if (links == kMaxSymlinks) return sysError("cannot write", path, ELOOP);
      if (std::optional<int> fd = ownDescriptorLink(p)) {
        d.kind = Destination::Kind::Descriptor;
        d.descriptor = *fd;
        return d;
      }
      if (linkIsInProc(p)) {  // another process's descriptor: opening follows it
        d.kind = Destination::Kind::Stream;
        d.target = std::move(p);
        return d;
      }
      Expected<std::string> target = readLink(p, path);
      if (!target) return std::move(target).error();
      p = target->starts_with('/') ? std::move(*target) : splitFolder(p).first + *target;
      continue;
    }
    if (S_ISREG(st.st_mode)) {
      d.target = std::move(p);
      d.exists = true;
      d.st = st;
      return d;
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      d.kind = Destination::Kind::Stream;
      d.target = std::move(p);
      return d;
    }
    if (S_ISDIR(st.st_mode)) return sysError("cannot write", path, EISDIR);
    return makeError("cannot write '" + path + "': it is " + fileKindName(st.st_mode) +
                     " (only regular files, character devices and FIFOs can be written)");
  }
}

std::string temporaryName(const std::string& base) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device random;
  std::string name = "." + base + std::string(kTempMarker) + std::to_string(::getpid()) + "-";
  for (unsigned bits = random(), i = 0; i < 8; ++i, bits >>= 4) name += kHex[bits & 15];
  return name;
}

// Removes the temporaries of `base` in `folder` that no writer holds:
// leftovers of a run that was killed between creating and renaming one.
void removeStaleTemporaries(const std::string& folder, const std::string& base) {
  const std::string prefix = "." + base + std::string(kTempMarker);
  DIR* dir = ::opendir(folderToOpen(folder).c_str());
  if (!dir) return;  // creating the output will report the folder's problem
  const int dirFd = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    if (!std::string_view(entry->d_name).starts_with(prefix)) continue;
    int fd = ::openat(dirFd, entry->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) continue;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0)
      ::unlinkat(dirFd, entry->d_name, 0);
    ::close(fd);
  }
  ::closedir(dir);
}

}  // namespace

struct OutputFile::Impl {
  std::string path;     // what the user named; used in every message
  std::string target;   // the file commit() replaces; empty when writing through
  std::string tmpPath;  // the temporary's name, once it has one
  int fd = -1;
  bool ownsFd = false;  // false for stdout/stderr themselves
  bool committed = false;
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx;
  std::string zbuf;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (ownsFd && fd >= 0) ::close(fd);
    if (!committed && !tmpPath.empty()) ::unlink(tmpPath.c_str());
  }

  Error failure(std::string_view what, int err) const {
    if (path == "-") return makeError(std::string("error writing to standard output: ") + std::strerror(err));
    return sysError(what, path, err);
  }

  Status writeRaw(const char* p, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        // The kernel reports a lost page of a mapped input that is
        // written straight from the mapping as EFAULT, not SIGBUS.
        if (errno == EFAULT)
          if (Status inputs = checkMappedInputs(); !inputs) return inputs;
        return failure("cannot write", errno);
      }
      p += w;
      n -= static_cast<std::size_t>(w);
    }
    return Ok{};
  }

  // Feeds `bytes` through the compressor; `end` finishes the frame.
  Status compress(std::string_view bytes, ZSTD_EndDirective mode) {
    ZSTD_inBuffer input{bytes.data(), bytes.size(), 0};
    for (;;) {
      ZSTD_outBuffer output{zbuf.data(), zbuf.size(), 0};
      std::size_t left = ZSTD_compressStream2(cctx.get(), &output, &input, mode);
      if (ZSTD_isError(left)) {
        std::string msg = "cannot compress '";
        msg.append(path).append("': ").append(ZSTD_getErrorName(left));
        return makeError(std::move(msg));
      }
      if (output.pos > 0) {
        Status s = writeRaw(zbuf.data(), output.pos);
        if (!s) return s;
      }
      bool done = mode == ZSTD_e_end ? left == 0 : input.pos == input.size;
      if (done) return Ok{};
    }
  }

  // Writing through one of our descriptors: stdout and stderr themselves
  // (after what stdio holds for them), others duplicated.
  Status useDescriptor(int n) {
    int flags = ::fcntl(n, F_GETFL);
    if (flags < 0) return failure("cannot write", errno);
    if ((flags & O_ACCMODE) == O_RDONLY) {
      if (path == "-") return failure("cannot write", EBADF);
      return makeError("cannot write '" + path + "': descriptor " + std::to_string(n) + " is open for reading only");
    }
    if (n == STDOUT_FILENO || n == STDERR_FILENO) {
      std::fflush(n == STDOUT_FILENO ? stdout : stderr);
      fd = n;
      return Ok{};
    }
    fd = ::fcntl(n, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) return failure("cannot write", errno);
    ownsFd = true;
    return Ok{};
  }

  Status openStream(const std::string& name) {
    do {
      fd = ::open(name.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return failure("cannot open", errno);
    ownsFd = true;
    return Ok{};
  }

  // The file that will replace (or become) `dest.target`.
  Status openReplacement(const Destination& dest) {
    auto [folder, base] = splitFolder(dest.target);
    removeStaleTemporaries(folder, base);
    fd = ::open(folderToOpen(folder).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    // Older kernels and some file systems (NFS, FUSE) have no unnamed files.
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
      for (int attempt = 0; attempt < 100; ++attempt) {
        std::string name = folder + temporaryName(base);
        fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
          tmpPath = std::move(name);
          break;
        }
        if (errno != EEXIST) break;
      }
    }
    if (fd < 0) return failure("cannot create", errno);
    ownsFd = true;
    target = dest.target;
    // Nobody else knows the file yet, so this never waits. (A named
    // temporary is unlocked for an instant after its creation; a cleaner
    // removing it then makes this run's commit fail, not lose data.)
    ::flock(fd, LOCK_EX);
    mode_t mode = 0666 & ~processUmask();  // as any newly created file
    if (dest.exists) {
      // Replacing keeps what the file was: its owner when we may set it
      // (root editing a user's file), and its permission bits.
      if (dest.st.st_uid != ::geteuid() || dest.st.st_gid != ::getegid())
        (void)::fchown(fd, dest.st.st_uid, dest.st.st_gid);
      mode = dest.st.st_mode & 0777;
    }
    ::fchmod(fd, mode);
    return Ok{};
  }

  // Names the unnamed temporary beside the target.
  Status linkTemporary() {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    auto [folder, base] = splitFolder(target);
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string name = folder + temporaryName(base);
      int rc = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW);
      // Without /proc: the direct form, which needs CAP_DAC_READ_SEARCH.
      if (rc != 0 && errno == ENOENT && ::access("/proc/self/fd", F_OK) != 0)
        rc = ::linkat(fd, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH);
      if (rc == 0) {
        tmpPath = std::move(name);
        return Ok{};
      }
      if (errno != EEXIST) return failure("cannot write", errno);
    }
    return failure("cannot write", EEXIST);
  }

  Status replaceTarget() {
    if (tmpPath.empty()) {
      if (Status s = linkTemporary(); !s) return s;
    }
    // A duplicate keeps the lock (it belongs to the open file) until the
    // rename is done, while close() of the original reports deferred write
    // errors (NFS, quota) before the new file takes the name.
    const int lockFd = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ownsFd = false;
    int closed = ::close(std::exchange(fd, -1));
    int err = errno;
    if (closed == 0 && ::rename(tmpPath.c_str(), target.c_str()) != 0) {
      closed = -1;
      err = errno;
    }
    if (lockFd >= 0) ::close(lockFd);
    if (closed != 0) return failure("cannot write", err);
    return Ok{};
  }
};

OutputFile::OutputFile() : impl_(std::make_unique<Impl>()) {}
OutputFile::OutputFile(OutputFile&&) noexcept = default;
OutputFile& OutputFile::operator=(OutputFile&&) noexcept = default;
OutputFile::~OutputFile() = default;

Expected<OutputFile> OutputFile::create(const std::string& path) {
  OutputFile out;
  Impl& impl = *out.impl_;
  impl.path = path;
  Status opened = Ok{};
  if (path == "-") {
    opened = impl.useDescriptor(STDOUT_FILENO);
  } else {
    Expected<Destination> dest = resolveDestination(path);
    if (!dest) return std::move(dest).error();
    switch (dest->kind) {
      case Destination::Kind::Descriptor: opened = impl.useDescriptor(dest->descriptor); break;
      case Destination::Kind::Stream: opened = impl.openStream(dest->target); break;
      case Destination::Kind::Replace: opened = impl.openReplacement(*dest); break;
    }
  }
  if (!opened) return opened.error();

  if (hasZstdSuffix(path)) {
    impl.cctx.reset(ZSTD_createCCtx());
    if (!impl.cctx) return makeError("cannot compress '" + path + "': out of memory");
    ZSTD_CCtx_setParameter(impl.cctx.get(), ZSTD_c_compressionLevel, kZstdLevel);
    ZSTD_CCtx_setParameter(impl.cctx.get(), ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setParameter(impl.cctx.get(), ZSTD_c_nbWorkers, 0);
    impl.zbuf.resize(ZSTD_CStreamOutSize());
  }
  return out;
}

Status OutputFile::write(std::string_view bytes) {
  if (!impl_) return makeError("write to a moved-from output file");
  Impl& impl = *impl_;
  if (impl.committed) return makeError("cannot write '" + impl.path + "': already committed");
  // Bytes made from the zeros that replaced a truncated input's lost pages
  // must not reach any output; a stream cannot take them back. One atomic
  // load while all is well.
  if (anyMappedFileTruncated())
    if (Status inputs = checkMappedInputs(); !inputs) return inputs;
  if (impl.cctx) return impl.compress(bytes, ZSTD_e_continue);
  return impl.writeRaw(bytes.data(), bytes.size());
}

Status OutputFile::commit() {
  if (!impl_) return makeError("commit of a moved-from output file");
  Impl& impl = *impl_;
  if (impl.committed) return Ok{};
  // The last chance to refuse an output built from an input that changed
  // while it was read: a file output is then never renamed into place.
  if (Status inputs = checkMappedInputs(); !inputs) return inputs;
  if (impl.cctx) {
    Status s = impl.compress({}, ZSTD_e_end);
    if (!s) return s;
  }
  if (!impl.target.empty()) {
    if (Status s = impl.replaceTarget(); !s) return s;
  } else if (impl.ownsFd) {
    // close() can report a deferred write error; treat it as one.
    impl.ownsFd = false;
    if (::close(std::exchange(impl.fd, -1)) != 0) return impl.failure("cannot write", errno);
  }
  impl.committed = true;
  return Ok{};
}

const std::string& OutputFile::path() const noexcept {
  static const std::string kNone;
  return impl_ ? impl_->path : kNone;
}

bool writesThrough(const std::string& path) {
  if (path == "-") return true;
  Expected<Destination> dest = resolveDestination(path);
  return dest && dest->kind != Destination::Kind::Replace;
}

Status checkMappedInputs() { return checkMappedFiles(); }

bool sameFile(const std::string& a, const std::string& b) noexcept {
  if (a == "-" || b == "-") return false;
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace usdkit
