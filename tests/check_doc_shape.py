#!/usr/bin/env python3
"""check_doc_shape.py KEPT NEW — NEW has the shape of KEPT: the same row
names, and for every row and the context the same keys in the same order
with the same JSON value types (recursively: objects by key, arrays by their
elements' types). Values (times, dates, versions) are free to differ.

Keys whose presence depends on the machine or the moment are listed in
OPTIONAL and may be absent on either side; a point planned with "workers
auto" is named after the machine's cores, so such a name matches with the
cores of either machine. Exit 0 when the shapes match, 1 with one line per
difference (at most 20) otherwise."""
import json
import re
import sys

# Present or not by what happened, not by what the code writes (run_delay_ns:
# where the kernel gives /proc/thread-self/schedstat).
OPTIONAL = {"worker_pus_varied", "interrupted_by", "run_delay_ns"}


def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "real"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "null"
    if isinstance(v, list):
        return "array"
    return "object"


def compare(path, a, b, out):
    if kind(a) != kind(b):
        out.append(f"{path}: {kind(a)} in the kept document, {kind(b)} now")
        return
    if isinstance(a, dict):
        ka = [k for k in a if k not in OPTIONAL]
        kb = [k for k in b if k not in OPTIONAL]
        if ka != kb:
            out.append(f"{path}: keys {ka} in the kept document, {kb} now")
        for k in ka:
            if k in b:
                compare(f"{path}.{k}", a[k], b[k], out)
    elif isinstance(a, list) and a and b:
        # every element of a kind the kept document's elements have
        kinds = {kind(x) for x in a}
        for i, x in enumerate(b):
            if kind(x) not in kinds:
                out.append(f"{path}[{i}]: {kind(x)}, the kept document's are {sorted(kinds)}")
        if kind(a[0]) == "object":
            for x in b:
                compare(f"{path}[]", a[0], x, out)


def cores(doc):
    return doc["context"]["execbench"]["topology"]["cores"]


def same_name(a, b, cores_a, cores_b):
    """Equal, or equal but for workers:<cores> on each side (workers auto)."""
    if a == b:
        return True
    wa, wb = re.search(r"/workers:(\d+)/", a), re.search(r"/workers:(\d+)/", b)
    return bool(wa and wb and int(wa.group(1)) == cores_a and int(wb.group(1)) == cores_b
                and a[:wa.start()] == b[:wb.start()] and a[wa.end():] == b[wb.end():])


def main():
    kept, new = (json.load(open(p)) for p in sys.argv[1:3])
    out = []
    rows_a, rows_b = kept["benchmarks"], new["benchmarks"]
    ca, cb = cores(kept), cores(new)
    if len(rows_a) != len(rows_b):
        out.append(f"{len(rows_a)} rows in the kept document, {len(rows_b)} now")
    compare("context", kept["context"], new["context"], out)
    if list(kept) != list(new):
        out.append(f"top-level keys {list(kept)} then {list(new)}")
    for ra, rb in zip(rows_a, rows_b):
        if not same_name(ra["name"], rb["name"], ca, cb):
            out.append(f"row {ra['name']} in the kept document is {rb['name']} now")
            continue
        compare(f"benchmarks[{ra['name']}]", ra, rb, out)
    for line in out[:20]:
        print(f"check_doc_shape: {line}", file=sys.stderr)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
