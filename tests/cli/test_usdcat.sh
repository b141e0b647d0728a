#!/usr/bin/env bash
# Command-line behaviour of usdcat: exit statuses, stdin/stdout, atomic
# output, refusal to clobber inputs, .zst, and OpenUSD's own usdcat cases
# from ../shared/conformance/usdcat when that folder exists.
#
#   tests/cli/test_usdcat.sh PATH/TO/usdcat [SOURCE_ROOT]
set -uo pipefail

usdcat=${1:?usage: test_usdcat.sh PATH/TO/usdcat [SOURCE_ROOT]}
usdcat=$(cd "$(dirname "$usdcat")" && pwd)/$(basename "$usdcat")
root=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
hello="$root/testdata/hello.usda"
conformance="$root/../shared/conformance/usdcat"

support=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli_support.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

. "$support"
no_temp_files() { [ -z "$(find "${1:-.}" -maxdepth 1 \( -name '.*.tmp*' -o -name '.*.usdkit-tmp-*' \) -print -quit)" ]; }

cp "$hello" hello.usda

# --- basic printing -----------------------------------------------------------
expect_rc 0 "print hello.usda" "$usdcat" hello.usda
check "hello.usda is printed unchanged (it is in canonical form)" cmp -s out.txt hello.usda
check "nothing on stderr for a clean file" test ! -s err.txt

expect_rc 0 "print two inputs" "$usdcat" hello.usda hello.usda
check "several inputs are concatenated" cmp -s out.txt <(cat hello.usda hello.usda)

expect_rc 0 "stdin as '-'" sh -c '"$1" - < hello.usda' sh "$usdcat"
check "'-' reads standard input" cmp -s out.txt hello.usda

expect_rc 0 "'-o -' writes stdout" "$usdcat" hello.usda -o -
check "'-o -' output equals plain output" cmp -s out.txt hello.usda

expect_rc 0 "stdin to stdout" sh -c 'cat "$2" | "$1" - -o -' sh "$usdcat" hello.usda
check "pipeline '- -o -'" cmp -s out.txt hello.usda

# --- writing files --------------------------------------------------------------
mkdir -p outdir
expect_rc 0 "-o out.usda" "$usdcat" hello.usda -o outdir/out.usda
check "-o writes the same text as stdout" cmp -s outdir/out.usda hello.usda
check "-o prints nothing on stdout" test ! -s out.txt
check "no temporary files left after success" no_temp_files outdir

expect_rc 0 "--out=FILE form" "$usdcat" --out=outdir/out2.usda hello.usda
check "--out=FILE writes the file" cmp -s outdir/out2.usda hello.usda

expect_rc 0 "--usdFormat usda with .usd" "$usdcat" --usdFormat usda hello.usda -o outdir/text.usd
check "--usdFormat usda writes text" cmp -s outdir/text.usd hello.usda

# --- .zst -------------------------------------------------------------------------
expect_rc 0 "-o out.usda.zst" "$usdcat" hello.usda -o outdir/out.usda.zst
check ".zst output starts with the zstd magic" \
  test "$(head -c 4 outdir/out.usda.zst | od -An -tx1 | tr -d ' \n')" = "28b52ffd"
expect_rc 0 "read .zst" "$usdcat" outdir/out.usda.zst
check ".zst round trip" cmp -s out.txt hello.usda
if command -v zstd >/dev/null 2>&1; then
  check "zstd(1) can decompress our .zst" cmp -s <(zstd -dc outdir/out.usda.zst) hello.usda
  zstd -q -c hello.usda >from-zstd.usda.zst
  expect_rc 0 "read a zstd(1)-made file" "$usdcat" from-zstd.usda.zst
  check "zstd(1) output reads back" cmp -s out.txt hello.usda
fi
expect_rc 0 "zstd data on stdin" sh -c '"$1" - < "$2"' sh "$usdcat" outdir/out.usda.zst
check "zstd on stdin is recognised by its magic" cmp -s out.txt hello.usda

head -c 40 outdir/out.usda.zst >truncated.usda.zst
expect_rc 1 "truncated .zst" "$usdcat" truncated.usda.zst
check "truncated .zst error names the file" contains err.txt "truncated.usda.zst"
check "truncated .zst prints nothing" test ! -s out.txt

