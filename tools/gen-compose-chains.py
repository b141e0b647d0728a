#!/usr/bin/env python3
"""Writes worst-case composition inputs: long chains of arcs.

  tools/gen-compose-chains.py SHAPE N DIR

Writes DIR/a0.usda (the file to open) and whatever it needs. Shapes:
  refs        a0 references a1's default prim, a1 references a2, ... (N files)
  payloads    the same with payloads
  sublayers   a0 sublayers a1 sublayers a2 ... (N files)
  inherits    one layer: /C0 inherits /C1 inherits /C2 ... (N prims)
  specializes one layer: /C0 specializes /C1 ... (N prims)
  variants    one prim whose variant holds a variant set whose variant ... (N deep)
  relocates   one layer: relocates /R/C0 -> /R/D0, /R/D0/C1 -> ... nested N deep
  relocates-refs  a0 .. a(N-1): a_i's </R> references </M>, </M/C> is
              relocated to </R/D> and references a_(i+1)'s </R>: relocations
              nested N-1 deep across references (/R/D/D/.../D)
  namespace   one layer with prims nested N deep
  expressions a reference whose asset path is an expression nested N deep
"""
import os
import sys


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def chain_files(n, out, arc):
    for i in range(n):
        body = ""
        if i + 1 < n:
            body = f"    prepend {arc} = @./a{i + 1}.usda@\n"
        write(os.path.join(out, f"a{i}.usda"),
              f'#usda 1.0\n(\n    defaultPrim = "P{i}"\n)\n\ndef Xform "P{i}" (\n{body})\n{{\n'
              f'    double x{i} = {i}\n}}\n')


def sublayers(n, out):
    for i in range(n):
        sub = f'    subLayers = [@./a{i + 1}.usda@]\n' if i + 1 < n else ""
        write(os.path.join(out, f"a{i}.usda"),
              f'#usda 1.0\n(\n{sub})\n\nover "P"\n{{\n    double x{i} = {i}\n}}\n')


def class_chain(n, out, arc):
    lines = ['#usda 1.0\n\n']
    for i in range(n):
        meta = f' (\n    {arc} = </C{i + 1}>\n)' if i + 1 < n else ""
        lines.append(f'class "C{i}"{meta}\n{{\n    double x{i} = {i}\n}}\n\n')
    lines.append('def "P" (\n    %s = </C0>\n)\n{\n}\n' % arc)
    write(os.path.join(out, "a0.usda"), "".join(lines))


def variants(n, out):
    # A prim with variant set v0 whose selected variant "x" holds variant set
    # v1 whose variant "x" holds ... N deep. Written iteratively.
    head, tail = [], []
    ind = "    "
    for i in range(n):
        head.append(f'{ind}variantSet "v{i}" = {{\n{ind}    "x" (\n')
        head.append(f'{ind}        variants = {{\n{ind}            string v{i + 1} = "x"\n{ind}        }}\n' if i + 1 < n else "")
        head.append(f'{ind}        prepend variantSets = "v{i + 1}"\n' if i + 1 < n else "")
        head.append(f'{ind}    ) {{\n{ind}        double x{i} = {i}\n')
        tail.append(f'{ind}    }}\n{ind}}}\n')
        ind = ""  # keep files small: indentation does not matter
    text = ('#usda 1.0\n\ndef "P" (\n    variants = {\n        string v0 = "x"\n    }\n'
            '    prepend variantSets = "v0"\n)\n{\n' + "".join(head) + "".join(reversed(tail)) + '}\n')
    write(os.path.join(out, "a0.usda"), text)


def relocates(n, out):
    # /R/C0 is relocated to /R/D0, /R/D0/C1 to /R/D0/D1, ... and a chain of
    # references under /R makes the sources exist.
    pairs, src = [], "/R"
    for i in range(n):
        pairs.append(f'        <{src}/C{i}>: <{src}/D{i}>,\n')
        src = f"{src}/D{i}"
    text = ('#usda 1.0\n(\n    relocates = {\n' + "".join(pairs) + '    }\n)\n\n'
            'def "R" (\n    references = </M0>\n)\n{\n}\n\n')
    for i in range(n):
        child = f'    def "C{i + 1}" (\n        references = </M{i + 1}>\n    )\n    {{\n    }}\n' if i + 1 < n else ""
        text += f'def "M{i}"\n{{\n    def "C{i}" (\n        references = </M{i + 1}>\n    )\n    {{\n    }}\n}}\n\n' if i + 1 < n else f'def "M{i}"\n{{\n}}\n\n'
        del child
    write(os.path.join(out, "a0.usda"), text)


def relocates_refs(n, out):
    # a_i's </R> references its own </M>, whose child C is relocated to
    # </R/D>; that C references a_(i+1)'s </R>, which does the same in its
    # own layer stack: the prim at /R/D/D/.../D (N-1 deep) ends N-1
    # relocations nested through references.
    for i in range(n):
        body = (f'def "M"\n{{\n    def "C" (\n        references = @./a{i + 1}.usda@</R>\n    )\n    {{\n    }}\n}}\n'
                if i + 1 < n else "")
        meta = '(\n    relocates = {\n        </R/C>: </R/D>\n    }\n)\n\n' if i + 1 < n else ""
        arc = ' (\n    references = </M>\n)' if i + 1 < n else ""
        write(os.path.join(out, f"a{i}.usda"),
              f'#usda 1.0\n{meta}def "R"{arc}\n{{\n    double x{i} = {i}\n}}\n\n{body}')


def namespace(n, out):
    head = "".join(f'def "N{i}" {{\n' for i in range(n))
    write(os.path.join(out, "a0.usda"), "#usda 1.0\n\n" + head + "}\n" * n)


def expressions(n, out):
    expr = '"a1.usda"'
    for _ in range(n):
        expr = f"if(true, {expr}, \"x\")"
    write(os.path.join(out, "a0.usda"),
          f'#usda 1.0\n\ndef "P" (\n    references = @`{expr}`@\n)\n{{\n}}\n')
    write(os.path.join(out, "a1.usda"), '#usda 1.0\n(\n    defaultPrim = "Q"\n)\n\ndef "Q"\n{\n}\n')


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    shapes = {
        "refs": lambda: chain_files(n, out, "references"),
        "payloads": lambda: chain_files(n, out, "payload"),
        "sublayers": lambda: sublayers(n, out),
        "inherits": lambda: class_chain(n, out, "inherits"),
        "specializes": lambda: class_chain(n, out, "specializes"),
        "variants": lambda: variants(n, out),
        "relocates": lambda: relocates(n, out),
        "relocates-refs": lambda: relocates_refs(n, out),
        "namespace": lambda: namespace(n, out),
        "expressions": lambda: expressions(n, out),
    }
    if shape not in shapes:
        sys.exit(f"unknown shape '{shape}'\n{__doc__}")
    shapes[shape]()


if __name__ == "__main__":
    main()
