#!/usr/bin/env bash
# Times usdflatten (and usdtree -f, usdchecker, usddiff -f) on worst-case
# composition inputs, long chains of arcs written by
# tools/gen-compose-chains.py, next to a baseline usdflatten. Composition
# must be linear: 10x the chain, about 10x the time.
#
#   tools/bench-compose.sh [--build DIR] [--baseline PATH] [--dir DIR]
#
# Environment: BENCH_REPS (default 5), BENCH_SIZES (default "1000 3000 10000"),
# BENCH_SHAPES (default "refs payloads sublayers relocates relocates-refs
# variants"), BENCH_SIZES_<shape> (sizes of one shape, '-' as '_'; the nested
# shapes default to smaller sizes: relocates "10 12 14 25 50", relocates-refs
# "40 80 160", variants "100 300 900", the usda reader's nesting bound being
# 1000), BENCH_TOOLS (columns to time, default "flatten tree-f checker
# diff-f"), BENCH_TIMEOUT (seconds per run, default 60: a slower run is
# reported as ">TIMEOUT"). Prints the median wall time of the runs of each
# case.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build"
baseline=/work/baseline/usdflatten
dir="$root/build/bench-compose"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench-compose.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
reps=${BENCH_REPS:-5}
sizes=${BENCH_SIZES:-1000 3000 10000}
shapes=${BENCH_SHAPES:-refs payloads sublayers relocates relocates-refs variants}
tools=${BENCH_TOOLS:-flatten tree-f checker diff-f}
BENCH_SIZES_relocates=${BENCH_SIZES_relocates:-10 12 14 25 50}
BENCH_SIZES_relocates_refs=${BENCH_SIZES_relocates_refs:-40 80 160}
BENCH_SIZES_variants=${BENCH_SIZES_variants:-100 300 900}
limit=${BENCH_TIMEOUT:-60}
flatten="$build/usdflatten/usdflatten"
[ -x "$flatten" ] || { echo "bench-compose.sh: '$flatten' is not built" >&2; exit 1; }

# median CMD...: median wall seconds of `reps` runs, or ">limit" once a run
# times out (the rest are skipped).
median() {
  local times=() i t0 t1 rc
  for ((i = 0; i < reps; i++)); do
    t0=$(date +%s%N)
    rc=0
    timeout "$limit" "$@" >/dev/null 2>&1 || rc=$?
    [ "$rc" -eq 124 ] && { echo ">$limit"; return; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.3f\n", a[int((NR + 1) / 2)] / 1000 }'
}

# timed TOOL FILE: the median of one column for one input, or "-" when the
# column is not asked for.
timed() {
  case " $tools " in *" $1 "*) ;; *) echo -; return ;; esac
  case "$1" in
    flatten) median "$flatten" "$2" -o "$dir/out.usda" ;;
    tree-f) median "$build/usdtree/usdtree" -f "$2" ;;
    checker) median "$build/usdchecker/usdchecker" "$2" ;;
    diff-f) median "$build/usddiff/usddiff" -f "$2" "$2" ;;
  esac
}

mkdir -p "$dir"
echo "$reps runs each, median wall seconds (baseline: $baseline)"
printf '%-14s %7s %10s %10s %10s %10s %10s\n' shape size baseline flatten tree-f checker diff-f
for shape in $shapes; do
  var="BENCH_SIZES_${shape//-/_}"
  for n in ${!var:-$sizes}; do
    d="$dir/$shape-$n"
    [ -s "$d/a0.usda" ] || python3 "$root/tools/gen-compose-chains.py" "$shape" "$n" "$d"
    base=-
    [ -x "$baseline" ] && base=$(median "$baseline" "$d/a0.usda" -o "$dir/out-base.usda")
    printf '%-14s %7s %10s %10s %10s %10s %10s\n' "$shape" "$n" "$base" "$(timed flatten "$d/a0.usda")" \
      "$(timed tree-f "$d/a0.usda")" "$(timed checker "$d/a0.usda")" "$(timed diff-f "$d/a0.usda")"
  done
done
