# Shared by the command-line test scripts (sourced, not run): counters and
# checks, each failure printed with its name. Commands run with stdout in
# out.txt and stderr in err.txt of the current folder.

passed=0
failed=0
# The tests expect the writers' defaults (current OpenUSD's file versions).
unset USD_WRITE_NEW_USDC_FILES_AS_VERSION USD_WRITE_NEW_USDA_FILES_AS_VERSION
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect_rc WANT NAME CMD...: runs CMD, checks its exit status.
expect_rc() {
  local want=$1 name=$2; shift 2
  "$@" >out.txt 2>err.txt
  local rc=$?
  if [ "$rc" -eq "$want" ]; then pass; else fail "$name: exit $rc, expected $want"; sed 's/^/    stderr: /' err.txt | head -5; fi
}
# check NAME TEST-ARGS...: a `test`/`[`-style condition or any command.
check() {
  local name=$1; shift
  if "$@"; then pass; else fail "$name"; fi
}
# When the text is missing, the file's first lines are shown: a failure
# that cannot be reproduced (a sanitizer report, a crash message) is then
# in the log.
contains() {
  grep -qF -- "$2" "$1" && return 0
  sed 's/^/    '"$(basename "$1")"': /' "$1" 2>/dev/null | head -5
  return 1
}
lacks() { ! grep -qF -- "$2" "$1"; }

# The closing line the test runner reads; the status says whether all passed.
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
