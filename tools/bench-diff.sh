#!/usr/bin/env bash
# Times usddiff on two big layers that differ in 10 attribute values, next
# to the text pipeline it replaces, measured in the same run:
#
#   usdcat a.usda > a.txt; usdcat b.usda > b.txt; diff a.txt b.txt
#
#   tools/bench-diff.sh [--usddiff PATH] [--usdcat PATH] [--usdgen PATH] [--dir DIR]
#
# Environment: BENCH_REPS (default 5), BENCH_SIZE_MB (default 100). The
# inputs are generated once into DIR (default build/bench): a.usda by
# `usdgen --shape floats`, b.usda as a copy with the first number of 10
# `extent` values (spread over the file) changed. Prints median wall and CPU
# times and the speed-up, and checks that both report the same 10 lines.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
usddiff="$root/build/usddiff/usddiff"
usdcat="$root/build/usdcat/usdcat"
usdgen="$root/build/tools/usdgen/usdgen"
dir="$root/build/bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --usddiff) usddiff=$2; shift 2 ;;
    --usdcat) usdcat=$2; shift 2 ;;
    --usdgen) usdgen=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench-diff.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
reps=${BENCH_REPS:-5}
size_mb=${BENCH_SIZE_MB:-100}
for exe in "$usddiff" "$usdcat" "$usdgen"; do
  [ -x "$exe" ] || { echo "bench-diff.sh: '$exe' is not built (run: meson compile -C build)" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "bench-diff.sh: python3 is missing" >&2; exit 1; }

mkdir -p "$dir"
a="$dir/diff-a-${size_mb}mb.usda"
b="$dir/diff-b-${size_mb}mb.usda"
[ -s "$a" ] || "$usdgen" --shape floats --size-mb "$size_mb" -o "$a"
if [ ! -s "$b" ]; then
  python3 - "$a" "$b" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
extents = [i for i, l in enumerate(lines) if "extent = [(" in l]
if len(extents) < 10:
    sys.exit("bench-diff.sh: fewer than 10 extent values in %s" % sys.argv[1])
step = len(extents) // 10
for i in extents[::step][:10]:
    # 7.25 prints as itself, so b stays in usdcat's exact form.
    lines[i] = re.sub(r"\[\(([-0-9.e]+)", "[(7.25", lines[i], count=1)
open(sys.argv[2], "w").write("\n".join(lines))
PY
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pipeline() { "$usdcat" "$a" > "$work/a.txt"; "$usdcat" "$b" > "$work/b.txt"; diff "$work/a.txt" "$work/b.txt" > "$work/pipeline.out" || true; }
ours() { "$usddiff" "$a" "$b" > "$work/usddiff.out" || true; }

# Same answer first: the 10 changed lines, in both outputs.
pipeline
ours
changed_pipeline=$(grep -c '^>' "$work/pipeline.out" || true)
changed_ours=$(grep -c '^+' "$work/usddiff.out" || true)
if [ "$changed_pipeline" -ne 10 ] || [ "$changed_ours" -ne 10 ] ||
   ! cmp -s <(grep '^>' "$work/pipeline.out" | cut -c3-) <(grep '^+' "$work/usddiff.out" | cut -c2-); then
  echo "bench-diff.sh: usddiff and the pipeline disagree ($changed_ours vs $changed_pipeline changed lines)" >&2
  exit 1
fi

# time_case FN: prints "wall_us cpu_us" medians over `reps` runs.
time_case() {
  local fn=$1 walls=() cpus=() i t0 t1 c0 c1
  for ((i = 0; i < reps; i++)); do
    t0=$(date +%s%N)
    TIMEFORMAT='%U %S'
    local cpu
    cpu=$( { time "$fn" ; } 2>&1 )
    t1=$(date +%s%N)
    walls+=($(( (t1 - t0) / 1000 )))
    cpus+=($(awk -v u="${cpu% *}" -v s="${cpu#* }" 'BEGIN { printf "%d", (u + s) * 1e6 }'))
  done
  local mw mc
  mw=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  mc=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "$mw $mc"
}

read -r pw pc < <(time_case pipeline)
read -r ow oc < <(time_case ours)
echo "inputs: $(basename "$a"), $(basename "$b") ($(stat -c %s "$a") bytes each, 10 values differ)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $reps runs each, medians"
printf '%-48s %10s %10s\n' "case" "wall s" "cpu s"
printf '%-48s %10.3f %10.3f\n' "usdcat a > a.txt; usdcat b > b.txt; diff" "$(awk -v x="$pw" 'BEGIN{print x/1e6}')" "$(awk -v x="$pc" 'BEGIN{print x/1e6}')"
printf '%-48s %10.3f %10.3f\n' "usddiff a b" "$(awk -v x="$ow" 'BEGIN{print x/1e6}')" "$(awk -v x="$oc" 'BEGIN{print x/1e6}')"
awk -v pw="$pw" -v ow="$ow" -v pc="$pc" -v oc="$oc" 'BEGIN {
  printf "speed-up: %.2fx wall, %.2fx cpu (bar: 5x wall)\n", pw / ow, pc / oc
}'
