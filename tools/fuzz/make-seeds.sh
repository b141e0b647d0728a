#!/usr/bin/env bash
# Collects seed corpora for the fuzz targets from the conformance suites
# (../shared/conformance, not part of the repository) and the committed
# regression corpus:
#   tools/fuzz/make-seeds.sh OUT_DIR [CONFORMANCE_DIR]
# fills OUT_DIR/usda (usda text: sdf-parsing cases and every .usda/.sdf/.usd
# text file), OUT_DIR/crate (every crate file, good and damaged) and
# OUT_DIR/zip (every .usdz). Files are copied under names made from their
# paths, at most 256 KiB each (big seeds only slow the fuzzer down).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: make-seeds.sh OUT_DIR [CONFORMANCE_DIR]}
conf=${2:-$root/../shared/conformance}
[ -d "$conf" ] || { echo "make-seeds: no conformance data at $conf" >&2; exit 1; }
mkdir -p "$out/usda" "$out/crate" "$out/zip"

# copy TARGET FILE...: each file into OUT_DIR/TARGET, named after its path.
copy() {
  local target=$1 f name
  shift
  for f in "$@"; do
    name=${f#"$conf"/}
    name=${name//\//_}
    cp "$f" "$out/$target/$name"
  done
}

is_crate() { [ "$(head -c 8 "$1")" = "PXR-USDC" ]; }

while IFS= read -r -d '' f; do
  if is_crate "$f"; then copy crate "$f"; else copy usda "$f"; fi
done < <(find "$conf" -type f \( -name '*.usda' -o -name '*.sdf' -o -name '*.usd' -o -name '*.usdc' \) -size -257k -print0)
# Damaged crate files of the crate suite keep other extensions sometimes.
while IFS= read -r -d '' f; do copy crate "$f"; done < <(find "$conf/crate/bad" -type f -size -257k -print0)
while IFS= read -r -d '' f; do copy zip "$f"; done < <(find "$conf" -type f -name '*.usdz' -size -257k -print0)

for t in usda crate zip; do
  [ -d "$root/tests/fuzz/regress/$t" ] && cp "$root/tests/fuzz/regress/$t"/* "$out/$t/" 2>/dev/null || true
  echo "$t: $(find "$out/$t" -type f | wc -l) seeds"
done