# --- failures leave nothing behind --------------------------------------------------
printf '#usda 1.0\ndef "A" {\n' >broken.usda
printf 'keep me\n' >outdir/existing.usda
expect_rc 1 "syntax error" "$usdcat" broken.usda -o outdir/existing.usda
check "error names the broken file" contains err.txt "broken.usda"
check "error has a line number" grep -qE 'broken\.usda:[0-9]+:[0-9]+' err.txt
check "failed run leaves the existing output untouched" test "$(cat outdir/existing.usda)" = "keep me"
check "failed run leaves no temporary files" no_temp_files outdir

expect_rc 1 "syntax error, no -o" "$usdcat" broken.usda
check "failed print writes nothing on stdout" test ! -s out.txt
check "OpenUSD-style 'Failed to open' message" contains err.txt 'Failed to open "broken.usda"'

expect_rc 1 "missing input" "$usdcat" missing.usda
check "missing input error names the file" contains err.txt "missing.usda"

expect_rc 1 "missing input with -o" "$usdcat" missing.usda -o outdir/never.usda
check "no output file for a missing input" test ! -e outdir/never.usda

expect_rc 1 "a good and a bad input" "$usdcat" hello.usda missing.usda hello.usda
check "good inputs are still printed around a bad one" cmp -s out.txt <(cat hello.usda hello.usda)

expect_rc 1 "unknown output extension" "$usdcat" hello.usda -o outdir/out.txt
check "unknown extension creates no file" test ! -e outdir/out.txt
check "unknown extension error is on stderr" test -s err.txt

expect_rc 1 "output directory does not exist" "$usdcat" hello.usda -o nodir/out.usda
check "missing directory error names the output" contains err.txt "nodir/out.usda"

# --- never clobber an input -----------------------------------------------------------
cp hello.usda self.usda
expect_rc 1 "output is the input" "$usdcat" self.usda -o self.usda
check "input kept when it is also the output" cmp -s self.usda hello.usda
expect_rc 1 "output is the input by another name" "$usdcat" self.usda -o ./self.usda
ln -s self.usda alias.usda
expect_rc 1 "output is a symlink to the input" "$usdcat" self.usda -o alias.usda
check "input kept when the output is a link to it" cmp -s self.usda hello.usda
check "the link is still a link" test -L alias.usda

# --- usage errors exit 2 ------------------------------------------------------------------
expect_rc 2 "no arguments" "$usdcat"
check "usage error points to --help" contains err.txt "--help"
expect_rc 2 "unknown option" "$usdcat" --no-such-option hello.usda
expect_rc 2 "-o with two inputs" "$usdcat" hello.usda hello.usda -o outdir/two.usda
check "no file written for a usage error" test ! -e outdir/two.usda
expect_rc 2 "--usdFormat with a .usda output" "$usdcat" --usdFormat usdc hello.usda -o outdir/x.usda
expect_rc 2 "--usdFormat usdc to stdout" "$usdcat" --usdFormat usdc hello.usda
expect_rc 2 "--usdFormat with a bad value" "$usdcat" --usdFormat xml hello.usda
expect_rc 2 "--mask without --flatten" "$usdcat" --mask /World hello.usda
expect_rc 2 "--layerMetadata with --flatten" "$usdcat" --layerMetadata --flatten hello.usda

# --- composition -------------------------------------------------------------------------------
# hello.usda has no arcs: flattening keeps its prims and records the source.
expect_rc 0 "--flatten" "$usdcat" --flatten hello.usda
check "--flatten keeps the prims" contains out.txt 'def Xform "World"'
check "--flatten records the root layer" contains out.txt "Generated from Composed Stage of root layer $(pwd)/hello.usda"
expect_rc 0 "--flatten --skipSourceFileComment" "$usdcat" --flatten --skipSourceFileComment hello.usda
check "--skipSourceFileComment leaves the documentation out" sh -c '! grep -q "Generated from" out.txt'
expect_rc 0 "--flattenLayerStack -o" "$usdcat" --flattenLayerStack hello.usda -o outdir/fls.usda
check "--flattenLayerStack of a layer without sublayers is the layer" cmp -s outdir/fls.usda hello.usda
expect_rc 1 "--flatten of a missing file" "$usdcat" --flatten missing.usda -o outdir/never.usda
check "--flatten of a missing file writes nothing" test ! -e outdir/never.usda
check "--flatten of a missing file names it" contains err.txt "missing.usda"

