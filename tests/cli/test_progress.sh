#!/usr/bin/env bash
# The progress line (tools/common/ProgressLine.h): drawn on stderr when it
# is a terminal (a pseudo-terminal here, run_in_pty.py), erased before the
# tool exits, cut to the terminal's width; absent in a pipe, with
# --no-progress and with --quiet; forced by --progress; never changes what
# the tools write. USDKIT_PROGRESS_DELAY_MS=0 draws it at once instead of
# after a second, so that runs of a fraction of a second show it.
#
#   test_progress.sh USDCAT USDFLATTEN USDCHECKER USDDIFF USDGEN
set -uo pipefail

usage="usage: test_progress.sh USDCAT USDFLATTEN USDCHECKER USDDIFF USDGEN"
[ $# -eq 5 ] || { echo "$usage" >&2; exit 2; }
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
usdcat=$(abs "$1") usdflatten=$(abs "$2") usdchecker=$(abs "$3") usddiff=$(abs "$4") usdgen=$(abs "$5")
pty="python3 $(abs "$(dirname "$0")/run_in_pty.py")"

. "$(dirname "$0")/cli_support.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset USDKIT_PROGRESS_DELAY_MS

erase=$'\r\e[K'

# in_pty WANT NAME CMD...: runs CMD on a terminal, everything it shows in
# tty.txt; checks the exit status.
in_pty() {
  local want=$1 name=$2; shift 2
  $pty tty.txt "$@"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then pass; else fail "$name: exit $rc, expected $want"; head -c 400 tty.txt; echo; fi
}
# The line ends erased: nothing but the erase follows the last carriage return.
ends_erased() {
  local text
  text=$(cat "$1"; echo x)
  text=${text%x}
  [ "${text##*$'\r'}" = $'\e[K' ]
}
# Every line drawn fits 99 columns (the terminal's 100 less one).
fits_width() {
  python3 - "$1" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read().replace(b"\x1b[K", b"")
sys.exit(0 if all(len(part.decode("utf-8", "replace")) <= 99 for part in data.split(b"\r")) else 1)
EOF
}
# Each occurrence of TEXT starts a line: it follows an erase, a newline or
# nothing (the progress line never runs into other messages).
starts_lines() {
  python3 - "$1" "$2" <<'EOF'
import sys
data, text = open(sys.argv[1], "rb").read(), sys.argv[2].encode()
at, found = data.find(text), False
while at >= 0:
    found = True
    if not (at == 0 or data[:at].endswith(b"\x1b[K") or data[:at].endswith(b"\n")):
        sys.exit(1)
    at = data.find(text, at + 1)
sys.exit(0 if found else 1)
EOF
}

# Inputs: a layer of some megabytes under a long path (the line has to
# shorten it), a shot with references, a folder of layers.
long_dir="$work/a-folder-with-a-long-name-for-the-progress-line/and-another-long-folder-name-below-it"
mkdir -p "$long_dir"
big="$long_dir/big.usda"
"$usdgen" --shape floats --size-mb 8 -o "$big" >/dev/null 2>&1 || { echo "usdgen failed"; exit 1; }
mkdir -p shot && "$usdgen" --shape refs --refs 200 --assets 4 -o shot/shot.usda >/dev/null 2>&1 || { echo "usdgen failed"; exit 1; }
mkdir -p left right
for i in 1 2 3 4 5 6; do
  printf '#usda 1.0\n(\n    defaultPrim = "P%s"\n    metersPerUnit = 1\n    upAxis = "Y"\n)\n\ndef Xform "P%s"\n{\n    double size = %s\n}\n' "$i" "$i" "$i" > "left/l$i.usda"
  cp "left/l$i.usda" "right/l$i.usda"
done
sed -i 's/double size = 3/double size = 33/' right/l3.usda
printf '#usda 1.0\n\ndef "A" (\n    references = @./missing.usda@\n)\n{\n}\n' > missing-ref.usda

# What the tools write without a progress line, to compare with.
"$usdcat" "$big" -o ref.usdc 2>/dev/null
"$usdcat" ref.usdc -o ref.usda 2>/dev/null
"$usdflatten" shot/shot.usda -o ref-flat.usda 2>/dev/null
"$usdchecker" left > ref-check.txt 2>/dev/null
"$usddiff" left right > ref-diff.txt 2>/dev/null

# --- usdcat: reading text, writing crate and text
export USDKIT_PROGRESS_DELAY_MS=0
in_pty 0 "usdcat -o .usdc on a terminal" "$usdcat" "$big" -o out.usdc
check "usdcat: reading line" contains tty.txt "usdcat: reading "
check "usdcat: bytes of the total" contains tty.txt " of 8.1 MB ("
check "usdcat: writing crate counts specs" contains tty.txt " specs ("
check "usdcat: long path shortened" contains tty.txt "reading ..."
check "usdcat: the line fits the terminal" fits_width tty.txt
check "usdcat: the line is erased at the end" ends_erased tty.txt
check "usdcat: only the line on stderr" test "$(tr -cd '\n' < tty.txt | wc -c)" -eq 0
check "usdcat: same crate bytes with the line" cmp -s out.usdc ref.usdc
in_pty 0 "usdcat -o .usda on a terminal" "$usdcat" ref.usdc -o out.usda
check "usdcat: writing text counts bytes" contains tty.txt "usdcat: writing out.usda: "
check "usdcat: text erased at the end" ends_erased tty.txt
check "usdcat: same text with the line" cmp -s out.usda ref.usda
in_pty 0 "usdcat > file on a terminal" sh -c '"$1" ref.usdc > out2.usda' _ "$usdcat"
check "usdcat: redirected text is counted" contains tty.txt "usdcat: writing standard output: "
check "usdcat: same redirected text" cmp -s out2.usda ref.usda

# When the line is not wanted.
unset USDKIT_PROGRESS_DELAY_MS
in_pty 0 "usdcat, a quick run" "$usdcat" missing-ref.usda -o quick.usdc
check "a run shorter than a second draws nothing" test ! -s tty.txt
export USDKIT_PROGRESS_DELAY_MS=0
in_pty 0 "usdcat --no-progress" "$usdcat" --no-progress "$big" -o out.usdc
check "--no-progress: no line" test ! -s tty.txt
in_pty 0 "usdcat --quiet" "$usdcat" --quiet "$big" -o out.usdc
check "--quiet: no line" test ! -s tty.txt
in_pty 0 "usdcat -q --progress" "$usdcat" -q --progress "$big" -o out.usdc
check "--progress wins over --quiet" contains tty.txt "usdcat: reading "
expect_rc 0 "usdcat, stderr a file" "$usdcat" "$big" -o out.usdc
check "stderr not a terminal: no line" test ! -s err.txt
expect_rc 0 "usdcat --progress, stderr a file" "$usdcat" --progress "$big" -o out.usdc
check "--progress draws into a file too" contains err.txt "usdcat: reading "
check "--progress: erased at the end" ends_erased err.txt
expect_rc 2 "--progress with --no-progress" "$usdcat" --progress --no-progress "$big" -o out.usdc
check "the conflict is named" contains err.txt "--progress and --no-progress cannot be used together"
# Standard output on the same terminal: the text never shares a line with
# the progress line.
in_pty 0 "usdcat to the terminal" "$usdcat" missing-ref.usda
check "text on a terminal starts its line" starts_lines tty.txt "#usda 1.0"

# --- flattening
in_pty 0 "usdflatten on a terminal" sh -c '"$1" shot/shot.usda -o flat.usda' _ "$usdflatten"
check "usdflatten: flattening line" contains tty.txt "usdflatten: flattening shot/shot.usda: "
check "usdflatten: counts prims" contains tty.txt " prims"
check "usdflatten: erased at the end" ends_erased tty.txt
check "usdflatten: same output with the line" cmp -s flat.usda ref-flat.usda
in_pty 0 "usdcat --flatten on a terminal" "$usdcat" --flatten shot/shot.usda -o flat2.usda
check "usdcat --flatten: flattening line" contains tty.txt "usdcat: flattening shot/shot.usda: "
check "usdcat --flatten: same output" cmp -s flat2.usda ref-flat.usda
in_pty 0 "usdflatten with a warning" sh -c '"$1" missing-ref.usda > flat3.usda' _ "$usdflatten"
check "a warning starts its own line" starts_lines tty.txt "usdflatten: warning:"

# --- checking and comparing folders
in_pty 0 "usdchecker on a terminal" sh -c '"$1" left > check.txt' _ "$usdchecker"
check "usdchecker: checking line" contains tty.txt "usdchecker: checking: "
check "usdchecker: counts files" contains tty.txt " of 6 files ("
check "usdchecker: erased at the end" ends_erased tty.txt
check "usdchecker: same report" cmp -s check.txt ref-check.txt
in_pty 1 "usddiff on a terminal" sh -c '"$1" left right > diff.txt' _ "$usddiff"
check "usddiff: comparing line" contains tty.txt "usddiff: comparing: "
check "usddiff: counts files" contains tty.txt " of 6 files ("
check "usddiff: erased at the end" ends_erased tty.txt
check "usddiff: same differences" cmp -s diff.txt ref-diff.txt
in_pty 1 "usddiff printing to the terminal" "$usddiff" --color never left right
check "usddiff: differences start their lines" starts_lines tty.txt "@@ "
in_pty 0 "usddiff, two files" sh -c '"$1" left/l1.usda right/l1.usda' _ "$usddiff"
check "usddiff: one pair draws no line" lacks tty.txt "comparing"

finish
