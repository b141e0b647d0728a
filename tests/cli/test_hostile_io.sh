#!/usr/bin/env bash
# What the tools do with outputs and inputs that are not plain files (issue
# 12): devices, FIFOs, /dev/stdout and friends, symbolic links, a full
# standard output, looping links in folders, runs killed while writing,
# unreadable and vanishing inputs.
#
#   tests/cli/test_hostile_io.sh USDCAT USDFLATTEN USDTREE USDDIFF USDCHECKER SOURCE_ROOT
set -uo pipefail

usage="usage: test_hostile_io.sh USDCAT USDFLATTEN USDTREE USDDIFF USDCHECKER SOURCE_ROOT"
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
usdcat=$(absolute "${1:?$usage}")
usdflatten=$(absolute "${2:?$usage}")
usdtree=$(absolute "${3:?$usage}")
usddiff=$(absolute "${4:?$usage}")
usdchecker=$(absolute "${5:?$usage}")
root=$(cd "${6:?$usage}" && pwd)

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset USD_DIFF DIFF NO_COLOR

. "$support"

cp "$root/testdata/hello.usda" hello.usda
# Files in a folder other than the output itself (temporaries, stale or not).
others_in() { find "$1" -mindepth 1 -maxdepth 1 ! -name "$2" -print; }

# --- outputs that are not regular files --------------------------------------------------
# Each kind is tried first on a stand-in in the scratch folder (a link like
# /dev/stdout, a device node like /dev/null): a tool that replaced what it
# writes to would otherwise destroy the machine's own /dev entries.
ln -s /proc/self/fd/1 stdout-link
ln -s /proc/self/fd/2 stderr-link
expect_rc 0 "-o a link to /proc/self/fd/1 (stdout a file)" "$usdcat" hello.usda -o stdout-link
check "-o stdout-link writes the layer to stdout" cmp -s out.txt hello.usda
check "stdout-link is still a link" test -L stdout-link
expect_rc 0 "-o a link to /proc/self/fd/2" "$usdcat" hello.usda -o stderr-link
check "-o stderr-link writes stderr" cmp -s err.txt hello.usda
check "stdout stays empty with -o stderr-link" test ! -s out.txt
check "stderr-link is still a link" test -L stderr-link
expect_rc 0 "-o /proc/self/fd/1" "$usdcat" hello.usda -o /proc/self/fd/1
check "-o /proc/self/fd/1 writes stdout" cmp -s out.txt hello.usda
expect_rc 0 "usdchecker -o stdout-link" "$usdchecker" hello.usda -o stdout-link
check "usdchecker's verdict follows on the same stdout" contains out.txt "Success"
check "usdchecker leaves stdout-link a link" test -L stdout-link
if [ -L stdout-link ] && [ -L stderr-link ]; then
  expect_rc 0 "-o /dev/stdout (stdout a file)" "$usdcat" hello.usda -o /dev/stdout
  check "-o /dev/stdout writes the layer to stdout" cmp -s out.txt hello.usda
  expect_rc 0 "-o /dev/stdout (stdout a pipe)" sh -c '"$1" hello.usda -o /dev/stdout | cat' sh "$usdcat"
  check "-o /dev/stdout into a pipe" cmp -s out.txt hello.usda
  expect_rc 0 "-o /dev/stderr" "$usdcat" hello.usda -o /dev/stderr
  check "-o /dev/stderr writes stderr" cmp -s err.txt hello.usda
  expect_rc 0 "usdflatten -o /dev/stdout" "$usdflatten" hello.usda -o /dev/stdout
  check "usdflatten -o /dev/stdout writes the layer" contains out.txt 'def Xform "World"'
  check "/dev/stdout is still a link" test -L /dev/stdout
else
  fail "/dev/stdout and /dev/stderr not tried: the stand-in links were replaced"
fi

if mknod null-node c 1 3 2>/dev/null && mknod full-node c 1 7 2>/dev/null; then
  expect_rc 0 "-o a null device node" "$usdcat" hello.usda -o null-node
  check "the device node is still a device" test -c null-node
  expect_rc 1 "-o a full device node" "$usdcat" hello.usda -o full-node
  check "-o a full device names it" contains err.txt "full-node"
  check "-o a full device says why" contains err.txt "No space left on device"
  check "the full device node is still a device" test -c full-node
  nodes_ok=$([ -c null-node ] && [ -c full-node ] && echo yes)
else
  echo "skipped: cannot make device nodes here; /dev/null and /dev/full tried directly"
  nodes_ok=yes
fi
if [ "$nodes_ok" = yes ]; then
  expect_rc 0 "-o /dev/null" "$usdcat" hello.usda -o /dev/null
  check "/dev/null is still a character device" test -c /dev/null
  expect_rc 1 "-o /dev/full" "$usdcat" hello.usda -o /dev/full
  check "-o /dev/full names the device" contains err.txt "/dev/full"
  check "-o /dev/full says why" contains err.txt "No space left on device"
  check "/dev/full is still a character device" test -c /dev/full
else
  fail "/dev/null and /dev/full not tried: the stand-in device nodes were replaced"
