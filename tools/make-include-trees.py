#!/usr/bin/env python3
"""Builds the include trees that make the library's layering a compile
error (run by lib/meson.build at configure time).

  make-include-trees.py OUT_DIR LIB_DIR LAYER:USES:PUBLIC...

For each layer: the layers it uses and its public headers (relative to
LIB_DIR/LAYER), each list comma-separated ("sdf:base:Path.h,Layer.h"). For
each layer,
OUT_DIR/LAYER holds its own folder whole (LAYER -> LIB_DIR/LAYER) and, for
each layer it uses, links to that layer's public headers only: code of a
layer compiled with -I OUT_DIR/LAYER can include its own headers and the
public headers below it, and nothing else. OUT_DIR/all holds every layer's
public headers (the tools, and the library's users).
"""
import os
import shutil
import sys


def link(target, name):
    os.makedirs(os.path.dirname(name), exist_ok=True)
    os.symlink(target, name)


def main():
    out, lib = sys.argv[1], sys.argv[2]
    layers = {}
    for arg in sys.argv[3:]:
        layer, uses, public = arg.split(":")
        layers[layer] = {"uses": [u for u in uses.split(",") if u], "public": [h for h in public.split(",") if h]}
    for layer in layers:
        for header in layers[layer]["public"]:
            if not os.path.isfile(os.path.join(lib, layer, header)):
                sys.exit(f"make-include-trees.py: public header {layer}/{header} does not exist")
    trees = {layer: [layer] + layers[layer]["uses"] for layer in layers}
    trees["all"] = list(layers)
    for tree, visible in trees.items():
        root = os.path.join(out, tree)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        for layer in visible:
            if layer == tree:
                link(os.path.join(lib, layer), os.path.join(root, layer))
                continue
            for header in layers[layer]["public"]:
                link(os.path.join(lib, layer, header), os.path.join(root, layer, header))


main()