# --- other modes ---------------------------------------------------------------------------
expect_rc 1 "--loadOnly with a missing file" "$usdcat" --loadOnly hello.usda missing.usda
check "--loadOnly reports OK and ERR lines" \
  test "$(grep -E '^(OK  |ERR )' out.txt)" = "$(printf 'OK  hello.usda\nERR missing.usda')"
check "--loadOnly gives a tab-indented reason" grep -q "$(printf '^\t')" out.txt
expect_rc 0 "-l on a good file" "$usdcat" -l hello.usda
check "-l prints exactly the OK line" test "$(cat out.txt)" = "OK  hello.usda"

expect_rc 0 "--layerMetadata" "$usdcat" --layerMetadata hello.usda
check "--layerMetadata keeps the layer metadata" contains out.txt 'defaultPrim = "World"'
check "--layerMetadata drops the prims" sh -c '! grep -q "^def " out.txt'

expect_rc 0 "--version" "$usdcat" --version
check "--version names the tool and usdkit" grep -qE '^usdcat \(usdkit\) [0-9]' out.txt
expect_rc 0 "--help" "$usdcat" --help
for opt in --out --usdFormat --loadOnly --flatten --flattenLayerStack --skipSourceFileComment --mask --layerMetadata; do
  check "--help lists $opt" contains out.txt "$opt"
done

