#!/usr/bin/env bash
# Command-line behaviour of usdtree: output for a layer, flags, exit
# statuses, the composed modes, and no crash on any of the
# sdf-parsing conformance inputs (../shared/conformance/sdf-parsing).
#
#   tests/cli/test_usdtree.sh PATH/TO/usdtree SOURCE_ROOT PATH/TO/usdcat
set -uo pipefail

usage="usage: test_usdtree.sh PATH/TO/usdtree SOURCE_ROOT PATH/TO/usdcat"
usdtree=${1:?$usage}
root=${2:?$usage}
usdcat=${3:?$usage}
root=$(cd "$root" && pwd)
usdtree=$(cd "$(dirname "$usdtree")" && pwd)/$(basename "$usdtree")
usdcat=$(cd "$(dirname "$usdcat")" && pwd)/$(basename "$usdcat")
parsing="$root/../shared/conformance/sdf-parsing"

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

. "$support"

cat > scene.usda <<'USDA'
#usda 1.0
def Xform "World" (
    kind = "assembly"
    doc = "the world"
)
{
    double radius = 2
    def Sphere "Ball" (
        active = false
    )
    {
    }
    over "Patch"
    {
    }
}
class "_Base"
{
}
USDA

# Expected per usdtree.cpp: label "name [specifier type] (active, kind)";
# items under a prim in column " |   |" (not last, has children).
expect_rc 0 "plain tree" "$usdtree" scene.usda
cat > want.txt <<'TXT'
/
 |--World [def Xform] (kind = assembly)
 |   |--Ball [def Sphere] (active = false)
 |   `--Patch [over]
 `--_Base [class]
TXT
check "plain tree output" cmp -s out.txt want.txt

expect_rc 0 "-a -m" "$usdtree" -a -m scene.usda
cat > want.txt <<'TXT'
/
 |--World [def Xform] (kind = assembly)
 |   | :--(documentation)
 |   | `--.radius
 |   |--Ball [def Sphere] (active = false)
 |   `--Patch [over]
 `--_Base [class]
TXT
check "-a -m output" cmp -s out.txt want.txt

expect_rc 0 "--simple" "$usdtree" --simple scene.usda
printf '/\n |--World\n |   |--Ball\n |   `--Patch\n `--_Base\n' > want.txt
check "--simple output" cmp -s out.txt want.txt

expect_rc 0 "--depth 1" "$usdtree" --depth 1 -s scene.usda
printf '/\n |--World\n `--_Base\n' > want.txt
check "--depth 1 output" cmp -s out.txt want.txt
expect_rc 2 "--depth 0 is a usage error" "$usdtree" --depth 0 scene.usda

expect_rc 0 "--json" "$usdtree" --json -a scene.usda
check "--json parses and names the prims" python3 -c '
import json, sys
d = json.load(open("out.txt"))
w = d["children"][0]
assert w["path"] == "/World" and w["kind"] == "assembly" and w["properties"] == ["radius"], w
assert [c["name"] for c in w["children"]] == ["Ball", "Patch"]
assert w["children"][0]["active"] is False and w["children"][0]["activeAuthored"] is True
'

# Crate and stdin give the same tree.
expect_rc 0 "make crate input" "$usdcat" scene.usda -o scene.usdc
"$usdtree" scene.usda > want.txt
expect_rc 0 "crate input" "$usdtree" scene.usdc
check "crate input gives the same tree" cmp -s out.txt want.txt
expect_rc 0 "stdin" sh -c "'$usdtree' - < scene.usda"
check "stdin gives the same tree" cmp -s out.txt want.txt

# --unloaded only matters for composed stages; OpenUSD accepts it alone.
expect_rc 0 "--unloaded without --flatten" "$usdtree" --unloaded scene.usda

# OpenUSD's usdtree exits 1 (not 2) for --mask without --flatten.
expect_rc 1 "--mask without --flatten" "$usdtree" --mask /World scene.usda
check "--mask message" contains err.txt "--mask requires --flatten"

