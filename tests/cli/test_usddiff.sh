#!/usr/bin/env bash
# Command-line behaviour of usddiff: exit statuses (0 equal, 1 different,
# 2 error), the unified text diff, --brief, colour, --summary/--json/
# --tolerance, formats compared by content, packages entry by entry,
# folders, external diff programs (USD_DIFF/DIFF) with edits written back.
#
#   tests/cli/test_usddiff.sh PATH/TO/usddiff SOURCE_ROOT PATH/TO/usdcat
set -uo pipefail

usage="usage: test_usddiff.sh PATH/TO/usddiff SOURCE_ROOT PATH/TO/usdcat"
usddiff=${1:?$usage}
root=${2:?$usage}
usdcat=${3:?$usage}
usddiff=$(cd "$(dirname "$usddiff")" && pwd)/$(basename "$usddiff")
usdcat=$(cd "$(dirname "$usdcat")" && pwd)/$(basename "$usdcat")

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
unset USD_DIFF DIFF NO_COLOR

. "$support"

cat > a.usda <<'USDA'
#usda 1.0

def Xform "World"
{
    double radius = 1
    float[] weights = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]

    def Sphere "Ball"
    {
    }
}

USDA
sed -e 's/radius = 1/radius = 2/' -e 's/, 13,/, 13.5,/' a.usda > b.usda

expect_rc 0 "same file" "$usddiff" a.usda a.usda
check "same file prints nothing" test ! -s out.txt
expect_rc 0 "make crate" "$usdcat" a.usda -o a.usdc
expect_rc 0 "usda and usdc with the same content" "$usddiff" a.usda a.usdc
cp a.usdc a_crate.usd
expect_rc 0 "usdc content in a .usd" "$usddiff" a_crate.usd a.usda

expect_rc 1 "different" "$usddiff" a.usda b.usda
cat > want.txt <<'TXT'
@@ -5,2 +5,2 @@
-    double radius = 1
-    float[] weights = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
+    double radius = 2
+    float[] weights = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13.5, 14, 15, 16, 17, 18, 19]
TXT
check "unified diff without file headers" cmp -s out.txt want.txt
expect_rc 1 "usdc against changed usda" "$usddiff" a.usdc b.usda
check "crate side prints the same diff" cmp -s out.txt want.txt

# Equal big arrays stand in as placeholders internally; a line that moves
# must still print its real values.
sed -e 's/"Ball"/"Ball2"/' -e 's/def Xform "World"/def Xform "World2"/' a.usda > moved.usda
expect_rc 1 "renamed prim" "$usddiff" a.usda moved.usda
check "no placeholder leaks into output" sh -c "! grep -q \$'\\x01' out.txt"
check "context shows the real array" sh -c "'$usddiff' -U 3 a.usda moved.usda | grep -qF '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10'"

expect_rc 1 "--brief" "$usddiff" -q a.usda b.usda
check "--brief names both files" cmp -s out.txt <(echo "Files a.usda and b.usda differ")
expect_rc 1 "--brief long form" "$usddiff" --brief a.usda b.usda
expect_rc 1 "colour always" "$usddiff" --color=always a.usda b.usda
check "colour codes" contains out.txt $'\033[31m-'
expect_rc 1 "colour auto into a file" "$usddiff" --color auto a.usda b.usda
check "no colour off a terminal" cmp -s out.txt want.txt
expect_rc 2 "bad colour" "$usddiff" --color=sometimes a.usda b.usda

expect_rc 1 "--summary" "$usddiff" --summary a.usda b.usda
cat > want.txt <<'TXT'
changed value /World.radius: 1 -> 2
changed value /World.weights: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19] -> [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13.5, 14, 15, 16, 17, 18, 19]
TXT
check "--summary lines" cmp -s out.txt want.txt
expect_rc 1 "--summary --tolerance 0.6" "$usddiff" --summary --tolerance 0.6 a.usda b.usda
check "tolerance hides the 0.5 change" cmp -s out.txt <(head -1 want.txt)
expect_rc 1 "--summary --json" "$usddiff" --summary --json a.usda b.usda
check "--json records" python3 -c '
import json
d = json.load(open("out.txt"))
assert [c["path"] for c in d] == ["/World.radius", "/World.weights"], d
assert d[0]["old"] == "1" and d[0]["new"] == "2" and d[0]["change"] == "changed"
'
expect_rc 0 "--summary of equal layers in two formats" "$usddiff" --summary a.usda a.usdc
check "--summary equal prints nothing" test ! -s out.txt
expect_rc 2 "--json needs --summary" "$usddiff" --json a.usda b.usda
expect_rc 2 "--tolerance needs --summary" "$usddiff" --tolerance 1 a.usda b.usda

# Packages, entry by entry.
mkdir -p pa pb
cp a.usda pa/x.usda; cp b.usda pb/x.usda
expect_rc 0 "package a" "$usdcat" pa/x.usda -o pa/x.usdz
expect_rc 0 "package b" "$usdcat" pb/x.usda -o pb/x.usdz
expect_rc 0 "make a.usdz" "$usdcat" a.usda -o a.usdz
expect_rc 0 "same package" "$usddiff" pa/x.usdz pa/x.usdz
expect_rc 1 "different packages" "$usddiff" pa/x.usdz pb/x.usdz
check "names the entry" contains out.txt "Differences in pa/x.usdz[x.usdc] and pb/x.usdz[x.usdc]:"
check "crate entries print as text" contains out.txt "+    double radius = 2"
expect_rc 1 "packages with different entries" "$usddiff" a.usdz pa/x.usdz
check "lone entries reported" contains out.txt "Only in baseline: a.usdz[a.usdc]."
check "lone entries reported (comparison)" contains out.txt "Not in baseline: pa/x.usdz[x.usdc]."
# Unlike OpenUSD (which calls such a pair different unseen), a package's
# root layer is compared with a plain layer by content.
expect_rc 0 "package against the same layer" "$usddiff" a.usdz a.usda
expect_rc 1 "package against a different layer" "$usddiff" a.usdz b.usda
check "package against layer shows the text diff" contains out.txt "+    double radius = 2"

