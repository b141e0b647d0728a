#!/usr/bin/env python3
"""Writes the worst cases of tests/cli/test_hostile_memory.sh into a folder:
small files whose naive reading costs far more memory than their size.

  hostile_memory_cases.py OUT_DIR TINY_USDC TINY_USDZ

TINY_USDC and TINY_USDZ are a small layer written by the usdcat under test;
their headers are patched to declare huge counts and sizes.
"""
import os
import struct
import sys

out, tiny_usdc, tiny_usdz = sys.argv[1:4]
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


# Deep nesting of values: dictionaries in dictionaries, brackets in brackets.
depth = 5000
write("deep-dict.usda", "#usda 1.0\n(\n    customLayerData = " + "{ dictionary a = " * depth + "{}" + " }" * depth + "\n)\n")
write("deep-list.usda", '#usda 1.0\ndef "a" {\n    custom int[] x = ' + "[" * depth + "]" * depth + "\n}\n")
# Nested prims with long names: the deepest path is quadratic in the file size.
n, name = 600, "n" * 200
write("long-paths.usda", "#usda 1.0\n" + "".join('def "%s%d" {\n' % (name, i) for i in range(n)) + "}\n" * n)
# Many short names below a deep prim: each sibling's path is 1,800 bytes of
# text for 14 bytes of file (paths must not each hold their full text).
write("deep-siblings.usda", "#usda 1.0\n" + 'def "a" {\n' * 900 + "".join('def "b%d" {}\n' % i for i in range(5000)) +
      "}\n" * 900)
# Many tiny specs: per-spec overhead against 16 bytes of text each. 60,000
# of them (950 KB) are enough that a flatten keeping every prim's index, or
# a crate writer keeping a hash node per path, no longer fits the bound.
write("many-specs.usda", "#usda 1.0\n" + "".join('def "p%d" {}\n' % i for i in range(60000)))
# Nested relocations (tools/gen-compose-chains.py relocates 200, 187 KB):
# </R/D0/../C(i)> is relocated to </R/D0/../D(i)>, 200 deep, and a chain of
# references makes each source exist. Every node below a relocation had a
# map to the root holding a pair per relocation above it (144 MB at 100
# levels once); then usdflatten and usdchecker kept the index of every prim
# above the deepest and every memoised ancestral graph (44 MB here).
levels, src, pairs, prims = 200, "/R", [], []
for i in range(levels):
    pairs.append("        <%s/C%d>: <%s/D%d>,\n" % (src, i, src, i))
    src += "/D%d" % i
    child = '    def "C%d" (\n        references = </M%d>\n    )\n    {\n    }\n' % (i, i + 1) if i + 1 < levels else ""
    prims.append('def "M%d"\n{\n%s}\n\n' % (i, child))
write("nested-relocates.usda", "#usda 1.0\n(\n    relocates = {\n" + "".join(pairs) + "    }\n)\n\n" +
      'def "R" (\n    references = </M0>\n)\n{\n}\n\n' + "".join(prims))

# A chain of 600 classes, each inheriting the next (40 KB): class C_i
# composes the 600 - i classes after it, so the composed stage holds the
# square of the chain in nodes and in attributes (180,000 of them), and
# the tools that flatten it to a layer (usdflatten, usdchecker) need
# memory in proportion (issue 12: known to break the bound, see
# test_hostile_memory.sh; composing it no longer costs the cube).
chain = ['def "P" (\n    inherits = </C0>\n)\n{\n}\n']
for i in range(600):
    arc = "    inherits = </C%d>\n" % (i + 1) if i + 1 < 600 else ""
    chain.append('class "C%d" (\n%s)\n{\n    double x%d = %d\n}\n' % (i, arc, i, i))
write("inherits-chain.usda", "#usda 1.0\n\n" + "".join(chain))

# A prim with 12 two-way variant sets (3 KB): usdchecker with no limit on
# combinations composes it 4,096 times; memory must not grow with them.
sets = 12
vsets = "".join('    variantSet "v%d" = {\n        "a" {\n            def Cube "P%d" {}\n        }\n'
                '        "b" {\n            def Sphere "P%d" {}\n        }\n    }\n' % (k, k, k) for k in range(sets))
write("variant-combinations.usda", '#usda 1.0\ndef Xform "A" (\n    prepend variantSets = [%s]\n)\n{\n%s}\n'
      % (", ".join('"v%d"' % k for k in range(sets)), vsets))

# Crate: the first count of each structural section (tokens, strings, fields,
# field sets, paths, specs) declared as 2^61.
crate = open(tiny_usdc, "rb").read()
toc = struct.unpack_from("<q", crate, 16)[0]
(sections,) = struct.unpack_from("<Q", crate, toc)
for i in range(sections):
    rec = toc + 8 + i * 32
    label = crate[rec:rec + 16].rstrip(b"\0").decode().lower()
    start = struct.unpack_from("<q", crate, rec + 16)[0]
    patched = bytearray(crate)
    struct.pack_into("<Q", patched, start, 1 << 61)
    write("huge-count-%s.usdc" % label, bytes(patched))
patched = bytearray(crate)
struct.pack_into("<Q", patched, toc, 1 << 61)
write("huge-count-toc.usdc", bytes(patched))

# Zip: the end record declares 65535 entries and a huge central directory;
# every entry declares 4 GiB of data.
zip_bytes = open(tiny_usdz, "rb").read()
eocd = zip_bytes.rfind(b"PK\x05\x06")
patched = bytearray(zip_bytes)
struct.pack_into("<HHI", patched, eocd + 8, 0xFFFF, 0xFFFF, 0xFFFFFFF0)
write("huge-count-zip.usdz", bytes(patched))
patched = bytearray(zip_bytes)
pos = patched.find(b"PK\x01\x02")
while pos >= 0:
    struct.pack_into("<II", patched, pos + 20, 0xFFFFFFFE, 0xFFFFFFFE)
    pos = patched.find(b"PK\x01\x02", pos + 4)
pos = patched.find(b"PK\x03\x04")
while pos >= 0:
    struct.pack_into("<II", patched, pos + 18, 0xFFFFFFFE, 0xFFFFFFFE)
    pos = patched.find(b"PK\x03\x04", pos + 4)
write("huge-size-zip.usdz", bytes(patched))
