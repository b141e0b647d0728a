#!/usr/bin/env bash
# Command-line behaviour of usdchecker: the rules each of OpenUSD's bad test
# assets breaks (../shared/conformance/usdchecker; the expected rules follow
# from OpenUSD's complianceChecker.py read against each file's content),
# usdkit's schema rules on scenes written here, options, report formats and
# exit statuses, and no crash on the other conformance suites' good files.
#
#   tests/cli/test_usdchecker.sh PATH/TO/usdchecker SOURCE_ROOT
set -uo pipefail

usage="usage: test_usdchecker.sh PATH/TO/usdchecker SOURCE_ROOT"
checker=${1:?$usage}
root=${2:?$usage}
root=$(cd "$root" && pwd)
checker=$(cd "$(dirname "$checker")" && pwd)/$(basename "$checker")
conformance="$root/../shared/conformance"
suite="$conformance/usdchecker/testUsdChecker1"

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

. "$support"

# The rules (sorted, one per line) whose failures or errors an output names.
failing_rules() {
  sed -n "s/.*(fails '\([A-Za-z]*\)')\$/\1/p; s/^Error checking rule '\([A-Za-z]*\)'.*/\1/p" "$1" | sort -u
}
warning_rules() { sed -n "s/.*(may violate '\([A-Za-z]*\)')\$/\1/p" "$1" | sort -u; }

