#!/usr/bin/env python3
"""check_docs.py SOURCE_DIR — docs/architecture.md matches the tree: every
folder it names exists, and every folder that is a library (has a
CMakeLists.txt; tests/ aside) is named in it. The README's Layout section
names only folders that exist too. One line per breach; exit 1 if any."""
import os
import re
import sys

# a path of lowercase names ending in "/", standing alone ("lib/results/", "tools/")
FOLDER = re.compile(r"(?<![\w./<-])((?:[a-z][a-z0-9_]*/)+)(?=[\s`),.:;]|$)")


def named(text):
    return set(FOLDER.findall(text))


def main():
    src = sys.argv[1]
    out = []
    arch = open(os.path.join(src, "docs", "architecture.md")).read()
    folders = named(arch)
    for f in sorted(folders):
        if not os.path.isdir(os.path.join(src, f)):
            out.append(f"docs/architecture.md names {f}, which is no folder of the tree")
    for root, dirs, names in os.walk(src):
        rel = os.path.relpath(root, src)
        dirs[:] = [d for d in dirs if not d.startswith((".", "build")) and d not in
                   ("corpus", "fixtures", "results")]
        if "CMakeLists.txt" in names and rel not in (".", "tests") and rel + "/" not in folders:
            out.append(f"{rel}/ is a library (it has a CMakeLists.txt) that docs/architecture.md "
                       "does not name")
    readme = open(os.path.join(src, "README.md")).read()
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0] if "## Layout" in readme else ""
    if not layout:
        out.append("README.md has no Layout section")
    for f in sorted(named(layout)):
        if not os.path.isdir(os.path.join(src, f)):
            out.append(f"README.md's Layout names {f}, which is no folder of the tree")
    for line in out:
        print(f"check_docs: {line}", file=sys.stderr)
    if not out:
        print(f"check_docs: docs/architecture.md names {len(folders)} folders, all there, "
              "and every library")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
