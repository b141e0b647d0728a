#!/usr/bin/env bash
# The shell completions the build generates (completions/meson.build): bash
# loads them, they offer every long option of each tool's --help and the
# values oneOf lists, and complete file arguments to folders and USD files.
# zsh and fish check their files' syntax when installed (skipped otherwise).
#
#   test_completions.sh COMPLETIONS_DIR TOOL_EXE...
set -uo pipefail

usage="usage: test_completions.sh COMPLETIONS_DIR TOOL_EXE..."
dir=$(cd "${1:?$usage}" && pwd)
shift
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
exes=()
for exe in "$@"; do exes+=("$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")"); done

. "$(dirname "$0")/cli_support.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# complete_words TOOL WORD...: what bash completion offers for the last WORD
# of `TOOL WORD...`, one candidate a line, sorted.
complete_words() {
  local tool=$1
  shift
  bash -c '
    source "$1"; tool=$2; shift 2
    COMP_WORDS=("$tool" "$@"); COMP_CWORD=$#
    "_usdkit_$tool"
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$dir/$tool" "$tool" "$@"
}

# zsh and fish are not build dependencies: without them their checks are
# skipped, and said so.
for shell in zsh fish; do
  command -v "$shell" >/dev/null || echo "SKIP: $shell is not installed; its completion files are not run"
done

for exe in "${exes[@]}"; do
  tool=$(basename "$exe")
  expect_rc 0 "$tool: bash loads the completion" bash -c 'source "$1" && complete -p "$2"' _ "$dir/$tool" "$tool"
  check "$tool: complete -p shows it" contains out.txt "complete -F _usdkit_$tool $tool"
  check "$tool: bash syntax" bash -n "$dir/$tool"
  if command -v zsh >/dev/null; then check "$tool: zsh syntax" zsh -n "$dir/_$tool"; fi
  if command -v fish >/dev/null; then check "$tool: fish syntax" fish --no-execute "$dir/$tool.fish"; fi

  # Every long option --help lists (the option column: lines starting with
  # spaces and '-') is offered by all three shells.
  expect_rc 0 "$tool --help" "$exe" --help
  longs=$(grep -E '^ +-' out.txt | awk '{print $1}' | tr ',' '\n' | grep -E '^--' | sort -u)
  check "$tool: --help lists long options" test -n "$longs"
  offered=$(complete_words "$tool" --)
  for option in $longs; do
    check "$tool: bash offers $option" grep -qxF -- "$option" <<<"$offered"
    check "$tool: zsh offers $option" contains "$dir/_$tool" "'*$option["
    check "$tool: fish offers $option" grep -qE -- "-l ${option#--}( |\$)" "$dir/$tool.fish"
  done
  # The build's files are what the tool prints; other shells are usage errors.
  expect_rc 0 "$tool --completions bash" "$exe" --completions bash
  check "$tool: the bash file is the tool's output" cmp -s out.txt "$dir/$tool"
  expect_rc 2 "$tool --completions tcsh" "$exe" --completions tcsh
  # The hidden option that prints these files is not offered.
  check "$tool: --completions stays hidden" test -z "$(grep -xF -- --completions <<<"$offered")"
done

# File arguments: folders and USD files, nothing else; an output file any.
# (In a folder of their own: this one holds out.txt and err.txt.)
mkdir -p files/sub
touch files/a.usda files/b.usdc files/c.usd files/d.usdz files/notes.txt
cd files || exit 1
check "usdcat: inputs complete to USD files and folders" \
  test "$(complete_words usdcat "" | tr '\n' ' ')" = "a.usda b.usdc c.usd d.usdz sub "
check "usdcat: -o completes to any file" \
  test "$(complete_words usdcat -o "" | tr '\n' ' ')" = "a.usda b.usdc c.usd d.usdz notes.txt sub "
check "usdcat: --usdFormat offers its values" \
  test "$(complete_words usdcat --usdFormat "" | tr '\n' ' ')" = "usda usdc "
check "usdchecker: --format offers its values" \
  test "$(complete_words usdchecker --format j | tr '\n' ' ')" = "json junit "
check "usdtree: --depth offers nothing" test -z "$(complete_words usdtree --depth "")"
check "usddiff: options by prefix" test "$(complete_words usddiff --su)" = "--summary"

# fish_complete TOOL ARGS: what fish offers after `TOOL ARGS`, names only.
fish_complete() {
  fish -c 'source $argv[1]; complete -C $argv[2]' "$dir/$1.fish" "$1 $2" | cut -f1 | sort | tr '\n' ' '
}
if command -v fish >/dev/null; then
  check "fish: usdcat inputs complete to USD files and folders" \
    test "$(fish_complete usdcat "")" = "a.usda b.usdc c.usd d.usdz sub/ "
  check "fish: usdcat --usdFormat offers its values" test "$(fish_complete usdcat "--usdFormat ")" = "usda usdc "
  check "fish: usdflatten --session completes to USD files" \
    test "$(fish_complete usdflatten "--session ")" = "a.usda b.usdc c.usd d.usdz sub/ "
fi

finish