# expect_rules NAME WANT_RC "Rule Rule..." ARGS...: runs usdchecker in the
# OpenUSD test folder and compares the set of failing rules.
expect_rules() {
  local name=$1 want_rc=$2 want=$3; shift 3
  (cd "$suite" && "$checker" "$@") >out.txt 2>err.txt
  local rc=$?
  local got; got=$(failing_rules out.txt | tr '\n' ' ' | sed 's/ $//')
  local sorted; sorted=$(echo "$want" | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//')
  if [ "$rc" -eq "$want_rc" ] && [ "$got" = "$sorted" ]; then pass; else
    fail "$name: exit $rc (want $want_rc), rules [$got] (want [$sorted])"; head -5 out.txt | sed 's/^/    /'; fi
}

if [ -d "$suite" ]; then
  M=StageMetadataChecker
  expect_rules gprim-parent 1 "PrimEncapsulationChecker" bad/badGprimParent.usda
  expect_rules shader-parent 1 "PrimEncapsulationChecker" bad/badShaderParent.usda
  expect_rules shader-scope-parent 1 "PrimEncapsulationChecker" bad/badShaderScopeParent.usda
  expect_rules binding-api 1 "MaterialBindingAPIAppliedChecker" bad/badMaterialBindingAPIApplied.usda
  expect_rules binding 1 "$M MaterialBindingAPIAppliedChecker" bad/badMaterialBinding.usdc
  expect_rules binding-arkit 1 "$M MaterialBindingAPIAppliedChecker ARKitMaterialBindingChecker" --arkit bad/badMaterialBinding.usdc
  expect_rules coll-binding-arkit 1 "$M MaterialBindingAPIAppliedChecker ARKitMaterialBindingChecker" --arkit bad/badCollMaterialBinding.usdc
  expect_rules skel-binding 1 "SkelBindingAPIAppliedChecker" bad/badSkelBindingAPIApplied.usda
  expect_rules skel-root 1 "SkelBindingAPIAppliedChecker" bad/badSkelBindingNoSkelRoot.usda
  expect_rules normal-map 1 "NormalMapTextureChecker" bad/badNormalMapReader.usda
  check normal-map-warns-scale contains out.txt "non-standard inputs:scale value of (1, 1, 1, 1)"
  expect_rules property-type 1 "ShaderPropertyTypeConformanceChecker" bad/badPropertyType.usd
  check property-type-message contains out.txt "Expected 'color3f'; got 'float3'"
  expect_rules shader-id 1 "$M ShaderPropertyTypeConformanceChecker" bad/badShaderId.usdc
  expect_rules shader-id-arkit 1 "$M ShaderPropertyTypeConformanceChecker ARKitShaderChecker" --arkit bad/badShaderId.usdc
  expect_rules impl-source-arkit 1 "$M ShaderPropertyTypeConformanceChecker ARKitShaderChecker" --arkit bad/badShaderImplSource.usdc
  expect_rules shader-input 1 "$M" bad/badShaderInput.usdc
  expect_rules shader-input-arkit 1 "$M ARKitShaderChecker" --arkit bad/badShaderInput.usdc
  expect_rules unknown-texture 1 "$M" bad/badShaderUnknownTexture.usdc
  expect_rules unknown-texture-arkit 1 "$M TextureChecker" --arkit bad/badShaderUnknownTexture.usdc
  expect_rules bmp-texture-arkit 1 "$M TextureChecker" --arkit bad/badShaderUnsupportedTexture.usdc
  expect_rules usdz-layout 1 "$M ByteAlignmentChecker CompressionChecker" bad/badUsdz.usdz
  expect_rules broken-dep 1 "$M MissingReferenceChecker" bad/brokenDep.usd
  expect_rules broken-ref 1 "$M MissingReferenceChecker" bad/brokenRef.usd
  expect_rules no-default-prim 1 "$M" bad/noDefaultPrim.usda
  check no-default-prim-message contains out.txt "Stage has missing or invalid defaultPrim."
  expect_rules no-default-prim-no-asset-checks 0 "" --noAssetChecks bad/noDefaultPrim.usda
  expect_rules no-metrics 1 "$M" bad/noMetrics.usda
  expect_rules no-up-axis 1 "$M" bad/noUpAxis.usda
  expect_rules z-up 0 "" bad/zUp.usdc
  expect_rules z-up-arkit 1 "$M" --arkit bad/zUp.usdc
  check z-up-arkit-message contains out.txt "Stage specifies upAxis 'Z'. upAxis should be 'Y'."
  expect_rules unencapsulated-asset 1 "$M ARKitPackageEncapsulationChecker" --arkit bad/unencapsulated_asset.usdz
  expect_rules unencapsulated-layer 1 "$M ARKitPackageEncapsulationChecker" --arkit bad/unencapsulated_layer.usdz
  expect_rules unknown-file 1 "$M ARKitFileExtensionChecker" --arkit bad/unknownfile.usdz
  expect_rules unsupported-types 1 "$M ARKitPrimTypeChecker" --arkit bad/unsupportedTypes_arkit.usdc
  # shading.usda is a library layer: no stage metadata.
  expect_rules shading-library 1 "$M" clean/shading.usda
  expect_rules clean-binding 0 "" clean/cleanMaterialBindingAPIApplied.usda
  expect_rules clean-skel 0 "" clean/cleanSkelBindingAPIApplied.usda
  expect_rules clean-usdc-usdz 0 "" clean/clean_usdc.usdz
  # Variants: every combination by default, the selected ones with -s.
  expect_rules variants 1 "ARKitPrimTypeChecker" --arkit bad/variants.usdc
  check variants-all-combinations test "$(grep -c PointInstancer out.txt)" -eq 12
  expect_rules variants-skip 1 "ARKitPrimTypeChecker" --arkit -s bad/variants.usdc
  check variants-selected-only test "$(grep -c PointInstancer out.txt)" -eq 1
  # Rules chosen one by one.
  expect_rules enable-one 1 "ARKitPrimTypeChecker" --enable ARKitPrimTypeChecker bad/variants.usdc
  expect_rules disable-one 0 "" --disable StageMetadataChecker bad/noMetrics.usda
  # Stage-level rules still run before the package check, as in OpenUSD.
  expect_rules root-package-only-layer 1 "$M" -p bad/noMetrics.usda
  check root-package-only-message contains out.txt "doesn't belong to a package, but 'rootPackageOnly' is True!"
  # Several inputs, in parallel: the same findings, in input order.
  (cd "$suite" && "$checker" -j 1 bad/noMetrics.usda bad/badGprimParent.usda clean/cleanMaterialBindingAPIApplied.usda) >serial.txt 2>&1
  (cd "$suite" && "$checker" -j 2 bad/noMetrics.usda bad/badGprimParent.usda clean/cleanMaterialBindingAPIApplied.usda) >parallel.txt 2>&1
  check parallel-same cmp -s serial.txt parallel.txt
  check summary-line contains serial.txt "3 files checked, 2 failed"
  check prefixed contains serial.txt "bad/badGprimParent.usda: Gprim </World/Scepter/BaubleTop>"
  # Report formats.
  (cd "$suite" && "$checker" --format json bad/noMetrics.usda clean/cleanMaterialBindingAPIApplied.usda) >report.json 2>err.txt
  check json-parses python3 -c "import json,sys; d=json.load(open('report.json')); assert d['summary']['failed']==1 and d['inputs'][1]['passed']"
  (cd "$suite" && "$checker" --format sarif bad/noMetrics.usda) >report.sarif 2>err.txt
  check sarif-parses python3 -c "import json; d=json.load(open('report.sarif')); r=d['runs'][0]['results']; assert d['version']=='2.1.0' and r[0]['ruleId']=='StageMetadataChecker' and r[0]['level']=='error'"
  (cd "$suite" && "$checker" --format junit bad/noMetrics.usda clean/cleanMaterialBindingAPIApplied.usda) >report.xml 2>err.txt
  check junit-parses python3 -c "import xml.etree.ElementTree as E; s=E.parse('report.xml').getroot().find('testsuite'); assert s.get('tests')=='2' and s.get('failures')=='1'"
  (cd "$suite" && "$checker" --format github bad/noMetrics.usda) >report.txt 2>err.txt
  check github-annotation contains report.txt "::error file=bad/noMetrics.usda,title=StageMetadataChecker::Stage does not specify its linear scale in metersPerUnit."
  # -o: the findings go to the file, the verdict to stdout.
  expect_rc 1 out-file bash -c "cd '$suite' && '$checker' bad/noMetrics.usda -o '$work/found.txt'"
  check out-file-content contains found.txt "(fails 'StageMetadataChecker')"
  check out-file-verdict contains out.txt "Failed!"
  expect_rc 1 out-file-unwritable bash -c "cd '$suite' && '$checker' bad/noMetrics.usda -o '$work/missing/dir/found.txt'"
  check out-file-unwritable-nothing test ! -e "$work/missing"
else
  echo "skipped: conformance data not found ($suite); OpenUSD's test assets not checked"
fi

# usdkit's schema rules: findings are warnings, so the verdict stays pass
# unless --strict.
cat > schema.usda <<'USDA'
#usda 1.0
(
    defaultPrim = "World"
    metersPerUnit = 1
    upAxis = "Y"
)

def Xform "World" (
    kind = "assembly"
)
{
    def Mesh "Body" (
        prepend apiSchemas = ["MaterialBindingAPI", "CollectionAPI", "NoSuchAPI", "ShadowAPI:x"]
        kind = "component"
    )
    {
        float3[] points = [(0, 0, 0)]
        uniform token subdivisionScheme = "smooth"
        token orientation = "rightHanded"
        def Xform "Part" (
            kind = "component"
        )
        {
        }
    }
    def Gprim "Abstract"
    {
    }
    def Frobnicator "Unknown"
    {
    }
    def Scope "Grouping"
    {
        def Xform "Loose" (
            kind = "component"
        )
        {
        }
    }
}
USDA
expect_rc 0 schema-warnings-pass "$checker" schema.usda
check schema-verdict contains out.txt "Success with warnings..."
check schema-rules test "$(warning_rules out.txt | tr '\n' ' ')" = "KindHierarchyChecker SchemaAPIChecker SchemaPrimTypeChecker SchemaPropertyChecker "
check schema-unknown-type contains out.txt "Prim </World/Unknown> has type 'Frobnicator', which no schema"
check schema-abstract-type contains out.txt "Prim </World/Abstract> has abstract type 'Gprim'"
check schema-unknown-api contains out.txt "Unknown API schema 'NoSuchAPI'"
check schema-multi-apply contains out.txt "Multiple-apply API schema 'CollectionAPI' applied on the prim </World/Body> has no instance name."
check schema-single-apply contains out.txt "Single-apply API schema 'ShadowAPI' applied on the prim </World/Body> has an instance name 'x'."
check schema-wrong-type contains out.txt "Attribute </World/Body.points> has type 'float3[]' but its schema defines 'point3f[]'."
check schema-token contains out.txt "Attribute </World/Body.subdivisionScheme> has value 'smooth', which is not one of its allowed tokens"
check schema-variability contains out.txt "Attribute </World/Body.orientation> is authored varying but its schema defines it uniform."
check schema-kind-component contains out.txt "Prim </World/Body/Part> of kind 'component' is inside the component </World/Body>"
check schema-kind-parent contains out.txt "Prim </World/Grouping/Loose> of kind 'component' has the parent </World/Grouping> with no kind"
expect_rc 1 schema-strict "$checker" --strict schema.usda
check schema-strict-verdict contains out.txt "Failed!"

cat > clean.usda <<'USDA'
#usda 1.0
(
    defaultPrim = "World"
    metersPerUnit = 1
    upAxis = "Y"
)

def Xform "World" (
    kind = "assembly"
)
{
    def Mesh "Body" (
        prepend apiSchemas = ["MaterialBindingAPI", "CollectionAPI:parts"]
        kind = "component"
    )
    {
        point3f[] points = [(0, 0, 0)]
        uniform token subdivisionScheme = "none"
        rel material:binding = </World/Looks/Red>
    }
    def Scope "Looks"
    {
        def Material "Red"
        {
        }
    }
}
USDA
expect_rc 0 clean-scene "$checker" --strict clean.usda
check clean-scene-verdict test "$(cat out.txt)" = "Success!"

# A directory stands for the USD files below it.
mkdir -p dir/sub && cp clean.usda dir/a.usda && cp clean.usda dir/sub/b.usda && echo text > dir/notes.txt
expect_rc 0 directory-input "$checker" dir
check directory-count contains out.txt "2 files checked, 0 failed"

# Usage and input errors.
expect_rc 2 no-input "$checker"
expect_rc 2 unknown-rule "$checker" --enable NoSuchRule clean.usda
expect_rc 2 bad-format "$checker" --format yaml clean.usda
expect_rc 0 dump-only "$checker" -d
check dump-lists-rules contains out.txt "[StageMetadataChecker]:"
expect_rc 0 dump-json "$checker" -d --arkit --format json
check dump-json-parses python3 -c "import json; d=json.load(open('out.txt')); assert len(d)==20 and d[10]['id']=='ARKitLayerChecker' and d[19]['severity']=='warning'"
expect_rc 1 missing-file "$checker" nosuch.usda
check missing-file-named contains out.txt "nosuch.usda"
expect_rc 1 not-usd "$checker" clean.txt
check not-usd-message contains out.txt "Cannot open file 'clean.txt' on a USD stage."
printf '#usda 1.0\ndef "A" {\n' > broken.usda
expect_rc 1 parse-error "$checker" broken.usda
check parse-error-position grep -q "broken.usda:[0-9]*:[0-9]*" out.txt err.txt

# No crash, hang or internal error on the good files of the other suites:
# one run checks them all (usdchecker takes many files); only when it fails
# are the files run one by one to name the culprit.
if [ -d "$conformance/crate/good" ]; then
  files=()
  for f in "$conformance"/crate/good/*.usdc "$conformance"/flatten/*/input/*/root.usda; do
    [ -e "$f" ] && files+=("$f")
  done
  timeout 300 "$checker" "${files[@]}" >out.txt 2>err.txt
  rc=$?
  if [ "$rc" -le 1 ] && ! grep -q "Error checking rule" out.txt && contains out.txt "${#files[@]} files checked"; then
    pass
  else
    fail "good-files-no-crash: exit $rc for ${#files[@]} files"
    for f in "${files[@]}"; do
      timeout 60 "$checker" "$f" >out.txt 2>err.txt
      rc=$?
      if [ "$rc" -gt 1 ] || grep -q "Error checking rule" out.txt; then echo "  $f: exit $rc"; fi
    done
  fi
else
  echo "skipped: conformance data not found; good files of other suites not checked"
fi

finish
