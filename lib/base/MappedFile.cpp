#include "base/MappedFile.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <utility>

namespace usdkit {

namespace {

// The watch table: the one exception, besides the token table, to the rule
// of no global mutable state. A signal handler receives only the faulting
// address; it cannot be handed the InputBuffer (or anything else) that owns
// the mapping, so the mappings it may repair must be findable from a
// global. It holds what the handler needs and no more: address ranges and
// flags in a fixed array of lock-free atomics, because the handler may not
// lock or allocate. Registering and unregistering (normal code) take a
// mutex; the handler never does, and never waits for anyone.
//
// A full table is not an error: map() fails and the caller reads the file
// into memory instead.
constexpr std::size_t kSlots = 4096;

static_assert(std::atomic<std::uintptr_t>::is_always_lock_free && std::atomic<bool>::is_always_lock_free &&
                  std::atomic<std::size_t>::is_always_lock_free && std::atomic<unsigned>::is_always_lock_free,
              "the SIGBUS handler may only use lock-free atomics");

// The message of a mapping found truncated or shortened; "%s" is the file's
// name, "%zu" the bytes mapped.
constexpr const char* kChangedFormat = "%s: the file changed while being read (now shorter than the %zu bytes mapped)";

struct Slot {
  // [begin, end) of a live mapping; begin 0 when the slot is free. Written
  // by normal code (end first, then begin), read by the handler.
  std::atomic<std::uintptr_t> begin{0};
  std::atomic<std::uintptr_t> end{0};
  // Set by the handler when it zero-filled a lost page of this mapping.
  std::atomic<bool> truncated{false};
};

struct WatchTable {
  std::array<Slot, kSlots> slots{};
  std::atomic<std::size_t> used{0};          // slots ever claimed: the handler scans no further
  std::atomic<unsigned> truncations{0};      // lost pages replaced, ever (never reset)
  std::atomic<std::uintptr_t> pageMask{0};   // set before the handler is installed
  struct sigaction previous {};              // the handler we chain to for faults not ours

  // Normal code only, under `mutex`.
  std::mutex mutex;
  std::array<const MappedFile*, kSlots> owners{};
  // The message of the first truncated mapping that was already unmapped,
  // so a check made after its InputBuffer is gone still refuses output.
  // A fixed buffer: it is filled by a destructor, which must not throw.
  std::array<char, 1024> retiredError{};
};

constinit WatchTable table;

// Puts zero pages over the rest of the watched mapping that holds `address`
// and marks it truncated; false when `address` is in none. Runs in the
// signal handler: atomics and system calls only (mmap is a plain system
// call on Linux, though POSIX does not list it as async-signal-safe).
bool zeroFillLostPages(std::uintptr_t address) noexcept {
  const std::size_t used = table.used.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < used; ++i) {
    Slot& slot = table.slots[i];
    const std::uintptr_t begin = slot.begin.load(std::memory_order_acquire);
    if (begin == 0 || address < begin) continue;
    const std::uintptr_t end = slot.end.load(std::memory_order_acquire);
    if (address >= end) continue;
    // Marked before the zeros appear, so that no thread can read them
    // while the mapping still looks whole.
    slot.truncated.store(true, std::memory_order_release);
    table.truncations.fetch_add(1, std::memory_order_acq_rel);
    // Everything from the faulting page to the end: a reader walking
    // forward through the lost part then faults once, not once a page.
    // Pages before it that were lost too fault (and are replaced) in turn.
    const std::uintptr_t page = address & table.pageMask.load(std::memory_order_relaxed);
    void* zeros = ::mmap(reinterpret_cast<void*>(page), end - page, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    return zeros != MAP_FAILED;
  }
  return false;
}

// A SIGBUS that is not ours goes where it would have gone without us.
void passOn(int sig, siginfo_t* info, void* context) noexcept {
  const struct sigaction& previous = table.previous;
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != nullptr) {
    previous.sa_sigaction(sig, info, context);
    return;
  }
  if ((previous.sa_flags & SA_SIGINFO) == 0 && previous.sa_handler != SIG_DFL) {
    if (previous.sa_handler != SIG_IGN) previous.sa_handler(sig);
    // An ignored SIGBUS that was sent is dropped, as it would have been. An
    // ignored one from a fault cannot be: the kernel kills the process when
    // the access repeats, as it would have without us.
    if (previous.sa_handler != SIG_IGN || info == nullptr || info->si_code <= 0) return;
  }
  // The default action: restore it, and let the signal happen again under
  // it. A fault repeats by itself when the handler returns; a signal that
  // was sent is raised again (it is delivered once the handler returns).
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  ::sigaction(sig, &fallback, nullptr);
  if (info == nullptr || info->si_code <= 0) ::raise(sig);
}

void onSigbus(int sig, siginfo_t* info, void* context) {
  const int savedErrno = errno;
  // BUS_ADRERR is an access past the end of the mapped file; other codes
  // (hardware memory errors, alignment) are not ours to repair.
  const bool repaired = info != nullptr && info->si_code == BUS_ADRERR &&
                        zeroFillLostPages(reinterpret_cast<std::uintptr_t>(info->si_addr));
  if (!repaired) passOn(sig, info, context);
  errno = savedErrno;
}

bool installHandler() {
  table.pageMask.store(~(static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE)) - 1), std::memory_order_relaxed);
  struct sigaction action {};
  action.sa_sigaction = onSigbus;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (::sigaction(SIGBUS, &action, &table.previous) != 0) return false;
  // A sanitizer that keeps SIGBUS to itself (AddressSanitizer with
  // allow_user_segv_handler=0 or handle_sigbus=2) ignores the call yet
  // reports success: only asking again tells. Then nothing is mapped.
  struct sigaction now {};
  return ::sigaction(SIGBUS, nullptr, &now) == 0 && (now.sa_flags & SA_SIGINFO) != 0 && now.sa_sigaction == onSigbus;
}