# --- crate (.usdc) and packages (.usdz) -------------------------------------------------------
mkdir -p crate
expect_rc 0 "-o x.usdc" "$usdcat" hello.usda -o crate/hello.usdc
check "a .usdc output is crate" test "$(head -c 8 crate/hello.usdc)" = "PXR-USDC"
check "the default crate version is 0.8.0 (current OpenUSD)" test "$(od -An -tu1 -j8 -N3 crate/hello.usdc | tr -s ' ')" = " 0 8 0"
expect_rc 0 "USD_WRITE_NEW_USDC_FILES_AS_VERSION=0.9.0" env USD_WRITE_NEW_USDC_FILES_AS_VERSION=0.9.0 "$usdcat" hello.usda -o crate/hello-2411.usdc
check "the environment sets the starting version (24.11's 0.9.0)" test "$(od -An -tu1 -j8 -N3 crate/hello-2411.usdc | tr -s ' ')" = " 0 9 0"
check "only the version differs from the default file" cmp -s <(tail -c +12 crate/hello.usdc) <(tail -c +12 crate/hello-2411.usdc)
expect_rc 0 "an invalid USD_WRITE_NEW_USDC_FILES_AS_VERSION" env USD_WRITE_NEW_USDC_FILES_AS_VERSION=0.15.0 "$usdcat" hello.usda -o crate/hello-bad-env.usdc
check "an invalid environment version is reported" contains err.txt "USD_WRITE_NEW_USDC_FILES_AS_VERSION"
check "an invalid environment version falls back to 0.8.0" cmp -s crate/hello-bad-env.usdc crate/hello.usdc
expect_rc 0 "print a .usdc" "$usdcat" crate/hello.usdc
check "usda -> usdc -> text is unchanged" cmp -s out.txt hello.usda
expect_rc 0 "crate on stdin" sh -c '"$1" - < "$2"' sh "$usdcat" crate/hello.usdc
check "crate is sniffed on stdin" cmp -s out.txt hello.usda
expect_rc 0 "-o x.usd is crate by default" "$usdcat" hello.usda -o crate/default.usd
check ".usd output defaults to crate" test "$(head -c 8 crate/default.usd)" = "PXR-USDC"
expect_rc 0 "--usdFormat usdc" "$usdcat" --usdFormat usdc hello.usda -o crate/explicit.usd
check "--usdFormat usdc writes crate" cmp -s crate/explicit.usd crate/default.usd
check "crate output is deterministic" cmp -s crate/explicit.usd crate/hello.usdc
cp hello.usda crate/text.usd
expect_rc 0 "a text .usd is sniffed" "$usdcat" crate/text.usd
check "text .usd prints" cmp -s out.txt hello.usda
expect_rc 0 "--usdcVersion 0.8.0" "$usdcat" --usdcVersion 0.8.0 hello.usda -o crate/v8.usdc
check "--usdcVersion stamps the version" test "$(od -An -tu1 -j8 -N3 crate/v8.usdc | tr -s ' ')" = " 0 8 0"
expect_rc 0 "print a 0.8.0 file" "$usdcat" crate/v8.usdc
check "0.8.0 file prints the same" cmp -s out.txt hello.usda
expect_rc 2 "--usdcVersion with text output" "$usdcat" --usdcVersion 0.8.0 hello.usda -o crate/x.usda
expect_rc 0 "--usdcVersion 0.14.0" "$usdcat" --usdcVersion 0.14.0 hello.usda -o crate/v14.usdc
check "--usdcVersion 0.14.0 stamps the version" test "$(od -An -tu1 -j8 -N3 crate/v14.usdc | tr -s ' ')" = " 0 14 0"
expect_rc 0 "print a 0.14.0 file" "$usdcat" crate/v14.usdc
check "0.14.0 file prints the same" cmp -s out.txt hello.usda
expect_rc 2 "--usdcVersion 0.15.0" "$usdcat" --usdcVersion 0.15.0 hello.usda -o crate/x.usdc
check "--usdcVersion names the bad version" contains err.txt "0.15.0"
printf '#usda 1.0\n\ndef "A"\n{\n    timecode t = 5\n}\n' > crate/timecode.usda
expect_rc 0 "content newer than the default" "$usdcat" crate/timecode.usda -o crate/tc.usdc
check "a timecode raises the version to 0.9.0" test "$(od -An -tu1 -j8 -N3 crate/tc.usdc | tr -s ' ')" = " 0 9 0"
check "the upgrade is reported" contains err.txt "from version 0.8.0 to 0.9.0"
expect_rc 1 "content newer than --usdcVersion" "$usdcat" --usdcVersion 0.8.0 crate/timecode.usda -o crate/old.usdc
check "refusal names the needed version" contains err.txt "0.9.0"
check "no output after a refusal" test ! -e crate/old.usdc
printf '#usda 1.0\n\nover "Human"\n{\n    int c = AnimationBlock\n}\n\n' > crate/animblock.usda
expect_rc 0 "AnimationBlock to crate" "$usdcat" crate/animblock.usda -o crate/animblock.usdc
check "an AnimationBlock needs no newer crate version" test "$(od -An -tu1 -j8 -N3 crate/animblock.usdc | tr -s ' ')" = " 0 8 0"
expect_rc 0 "AnimationBlock from crate" "$usdcat" crate/animblock.usdc
check "AnimationBlock round trips through crate" cmp -s out.txt crate/animblock.usda
expect_rc 0 "USD_WRITE_NEW_USDA_FILES_AS_VERSION=1.1" env USD_WRITE_NEW_USDA_FILES_AS_VERSION=1.1 "$usdcat" hello.usda -o crate/v11.usda
check "the environment sets the usda header version" test "$(head -n 1 crate/v11.usda)" = "#usda 1.1"
expect_rc 0 "read a usda 1.1 file" "$usdcat" crate/v11.usda
check "a 1.1 file reads without a warning" test ! -s err.txt
check "and prints as a new file, 1.0" cmp -s out.txt hello.usda
printf '#usda 1.0\n\ndef "A"\n{\n    rel r.default = </A>\n}\n' > crate/reldefault.usda
expect_rc 1 "content crate cannot hold" "$usdcat" crate/reldefault.usda -o crate/rel.usdc
check "the refusal names the spec" contains err.txt "/A.r"
check "nothing written for content crate cannot hold" test ! -e crate/rel.usdc
check "no temporary files left by refusals" no_temp_files crate
head -c 200 crate/hello.usdc > crate/truncated.usdc
expect_rc 1 "truncated crate" "$usdcat" crate/truncated.usdc
check "crate errors name the file and an offset" contains err.txt "truncated.usdc: crate error at offset"

