#!/usr/bin/env bash
# An input file truncated by another process while a tool reads it (a mapped
# file's lost pages used to kill the tool with SIGBUS). The truncation is
# made to happen mid-read without any timing guess: the tool writes its
# text into a pipe that is not read until the file has been cut, so it is
# held in its first write, having resolved only the values of its first
# chunk of text; every later value is read from the cut file.
#
#   tests/cli/test_truncated_input.sh USDCAT USDGEN
set -uo pipefail

usage="usage: test_truncated_input.sh USDCAT USDGEN"
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
usdcat=$(absolute "${1:?$usage}")
usdgen=$(absolute "${2:?$usage}")

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
. "$support"

# About 10 MB of crate holding big float arrays, which the crate reader
# leaves in the file until they are printed; its text is about 30 MB, far
# more than a pipe and the writer's 1 MiB chunks hold.
"$usdgen" --shape floats --size-mb 30 -o scene.usda || exit 1
"$usdcat" scene.usda -o pristine.usdc || exit 1
"$usdcat" pristine.usdc > expected.usda || exit 1
size=$(stat -c %s pristine.usdc)
half=$((size / 2))
changed="big.usdc: the file changed while being read (now shorter than the $size bytes mapped)"

# read_cut_drain FILE: reads the first 4 KiB of standard input into
# first.txt, cuts FILE to half its size, then copies the rest to rest.txt.
read_cut_drain() {
  head -c 4096 > first.txt
  truncate -s "$half" "$1"
  cat > rest.txt
}

# --- printing to standard output ----------------------------------------------------------
cp pristine.usdc big.usdc
"$usdcat" big.usdc 2>err.txt | read_cut_drain big.usdc
rc=${PIPESTATUS[0]}
check "usdcat of a file cut mid-read is not killed by a signal (exit $rc)" test "$rc" -lt 128
check "usdcat of a file cut mid-read exits 1 (exit $rc)" test "$rc" -eq 1
check "the error names the file and says it changed" contains err.txt "usdcat: error: $changed"
check "nothing but that error on stderr" test "$(wc -l < err.txt)" -eq 1
# What was printed is a prefix of the true text: nothing made of zeros.
cat first.txt rest.txt > got.usda
check "the text printed is a true prefix ($(stat -c %s got.usda) bytes)" \
  cmp -s got.usda <(head -c "$(stat -c %s got.usda)" expected.usda)
check "the text printed stops before the end" test "$(stat -c %s got.usda)" -lt "$(stat -c %s expected.usda)"

# --- the same file, whole: unchanged behaviour ------------------------------------------------
cp pristine.usdc big.usdc
expect_rc 0 "usdcat of the whole file" "$usdcat" big.usdc
check "prints the whole text" cmp -s out.txt expected.usda
check "says nothing" test ! -s err.txt

# --- cut before the tool starts: a damaged file, nothing lost from a mapping ----------------
cp pristine.usdc big.usdc
truncate -s "$half" big.usdc
expect_rc 1 "usdcat of a file cut before it is opened" "$usdcat" big.usdc
check "names the file" contains err.txt "big.usdc"

# --- writing a crate file: the output never appears ------------------------------------------
# usdcat -o x.usdc builds all bytes before creating the file, so there is
# no pipe to hold it; the output pipe of a text copy serves instead: the
# text goes to a FIFO named *.usda, which is written directly.
cp pristine.usdc big.usdc
mkfifo out.usda
"$usdcat" big.usdc -o out.usda 2>err.txt &
pid=$!
read_cut_drain big.usdc < out.usda
wait "$pid"
rc=$?
check "usdcat -o FIFO of a file cut mid-read exits 1 (exit $rc)" test "$rc" -eq 1
check "the error names the file and says it changed" contains err.txt "$changed"
cat first.txt rest.txt > got.usda
check "the text written is a true prefix" cmp -s got.usda <(head -c "$(stat -c %s got.usda)" expected.usda)

finish
