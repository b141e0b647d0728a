#!/usr/bin/env bash
# The tools start themselves once more with glibc's malloc on transparent
# huge pages (tools/common/HugePageHeap.h) when their input files are large:
# the output must not change, the user's own GLIBC_TUNABLES choice and
# USDKIT_HUGE_PAGES=0 must be respected, and small inputs must not restart.
# What the restarted process runs with is read from /proc/PID/environ while
# it waits to open its output (a FIFO).
#
#   tests/cli/test_huge_pages.sh SANITIZE USDCAT USDGEN
set -uo pipefail

usage="usage: test_huge_pages.sh SANITIZE USDCAT USDGEN"
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
sanitize=${1:?$usage}
usdcat=$(absolute "${2:?$usage}")
usdgen=$(absolute "${3:?$usage}")

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
. "$support"
unset GLIBC_TUNABLES USDKIT_HUGE_PAGES

"$usdgen" --shape floats --size-mb 6 -o big.usda 2>/dev/null || { echo "usdgen failed"; exit 1; }
printf '#usda 1.0\ndef "A" {\n}\n' > tiny.usda

# The bytes are the same either way.
expect_rc 0 "usda -> usdc (default)" "$usdcat" big.usda -o default.usdc
expect_rc 0 "usda -> usdc (USDKIT_HUGE_PAGES=0)" env USDKIT_HUGE_PAGES=0 "$usdcat" big.usda -o plain.usdc
check "usda -> usdc: the same bytes with and without huge pages" cmp -s default.usdc plain.usdc
expect_rc 0 "usdc -> usda (default)" "$usdcat" default.usdc -o default.usda
expect_rc 0 "usdc -> usda (USDKIT_HUGE_PAGES=0)" env USDKIT_HUGE_PAGES=0 "$usdcat" default.usdc -o plain.usda
check "usdc -> usda: the same bytes with and without huge pages" cmp -s default.usda plain.usda

# environ_of NAME INPUT [ENV...]: runs usdcat INPUT -o a FIFO with ENV and
# prints the GLIBC_TUNABLES entry of the process's environment ("none"
# when it has none) while it waits for a reader.
environ_of() {
  local input=$1; shift
  rm -f fifo.usda && mkfifo fifo.usda
  env "$@" "$usdcat" "$input" -o fifo.usda &
  local pid=$! entry=none i
  for i in $(seq 1 200); do
    # The FIFO's open blocks until a reader comes: the process is then past
    # any restart, converting done.
    case "$(cat /proc/$pid/wchan 2>/dev/null)" in wait_for_partner | fifo_open) break ;; esac
    sleep 0.05
  done
  entry=$(tr '\0' '\n' < /proc/$pid/environ 2>/dev/null | grep '^GLIBC_TUNABLES=' || echo none)
  cat fifo.usda > /dev/null
  wait "$pid"
  echo "$entry"
}

modes=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ print $2 }')
glibc_ok=$(awk -v v="${glibc:-0}" 'BEGIN { split(v, p, "."); print (p[1] > 2 || (p[1] == 2 && p[2] >= 35)) ? 1 : 0 }')
if [ "$sanitize" != none ]; then
  echo "SKIP: restart checks (sanitized build: its allocator ignores glibc's tunables, so tools never restart)"
elif [[ "$modes" != *"[always]"* && "$modes" != *"[madvise]"* ]] || [ "$glibc_ok" != 1 ]; then
  echo "SKIP: restart checks (kernel THP mode '$modes', glibc ${glibc:-unknown}: the tools never restart here)"
else
  check "a large input restarts with the tunable" test "$(environ_of big.usda)" = "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
  # (Other tunables the user sets are kept too, hugetlb=1 appended; glibc
  # rewrites such a list at start, so environ cannot show it.)
  check "the user's own hugetlb choice is kept" \
    test "$(environ_of big.usda GLIBC_TUNABLES=glibc.malloc.hugetlb=0)" = "GLIBC_TUNABLES=glibc.malloc.hugetlb=0"
  check "USDKIT_HUGE_PAGES=0: no restart" test "$(environ_of big.usda USDKIT_HUGE_PAGES=0)" = none
  check "a small input: no restart" test "$(environ_of tiny.usda)" = none
fi
finish