mkdir -p pkg/sub pkg/tex elsewhere
printf '#usda 1.0\n\ndef "X"\n{\n    asset t = @../tex/a.png@\n}\n' > pkg/sub/ref.usda
printf 'PNG-A' > pkg/tex/a.png
printf 'PNG-B' > elsewhere/b.png
printf '#usda 1.0\n\ndef "Y" (\n    references = @./sub/ref.usda@</X>\n)\n{\n    asset[] t = [@tex/a.png@, @../elsewhere/b.png@, @missing.png@]\n}\n' > pkg/scene.usda
expect_rc 0 "-o x.usdz" "$usdcat" pkg/scene.usda -o scene.usdz
check "a missing dependency is a warning" contains err.txt "missing.png"
check "usdz starts with a local header" test "$(head -c 4 scene.usdz | od -An -tx1 | tr -d ' ')" = "504b0304"
expect_rc 0 "print a .usdz" "$usdcat" scene.usdz
check "the root layer of the package prints" contains out.txt 'def "Y"'
check "outside files are renamed into the package" contains out.txt '@external/b.png@'
check "inside files keep their path" contains out.txt '@tex/a.png@'
expect_rc 0 "package-relative root entry" "$usdcat" 'scene.usdz[scene.usdc]'
"$usdcat" pkg/sub/ref.usda > ref-text.usda 2>/dev/null
expect_rc 0 "package-relative dependency" "$usdcat" 'scene.usdz[sub/ref.usda]'
check "dependencies are packaged" cmp -s out.txt ref-text.usda
expect_rc 1 "missing package entry" "$usdcat" 'scene.usdz[nope.usda]'
check "a missing entry is named" contains err.txt "nope.usda"
expect_rc 0 "hello -> usdz" "$usdcat" hello.usda -o crate/hello.usdz
expect_rc 0 "print hello.usdz" "$usdcat" crate/hello.usdz
check "usda -> usdz -> text is unchanged" cmp -s out.txt hello.usda
# Packages inside packages: a package's root layer names files inside its
# own package, however deeply it is nested (what it names is not on disk).
mkdir -p nest
printf '#usda 1.0\n\ndef "C"\n{\n    double c = 3\n}\n' > nest/c.usda
printf '#usda 1.0\n\ndef "B" (\n    references = @inner.usdz@</C>\n)\n{\n}\n' > nest/b.usda
printf '#usda 1.0\n\ndef "A" (\n    references = @mid.usdz@</B>\n)\n{\n}\n' > nest/a.usda
(cd nest && "$usdcat" c.usda -o inner.usdz && "$usdcat" b.usda -o mid.usdz && "$usdcat" a.usda -o top.usdz && rm inner.usdz mid.usdz c.usda b.usda) 2>/dev/null
expect_rc 0 "flatten through packages nested twice" "$usdcat" --flatten nest/top.usdz
check "the innermost package's layer is found inside it" contains out.txt "double c = 3"
check "and nothing is missing" lacks err.txt "Could not open"
expect_rc 0 "an entry two packages deep" "$usdcat" 'nest/top.usdz[mid.usdz[inner.usdz[inner.usdc]]]'
check "reads the layer inside" contains out.txt 'def "C"'

# Expression variables of a crate root layer (a crate file's dictionaries
# are read when first used) name the referenced assets as in text.
mkdir -p exprvars
printf '#usda 1.0\ndef "Asset"\n{\n    double x = 1\n}\n' > exprvars/a.usda
printf '#usda 1.0\n(\n    expressionVariables = {\n        string NAME = "a"\n    }\n)\n%s\n' \
  'def "R" (references = @`"./${NAME}.usda"`@</Asset>) {}' > exprvars/root.usda
expect_rc 0 "expression variables: root layer to crate" "$usdcat" exprvars/root.usda -o exprvars/root.usdc
expect_rc 0 "expression variables in a crate root layer" "$usdcat" --flatten exprvars/root.usdc
check "the referenced asset is found through the crate's variables" contains out.txt "double x = 1"
check "no expression error" lacks err.txt "No value for expression variable"

