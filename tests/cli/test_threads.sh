#!/usr/bin/env bash
# -j/--threads: the output bytes, warnings, errors and exit statuses are the
# same for every thread count. Small versions of the benchmark scenes
# (tools/bench.sh) and every usda/usdc input of the conformance sets (when
# ../shared/conformance exists) are written at -j 1, 2 and 4 and compared
# with cmp; the option itself is checked on every tool. In a sanitized build
# (SANITIZE, the build's b_sanitize, not "none") every fourth conformance
# input is compared: the release build compares them all, and the sample
# keeps the sanitizers on the threaded code inside CI's time budget.
#
#   tests/cli/test_threads.sh SANITIZE USDCAT USDFLATTEN USDGEN SOURCE_ROOT TOOL_EXE...
set -uo pipefail

usage="usage: test_threads.sh SANITIZE USDCAT USDFLATTEN USDGEN SOURCE_ROOT TOOL_EXE..."
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
sanitize=${1:?$usage}
shift
usdcat=$(absolute "${1:?$usage}")
usdflatten=$(absolute "${2:?$usage}")
usdgen=$(absolute "${3:?$usage}")
root=$(cd "${4:?$usage}" && pwd)
shift 4
tools=()
for exe in "$@"; do tools+=("$(absolute "$exe")"); done

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
. "$support"

counts=(1 2 4)

# same_at_all_counts NAME OUTPUT_EXT TOOL ARGS...: runs `TOOL -j N ARGS... -o
# jN/out.OUTPUT_EXT` for every count (ARGS without -o, standard output into
# jN/out.stdout, when OUTPUT_EXT is "stdout") and checks that outputs,
# stderr and exit statuses are identical to those of -j 1. The output has
# the same name at every count: a package names its root layer after it,
# and messages name it.
same_at_all_counts() {
  local name=$1 ext=$2 tool=$3
  shift 3
  local n rc rc1= here=$PWD
  for n in "${counts[@]}"; do
    rm -rf "j$n"
    mkdir "j$n"
    cd "j$n" || return 1
    if [ "$ext" = stdout ]; then
      "$tool" -j "$n" "$@" >"out.$ext" 2>err.txt
    else
      "$tool" -j "$n" "$@" -o "out.$ext" >/dev/null 2>err.txt
    fi
    rc=$?
    cd "$here" || return 1
    [ -z "$rc1" ] && rc1=$rc
    [ -e "j$n/out.$ext" ] || : >"j$n/out.$ext"  # no output file: compared as empty
    if [ "$n" != 1 ]; then
      check "$name: -j $n exits as -j 1 ($rc1)" test "$rc" = "$rc1"
      check "$name: -j $n writes the bytes of -j 1" cmp -s "j1/out.$ext" "j$n/out.$ext"
      check "$name: -j $n reports what -j 1 does" cmp -s "j1/err.txt" "j$n/err.txt"
    fi
  done
}

# --- the option ----------------------------------------------------------------
for exe in "${tools[@]}"; do
  tool=$(basename "$exe")
  expect_rc 0 "$tool --help" "$exe" --help
  check "$tool --help lists -j, --threads" contains out.txt "-j,--threads"
  for bad in 0 -1 two; do
    expect_rc 2 "$tool -j $bad is a usage error" "$exe" -j "$bad" "$root/testdata/hello.usda"
    check "$tool -j $bad: says why" contains err.txt "--threads"
  done
done
expect_rc 0 "--threads=1 is accepted" "$usdcat" --threads=1 "$root/testdata/hello.usda"
cp out.txt hello-1.usda
expect_rc 0 "-j 3 is accepted" "$usdcat" -j 3 "$root/testdata/hello.usda"
check "-j 3 prints what --threads=1 does" cmp -s hello-1.usda out.txt

