#!/usr/bin/env bash
# Installs a usdkit .deb on this machine with apt, checks that every tool
# runs from /usr/bin and that the man pages, completions, library, headers
# and pkg-config file are where the package says, then removes the package
# again. It changes the system while it runs (root, or sudo), so it is not
# part of the test suites; run it after tools/build-deb.sh:
#
#   tools/check-deb.sh build-deb/usdkit_*.deb
#
# A usdkit package installed before is left alone: the check refuses to run.
# Exit status 0 when every check passed.
set -uo pipefail

deb=${1:?usage: tools/check-deb.sh USDKIT_DEB}
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)

if dpkg-query -W -f='${Status}' usdkit 2>/dev/null | grep -q 'install ok installed'; then
  echo "check-deb: usdkit is already installed; remove it first (apt remove usdkit)" >&2
  exit 2
fi

failed=0
check() {
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then echo "ok: $name"; else echo "FAIL: $name"; failed=1; fi
}

DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$deb" || { echo "FAIL: apt install $deb"; exit 1; }
version=$(dpkg-query -W -f='${Version}' usdkit)
for tool in usdcat usdflatten usdtree usddiff usdchecker; do
  check "/usr/bin/$tool --version says $version" sh -c "/usr/bin/$tool --version | grep -qx '$tool (usdkit) $version'"
  check "$tool man page" test -f "/usr/share/man/man1/$tool.1.gz"
  check "$tool bash completion" test -f "/usr/share/bash-completion/completions/$tool"
  check "$tool zsh completion" test -f "/usr/share/zsh/site-functions/_$tool"
  check "$tool fish completion" test -f "/usr/share/fish/vendor_completions.d/$tool.fish"
done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
check "libusdkit.a" test -f "/usr/lib/$multiarch/libusdkit.a"
check "public headers" test -f /usr/include/usdkit/io/LayerIO.h
check "pkg-config finds usdkit $version" sh -c "pkg-config --modversion usdkit | grep -qx '${version%%-*}'"
tmp=$(mktemp -d)
check "usdcat converts a layer to crate and back" sh -c "
  printf '#usda 1.0\n\ndef Xform \"World\"\n{\n    double size = 2\n}\n' > '$tmp/a.usda' &&
  usdcat '$tmp/a.usda' -o '$tmp/a.usdc' && usddiff '$tmp/a.usda' '$tmp/a.usdc'"
rm -rf "$tmp"

DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq usdkit || { echo "FAIL: apt remove usdkit"; exit 1; }
check "removed: no /usr/bin/usdcat" test ! -e /usr/bin/usdcat
[ "$failed" -eq 0 ] && echo "check-deb: all checks passed" || echo "check-deb: some checks failed"
exit "$failed"
