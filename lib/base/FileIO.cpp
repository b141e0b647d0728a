#include "base/FileIO.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace usdkit {

namespace {

constexpr unsigned char kZstdMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};
constexpr int kZstdLevel = 3;

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
Expected<std::string> readAll(int fd, std::size_t sizeHint, const std::string& name) {
  std::string out;
  out.resize(sizeHint > 0 ? sizeHint + 1 : 64 * 1024);
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sysError("cannot read", name, errno);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
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

  std::string out;
  // The header's size is only a hint: a corrupt one must not make us try to
  // allocate terabytes, so cap the reservation at a generous ratio.
  unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  std::size_t initial = in.size() * 4 + 4096;
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
      declared < std::size_t(1) << 40 && declared / 64 <= in.size())
    initial = static_cast<std::size_t>(declared) + 1;
  out.resize(initial);

  ZSTD_inBuffer input{in.data(), in.size(), 0};
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
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
  void* map = nullptr;
  std::size_t mapSize = 0;
  std::string owned;
  std::string_view view;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (map) ::munmap(map, mapSize);
  }
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
  if (!impl_ || !impl_->map) return;
  std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t bytes = std::min(offset, impl_->mapSize) / page * page;
  if (bytes) ::madvise(impl_->map, bytes, MADV_DONTNEED);
}

InputBuffer InputBuffer::fromString(std::string bytes) {
  InputBuffer b;
  b.impl_ = std::make_unique<Impl>();
  b.impl_->own(std::move(bytes));
  return b;
}

Expected<InputBuffer> readInput(const std::string& path) {
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

  bool mapped = false;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    auto size = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.fd, 0);
    if (p != MAP_FAILED) {
      // Parsers walk the text front to back once.
      ::madvise(p, size, MADV_SEQUENTIAL);
      impl.map = p;
      impl.mapSize = size;
      impl.view = std::string_view(static_cast<const char*>(p), size);
      mapped = true;
    }
  }
  if (!mapped) {
    std::size_t hint = S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0;
    auto bytes = readAll(file.fd, hint, name);
    if (!bytes) return std::move(bytes).error();
    impl.own(std::move(*bytes));
  }

  if (hasZstdSuffix(path) || startsWithZstdMagic(impl.view)) {
    auto plain = decompress(impl.view, name);
    if (!plain) return std::move(plain).error();
    if (impl.map) {
      ::munmap(impl.map, impl.mapSize);
      impl.map = nullptr;
      impl.mapSize = 0;
    }
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

struct OutputFile::Impl {
  std::string path;     // what the user named; used in every message
  std::string tmpPath;  // empty for stdout
  int fd = -1;
  bool committed = false;
  std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx;
  std::string zbuf;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (!tmpPath.empty()) {
      if (fd >= 0) ::close(fd);
      if (!committed) ::unlink(tmpPath.c_str());
    }
  }

  Status writeRaw(const char* p, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return sysError("cannot write", path, errno);
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
};

OutputFile::OutputFile() : impl_(std::make_unique<Impl>()) {}
OutputFile::OutputFile(OutputFile&&) noexcept = default;
OutputFile& OutputFile::operator=(OutputFile&&) noexcept = default;
OutputFile::~OutputFile() = default;

Expected<OutputFile> OutputFile::create(const std::string& path) {
  OutputFile out;
  Impl& impl = *out.impl_;
  impl.path = path;
  if (path == "-") {
    // We write to the descriptor directly; text the program already put in
    // stdio's buffer must come out first.
    std::fflush(stdout);
    impl.fd = STDOUT_FILENO;
    return out;
  }

  // Fail early (before the caller spends time producing output) when the
  // destination can never be replaced by a file.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return sysError("cannot write", path, EISDIR);

  // The temporary must live in the destination's directory so that the
  // final rename stays on one file system and is atomic.
  std::string_view sv = path;
  std::size_t slash = sv.rfind('/');
  std::string dir = slash == std::string_view::npos ? std::string() : std::string(sv.substr(0, slash + 1));
  std::string base(slash == std::string_view::npos ? sv : sv.substr(slash + 1));
  if (base.empty()) return sysError("cannot write", path, EISDIR);
  std::string tmpl = dir + "." + base + ".tmpXXXXXX";

  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return sysError("cannot create", path, errno);
  impl.fd = fd;
  impl.tmpPath = std::move(tmpl);
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  // mkstemp makes the file private (0600); an output should get the
  // permissions any newly created file would.
  ::fchmod(fd, 0666 & ~processUmask());

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
  if (impl.cctx) return impl.compress(bytes, ZSTD_e_continue);
  return impl.writeRaw(bytes.data(), bytes.size());
}

Status OutputFile::commit() {
  if (!impl_) return makeError("commit of a moved-from output file");
  Impl& impl = *impl_;
  if (impl.committed) return Ok{};
  if (impl.cctx) {
    Status s = impl.compress({}, ZSTD_e_end);
    if (!s) return s;
  }
  if (impl.tmpPath.empty()) {  // stdout: nothing to rename
    impl.committed = true;
    return Ok{};
  }
  // close() can report a deferred write error (NFS, quota); treat it as one.
  int fd = std::exchange(impl.fd, -1);
  if (::close(fd) != 0) return sysError("cannot write", impl.path, errno);
  if (::rename(impl.tmpPath.c_str(), impl.path.c_str()) != 0)
    return sysError("cannot write", impl.path, errno);
  impl.committed = true;
  return Ok{};
}

const std::string& OutputFile::path() const noexcept {
  static const std::string kNone;
  return impl_ ? impl_->path : kNone;
}

bool sameFile(const std::string& a, const std::string& b) noexcept {
  if (a == "-" || b == "-") return false;
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace usdkit
