#!/usr/bin/env python3
"""OpenUSD's Usd-level test layers, flattened and printed as trees.

    stage_conformance.py SUITE_DIR USDCAT USDTREE KNOWN_FAILURES

SUITE_DIR is ../shared/conformance/stage (see its README). For every entry
of its manifest.json, in the layer's folder: `usdcat --flatten LAYER -o
out.usda` must write the expected layer byte for byte (with the folder's
absolute path written $CASEDIR), and `usdtree -f -a -m LAYER` must print
the expected tree.

KNOWN_FAILURES lists checks that do not pass, each with its reason ("CASE<TAB>INPUT<TAB>flatten"
or "...<TAB>tree", '#' comments): they are reported as KNOWN and counted
neither as passed nor as failed. A listed check that passes fails the run
(take it off the list), so the list cannot outlive a defect. Ends with
"N passed, N failed, N known"; exits 1 when any check failed.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, cwd):
    try:
        return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    except subprocess.TimeoutExpired:
        return None


def main():
    if len(sys.argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    suite, usdcat, usdtree, known_file = sys.argv[1:]
    usdcat, usdtree = os.path.abspath(usdcat), os.path.abspath(usdtree)
    manifest = os.path.join(suite, "manifest.json")
    if not os.path.exists(manifest):
        print("skipped: conformance data not found (%s)" % manifest)
        print("0 passed, 0 failed, 0 known")
        return 0
    known = set()
    with open(known_file) as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                known.add(tuple(line.split("\t")))
    with open(manifest) as f:
        cases = json.load(f)
    passed = failed = known_count = 0
    seen = set()
    scratch = tempfile.mkdtemp(prefix="usdkit-stage-")
    try:
        for case in cases:
            case_dir = os.path.join(suite, case["case"])
            layer_path = os.path.join(case_dir, case["input"])
            folder, layer = os.path.dirname(layer_path), os.path.basename(layer_path)
            out = os.path.join(scratch, "out.usda")
            if os.path.exists(out):
                os.remove(out)
            r = run([usdcat, "--flatten", layer, "-o", out], folder)
            got = b"" if r is None or not os.path.exists(out) else open(out, "rb").read()
            # The tool knows its folder as the working directory, with
            # symbolic links resolved (../shared may be one); the path as
            # given is replaced too.
            for spelling in sorted({os.path.realpath(folder), os.path.abspath(folder)}, key=len, reverse=True):
                got = got.replace(spelling.encode(), b"$CASEDIR")
            with open(os.path.join(case_dir, case["expected"]), "rb") as f:
                flatten_ok = got == f.read()
            r = run([usdtree, "-f", "-a", "-m", layer], folder)
            with open(os.path.join(case_dir, case["tree"]), "rb") as f:
                tree_ok = r is not None and r.stdout == f.read()
            for check, ok in (("flatten", flatten_ok), ("tree", tree_ok)):
                key = (case["case"], case["input"], check)
                seen.add(key)
                if key in known:
                    if ok:
                        failed += 1
                        print("FAIL %s %s: %s now passes: take it off the known failures" % key)
                    else:
                        known_count += 1
                elif ok:
                    passed += 1
                else:
                    failed += 1
                    print("FAIL %s %s: %s differs from OpenUSD's" % key)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for key in sorted(known - seen):
        failed += 1
        print("FAIL known failure %s %s %s names no check of the manifest" % key)
    print("%d passed, %d failed, %d known (OpenUSD's order there follows pointer hashes: see %s)"
          % (passed, failed, known_count, os.path.basename(known_file)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
