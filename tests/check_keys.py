#!/usr/bin/env python3
"""check_keys.py SOURCE_DIR — the results document's names and formulas are
stated once (issue 12):

  - the key table (lib/results/keys.h) holds the keys every reader needs
    (error_occurred, run_name, real_time, ideal_ns, worker_pus, interrupted);
  - every key of the key table, and every context key of the settings table
    (runner/plan/settings*.h), whose name is a compound (run_name,
    error_occurred, ...; or one of those above) is spelled, as a string
    literal, in exactly one product source file: its table;
  - a key whose name is also a plain word (name, tasks, version, ...) may be
    spelled as that word elsewhere, but no product file outside the results
    library hands any key's literal to jansson (json_object_get/set/del,
    json_pack): only lib/results reads or writes the document;
  - eb_time_unit_ns, eb_speedup and eb_efficiency are defined once, and no
    other product file divides its way to a speedup or an efficiency;
  - no product file compares a name with "sequential": the executor says
    .reference, the results library names the reference once (figures.c).

Product sources are the C and C++ files of every library folder (tests and
tools/plot.py aside: plot.py reads execbench-compare's report, whose columns
for a document's field are named by its key). One line per breach on
stderr; exit 1 if any."""
import os
import re
import sys

# execbench, execbench-compare and their libraries. (net/ and benchmarks/ build
# other programs: execbench-httpd, and execbench-micro, whose plain Google
# Benchmark rows only libbenchmark writes.)
PRODUCT = ["lib", "runner", "workloads", "wait", "tools/compare"]
MUST = ["error_occurred", "run_name", "real_time", "ideal_ns", "worker_pus", "interrupted"]


def sources(src):
    for top in PRODUCT:
        for root, dirs, names in os.walk(os.path.join(src, top)):
            dirs[:] = [d for d in dirs if d != "corpus"]
            for n in sorted(names):
                if n.endswith((".c", ".h", ".cc")):
                    path = os.path.join(root, n)
                    yield os.path.relpath(path, src), open(path, errors="replace").read()


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def main():
    src = sys.argv[1]
    out = []
    files = {path: strip_comments(text) for path, text in sources(src)}
    keys_h = "lib/results/keys.h"
    keys = re.findall(r'#define\s+EB_KEY_\w+\s+"([^"]+)"', files[keys_h])
    for path in sorted(p for p in files if re.fullmatch(r"runner/plan/settings\w*\.h", p)):
        keys += re.findall(r'\.context_key\s*=\s*"([^"]+)"', files[path])
    for k in MUST:
        if k not in keys:
            out.append(f"{keys_h}: the key table has no {k}")
    # a CLI flag or a registry entry named like a key is no key
    named = re.compile(r'\.(?:flag|name)\s*=\s*"[^"]*"')
    plain = {p: named.sub("", t) for p, t in files.items()}
    for k in sorted(set(keys)):
        if "_" not in k and k not in MUST:
            continue
        spelled = [p for p, t in plain.items() if f'"{k}"' in t]
        if len(spelled) != 1:
            out.append(f'"{k}" is spelled in {len(spelled)} product files ({", ".join(spelled)});'
                       " name it by its constant from the key table")
    jansson = re.compile(r"\b(json_object_(?:get|set|set_new|del)|json_pack)\s*\(([^;]*)")
    for p, t in files.items():
        if p.startswith("lib/results/"):
            continue
        for m in jansson.finditer(t):
            for k in set(keys):
                if f'"{k}"' in m.group(2):
                    line = t.count("\n", 0, m.start()) + 1
                    out.append(f'{p}:{line}: hands the key "{k}" to {m.group(1)}; the results '
                               "library reads and writes the document")
    for fn in ("eb_time_unit_ns", "eb_speedup", "eb_efficiency"):
        defined = [p for p, t in files.items()
                   if re.search(r"^\w[\w\s*]*\b" + fn + r"\s*\([^;]*\)\s*\{", t, flags=re.M)]
        if len(defined) != 1:
            out.append(f"{fn} is defined in {len(defined)} files ({', '.join(defined)})")
    for p, t in files.items():
        if p == "lib/results/figures.c":
            continue
        for m in re.finditer(r"\b(speedup|efficiency)\w*\s*=[^;=][^;]*?/", t):
            line = t.count("\n", 0, m.start()) + 1
            out.append(f"{p}:{line}: computes a {m.group(1)} itself; call eb_{m.group(1)}")
    for p, t in files.items():
        for m in re.finditer(r"\bstrn?cmp\s*\([^;]*\"sequential\"", t):
            line = t.count("\n", 0, m.start()) + 1
            out.append(f'{p}:{line}: compares a name with "sequential"; ask the executor '
                       "(.reference, .max_workers) or eb_row_is_reference")
    for line in out:
        print(f"check_keys: {line}", file=sys.stderr)
    if not out:
        print(f"check_keys: {len(set(keys))} keys; each compound one spelled in one product "
              "file; only lib/results hands keys to jansson")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
