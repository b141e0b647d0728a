#!/usr/bin/env bash
# Builds the Debian package usdkit_<version>_<arch>.deb with Debian 12's own
# tools: dpkg-buildpackage and debhelper's meson build system (debian/).
#
#   tools/build-deb.sh [OUT_DIR]     (default OUT_DIR: build-deb/)
#
# Builds the committed tree (HEAD), in a copy: dpkg-buildpackage builds
# inside the source folder and writes its results beside it, and neither
# belongs in the checkout. Installs missing build dependencies (sudo unless
# root). The package build runs a quick check of the built tools instead of
# the test suites (debian/rules); DEB_BUILD_OPTIONS=nocheck skips it, and
# other DEB_BUILD_OPTIONS pass through (noddebs is added: see below).
# lintian, when installed, reviews the result. Install the package with
# `apt install ./OUT_DIR/usdkit_*.deb`, or check that it installs with
# tools/check-deb.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
out=$(mkdir -p "${1:-build-deb}" && cd "${1:-build-deb}" && pwd)
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "build-deb: note: uncommitted changes are not packaged (the package is built from HEAD)" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/usdkit"
git archive HEAD | tar -x -C "$work/usdkit"

command -v dpkg-checkbuilddeps >/dev/null ||
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends dpkg-dev
if ! (cd "$work/usdkit" && dpkg-checkbuilddeps 2>/dev/null); then
  # apt reads the build dependencies from debian/control of the folder.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get build-dep -y -qq "$work/usdkit"
fi

# No usdkit-dbgsym package unless USDKIT_DEB_DBGSYM=1: compressing the
# tools' debug information takes minutes, and only the .deb is kept.
if [ "${USDKIT_DEB_DBGSYM:-0}" != 1 ]; then
  export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }noddebs"
fi
start=$(date +%s)
# -J: as many jobs as there are cores; -us -uc: nothing to sign; -b: binary only.
(cd "$work/usdkit" && dpkg-buildpackage -us -uc -b -J)
echo "build-deb: dpkg-buildpackage took $(( $(date +%s) - start )) s"

rm -f "$out"/usdkit_*.deb
mv "$work"/usdkit_*.deb "$out/"
deb=$(ls "$out"/usdkit_*.deb)
if command -v lintian >/dev/null; then
  # Findings are printed, not fatal: the package is still usable.
  lintian --info "$deb" || true
fi
echo "$deb"