# --- shapes the writers cut up: lists of siblings with and without
# properties before them, children without specs (over lists naming prims
# that are not there), variants holding long lists, nested lists ----------------
{
  echo '#usda 1.0'
  echo '(
    defaultPrim = "Root0"
)'
  for r in 0 1 2 3 4 5 6 7 8; do
    echo
    echo "def Xform \"Root$r\" (
    kind = \"group\"
)
{"
    [ $((r % 2)) = 0 ] && echo "    double size = $r"
    for c in 0 1 2 3 4 5 6 7 8 9; do
      [ "$c" != 0 ] && echo
      echo "    def Sphere \"C$c\"
    {
        double radius = $c.5
        float3[] extent = [(-1, -1, -1), (1, 1, 1)]
    }"
    done
    if [ "$r" = 3 ]; then
      echo '
    variantSet "look" = {
        "a" {'
      for c in 0 1 2 3 4 5 6 7 8; do
        echo "            def \"V$c\"
            {
                int x = $c
            }"
        echo
      done
      echo '        }
        "b" {
            float y = 2
        }
    }'
    fi
    echo "}"
  done
} > lists.usda
expect_rc 0 "lists.usda reads" "$usdcat" -j 1 lists.usda
for ext in usda usdc; do
  same_at_all_counts "lists.usda -> $ext" "$ext" "$usdcat" "$work/lists.usda"
done
same_at_all_counts "lists.usda -> stdout" stdout "$usdcat" "$work/lists.usda"
"$usdcat" -j 1 lists.usda -o lists.usdc || exit 1
same_at_all_counts "lists.usdc -> usda" usda "$usdcat" "$work/lists.usdc"
same_at_all_counts "lists.usda flattened" usda "$usdflatten" "$work/lists.usda"

# --- small versions of the benchmark scenes ---------------------------------------
"$usdgen" --shape floats --size-mb 3 -o floats.usda || exit 1
"$usdgen" --shape prims --prims 6000 -o prims.usda || exit 1
mkdir -p shot
"$usdgen" --shape refs --refs 300 --assets 5 -o shot/shot.usda || exit 1
for scene in floats prims; do
  same_at_all_counts "$scene.usda -> usda" usda "$usdcat" "$work/$scene.usda"
  same_at_all_counts "$scene.usda -> usdc" usdc "$usdcat" "$work/$scene.usda"
  cp j1/out.usdc "$scene.usdc"
  same_at_all_counts "$scene.usdc -> usda" usda "$usdcat" "$work/$scene.usdc"
  same_at_all_counts "$scene.usda -> usdz" usdz "$usdcat" "$work/$scene.usda"
done
same_at_all_counts "prims.usda -> stdout" stdout "$usdcat" "$work/prims.usda"
check "prims.usda round trip through usdc" cmp -s j1/out.stdout <("$usdcat" -j 2 "$work/prims.usdc")
same_at_all_counts "refs shot flattened -> usda" usda "$usdflatten" "$work/shot/shot.usda"
same_at_all_counts "refs shot flattened -> usdc" usdc "$usdflatten" "$work/shot/shot.usda"
# Older crate versions lay their sections out differently (one thread then).
same_at_all_counts "prims.usda -> usdc 0.2.0" usdc "$usdcat" --usdcVersion 0.2.0 "$work/prims.usda"

# --- conformance inputs -------------------------------------------------------------
conformance="$root/../shared/conformance"
if [ -d "$conformance" ]; then
  # Every input is compared at every count, as text and as crate (with
  # OpenUSD 24.11's starting version, as the conformance tests run).
  export USD_WRITE_NEW_USDC_FILES_AS_VERSION=0.9.0
  inputs=0 compared=0
  every=1
  [ "$sanitize" = none ] || every=4
  while IFS= read -r input; do
    inputs=$((inputs + 1))
    [ $(((inputs - 1) % every)) -eq 0 ] || continue
    compared=$((compared + 1))
    same_at_all_counts "${input#"$conformance"/} -> usda" usda "$usdcat" "$input"
    same_at_all_counts "${input#"$conformance"/} -> usdc" usdc "$usdcat" "$input"
  done < <(find "$conformance/crate" "$conformance/sdf-parsing" "$conformance/usdcat" \
             -type f \( -name '*.usda' -o -name '*.usdc' \) | sort)
  check "conformance inputs found" test "$inputs" -gt 100
  echo "conformance inputs compared: $compared of $inputs"
  unset USD_WRITE_NEW_USDC_FILES_AS_VERSION
else
  echo "SKIP: $conformance is missing; its inputs are not compared"
fi

finish
