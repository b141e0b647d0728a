#!/usr/bin/env bash
# `meson install` into a temporary DESTDIR: the tools, man pages, shell
# completions, libusdkit.a with its public headers and usdkit.pc land in
# the prefix, and a program of one's own (tools/examples/primcount.cpp)
# builds against the installed copy through pkg-config and runs.
#
#   test_install.sh MESON BUILD_DIR SOURCE_ROOT PREFIX BINDIR LIBDIR INCLUDEDIR MANDIR DATADIR SANITIZE CXX...
#
# SANITIZE is the build's b_sanitize: a sanitized build installs a
# sanitized library, which links only into a program built with the same
# -fsanitize flags, so the example gets them too (and still runs: the
# install is checked in both builds rather than skipped in one).
set -uo pipefail

usage="usage: test_install.sh MESON BUILD_DIR SOURCE_ROOT PREFIX BINDIR LIBDIR INCLUDEDIR MANDIR DATADIR SANITIZE CXX..."
[ $# -ge 11 ] || { echo "$usage" >&2; exit 2; }
meson=$1 build=$2 source=$3 prefix=$4 bindir=$5 libdir=$6 includedir=$7 mandir=$8 datadir=$9 sanitize=${10}
shift 10
cxx=("$@")
tools=(usdcat usdflatten usdtree usddiff usdchecker)

. "$(dirname "$0")/cli_support.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
stage=$work/stage
# Meson's directory options are relative to the prefix unless absolute.
under() { case $1 in /*) echo "$stage$1" ;; *) echo "$stage$prefix/$1" ;; esac; }

# --no-rebuild: meson test has built everything; a rebuild from inside a
# test would race the other tests for the build directory.
expect_rc 0 "meson install" "$meson" install -C "$build" --destdir "$stage" --no-rebuild --quiet

bin=$(under "$bindir")
for t in "${tools[@]}"; do
  check "installed $t" test -x "$bin/$t"
  check "installed $t man page" test -f "$(under "$mandir")/man1/$t.1"
  check "installed $t bash completion" test -f "$(under "$datadir")/bash-completion/completions/$t"
  check "installed $t zsh completion" test -f "$(under "$datadir")/zsh/site-functions/_$t"
  check "installed $t fish completion" test -f "$(under "$datadir")/fish/vendor_completions.d/$t.fish"
done
expect_rc 0 "installed usdcat --version" "$bin/usdcat" --version
check "installed usdcat --version text" contains out.txt "usdcat (usdkit) "

lib=$(under "$libdir")
check "installed libusdkit.a" test -f "$lib/libusdkit.a"
# The per-layer archives are what libusdkit.a is made of, not a second way in.
check "no per-layer archives installed" test -z "$(find "$lib" -name 'libusdkit-*.a')"

include=$(under "$includedir")/usdkit
check "public header installed" test -f "$include/io/LayerIO.h"
check "public header in a subfolder installed" test -f "$include/io/usda/UsdaReader.h"
check "internal headers not installed" test ! -e "$include/io/crate"
check "only headers installed" test -z "$(find "$include" -type f ! -name '*.h')"

export PKG_CONFIG_PATH=$lib/pkgconfig
# usdkit.pc names the real prefix; the sysroot maps its paths into $stage.
export PKG_CONFIG_SYSROOT_DIR=$stage
expect_rc 0 "pkg-config finds usdkit" pkg-config --cflags usdkit
check "pkg-config include dir" contains out.txt "-I$include"
read -r -a cflags < out.txt
expect_rc 0 "pkg-config links usdkit" pkg-config --libs usdkit
check "pkg-config links libusdkit" contains out.txt "-lusdkit"
read -r -a libs < out.txt

san_flags=()
if [ "$sanitize" != none ]; then
  san_flags=(-fsanitize="$sanitize" -fno-sanitize-recover=all)
fi

# Every installed header compiles on its own include path: public headers
# include only public headers.
find "$include" -name '*.h' | sort | sed "s|^$include/|#include \"|; s|\$|\"|" > all_headers.cpp
expect_rc 0 "installed headers compile" "${cxx[@]}" -std=c++20 -fsyntax-only "${cflags[@]}" all_headers.cpp

expect_rc 0 "example builds against the installed library" \
  "${cxx[@]}" -std=c++20 -O1 "${san_flags[@]}" "${cflags[@]}" "$source/tools/examples/primcount.cpp" "${libs[@]}" -o primcount
cp "$source/testdata/hello.usda" hello.usda
expect_rc 0 "example reads text" ./primcount hello.usda
check "example counts the prims of text" contains out.txt "hello.usda: 10 prims"
# A crate file made by the installed usdcat: the example reads the
# compressed format too (zstd and lz4 linked through usdkit.pc).
expect_rc 0 "installed usdcat writes crate" "$bin/usdcat" hello.usda -o hello.usdc
expect_rc 0 "example reads crate" ./primcount hello.usdc
check "example counts the prims of crate" contains out.txt "hello.usdc: 10 prims"
expect_rc 1 "example reports a missing file" ./primcount missing.usda
check "example names the missing file" contains err.txt "missing.usda"

finish
