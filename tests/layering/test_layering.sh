#!/usr/bin/env bash
# The library's layering is a compile error, not a convention: code of a
# layer (compiled with -I INCLUDE_TREES/LAYER, see lib/meson.build) can
# include the public headers of the layers it uses, and neither a header of
# a layer above or beside it nor an internal header of a layer below.
# For every layer this preprocesses one-line files that include a probe header
# of every other layer and checks which ones the compiler finds.
#
#   tests/layering/test_layering.sh INCLUDE_TREES LIB_DIR CXX...
set -uo pipefail

usage="usage: test_layering.sh INCLUDE_TREES LIB_DIR CXX..."
trees=$(cd "${1:?$usage}" && pwd)
lib=$(cd "${2:?$usage}" && pwd)
shift 2
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
cxx=("$@")

. "$(dirname "$0")/../cli/cli_support.sh"

# includes LAYER HEADER: 0 when a file of LAYER can include HEADER.
includes() {
  local out
  out=$(printf '#include "%s"\n' "$2" | "${cxx[@]}" -std=c++20 -E -o /dev/null -I "$trees/$1" -x c++ - 2>&1)
  local rc=$?
  if [ $rc -ne 0 ] && ! grep -qE "No such file or directory|file not found" <<<"$out"; then
    echo "  (compiling '#include \"$2\"' for $1 failed for another reason:)" >&2
    head -3 <<<"$out" >&2
    return 2
  fi
  return $rc
}

layers=()
for d in "$trees"/*/; do
  d=$(basename "$d")
  [ "$d" = all ] || layers+=("$d")
done
[ ${#layers[@]} -ge 9 ] || { fail "expected the nine layers' include trees in $trees"; finish; }

for layer in "${layers[@]}"; do
  for other in "${layers[@]}"; do
    [ "$other" = "$layer" ] && continue
    if [ -d "$trees/$layer/$other" ]; then
      # A layer it uses: a public header is found, an internal one is not.
      public=$(cd "$trees/$layer" && find "$other" -name '*.h' | sort | head -1)
      if includes "$layer" "$public"; then pass; else fail "$layer cannot include $public, which it uses"; fi
      internal=$(cd "$lib" && find "$other" -name '*.h' | sort | while read -r h; do
        [ -e "$trees/$layer/$h" ] || { echo "$h"; break; }
      done)
      if [ -n "$internal" ]; then
        includes "$layer" "$internal"
        [ $? -eq 1 ] && pass || fail "$layer can include $internal, internal to $other"
      fi
    else
      # A layer above or beside it: none of its headers is found.
      probe=$(cd "$trees/all" && find "$other" -name '*.h' | sort | head -1)
      includes "$layer" "$probe"
      [ $? -eq 1 ] && pass || fail "$layer can include $probe, of a layer it does not use"
    fi
  done
done

# The tools and the library's users (the "all" tree) see public headers
# only: e.g. the crate writer is reached through io/LayerIO.h.
for layer in "${layers[@]}"; do
  internal=$(cd "$lib" && find "$layer" -name '*.h' | sort | while read -r h; do
    [ -e "$trees/all/$h" ] || echo "$h"
  done)
  for h in $internal; do
    includes all "$h"
    [ $? -eq 1 ] && pass || fail "the tools can include $h, internal to $layer"
  done
done
finish
