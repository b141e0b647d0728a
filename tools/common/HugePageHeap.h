// The tools' heap on transparent huge pages. Reading and writing large
// scenes allocates hundreds of megabytes in small pieces; with 4 KiB pages
// every first touch is a page fault, and on the virtual machines CI and
// pipelines run on those faults were a third of the wall time of a large
// conversion (200,000 prims usda -> usdc: 2.1 s, 0.55 s of it in the
// kernel; with huge pages 1.2 s). glibc's malloc backs its heap with huge
// pages when the tunable glibc.malloc.hugetlb=1 is set (glibc 2.35 and
// later, where the kernel's THP mode is "madvise" or "always"), but
// tunables are read only when a process starts. So a tool that may profit
// starts itself once more, through /proc/self/exe, with the tunable added
// to GLIBC_TUNABLES: same process id, arguments and descriptors.
//
// Not done when GLIBC_TUNABLES already names glibc.malloc.hugetlb (the
// user's choice, or the second start), when USDKIT_HUGE_PAGES=0, when the
// kernel has THP off, in sanitized builds (their allocator ignores it), or
// when the regular files the command line names (outputs left out) are
// too small for the extra start to pay off. Any failure leaves the process
// as it was.
#pragma once

#include <cstdint>

namespace usdkit::tool {

// Below this much input, a second start costs more than it saves.
inline constexpr std::uint64_t kHugePageHeapMinInput = std::uint64_t(4) << 20;

// Returns only when the tool goes on in this process.
void restartWithHugePageHeap(int argc, char** argv);

}  // namespace usdkit::tool
