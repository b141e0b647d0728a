// See HugePageHeap.h.
#include "common/HugePageHeap.h"

#include <gnu/libc-version.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

namespace usdkit::tool {

namespace {

constexpr std::string_view kTunable = "glibc.malloc.hugetlb";

bool sanitized() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

// glibc 2.35 introduced the tunable; older ones ignore it.
bool glibcHasTunable() {
  unsigned major = 0, minor = 0;
  if (std::sscanf(gnu_get_libc_version(), "%u.%u", &major, &minor) != 2) return false;
  return major > 2 || (major == 2 && minor >= 35);
}

// THP mode "always" or "madvise" ("[madvise]" marks the current one).
bool kernelOffersHugePages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  if (!std::getline(in, modes)) return false;
  return modes.find("[always]") != std::string::npos || modes.find("[madvise]") != std::string::npos;
}

// The sizes of the regular files the arguments name, the output's (after
// -o or --out, which may be an old file about to be replaced) left out.
// Option values that name no file count nothing.
std::uint64_t argumentFileBytes(int argc, char** argv) {
  std::uint64_t total = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-o" || arg == "--out") {
      ++i;
      continue;
    }
    struct stat st {};
    if (!arg.starts_with('-') && ::stat(argv[i], &st) == 0 && S_ISREG(st.st_mode))
      total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

}  // namespace

void restartWithHugePageHeap(int argc, char** argv) {
  if (sanitized() || argc < 1) return;
  const char* choice = std::getenv("USDKIT_HUGE_PAGES");
  if (choice && std::string_view(choice) == "0") return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables && std::string_view(tunables).find(kTunable) != std::string_view::npos) return;
  if (argumentFileBytes(argc, argv) < kHugePageHeapMinInput) return;
  if (!glibcHasTunable() || !kernelOffersHugePages()) return;
  std::string value = tunables && *tunables ? std::string(tunables) + ":" : std::string();
  value += std::string(kTunable) + "=1";
  if (::setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  std::fflush(nullptr);
  ::execv("/proc/self/exe", argv);
  // Still here: the restart failed; go on as before.
  if (tunables) ::setenv("GLIBC_TUNABLES", tunables, 1);
  else ::unsetenv("GLIBC_TUNABLES");
}

}  // namespace usdkit::tool