// The index of a free slot now watching [begin, end), or -1 when none is free.
int claimSlot(const MappedFile* owner, std::uintptr_t begin, std::uintptr_t end) {
  std::lock_guard lock(table.mutex);
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (table.owners[i] != nullptr) continue;
    table.owners[i] = owner;
    Slot& slot = table.slots[i];
    slot.truncated.store(false, std::memory_order_relaxed);
    slot.end.store(end, std::memory_order_release);
    slot.begin.store(begin, std::memory_order_release);
    if (i >= table.used.load(std::memory_order_relaxed)) table.used.store(i + 1, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::unique_ptr<MappedFile> MappedFile::map(int fd, const struct stat& st, std::string path, std::string name) {
  // Once per process, before the first mapping exists. Without the handler
  // nothing is mapped.
  static const bool watching = installHandler();
  if (!watching || st.st_size <= 0) return nullptr;
  const auto size = static_cast<std::size_t>(st.st_size);
  void* base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED) return nullptr;
  auto mapped = std::make_unique<MappedFile>(Key{}, base, size, st, std::move(path), std::move(name));
  const auto begin = reinterpret_cast<std::uintptr_t>(base);
  mapped->slot_ = claimSlot(mapped.get(), begin, begin + size);
  if (mapped->slot_ < 0) return nullptr;  // unmapped by the destructor
  // Parsers walk the text front to back once.
  ::madvise(base, size, MADV_SEQUENTIAL);
  return mapped;
}

MappedFile::MappedFile(Key, void* base, std::size_t size, const struct stat& st, std::string path, std::string name)
    : base_(base), size_(size), device_(st.st_dev), inode_(st.st_ino), path_(std::move(path)), name_(std::move(name)) {}

MappedFile::~MappedFile() {
  if (slot_ >= 0) {
    std::lock_guard lock(table.mutex);
    Slot& slot = table.slots[static_cast<std::size_t>(slot_)];
    slot.begin.store(0, std::memory_order_release);
    if (slot.truncated.load(std::memory_order_acquire) && table.retiredError[0] == '\0')
      std::snprintf(table.retiredError.data(), table.retiredError.size(), kChangedFormat, name_.c_str(), size_);
    table.owners[static_cast<std::size_t>(slot_)] = nullptr;
  }
  ::munmap(base_, size_);
}

bool MappedFile::truncated() const noexcept {
  return slot_ >= 0 && table.slots[static_cast<std::size_t>(slot_)].truncated.load(std::memory_order_acquire);
}

Status MappedFile::intact() const {
  if (!truncated()) {
    // Replaced by a rename, or removed: the file we mapped is no longer
    // under this name, and a faulting read is all that can tell.
    struct stat now {};
    if (path_.empty() || ::stat(path_.c_str(), &now) != 0 || now.st_dev != device_ || now.st_ino != inode_ ||
        static_cast<std::size_t>(now.st_size) >= size_)
      return Ok{};
  }
  std::string message(static_cast<std::size_t>(std::snprintf(nullptr, 0, kChangedFormat, name_.c_str(), size_)), '\0');
  std::snprintf(message.data(), message.size() + 1, kChangedFormat, name_.c_str(), size_);
  return makeError(std::move(message));
}

void MappedFile::releaseBefore(std::size_t offset) const noexcept {
  static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t bytes = std::min(offset, size_) / page * page;
  if (bytes) ::madvise(base_, bytes, MADV_DONTNEED);
}

Status checkMappedFiles() {
  std::lock_guard lock(table.mutex);
  if (table.retiredError[0] != '\0') return makeError(std::string(table.retiredError.data()));
  const std::size_t used = table.used.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < used; ++i)
    if (const MappedFile* mapped = table.owners[i])
      if (Status s = mapped->intact(); !s) return s;
  return Ok{};
}

bool anyMappedFileTruncated() noexcept { return table.truncations.load(std::memory_order_acquire) != 0; }

}  // namespace usdkit
