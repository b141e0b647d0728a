#!/bin/sh
# Regenerates lib/schema/SchemaTable.inc from OpenUSD's schema definitions.
#   tools/schema-gen/regenerate.sh OPENUSD_GIT_DIR [BUILD_DIR]
# OPENUSD_GIT_DIR is a (bare) OpenUSD repository with the tag below;
# BUILD_DIR (default: build) is a configured meson build of this project.
set -eu
tag=v24.11-rc1
if [ $# -lt 1 ]; then
  echo "usage: $0 OPENUSD_GIT_DIR [BUILD_DIR]" >&2
  exit 2
fi
git_dir=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$root/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for domain in usd usdGeom usdShade usdLux usdSkel usdPhysics usdVol usdMedia usdRender usdUI usdProc; do
  mkdir -p "$tmp/$domain"
  for file in generatedSchema.usda plugInfo.json; do
    git --git-dir="$git_dir" show "$tag:pxr/usd/$domain/$file" > "$tmp/$domain/$file"
  done
done
mkdir -p "$tmp/usdShaders"
git --git-dir="$git_dir" show "$tag:pxr/usdImaging/plugin/usdShaders/shaders/shaderDefs.usda" \
  > "$tmp/usdShaders/shaderDefs.usda"

ninja -C "$build" tools/schema-gen/schema-gen >/dev/null
"$build/tools/schema-gen/schema-gen" "$tmp" "$root/lib/schema/SchemaTable.inc"