# Folders.
mkdir -p left right
cp a.usda left/x.usda; cp b.usda right/x.usda; cp a.usda left/only.usda
expect_rc 1 "DIR DIR" "$usddiff" left right
check "DIR DIR reports the lone file" contains out.txt "No corresponding file found for left/only.usda, skipping."
cp a.usda right/x.usda
expect_rc 0 "DIR DIR equal but for a lone file" "$usddiff" left right
mkdir -p sub; cp a.usda sub/a.usda
expect_rc 0 "FILE DIR" "$usddiff" a.usda sub
# A file without a partner is reported but is no difference (as in OpenUSD).
expect_rc 0 "DIR FILE" "$usddiff" sub b.usda
check "DIR FILE missing pair reported" contains out.txt "No corresponding file found for b.usda, skipping."
expect_rc 2 "DIR DIR DIR" "$usddiff" left right sub
expect_rc 2 "one argument" "$usddiff" a.usda
expect_rc 2 "missing file" "$usddiff" a.usda nope.usda
check "missing file named" contains err.txt "nope.usda does not exist"

# Formats.
echo "plain text" > notes.txt
expect_rc 2 "unknown format" "$usddiff" a.usda notes.txt
check "unknown format message" contains err.txt "Cannot find supported file format plugin for notes.txt"
cp a.usda extensionless
expect_rc 0 "extensionless layer sniffed" "$usddiff" extensionless a.usda
: > empty1.usda; : > empty2.usda
expect_rc 0 "empty files" "$usddiff" empty1.usda empty2.usda
expect_rc 1 "empty against a layer" "$usddiff" empty1.usda a.usda
printf '#usda 1.0\ndef "A" {\n' > broken.usda
expect_rc 2 "unparsable layer" "$usddiff" broken.usda a.usda
check "parse error names line and column" grep -q 'broken.usda:[0-9]*:[0-9]*' err.txt

# -f composes both sides first: a layer that references a.usda equals a.usda
# flattened apart from the source comment, which names each root layer.
printf '#usda 1.0\n(\n    subLayers = [\n        @./a.usda@\n    ]\n)\n' > wraps_a.usda
expect_rc 1 "--flatten: only the source comment differs" "$usddiff" -f a.usda wraps_a.usda
check "--flatten: the differing lines name the roots" test "$(grep -c '^[-+] ' out.txt)" -eq 2
check "--flatten: the source comment line" contains out.txt '+    doc = """Generated from Composed Stage of root layer wraps_a.usda'
expect_rc 1 "--flatten: a changed value" "$usddiff" -f a.usda b.usda
check "--flatten shows the changed value" grep -q '^+ *double radius = 2' out.txt
expect_rc 2 "--flatten of a missing file" "$usddiff" -f a.usda missing.usda

# External programs.
expect_rc 1 "DIFF=diff, different" env DIFF=diff "$usddiff" a.usda b.usda
check "diff(1) output" grep -q '^> *double radius = 2' out.txt
expect_rc 0 "DIFF=diff, equal" env DIFF=diff "$usddiff" a.usda a.usdc
expect_rc 1 "USD_DIFF wins over DIFF" env USD_DIFF="diff -u" DIFF=false "$usddiff" a.usda b.usda
check "USD_DIFF's arguments are used" grep -q '^@@' out.txt
expect_rc 1 "--brief goes to the program" env DIFF=diff "$usddiff" -q a.usda b.usda
check "diff --brief output" contains out.txt "differ"
expect_rc 2 "program not found" env DIFF=no-such-diff-program "$usddiff" a.usda b.usda
check "program not found message" contains err.txt "Failed to find diff tool no-such-diff-program."

cat > editor.sh <<'SH'
#!/bin/sh
# Adds a prim to the comparison side, as a merge tool would.
printf 'def "Added"\n{\n}\n' >> "$2"
exit 1
SH
chmod +x editor.sh
cp b.usda edit.usda
expect_rc 1 "-n keeps files" env USD_DIFF="$work/editor.sh" "$usddiff" -n a.usda edit.usda
check "-n left the file alone" cmp -s edit.usda b.usda
expect_rc 1 "edits written back" env USD_DIFF="$work/editor.sh" "$usddiff" a.usda edit.usda
check "edit reached the file" contains edit.usda 'def "Added"'
"$usdcat" b.usda -o edit.usdc
expect_rc 1 "edits written back to crate" env USD_DIFF="$work/editor.sh" "$usddiff" a.usda edit.usdc
check "crate stays crate" sh -c "head -c 8 edit.usdc | grep -q PXR-USDC"
check "crate holds the edit" sh -c "'$usdcat' edit.usdc | grep -q 'def \"Added\"'"

expect_rc 0 "--help" "$usddiff" --help
check "--help lists --noeffect" contains out.txt "--noeffect"

finish
