#!/usr/bin/env python3
"""check_layers.py SOURCE_DIR — the house rules of the tree (docs/architecture.md):

  - every folder of product code is a library whose CMakeLists.txt lists
    only sources of its own folder: no "../", no ${CMAKE_SOURCE_DIR}/... source;
  - no #include names a path with "../";
  - a header's name says where it lives: no two product headers share one;
  - nothing includes upward: a file includes headers of its own folder and of
    the folders below it (LAYERS, the same map docs/architecture.md draws);
  - no file in runner/ is over 450 lines.

One line per breach on stderr; exit 1 if any, else 0."""
import os
import re
import sys

# Each product folder and the folders it may include from directly (the rest
# of the map follows by transitivity).
LAYERS = {
    "lib/base": [],
    "lib/results": ["lib/base"],
    "lib/report": ["lib/results"],
    "lib/shim": [],
    "wait": [],
    "hist": [],
    "runner/coro": ["wait"],
    "runner/core": ["runner/coro", "wait", "lib/base"],
    "net": ["wait", "lib/base"],
    "workloads": ["runner/core", "net", "hist"],
    "runner/executors": ["workloads", "runner/core"],
    "runner/mpi": ["runner/executors", "lib/base"],
    "runner/plan": ["runner/executors", "lib/results"],
    "runner/plan/fuzz": ["runner/plan"],
    "runner/supervise": ["runner/plan"],
    "runner/point": ["runner/supervise", "lib/shim"],
    "runner": ["runner/point", "lib/report"],
    "benchmarks": ["runner/executors", "lib/shim"],
    "tools/compare": ["lib/report"],
    "tools/compare/fuzz": ["tools/compare"],
    "tools/net_floor": ["net"],
}
SOURCE_EXT = (".c", ".h", ".cc", ".S")
MAX_RUNNER_LINES = 450


def closure():
    seen = {}

    def below(f):
        if f not in seen:
            seen[f] = set()
            for d in LAYERS[f]:
                seen[f] |= {d} | below(d)
        return seen[f]

    return {f: below(f) for f in LAYERS}


def files_of(src, folder):
    d = os.path.join(src, folder)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(folder, n) for n in os.listdir(d)
                  if n.endswith(SOURCE_EXT) and os.path.isfile(os.path.join(d, n)))


def main():
    src = sys.argv[1]
    out = []
    below = closure()

    # every folder with a CMakeLists.txt outside tests/ is in the map, and back
    for root, dirs, names in os.walk(src):
        rel = os.path.relpath(root, src)
        dirs[:] = [d for d in dirs if not d.startswith((".", "build")) and d not in
                   ("corpus", "fixtures", "docs", "results", "cmake")]
        if "CMakeLists.txt" in names and rel not in (".", "tests") and rel not in LAYERS:
            out.append(f"{rel}/CMakeLists.txt: a library the layer map does not know; add it to "
                       "LAYERS (tests/check_layers.py) and docs/architecture.md")
    for folder in LAYERS:
        if not os.path.isfile(os.path.join(src, folder, "CMakeLists.txt")):
            out.append(f"{folder}: in the layer map, but no CMakeLists.txt there")

    # CMake lists only sources of its own folder
    cmake_files = [os.path.join(f, "CMakeLists.txt") for f in list(LAYERS) + ["tests", "."]]
    cmake_files += [os.path.join("tests", n) for n in os.listdir(os.path.join(src, "tests"))
                    if n.endswith(".cmake")]
    for cm in cmake_files:
        path = os.path.join(src, cm)
        if not os.path.isfile(path):
            continue
        for no, line in enumerate(open(path), 1):
            code = line.split("#", 1)[0]
            for word in re.findall(r"[\w${}./+-]+\.(?:c|cc|S|h)\b", code):
                if "../" in word or "CMAKE_SOURCE_DIR}/" in word:
                    out.append(f"{cm}:{no}: lists {word}, a source outside its folder")

    # headers: one name, one place
    where = {}
    for folder in LAYERS:
        for f in files_of(src, folder):
            if f.endswith(".h"):
                name = os.path.basename(f)
                if name in where:
                    out.append(f"{f}: a header named as {where[name]}/{name}; rename one")
                where[name] = folder

    # includes: no "../", nothing upward
    inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    for folder in LAYERS:
        for f in files_of(src, folder):
            for no, line in enumerate(open(os.path.join(src, f), errors="replace"), 1):
                m = inc.match(line)
                if not m:
                    continue
                name = m.group(1)
                if "../" in name:
                    out.append(f"{f}:{no}: #include \"{name}\" reaches up with ../")
                    continue
                home = where.get(os.path.basename(name))
                if home is None or home == folder:
                    continue  # generated (eb_build_info.h), or its own
                if home not in below[folder]:
                    out.append(f"{f}:{no}: #include \"{name}\" reaches {home}/, which is not "
                               f"below {folder}/ in the layer map")
    for n in os.listdir(os.path.join(src, "tests")):
        if n.endswith(SOURCE_EXT):
            for no, line in enumerate(open(os.path.join(src, "tests", n), errors="replace"), 1):
                m = inc.match(line)
                if m and "../" in m.group(1):
                    out.append(f"tests/{n}:{no}: #include \"{m.group(1)}\" reaches up with ../")

    # runner/: small files
    for root, _, names in os.walk(os.path.join(src, "runner")):
        for n in names:
            if n.endswith(SOURCE_EXT):
                path = os.path.join(root, n)
                lines = sum(1 for _ in open(path, errors="replace"))
                if lines > MAX_RUNNER_LINES:
                    out.append(f"{os.path.relpath(path, src)}: {lines} lines, over "
                               f"{MAX_RUNNER_LINES}: it holds two concepts; split it")

    for line in out:
        print(f"check_layers: {line}", file=sys.stderr)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
