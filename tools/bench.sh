#!/usr/bin/env bash
# Times usdcat on generated inputs next to a `cat` baseline measured in the
# same run (so numbers from different machines can be read relative to
# what the disk cache and pipe can do at all).
#
#   tools/bench.sh [--usdcat PATH] [--usdgen PATH] [--dir DIR] [--base BUILD_DIR] [--threads "1 2"]
#
# Each usdkit row runs once per thread count (-j N, default "1 2"; BENCH_THREADS
# too) and, with --base, also with the tools of another build (a build of the
# commit before a change, run without -j), the runs of all of them interleaved.
# Environment: BENCH_REPS (default 5), BENCH_SIZE_MB (default 100),
# BENCH_PRIMS (default 200000), BENCH_REFS (default 10000), BENCH_CLIP_PRIMS and
# BENCH_CLIP_FRAMES (default 1000 and 100), BENCH_HUGE_MB (default 0: skip the case that
# opens a huge crate file to read one attribute; 3200 gives about 1 GB). Inputs are generated once into DIR
# (default build/bench) and reused; their names carry the size so a changed
# size never reuses a stale file. BENCH_ONLY (a bash regex) runs only the
# rows whose name matches.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
usdcat="$root/build/usdcat/usdcat"
usdgen="$root/build/tools/usdgen/usdgen"
dir="$root/build/bench"
base=""
threads=${BENCH_THREADS:-1 2}
while [ $# -gt 0 ]; do
  case "$1" in
    --usdcat) usdcat=$2; shift 2 ;;
    --usdgen) usdgen=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --base) base=$(cd "$2" && pwd); shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
reps=${BENCH_REPS:-5}
size_mb=${BENCH_SIZE_MB:-100}
prims=${BENCH_PRIMS:-200000}

for exe in "$usdcat" "$usdgen"; do
  [ -x "$exe" ] || { echo "bench.sh: '$exe' is not built (run: meson compile -C build)" >&2; exit 1; }
done
if [ ! -x /usr/bin/time ]; then
  echo "bench.sh: /usr/bin/time is missing (apt-get install time, or run tools/bootstrap.sh)" >&2
  exit 1
fi
if [ -n "$base" ] && [ ! -x "$base/usdcat/usdcat" ]; then
  echo "bench.sh: --base $base has no usdcat/usdcat" >&2
  exit 1
fi

mkdir -p "$dir"
big="$dir/big-${size_mb}mb.usda"
many="$dir/many-${prims}.usda"
out="$dir/out.usda"
[ -s "$big" ] || "$usdgen" --shape floats --size-mb "$size_mb" -o "$big"
[ -s "$many" ] || "$usdgen" --shape prims --prims "$prims" -o "$many"

