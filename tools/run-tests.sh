#!/usr/bin/env bash
# Builds and runs the whole test suite (unit tests, conformance against
# ../shared/conformance when present, CLI tests, fuzz corpus replays) twice:
#   build/        release, the configuration users get;
#   build-check/  checking build: assertions on, AddressSanitizer (with leak
#                 checking) and UndefinedBehaviorSanitizer, every finding
#                 fatal, so memory errors and UB fail the run even when the
#                 output happens to be right.
# Ends with one line "tests: N passed, N failed" summed over both builds,
# and exits non-zero when anything failed or did not build.
#   USDKIT_CHECK_BUILD=0  skips the checking build (a quick local run)
# LeakSanitizer stays on: the tools' one deliberate leak (keepUntilExit, a
# layer left for the kernel to reclaim at exit) is registered with it.
set -euo pipefail

cd "$(dirname "$0")/.."

# Cheap when nothing is missing; makes this command enough on a new machine.
tools/bootstrap.sh --deps-only

# Sanitizer settings for every program the checking build's tests start
# (meson test passes the environment on).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

passed=0 failed=0 rc=0

# run_suite DIR [meson test options...]: runs DIR's suite, adds its counts.
run_suite() {
  local dir=$1
  shift
  local log=$dir/meson-logs/testlog.json
  rm -f "$log"
  meson test -C "$dir" --print-errorlogs "$@" || rc=1
  if [ ! -f "$log" ]; then
    # The build itself failed before any test ran.
    echo "$dir: the build failed"
    failed=$((failed + 1))
    return
  fi
  local p f
  # One JSON object per line, one line per meson test.
  read -r p f < <(python3 - "$log" <<'EOF'
import json, sys
ok = bad = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line:
        continue
    result = json.loads(line).get("result")
    if result in ("OK", "EXPECTEDFAIL", "SKIP"):
        ok += result != "SKIP"
    else:
        bad += 1
print(ok, bad)
EOF
)
  echo "$dir: $p passed, $f failed"
  passed=$((passed + p)) failed=$((failed + f))
}

[ -f build/build.ninja ] || meson setup build
run_suite build

if [ "${USDKIT_CHECK_BUILD:-1}" != 0 ]; then
  # debugoptimized with assertions; -g1 (line tables, enough for sanitizer
  # stack traces) instead of full -g keeps this build's compile time down.
  [ -f build-check/build.ninja ] ||
    meson setup build-check --buildtype=debugoptimized -Db_ndebug=false \
      -Db_sanitize=address,undefined -Db_lundef=false -Dcpp_args=-g1
  # Sanitized programs run several times slower.
  run_suite build-check --timeout-multiplier 4
fi

echo "tests: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
