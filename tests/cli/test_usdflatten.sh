#!/usr/bin/env bash
# Command-line behaviour of usdflatten on testdata/flatten (a shot that
# sublayers its lighting, references a ball and loads it again as a payload):
# composition results, the debugging options, exit statuses and atomic output.
#
#   tests/cli/test_usdflatten.sh PATH/TO/usdflatten SOURCE_ROOT
set -u
tool=${1:?usage: test_usdflatten.sh PATH/TO/usdflatten SOURCE_ROOT}
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")
root=${2:?usage: test_usdflatten.sh PATH/TO/usdflatten SOURCE_ROOT}
support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root"/testdata/flatten/*.usda "$work"/
cd "$work" || exit 1

. "$support"

expect_rc 0 "flatten the shot" "$tool" shot.usda
check "the sublayer's prim is composed in" contains out.txt 'def "Lamp"'
check "the referenced ball's type arrives" contains out.txt 'def Sphere "Ball"'
check "the variant's authored selection decides" contains out.txt 'double radius = 1'
check "no arcs are left" lacks out.txt 'references'
check "no variant sets are left" lacks out.txt 'variantSet'
check "the source is recorded" contains out.txt "Generated from Composed Stage of root layer $work/shot.usda"

expect_rc 0 "--variant" "$tool" shot.usda --variant '/Shot/Ball{size=big}' --skipSourceFileComment
check "--variant overrides the authored selection" contains out.txt 'double radius = 10'
check "--variant touches only its prim" contains out.txt 'double radius = 1'
check "--skipSourceFileComment" lacks out.txt 'Generated from'

expect_rc 0 "--unloaded" "$tool" shot.usda --unloaded
check "--unloaded leaves the payload out" test "$(grep -c 'radius' out.txt)" -eq 1
expect_rc 0 "--unloaded --load" "$tool" shot.usda --unloaded --load /Shot/Heavy
check "--load brings one payload back" test "$(grep -c 'radius' out.txt)" -eq 2

expect_rc 0 "--mask" "$tool" shot.usda --mask /Shot/Lamp
check "--mask keeps the masked prim" contains out.txt 'def "Lamp"'
check "--mask drops the others" lacks out.txt '"Ball"'

expect_rc 0 "--mute" "$tool" shot.usda --mute lighting.usda
check "--mute leaves the sublayer out" lacks out.txt 'Lamp'

expect_rc 0 "--flattenLayerStack" "$tool" --flattenLayerStack shot.usda
check "--flattenLayerStack keeps the arcs" contains out.txt "prepend references = @$work/ball.usda@"
check "--flattenLayerStack merges the sublayer" contains out.txt 'def "Lamp"'

expect_rc 0 "-o out.usdc" "$tool" shot.usda -o out.usdc
check "-o writes a crate file" test "$(head -c 8 out.usdc)" = "PXR-USDC"

echo "old" >kept.usda
expect_rc 1 "missing root layer" "$tool" missing.usda -o kept.usda
check "a failed run leaves the output alone" test "$(cat kept.usda)" = "old"
check "the error names the file" contains err.txt "missing.usda"

expect_rc 2 "no arguments" "$tool"
expect_rc 2 "--variant without braces" "$tool" shot.usda --variant /Shot/Ball
expect_rc 2 "--mask with a relative path" "$tool" shot.usda --mask Shot
expect_rc 2 "--load without --unloaded" "$tool" shot.usda --load /Shot
expect_rc 1 "unknown output extension" "$tool" shot.usda -o out.txt

finish