fi

mkfifo pipe.usda
cat pipe.usda >from-fifo.txt &
reader=$!
expect_rc 0 "-o FIFO" "$usdcat" hello.usda -o pipe.usda
[ -p pipe.usda ] || kill "$reader"  # replaced by a file: the reader would wait forever
wait "$reader"
check "the FIFO's reader gets the layer" cmp -s from-fifo.txt hello.usda
check "the FIFO is still a FIFO" test -p pipe.usda

mkdir -p real
ln -s real/target.usda link.usda
echo "old" >real/target.usda
expect_rc 0 "-o through a symlink" "$usdcat" hello.usda -o link.usda
check "the symlink stays a symlink" test -L link.usda
check "the link's target gets the layer" cmp -s real/target.usda hello.usda
check "no temporaries beside the target" test -z "$(others_in real target.usda)"
ln -s real/target.usdz link.usdz
expect_rc 0 "usdz -o through a symlink" "$usdcat" hello.usda -o link.usdz
check "the .usdz symlink stays a symlink" test -L link.usdz
check "the .usdz target is written" test -s real/target.usdz

echo "old" >perm.usda
chmod 640 perm.usda
expect_rc 0 "-o over a 0640 file" "$usdcat" hello.usda -o perm.usda
check "the replaced file keeps mode 640" test "$(stat -c %a perm.usda)" = 640
rm -f new.usda
expect_rc 0 "-o a new file" sh -c 'umask 027 && "$1" hello.usda -o new.usda' sh "$usdcat"
check "a new file gets 0666 & ~umask" test "$(stat -c %a new.usda)" = 640

mkdir -p outdir outdir.usda
expect_rc 1 "-o a directory" "$usdcat" hello.usda -o outdir.usda
check "the directory error names it" contains err.txt "outdir.usda"
check "the directory error says why" contains err.txt "Is a directory"

# --- a run killed while writing leaves nothing the next run keeps -------------------------------
# A layer big enough that writing its text takes a while.
awk 'BEGIN { printf "#usda 1.0\n\ndef \"Big\"\n{\n    float[] values = ["
             for (i = 0; i < 3000000; i++) printf "%s%d.25", (i ? ", " : ""), i
             printf "]\n}\n" }' >big.usda
mkdir -p killed
"$usdcat" big.usda -o killed/big.usda 2>/dev/null &
writer=$!
# Kill it once it has its output open (named or not: the link in /proc
# points into the folder either way).
for _ in $(seq 2000); do
  if ls -l "/proc/$writer/fd" 2>/dev/null | grep -q "$work/killed/"; then break; fi
  sleep 0.005
done
kill -9 "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
check "the killed run wrote no output" test ! -e killed/big.usda
# What a run killed between naming its temporary and renaming it leaves.
echo partial >killed/.big.usda.usdkit-tmp-99999999-0badf00d
expect_rc 0 "the next run writing the same output" "$usdcat" hello.usda -o killed/big.usda
check "the next run's output is complete" cmp -s killed/big.usda hello.usda
check "no stale temporaries remain after the next run" test -z "$(others_in killed big.usda)"

# --- a full standard output is an error that says so ----------------------------------------------
printf '#usda 1.0\n\ndef "A"\n{\n    double x = 1\n}\n' >a.usda
printf '#usda 1.0\n\ndef "A"\n{\n    double x = 2\n}\n' >b.usda
full_stdout() {  # NAME WANT_RC CMD...
  local name=$1 want=$2; shift 2
  "$@" >/dev/full 2>err.txt
  local rc=$?
  if [ "$rc" -eq "$want" ]; then pass; else fail "$name > /dev/full: exit $rc, expected $want"; fi
  check "$name > /dev/full is reported" contains err.txt "error writing to standard output: No space left on device"
}
full_stdout "usdcat" 1 "$usdcat" hello.usda
full_stdout "usdcat --loadOnly" 1 "$usdcat" --loadOnly hello.usda
full_stdout "usdcat -o -" 1 "$usdcat" hello.usda -o -
full_stdout "usdflatten" 1 "$usdflatten" hello.usda
full_stdout "usdtree" 1 "$usdtree" hello.usda
full_stdout "usdchecker" 1 "$usdchecker" hello.usda
full_stdout "usddiff" 2 "$usddiff" a.usda b.usda
full_stdout "usddiff --brief" 2 "$usddiff" --brief a.usda b.usda
full_stdout "usdcat --help" 1 "$usdcat" --help
full_stdout "usddiff --version" 2 "$usddiff" --version
full_stdout "usdtree --help" 1 "$usdtree" --help

# A closed stdout is an error too, and its descriptor is not reused for a file.
"$usdcat" hello.usda >&- 2>err.txt
check "usdcat >&- fails" test $? -eq 1
check "usdcat >&- is reported" contains err.txt "error writing to standard output: Bad file descriptor"
"$usdcat" hello.usda -o closed.usda >&- 2>err.txt
check "usdcat -o FILE >&- succeeds" test $? -eq 0
check "usdcat -o FILE >&- writes the file whole" cmp -s closed.usda hello.usda

