#!/usr/bin/env python3
"""Runs one tool over an OpenUSD tool-test suite of the conformance data.

    tool_conformance.py SUITE_DIR TOOL_EXE

SUITE_DIR is ../shared/conformance/<tool> (manifest.json: per case the
arguments, the expected exit status and, where recorded, the expected
stdout in <case>/baseline/). Each case runs in its own folder. A case passes
when the exit status matches and, when a baseline stdout is given, stdout
matches it byte for byte; other files a case lists under "compare" (written
by the tool, e.g. usdchecker -o FILE) must equal baseline/FILE, and such cases run
in a scratch copy of their folder. Cases this build cannot run are skipped with the
reason: Alembic (.abc) and Draco (.drc) plugins are out of scope. Ends with
"N passed, N failed" (and the skips); exits 1 when any case failed.
"""
import json
import os
import shutil
import subprocess
import tempfile
import sys


def skip_reason(case):
    args = case["args"]
    if any(a.endswith(".abc") for a in args):
        return "needs the Alembic file format plugin (out of scope)"
    if any(a.endswith(".drc") for a in args):
        return "needs the Draco file format plugin (out of scope)"
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    suite, exe = sys.argv[1], os.path.abspath(sys.argv[2])
    manifest = os.path.join(suite, "manifest.json")
    if not os.path.exists(manifest):
        print("skipped: conformance data not found (%s)" % manifest)
        print("0 passed, 0 failed")
        return 0
    with open(manifest) as f:
        cases = json.load(f)
    passed = failed = skipped = 0
    for case in cases:
        name = case["case"]
        reason = skip_reason(case)
        if reason:
            skipped += 1
            print("SKIP %s: %s" % (name, reason))
            continue
        # OpenUSD's tests ran without an external diff program unless the
        # case sets one.
        env = {k: v for k, v in os.environ.items() if k not in ("USD_DIFF", "DIFF")}
        for entry in case.get("env") or []:
            key, _, value = entry.partition("=")
            env[key] = value
        folder = os.path.join(suite, name)
        scratch = None
        # A compare entry naming the stdout baseline is OpenUSD's capture of
        # stdout (checked above); the others are files the tool writes.
        written_files = [c for c in case.get("compare") or [] if c != case.get("stdout")]
        if written_files:
            scratch = tempfile.mkdtemp()
            folder = os.path.join(scratch, name)
            shutil.copytree(os.path.join(suite, name), folder)
            for dirpath, dirnames, filenames in os.walk(folder):
                os.chmod(dirpath, 0o755)
        try:
            run = subprocess.run([exe] + case["args"], cwd=folder, env=env,
                                 capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            failed += 1
            print("FAIL %s: timed out" % name)
            continue
        problems = []
        for written in written_files:
            produced = os.path.join(folder, written)
            if not os.path.exists(produced):
                problems.append("%s was not written" % written)
                continue
            with open(produced, "rb") as a, open(os.path.join(folder, "baseline", written), "rb") as b:
                if a.read() != b.read():
                    problems.append("%s differs from baseline/%s" % (written, written))
        if scratch:
            shutil.rmtree(scratch)
        if run.returncode != case["expected_return_code"]:
            problems.append("exit status %d, expected %d" % (run.returncode, case["expected_return_code"]))
        if case.get("stdout"):
            with open(os.path.join(folder, "baseline", case["stdout"]), "rb") as f:
                expected = f.read()
            if run.stdout != expected:
                problems.append("stdout differs from baseline/%s" % case["stdout"])
        if run.returncode < 0:
            problems.append("killed by signal %d" % -run.returncode)
        if problems:
            failed += 1
            print("FAIL %s: %s" % (name, "; ".join(problems)))
            if run.stderr:
                print("  stderr: " + run.stderr.decode(errors="replace").strip()[:500])
        else:
            passed += 1
            print("PASS %s" % name)
    print("%d skipped (reasons above)" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
