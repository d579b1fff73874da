#!/usr/bin/env python3
"""Checks that gclab's folders depend one way only (docs/ARCHITECTURE.md, "Layers").

Every production source (.h/.cc that is not a test, benchmark, fuzzer or
fixture) may include headers of its own folder and of folders on a lower
layer, never of a folder on the same or a higher layer. A folder missing from
LAYERS is an error, so a new top-level module gets a place in the picture.
Exit status 0 when clean, 1 with one line per offending include.
"""
import os
import re
import sys

# Lower number = lower layer. Folders on one layer may not include each other.
LAYERS = {
    "object": 0, "util": 0,
    "interfaces": 1, "escape": 1,
    "heap": 2, "gocompile": 2,
    "allocators": 3, "collectors": 3,
    "registry": 4,
    "workloads": 5, "goruntime": 5,
    "experiments": 6,
}
TEST_ONLY = {"testkit", "tests", "fuzz"}  # may use anything; nothing production uses them
IGNORED = {"third_party", "docs", "tools", ".ci", ".git"}
TEST_FILE = re.compile(r"(_test|_benchmark|_fuzzer|testing|fixture)\.(h|cc)$")
INCLUDE = re.compile(r'^\s*#include\s+"([^"/]+)/')


def main(root):
    os.chdir(root)
    errors = []
    for top in sorted(os.listdir(".")):
        if not os.path.isdir(top) or top.startswith(("bazel-", ".")) or top in IGNORED:
            continue
        if top in TEST_ONLY:
            continue
        if top not in LAYERS:
            errors.append(f"{top}/: not in the layer table of .ci/layers.py (and docs/ARCHITECTURE.md)")
            continue
        for dirpath, _, files in os.walk(top):
            for f in files:
                if not f.endswith((".h", ".cc")) or TEST_FILE.search(f):
                    continue
                path = os.path.join(dirpath, f)
                with open(path, errors="replace") as src:
                    for n, line in enumerate(src, 1):
                        m = INCLUDE.match(line)
                        if not m or m[1] == top or not os.path.isdir(m[1]):
                            continue
                        dep = m[1]
                        if dep in TEST_ONLY:
                            errors.append(f"{path}:{n}: production code includes test-only {dep}/")
                        elif dep not in LAYERS:
                            continue  # reported once as a folder above
                        elif LAYERS[dep] >= LAYERS[top]:
                            errors.append(f"{path}:{n}: {top}/ (layer {LAYERS[top]}) includes "
                                          f"{dep}/ (layer {LAYERS[dep]})")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")))
