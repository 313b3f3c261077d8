#!/usr/bin/env python3
"""check_doc_shape.py KEPT NEW — NEW has the shape of KEPT: every row of
KEPT, in the same order, and for every such row and the context the same keys
in the same order with the same JSON value types (recursively: objects by
key, arrays by their elements' types). Values (times, dates, versions) are
free to differ. Rows KEPT has not (a workload, executor or setting added
since: the quick preset holds every workload x executor) may stand between
them; each holds at least the keys of the kept rows of its kind (the same
last part of the name: the repetitions, _mean, _median, ...), in their order
and types, and may hold more (counters of what it adds).

Keys whose presence depends on the machine or the moment are listed in
OPTIONAL and may be absent on either side; what later features added is in
ADDED (context keys) and ADDED_WORKLOADS (rows of a workload the kept
document could not have): NEW may hold them, and everything else keeps its
shape; a point planned with "workers
auto" is named after the machine's cores, so such a name matches with the
cores of either machine. Exit 0 when the shapes match, 1 with one line per
difference (at most 20) otherwise."""
import json
import re
import sys

# Present or not by what happened, not by what the code writes (run_delay_ns:
# where the kernel gives /proc/thread-self/schedstat).
OPTIONAL = {"worker_pus_varied", "interrupted_by", "run_delay_ns"}
# Rows of a workload the kept document could not have (issue 14).
ADDED_WORKLOADS = {"net.http"}
# In a row the kept document has not: a new workload may have no ideal (nor
# a share of it), and only a reference point has an A/A twin.
OPTIONAL_NEW = {"ideal_ns", "ideal_share", "aa_real_ns"}

# Keys added since the kept document, each documented in docs/results-format.md:
# they may be in NEW where KEPT has none (issue 14: net.http's settings; issue 16: where the coroutines lived,
# what a run found kept, the up-front memory estimate, and the context's
# sentences on cold runs and on what is kept between runs; issue 18: --spawn).
ADDED = {"reactor", "server_threads", "server_cpuset", "spawn",
         "coro_stack", "coro_stack_used", "coro_stack_bytes", "coro_stacks_reused",
         "coro_timers_reused", "coro_control_bytes", "coro_frames_max_bytes",
         "coro_copied_bytes", "coro_buffer_peak_bytes", "coro_arena_bytes",
         "memory_estimate_bytes", "memory_need_bytes", "memory_limit", "memory_room_bytes",
         "cold_run_ns"}


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


def compare(path, a, b, out, more_keys=False):
    if kind(a) != kind(b):
        out.append(f"{path}: {kind(a)} in the kept document, {kind(b)} now")
        return
    if isinstance(a, dict):
        ka = [k for k in a if k not in OPTIONAL]
        kb = [k for k in b if k not in OPTIONAL and (k in a or k not in ADDED)]
        if more_keys:
            ka = [k for k in ka if k not in OPTIONAL_NEW]
            kb = [k for k in kb if k in ka]
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
    rows_a = kept["benchmarks"]
    rows_b = [r for r in new["benchmarks"] if r["name"].split("/")[0] not in ADDED_WORKLOADS]
    ca, cb = cores(kept), cores(new)
    compare("context", kept["context"], new["context"], out)
    if list(kept) != list(new):
        out.append(f"top-level keys {list(kept)} then {list(new)}")
    # a kept row of a new row's kind: the same workload (its parameters) and
    # last part of the name; for a workload the kept document has not, any
    # workload's, its parameters its own
    kind_of = {}
    for ra in rows_a:
        kind_of.setdefault((ra.get("workload"), ra["name"].rsplit("/", 1)[-1]), ra)
        kind_of.setdefault((None, ra["name"].rsplit("/", 1)[-1]), ra)
    i = 0
    for rb in rows_b:
        if i < len(rows_a) and same_name(rows_a[i]["name"], rb["name"], ca, cb):
            compare(f"benchmarks[{rb['name']}]", rows_a[i], rb, out)
            i += 1
            continue
        last = rb["name"].rsplit("/", 1)[-1]
        like = kind_of.get((rb.get("workload"), last))
        if like is None and (None, last) in kind_of:
            like = dict(kind_of[(None, last)])
            like.pop("params", None)
            rb = {k: v for k, v in rb.items() if k != "params"}
        if like is None:
            out.append(f"row {rb['name']} is of no kind the kept document has")
        else:
            compare(f"benchmarks[{rb['name']}]", like, rb, out, more_keys=True)
    for ra in rows_a[i:]:
        out.append(f"row {ra['name']} of the kept document is missing or out of order now")
    for line in out[:20]:
        print(f"check_doc_shape: {line}", file=sys.stderr)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