# --- hostile input ------------------------------------------------------------
# Values nested 10,000 deep (a 40 KB file) crashed usdcat by stack overflow.
deep=$(printf '%.0s[' $(seq 10000))1$(printf '%.0s]' $(seq 10000))
printf '#usda 1.0\ndef "P" {\n    double[] a = %s\n}\n' "$deep" > deep.usda
expect_rc 1 "deeply nested value is refused" "$usdcat" deep.usda
check "deep nesting error names file:line:col" contains err.txt "deep.usda:3:"
check "deep nesting error says why" contains err.txt "nested more than"
# A NUL ends a quoted value; crate then stores what text gives.
printf '#usda 1.0\ndef "P" {\n    token t = "a\0b"\n    asset s = @x\0y@\n}\n' > nul.usda
expect_rc 0 "a NUL in a value is read" "$usdcat" nul.usda
check "the value ends at the NUL" contains out.txt 'token t = "a"'
check "the NUL is warned about with file:line:col" contains err.txt "nul.usda:3:17: warning"
"$usdcat" nul.usda > nul-text.txt 2>/dev/null
expect_rc 0 "a NUL value is written to crate" "$usdcat" nul.usda -o nul.usdc
expect_rc 0 "and read back" "$usdcat" nul.usdc
check "crate round trip of a NUL value gives the same layer" cmp -s out.txt nul-text.txt
# A long run of '(' in a matrix array reserved 128 bytes per 5 input bytes
# (over 500 MB for this 20 MB file); with 400 MB of address space it must
# still get a parse error.
{ printf '#usda 1.0\ndef "P" {\n    matrix4d[] m = ['; head -c 20000000 /dev/zero | tr '\0' '('; printf ']\n}\n'; } > parens.usda
# AddressSanitizer reserves terabytes of address space for its shadow
# memory, so a sanitized usdcat runs without the limit (the error is
# still checked; the memory bound is a release-build property). The
# libraries are read whole before they are searched: `ldd | grep -q`
# under pipefail failed whenever grep's early exit cut ldd off (SIGPIPE),
# and the sanitized usdcat then ran under the limit and aborted (CI, twice).
usdcat_libs=$(ldd "$usdcat" 2>/dev/null || true)
if [[ $usdcat_libs == *libasan* ]]; then
  "$usdcat" parens.usda >out.txt 2>err.txt
else
  (ulimit -v 400000 && "$usdcat" parens.usda >out.txt 2>err.txt)
fi
check "a run of ( in an array is an ordinary parse error" contains err.txt "parens.usda:3:"
# Integers beyond their type: refused (UBSan saw a float-to-int overflow).
printf '#usda 1.0\ndef "P" {\n    uint64 u = 1.8446744073709552e19\n}\n' > big.usda
expect_rc 1 "uint64 2^64 is refused" "$usdcat" big.usda
check "range error names file:line:col" contains err.txt "big.usda:3:16"

# --- OpenUSD's usdcat cases ---------------------------------------------------------------------
# Each case runs in a scratch copy of its folder.
if [ -d "$conformance" ]; then
  run_case() {  # NAME WANT_RC ARGS...
    local name=$1 want=$2; shift 2
    rm -rf case && cp -R "$conformance/$name" case
    (cd case && rm -f output.usda && "$usdcat" "$@" >../out.txt 2>../err.txt)
    local rc=$?
    if [ "$rc" -eq "$want" ]; then pass; else fail "conformance $name: exit $rc, expected $want"; fi
  }
  run_case testUsdCatVariadicCatting 0 a.usd b.usd c.usd
  check "conformance VariadicCatting stdout" cmp -s out.txt "$conformance/testUsdCatVariadicCatting/openusd/stdout"
  run_case testUsdCatLoadOnly 0 --loadOnly input.usda
  check "conformance LoadOnly stdout" cmp -s out.txt "$conformance/testUsdCatLoadOnly/openusd/stdout"
  run_case testUsdCatOutToFile 0 input.usda --out output.usda
  check "conformance OutToFile output" cmp -s case/output.usda "$conformance/testUsdCatOutToFile/openusd/output.usda"
  run_case testUsdCatLayerMetadata 0 --layerMetadata input.usda -o output.usda
  check "conformance LayerMetadata output" cmp -s case/output.usda "$conformance/testUsdCatLayerMetadata/openusd/output.usda"
  run_case testUsdCatMask 0 --mask /InsideMask --flatten --skipSourceFileComment input.usda -o output.usda
  check "conformance Mask output" cmp -s case/output.usda "$conformance/testUsdCatMask/baseline/output.usda"
  run_case testUsdCatFlattenLayerStack 0 --flattenLayerStack input.usda --out output.usda
  check "conformance FlattenLayerStack output" cmp -s case/output.usda "$conformance/testUsdCatFlattenLayerStack/baseline/output.usda"
  run_case testUsdCatMissingOrInvalidFiles1 1 hello.txt
  run_case testUsdCatMissingOrInvalidFiles2 1 foo.usda
else
  echo "skipped: conformance data not found ($conformance)"
fi

finish