bytes() { stat -c %s "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# median_row NAME INPUT_BYTES TIMES_US RSS_KB: one row of the table.
median_row() {
  local median
  median=$(printf '%s\n' $3 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  awk -v n="$1" -v us="$median" -v b="$2" -v kb="$4" 'BEGIN {
    s = us / 1e6
    printf "%-44s %10.3f %10.1f %12.1f\n", n, s, (s > 0 ? b / 1e6 / s : 0), kb / 1024
  }'
}

# timed RSSFILE CMD...: runs CMD once, prints its wall time in microseconds
# (its peak RSS in kB goes to RSSFILE).
timed() {
  local rssfile=$1 t0 t1
  shift
  t0=$(date +%s%N)
  /usr/bin/time -f %M -o "$rssfile" "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
}

# run NAME INPUT_BYTES CMD...: runs CMD `reps` times (after one untimed warm
# up that also fills the page cache), prints median wall time, throughput
# over the input size and the largest peak RSS seen.
run() {
  local name=$1 input_bytes=$2; shift 2
  [ -n "${BENCH_ONLY:-}" ] && ! [[ $name =~ $BENCH_ONLY ]] && return 0
  local times=() rss_max=0 i rss
  local rssfile; rssfile=$(mktemp)
  "$@" >/dev/null 2>&1 || { echo "bench.sh: '$name' failed:" >&2; "$@" >/dev/null; exit 1; }
  for ((i = 0; i < reps; i++)); do
    times+=("$(timed "$rssfile" "$@")")
    rss=$(tail -n 1 "$rssfile")
    [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  done
  rm -f "$rssfile"
  median_row "$name" "$input_bytes" "${times[*]}" "$rss_max"
}

# run_tool NAME INPUT_BYTES TOOL ARGS...: the row of a usdkit tool (usdcat,
# usdflatten, usdtree): one row per thread count, and one for the --base
# build's tool; their runs are interleaved (one of each, `reps` times) so
# that a change in the machine's load touches all of them alike.
run_tool() {
  local name=$1 input_bytes=$2 tool=$3; shift 3
  [ -n "${BENCH_ONLY:-}" ] && ! [[ $name =~ $BENCH_ONLY ]] && return 0
  local exe labels=() cmds=() i v rss
  exe="$(dirname "$usdcat")/../$tool/$tool"
  if [ -n "$base" ]; then
    labels+=("base"); cmds+=("$base/$tool/$tool")
  fi
  for n in $threads; do
    labels+=("-j $n"); cmds+=("$exe -j $n")
  done
  local rssfile; rssfile=$(mktemp)
  declare -A times rss_max
  for v in "${!cmds[@]}"; do
    # shellcheck disable=SC2086 # the command and its -j are words
    ${cmds[$v]} "$@" >/dev/null 2>&1 || { echo "bench.sh: '$name' (${labels[$v]}) failed:" >&2; ${cmds[$v]} "$@" >/dev/null; exit 1; }
    times[$v]=""; rss_max[$v]=0
  done
  for ((i = 0; i < reps; i++)); do
    for v in "${!cmds[@]}"; do
      # shellcheck disable=SC2086
      times[$v]+=" $(timed "$rssfile" ${cmds[$v]} "$@")"
      rss=$(tail -n 1 "$rssfile")
      [ "$rss" -gt "${rss_max[$v]}" ] && rss_max[$v]=$rss
    done
  done
  rm -f "$rssfile"
  for v in "${!cmds[@]}"; do median_row "$name [${labels[$v]}]" "$input_bytes" "${times[$v]}" "${rss_max[$v]}"; done
}

big_bytes=$(bytes "$big")
many_bytes=$(bytes "$many")
echo "inputs: $(basename "$big") $(mb "$big_bytes") MB, $(basename "$many") $(mb "$many_bytes") MB ($prims prims)"
echo "machine: $(nproc) cores, $(uname -m); $reps runs each, median wall time"
printf '%-44s %10s %10s %12s\n' "case" "median s" "MB/s" "peak RSS MB"
[ -n "$base" ] && echo "base: $base (no -j)"
# run() sends stdout to /dev/null; the file-to-file baseline needs `sh -c`
# to keep its redirection inside what /usr/bin/time measures.
run "cat big.usda > /dev/null" "$big_bytes" cat "$big"
run_tool "usdcat big.usda > /dev/null" "$big_bytes" usdcat "$big"
run "cat many.usda > out.usda" "$many_bytes" sh -c 'cat "$1" > "$2"' sh "$many" "$out"
run_tool "usdcat many.usda -o out.usda" "$many_bytes" usdcat "$many" -o "$out"
rm -f "$out"

# Crate: conversions both ways on the same scenes.
big_usdc="$dir/big-${size_mb}mb.usdc"
many_usdc="$dir/many-${prims}.usdc"
[ -s "$big_usdc" ] || "$usdcat" "$big" -o "$big_usdc"
[ -s "$many_usdc" ] || "$usdcat" "$many" -o "$many_usdc"
run_tool "usdcat big.usda -o out.usdc" "$big_bytes" usdcat "$big" -o "$dir/out.usdc"
run_tool "usdcat big.usdc > /dev/null" "$(bytes "$big_usdc")" usdcat "$big_usdc"
# The composed stage opened to resolve one attribute: only that prim, its
# ancestors and that value are read (MB/s: file size over time).
usdtree="$(dirname "$usdcat")/../usdtree/usdtree"
[ -x "$usdtree" ] && run_tool "usdtree --explain one attr of big.usdc" "$(bytes "$big_usdc")" usdtree --explain /World/Mesh_7.points "$big_usdc"
run_tool "usdcat many.usda -o out.usdc" "$many_bytes" usdcat "$many" -o "$dir/out.usdc"
run_tool "usdcat many.usdc -o out.usda" "$(bytes "$many_usdc")" usdcat "$many_usdc" -o "$out"
rm -f "$out" "$dir/out.usdc"

# Composition: a shot of BENCH_REFS (default 10000) prims referencing 20
# assets, each with a variant set and a payload, flattened to text and to
# crate by usdflatten. The baseline reads all of the input files once.
usdflatten="$(dirname "$usdcat")/../usdflatten/usdflatten"
refs=${BENCH_REFS:-10000}
if [ -x "$usdflatten" ]; then
  shot_dir="$dir/refs-$refs"
  shot="$shot_dir/shot.usda"
  mkdir -p "$shot_dir"
  [ -s "$shot" ] || "$usdgen" --shape refs --refs "$refs" --assets 20 -o "$shot"
  shot_bytes=$(cat "$shot" "$shot_dir"/assets/*.usda | wc -c)
  run "cat shot.usda assets/* > /dev/null" "$shot_bytes" sh -c 'cat "$1" "$2"/assets/*.usda > /dev/null' sh "$shot" "$shot_dir"
  run_tool "usdflatten shot.usda -o out.usda" "$shot_bytes" usdflatten "$shot" -o "$dir/flat.usda"
  run_tool "usdflatten shot.usda -o out.usdc" "$shot_bytes" usdflatten "$shot" -o "$dir/flat.usdc"
  rm -f "$dir/flat.usda" "$dir/flat.usdc"
  # Value clips: BENCH_CLIP_PRIMS prims (default 1000) animated through a
  # template clip set of BENCH_CLIP_FRAMES clip files (default 100), with a
  # manifest; every sample of every clip ends up in the flattened layer.
  clip_prims=${BENCH_CLIP_PRIMS:-1000}
  clip_frames=${BENCH_CLIP_FRAMES:-100}
  clips_dir="$dir/clips-$clip_prims-$clip_frames"
  clips_shot="$clips_dir/shot.usda"
  mkdir -p "$clips_dir"
  [ -s "$clips_shot" ] || "$usdgen" --shape clips --prims "$clip_prims" --frames "$clip_frames" -o "$clips_shot"
  clips_bytes=$(cat "$clips_shot" "$clips_dir"/clips/*.usda | wc -c)
  run "cat clips shot > /dev/null" "$clips_bytes" sh -c 'cat "$1" "$2"/clips/*.usda > /dev/null' sh "$clips_shot" "$clips_dir"
  run_tool "usdflatten clips shot -o out.usdc" "$clips_bytes" usdflatten "$clips_shot" -o "$dir/flat.usdc"
  rm -f "$dir/flat.usdc"
else
  echo "(flatten cases skipped: $usdflatten is not built)"
fi

# A huge crate file opened to read one attribute: only the structure and
# that value should be touched. Generating it takes a while, so it is opt in.
huge_mb=${BENCH_HUGE_MB:-0}
if [ "$huge_mb" -gt 0 ]; then
  huge_usdc="$dir/huge-${huge_mb}mb.usdc"
  if [ ! -s "$huge_usdc" ]; then
    "$usdgen" --shape floats --size-mb "$huge_mb" -o "$dir/huge.usda"
    "$usdcat" "$dir/huge.usda" -o "$huge_usdc"
    rm -f "$dir/huge.usda"
  fi
  usdbench="$(dirname "$usdgen")/../usdbench/usdbench"
  run "open huge.usdc, read one attribute" "$(bytes "$huge_usdc")" "$usdbench" "$huge_usdc" --query /World/Mesh_7.points
  echo "  ($(basename "$huge_usdc"): $(mb "$(bytes "$huge_usdc")") MB; MB/s here is file size over time, not bytes read)"
else
  echo "(huge crate case skipped: set BENCH_HUGE_MB, e.g. 3200 for a file of about 1 GB)"
fi
