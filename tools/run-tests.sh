#!/usr/bin/env bash
# Builds everything in build/ and runs the whole test suite (unit tests,
# conformance against ../shared/conformance when present, CLI tests). Ends
# with one line "tests: N passed, N failed" counted from meson's results,
# and exits non-zero when anything failed or did not build.
set -euo pipefail

cd "$(dirname "$0")/.."

# Cheap when nothing is missing; makes this command enough on a new machine.
tools/bootstrap.sh --deps-only

[ -f build/build.ninja ] || meson setup build
log=build/meson-logs/testlog.json
rm -f "$log"

rc=0
meson test -C build --print-errorlogs || rc=$?

if [ ! -f "$log" ]; then
  # The build itself failed before any test ran.
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

# One JSON object per line, one line per meson test.
read -r passed failed < <(python3 - "$log" <<'EOF'
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
echo "tests: $passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