# --- looping links in folders -------------------------------------------------------------------
mkdir -p left right
cp a.usda left/a.usda
cp b.usda right/a.usda
cp a.usda left/z.usda
cp b.usda right/z.usda
ln -s loop.usda left/loop.usda
ln -s loop.usda right/loop.usda
expect_rc 2 "usddiff DIR DIR with a looping link" "$usddiff" --brief left right
check "the looping link is reported by name" contains err.txt "left/loop.usda"
check "the looping link's cause is given" contains err.txt "Too many levels of symbolic links"
check "the pair before the loop is compared" contains out.txt "left/a.usda"
check "the pair after the loop is compared" contains out.txt "left/z.usda"

mkdir -p assets
cp hello.usda assets/good.usda
ln -s loop.usda assets/loop.usda
expect_rc 1 "usdchecker on a folder with a looping link" "$usdchecker" assets
check "usdchecker names the looping link" grep -q "assets/loop.usda" out.txt err.txt
check "usdchecker says why" grep -q "Too many levels of symbolic links" out.txt err.txt
check "usdchecker still checks the good file" grep -q "2 files checked" out.txt err.txt

# --- usddiff writes an external program's edits back through a link ------------------------------
cat >edit.sh <<'SH'
#!/bin/sh
printf 'def "Added"\n{\n}\n' >>"$2"
SH
chmod +x edit.sh
cp a.usda edited-real.usda
ln -s edited-real.usda edited.usda
expect_rc 0 "usddiff with an editing external program" env USD_DIFF="$work/edit.sh" "$usddiff" a.usda edited.usda
check "the edited input is still a symlink" test -L edited.usda
check "the edit reached the link's target" contains edited-real.usda 'def "Added"'

# --- inputs that are not regular files -------------------------------------------------------------
mkfifo in.usda
cat hello.usda >in.usda &
expect_rc 0 "a FIFO as input" "$usdcat" in.usda
wait
check "a FIFO input reads whole" cmp -s out.txt hello.usda
expect_rc 0 "/dev/stdin from a file" sh -c '"$1" /dev/stdin <hello.usda' sh "$usdcat"
check "/dev/stdin from a file reads whole" cmp -s out.txt hello.usda
expect_rc 0 "/dev/stdin from a pipe" sh -c 'cat hello.usda | "$1" /dev/stdin' sh "$usdcat"
check "/dev/stdin from a pipe reads whole" cmp -s out.txt hello.usda
for tool in usdcat usdtree usdflatten; do
  expect_rc 1 "$tool: a directory as input" "${!tool}" outdir
  check "$tool: the directory error names it" contains err.txt "outdir"
  check "$tool: the directory error says why" contains err.txt "Is a directory"
done

# Endless streams that cannot be a layer end at once: without a look at
# their first bytes, /dev/zero was read until memory ran out.
expect_rc 1 "usdcat /dev/zero" timeout 20 "$usdcat" /dev/zero
check "/dev/zero is named and why" contains err.txt "/dev/zero: not a USD layer: it starts with bytes 00 00"
expect_rc 1 "usdcat - from an endless stream of NUL bytes" sh -c 'timeout 20 "$1" - < /dev/zero' sh "$usdcat"
check "stdin is named" contains err.txt "<stdin>: not a USD layer"
expect_rc 1 "usdtree /dev/zero" timeout 20 "$usdtree" /dev/zero
expect_rc 1 "usdcat --loadOnly /dev/urandom" timeout 20 "$usdcat" --loadOnly /dev/urandom
check "--loadOnly says ERR for /dev/urandom" contains out.txt "ERR"
# Streams that are layers still read: text, crate and zstd through a pipe.
expect_rc 0 "usda through a pipe" sh -c 'cat hello.usda | "$1" -' sh "$usdcat"
check "usda through a pipe reads" cmp -s out.txt hello.usda
expect_rc 0 "usdc written for the pipe" "$usdcat" hello.usda -o hello.usdc
expect_rc 0 "crate through a pipe" sh -c 'cat hello.usdc | "$1" -' sh "$usdcat"
check "crate through a pipe reads" contains out.txt 'def Xform "World"'
if command -v zstd >/dev/null; then
  expect_rc 0 "zstd-compressed usda through a pipe" sh -c 'zstd -q -c hello.usda | "$1" -' sh "$usdcat"
  check "zstd through a pipe reads" cmp -s out.txt hello.usda
fi

# Permissions do not stop root: the check runs as nobody when we are root.
printf '#usda 1.0\n' >secret.usda
chmod 000 secret.usda
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  chmod 755 "$work"
  if ! command -v setpriv >/dev/null || ! "${as_user[@]}" test -x "$usdcat"; then as_user=(); fi
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  expect_rc 1 "an unreadable input" "${as_user[@]}" "$usdcat" secret.usda
  check "the unreadable input is named" contains err.txt "secret.usda"
  check "the unreadable input's cause is given" contains err.txt "Permission denied"
else
  echo "skipped: unreadable input (running as root without setpriv to drop privileges)"
fi

finish
