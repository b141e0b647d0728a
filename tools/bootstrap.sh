#!/usr/bin/env bash
# From a fresh Debian 12 machine to a working usdcat: installs the missing
# build packages (with sudo unless already root), configures build/,
# builds, and prints testdata/hello.usda through the new usdcat.
#
#   tools/bootstrap.sh              everything
#   tools/bootstrap.sh --deps-only  only the packages (used by run-tests.sh)
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(g++ meson ninja-build pkg-config python3 time
          libcli11-dev libfmt-dev libspdlog-dev liblz4-dev libzstd-dev catch2)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = "--deps-only" ] && exit 0

[ -f build/build.ninja ] || meson setup build
meson compile -C build
build/usdcat/usdcat testdata/hello.usda
