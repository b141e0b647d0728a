#!/usr/bin/env bash
# Memory bound on hostile input: no tool may need more than about ten times
# the input's size plus a fixed allowance, however the input is built. The
# worst cases (hostile_memory_cases.py: deep nesting, long paths, many tiny
# specs, crate and zip headers declaring huge counts) go through usdcat (to
# usda and to usdc), usdflatten, usdtree, usdchecker and usddiff under
# /usr/bin/time; peak RSS must stay <= 10 * size + ALLOWANCE. Each run must
# also end with exit 0, 1 or 2 (an answer, a difference or an error; usddiff
# uses 2 for errors), never a crash or hang.
# In a sanitized build (MODE=sanitized) memory figures mean nothing: the RSS
# check is skipped (said so), the exit status check stays.
#
#   tests/cli/test_hostile_memory.sh BIN_DIR SOURCE_ROOT MODE
# BIN_DIR holds usdcat/usdcat, usdflatten/usdflatten, ... (meson's build dir).
set -uo pipefail

usage="usage: test_hostile_memory.sh BUILD_DIR SOURCE_ROOT release|sanitized"
bin=$(cd "${1:?$usage}" && pwd)
root=$(cd "${2:?$usage}" && pwd)
mode=${3:?$usage}

# meson test sets MALLOC_PERTURB_, which fills every allocation and so backs
# all reserved capacity with pages: peak RSS would then count memory asked
# for but never used. Measure what a user's run uses.
unset MALLOC_PERTURB_

# Peak RSS of any tool on a ten-line file is about 7 MB (release, measured);
# the allowance leaves room for the C++ runtime, page rounding and buffers.
allowance_kb=$((30 * 1024))

support=$root/tests/cli/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
. "$support"

printf '#usda 1.0\ndef Xform "a" (\n    kind = "component"\n)\n{\n    double x = 1\n    token t = "b"\n}\n' > tiny.usda
"$bin/usdcat/usdcat" tiny.usda -o tiny.usdc && "$bin/usdcat/usdcat" tiny.usda -o tiny.usdz || exit 1
python3 "$root/tests/cli/hostile_memory_cases.py" cases tiny.usdc tiny.usdz || exit 1

if [ "$mode" != release ]; then
  echo "skipped: RSS bound (a $mode build's memory use says nothing about release); exit statuses still checked"
fi

# Cases known to break the bound: "TOOL:FILE" entries, reported as KNOWN,
# counted neither as passed nor as failed, and failing the test as soon as
# they fit the bound, so the list cannot outlive a defect. (None today: the
# inherits chain's flattened stage, the square of its length, is written
# as text prim by prim and checked a branch at a time.)
known_over_bound=" "

# measure NAME INPUT TOOL ARGS...: runs the tool on INPUT, checks exit status
# and (release) peak RSS against the size of what it reads: every file among
# ARGS (usddiff reads INPUT twice, and holds both layers).
measure() {
  local name=$1 input=$2; shift 2
  local size=0 rc kb limit tool_name arg
  tool_name=$(basename "$1")
  for arg in "${@:2}"; do
    [ -f "$arg" ] && size=$((size + $(stat -c %s "$arg")))
  done
  /usr/bin/time -o rss.txt -f %M timeout -s KILL 30 "$@" >/dev/null 2>err.txt
  rc=$?
  kb=$(tail -n 1 rss.txt)
  if [ "$rc" -gt 2 ]; then
    fail "$name: exit $rc (crash or timeout)"
    head -3 err.txt | sed 's/^/    stderr: /'
    return
  fi
  [ "$mode" = release ] || { pass; return; }
  limit=$((10 * size / 1024 + allowance_kb))
  local known=0
  case "$known_over_bound" in *" ${tool_name}:$(basename "$input") "*) known=1 ;; esac
  if [ "$kb" -le "$limit" ] && [ "$known" = 1 ]; then
    fail "$name: now within the bound (${kb} KB <= $limit KB): take it off known_over_bound"
  elif [ "$kb" -le "$limit" ]; then
    pass
  elif [ "$known" = 1 ]; then
    echo "KNOWN (issue 12, open): $name: peak RSS ${kb} KB for a ${size}-byte input (limit $limit KB)"
  else
    fail "$name: peak RSS ${kb} KB for a ${size}-byte input (limit $limit KB)"
  fi
}

for input in cases/*; do
  case=$(basename "$input")
  measure "usdcat $case" "$input" "$bin/usdcat/usdcat" "$input"
  measure "usdcat $case -o .usdc" "$input" "$bin/usdcat/usdcat" "$input" -o out.usdc
  measure "usdflatten $case" "$input" "$bin/usdflatten/usdflatten" "$input"
  measure "usdtree $case" "$input" "$bin/usdtree/usdtree" "$input"
  measure "usdchecker $case" "$input" "$bin/usdchecker/usdchecker" "$input"
  measure "usddiff $case" "$input" "$bin/usddiff/usddiff" "$input" "$input"
  rm -f out.usdc
done
# Every combination of variant selections, however many: one composition
# at a time, each released before the next.
measure "usdchecker --maxVariantCombinations 0 variant-combinations.usda" cases/variant-combinations.usda \
  "$bin/usdchecker/usdchecker" --maxVariantCombinations 0 cases/variant-combinations.usda
finish