# Composed modes: scene.usda has no arcs, so the composed tree is the
# layer's; a variant override and a muted (missing) layer change nothing.
for opt in --flatten -f --flattenLayerStack "--variant /World{v=a}" "--mute other.usda"; do
  # shellcheck disable=SC2086
  expect_rc 0 "$opt" "$usdtree" $opt scene.usda
  check "$opt shows the same prims" cmp -s out.txt want.txt
done
# --composition and --layers on a shot with a sublayer, a reference and a
# payload (testdata/flatten), and a reference that cannot be found.
mkdir shot && cp "$root"/testdata/flatten/*.usda shot/
expect_rc 0 "--composition" "$usdtree" --composition shot/shot.usda
check "--composition lists the referenced opinion" contains out.txt "@$work/shot/ball.usda@</Ball>"
check "--composition lists the root layer's opinion first" \
  test "$(grep -A2 -- '--Ball \[' out.txt | sed -n 2p | sed 's/.*--//')" = "@$work/shot/shot.usda@</Shot/Ball>"
check "--composition lists variant selections" contains out.txt "{size=small}"
expect_rc 0 "--composition --json" "$usdtree" --composition --json shot/shot.usda
check "--composition --json has the lists" contains out.txt '"composition": ["@'
expect_rc 0 "--layers" "$usdtree" --layers shot/shot.usda
check "--layers: the root layer first" test "$(head -1 out.txt)" = "@$work/shot/shot.usda@ (root)"
check "--layers: the sublayer" contains out.txt "@$work/shot/lighting.usda@ (sublayer)"
check "--layers: the referenced asset and where" contains out.txt "@$work/shot/ball.usda@ (reference on </Shot/Ball>)"
printf '#usda 1.0\ndef "A" (\n    references = @./nowhere.usda@\n)\n{\n}\n' > dangling.usda
expect_rc 0 "--layers with a missing layer" "$usdtree" --layers dangling.usda
check "--layers reports the missing layer" grep -q '^unresolved: .*nowhere.usda' out.txt
expect_rc 0 "--layers --json" "$usdtree" --layers --json shot/shot.usda
check "--layers --json" contains out.txt '"arc": "reference", "prim": "/Shot/Ball"'

# --explain: an attribute's value and the opinions behind it. The ball is
# referenced with an offset of 100; the shot overrides with samples; a
# schema fallback stands behind everything.
mkdir explain
cat > explain/ball.usda <<'USDA'
#usda 1.0
def Sphere "Ball" (
    kind = "component"
)
{
    double radius = 1
    double radius.timeSamples = { 0: 1, 10: 3 }
}
USDA
cat > explain/shot.usda <<'USDA'
#usda 1.0
def Xform "World"
{
    def "Ball" (
        references = @./ball.usda@</Ball> (offset = 100)
        kind = "prop"
    )
    {
        double radius.timeSamples = { 5: 2, 6: 2.5 }
    }
    def "Blocked" (
        references = @./ball.usda@</Ball> (offset = 100)
    )
    {
        double radius = None
    }
    def "Plain" (
        references = @./ball.usda@</Ball> (offset = 100)
    )
    {
    }
}
USDA
expect_rc 0 "--explain at the default time" "$usdtree" --explain /World/Ball.radius explain/shot.usda
check "--explain: the default comes from the reference" \
  test "$(sed -n 2,3p out.txt)" = "$(printf '  value (default time): 1\n  from: default, at the default time only defaults count: stronger time samples (or value clips) are read with --time')"
check "--explain: the referenced opinion wins, with its offset" \
  contains out.txt "* @$work/explain/ball.usda@</Ball.radius>  reference, layer time x 1 + 100"
check "--explain: the schema fallback is listed" contains out.txt "fallback = 1 (from the prim's schemas)"
expect_rc 0 "--explain --time" "$usdtree" --explain /World/Ball.radius --time 5.5 explain/shot.usda
check "--explain --time interpolates the shot's samples" contains out.txt "value at time 5.5: 2.25"
check "--explain --time says between which samples" contains out.txt "from: time samples, between the samples at 5 and 6"
expect_rc 0 "--explain a block" "$usdtree" --explain /World/Blocked.radius --time 105 explain/shot.usda
check "--explain: a block falls back to the schema" contains out.txt "from: fallback (authored value blocked)"
expect_rc 0 "--explain a prim" "$usdtree" --explain /World/Ball explain/shot.usda
check "--explain a prim: kind from the shot" test "$(grep -A1 '^  kind$' out.txt | tail -1)" = '    value: "prop"'
expect_rc 0 "--explain --json" "$usdtree" --explain /World/Plain.radius --time 105 --json explain/shot.usda
check "--explain --json: the reference's samples at layer time 5" python3 -c '
import json, sys
e = json.load(open("out.txt"))
assert e["value"] == "2" and e["source"] == "time samples", e
assert e["detail"] == "between the samples at 100 and 110 (layer time 5)", e
wins = [o for o in e["opinions"] if o["wins"]]
assert len(wins) == 1 and wins[0]["arc"] == "reference" and wins[0]["offset"] == 100, wins
'
printf '#usda 1.0\n(\n    metersPerUnit = 0.01\n)\n' > explain/sub.usda
printf '#usda 1.0\n(\n    subLayers = [@./sub.usda@]\n    upAxis = "Z"\n)\n' > explain/meta.usda
expect_rc 0 "--explain /" "$usdtree" --explain / explain/meta.usda
check "--explain /: the root layer's metadata" test "$(grep -A1 '^  upAxis$' out.txt | tail -1)" = '    value: "Z"'
check "--explain /: not a sublayer's" lacks out.txt "metersPerUnit"
# Instances: an instance names the prototype it shares; a prototype's prims
# are explained from its source instance.
cat > explain/instances.usda <<'USDA'
#usda 1.0
def "Part" {
    int n = 3
}
def "A" (
    instanceable = true
    references = </Part>
)
{
}
def "B" (
    instanceable = true
    references = </Part>
)
{
}
USDA
expect_rc 0 "--explain an instance" "$usdtree" --explain /B explain/instances.usda
check "--explain an instance: its prototype and the source instance" \
  contains out.txt "an instance of </__Prototype_1>, whose prims are composed from </A>"
expect_rc 0 "--explain inside a prototype" "$usdtree" --explain /__Prototype_1.n explain/instances.usda
check "--explain inside a prototype: the source's opinion" contains out.txt "* @$work/explain/instances.usda@</Part.n>  reference"
expect_rc 1 "--explain a prototype the stage lacks" "$usdtree" --explain /__Prototype_2 explain/instances.usda
check "--explain a prototype the stage lacks says so" contains err.txt "the stage has no prim </__Prototype_2>"
expect_rc 1 "--explain a missing prim" "$usdtree" --explain /World/Nope explain/shot.usda
check "--explain a missing prim says so" contains err.txt "the stage has no prim </World/Nope>"
expect_rc 2 "--explain a relative path" "$usdtree" --explain World explain/shot.usda
expect_rc 2 "--time without --explain" "$usdtree" --time 1 explain/shot.usda
expect_rc 2 "--time that is not a number" "$usdtree" --explain /World/Ball.radius --time x explain/shot.usda

expect_rc 1 "--flatten of a missing file" "$usdtree" --flatten missing.usda
check "--flatten of a missing file names it" contains err.txt "missing.usda"

expect_rc 1 "missing file" "$usdtree" missing.usda
check "missing file message" contains err.txt 'Failed to process "missing.usda"'
printf '#usda 1.0\ndef "A" {\n' > broken.usda
expect_rc 1 "parse error" "$usdtree" broken.usda
check "parse error names line and column" grep -q 'broken.usda:[0-9]*:[0-9]*' err.txt
expect_rc 2 "no input" "$usdtree"
expect_rc 0 "--help" "$usdtree" --help
check "--help lists --flatten" contains out.txt "--flatten"

# Every sdf-parsing input: exit 0 or 1, never a crash.
if [ -d "$parsing/cases" ]; then
  crashes=0
  for f in "$parsing"/cases/*; do
    "$usdtree" -a -m "$f" >/dev/null 2>&1
    rc=$?
    if [ "$rc" -gt 1 ]; then crashes=$((crashes + 1)); echo "    $(basename "$f"): exit $rc"; fi
  done
  check "no crash on the sdf-parsing inputs ($crashes bad exits)" test "$crashes" -eq 0
else
  echo "skipped: conformance data not found ($parsing)"
fi

finish
