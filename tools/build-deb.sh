#!/usr/bin/env bash
# Builds the Debian package usdkit_<version>_<arch>.deb with Debian 12's own
# tools: dpkg-buildpackage and debhelper's meson build system (debian/).
#
#   tools/build-deb.sh [OUT_DIR]     (default OUT_DIR: build-deb/)
#
# Builds the committed tree (HEAD), in a copy: dpkg-buildpackage builds
# inside the source folder and writes its results beside it, and neither
# belongs in the checkout. Installs missing build dependencies (sudo unless
# root). Install the result with `apt install ./OUT_DIR/usdkit_*.deb`.
set -euo pipefail

cd "$(dirname "$0")/.."
out=$(mkdir -p "${1:-build-deb}" && cd "${1:-build-deb}" && pwd)
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/usdkit"
git archive HEAD | tar -x -C "$work/usdkit"

if ! (cd "$work/usdkit" && dpkg-checkbuilddeps 2>/dev/null); then
  command -v dpkg-checkbuilddeps >/dev/null ||
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends dpkg-dev
  # apt reads the build dependencies from debian/control of the folder.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get build-dep -y -qq "$work/usdkit"
fi

(cd "$work/usdkit" && dpkg-buildpackage -us -uc -b)
mv "$work"/usdkit_*.deb "$out/"
ls "$out"/usdkit_*.deb
