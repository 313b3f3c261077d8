#!/usr/bin/env python3
"""check_utest_scipy.py — execbench-compare's diff against scipy, the reference
Google Benchmark's compare.py uses.

For fixture pairs and for generated pairs that cover every branch of the test
(exact, ties, both sides over 8, unequal sizes, all equal), runs
`execbench-compare --format json diff OLD NEW` and recomputes, per benchmark,
the medians, the change and scipy.stats.mannwhitneyu(old, new,
alternative='two-sided') over real and CPU time. Any difference beyond 1e-9
(relative) fails. Exits 77 (ctest: skipped) when no scipy is importable.

    check_utest_scipy.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

try:
    from scipy.stats import mannwhitneyu
except ImportError:
    print("skipped: scipy is not installed for this interpreter", file=sys.stderr)
    sys.exit(77)

UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
failures = 0


def samples(doc):
    """name -> ([real ns], [cpu ns]) over usable iteration rows, as compare pairs them."""
    out = {}
    for row in doc["benchmarks"]:
        if row.get("error_occurred") or row.get("run_type", "iteration") != "iteration":
            continue
        name = row.get("run_name", row["name"])
        real, cpu = out.setdefault(name, ([], []))
        real.append(row["real_time"] * UNIT[row["time_unit"]])
        cpu.append(row["cpu_time"] * UNIT[row["time_unit"]])
    return out


def close(a, b, what):
    global failures
    if a is None or b is None or abs(a - b) > 1e-9 * max(1.0, abs(b)):
        print(f"  MISMATCH {what}: execbench-compare {a!r}, reference {b!r}")
        failures += 1


def check_pair(binary, old_path, new_path):
    with open(old_path) as f:
        old = samples(json.load(f))
    with open(new_path) as f:
        new = samples(json.load(f))
    res = subprocess.run([binary, "--format", "json", "diff", old_path, new_path],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"diff exited {res.returncode}: {res.stderr}")
    rows = json.loads(res.stdout)["tables"][0]["rows"]
    checked = 0
    for row in rows:
        if row.get("total") or row["name"] not in old or row["name"] not in new:
            continue
        (o_real, o_cpu), (n_real, n_cpu) = old[row["name"]], new[row["name"]]
        name = f"{os.path.basename(old_path)} {row['name']}"
        close(row["old_median_ns"], statistics.median(o_real), name + " old median")
        close(row["new_median_ns"], statistics.median(n_real), name + " new median")
        om, nm = statistics.median(o_real), statistics.median(n_real)
        close(row["change"], (nm - om) / abs(om) if om else 0.0, name + " change")
        if len(o_real) >= 2 and len(n_real) >= 2:
            p = mannwhitneyu(o_real, n_real, alternative="two-sided").pvalue
            pc = mannwhitneyu(o_cpu, n_cpu, alternative="two-sided").pvalue
            close(row["pvalue"], float(p), name + " p-value")
            close(row["cpu_pvalue"], float(pc), name + " cpu p-value")
            checked += 1
        elif row.get("pvalue") is not None:
            print(f"  MISMATCH {name}: a p-value with fewer than 2 repetitions")
    return checked


def generated(tmp):
    """Pairs for every branch of scipy's method choice, seeded."""
    rng = random.Random(7)
    cases = {
        "exact_5v5": (5, 5, 3, False), "exact_3v25": (3, 25, 3, False),
        "exact_8v40": (8, 40, 3, False), "ties_5v5": (5, 5, 0, False),
        "ties_12v15": (12, 15, 0, False), "asym_9v9": (9, 9, 3, False),
        "asym_30v30": (30, 30, 3, False), "shifted_20v20": (20, 20, 3, True),
        "equal_6v6": (6, 6, -1, False),
    }
    pairs = []
    for name, (n_old, n_new, digits, shift) in cases.items():
        docs = []
        for side, n in (("old", n_old), ("new", n_new)):
            rows = []
            for i in range(n):
                if digits < 0:
                    t = 100.0
                else:
                    t = rng.gauss(100.0 + (5.0 if shift and side == "new" else 0.0), 3.0)
                    t = round(t, digits) if digits else float(round(t))
                rows.append({"name": f"BM_{name}", "run_type": "iteration", "iterations": 1,
                             "real_time": t, "cpu_time": round(t * 0.5, 6), "time_unit": "us"})
            path = os.path.join(tmp, f"{name}_{side}.json")
            with open(path, "w") as f:
                json.dump({"benchmarks": rows}, f)
            docs.append(path)
        pairs.append(tuple(docs))
    return pairs


def main():
    build, source = sys.argv[1], sys.argv[2]
    binary = os.path.join(build, "execbench-compare")
    fixtures = os.path.join(source, "tests", "fixtures", "compare")
    pairs = [(os.path.join(fixtures, a), os.path.join(fixtures, b))
             for a, b in (("run-a.json", "run-b.json"), ("run-b.json", "run-a.json"),
                          ("micro-a.json", "micro-b.json"))]
    with tempfile.TemporaryDirectory() as tmp:
        pairs += generated(tmp)
        total = sum(check_pair(binary, a, b) for a, b in pairs)
    print(f"{total} U tests checked against scipy, {failures} mismatches")
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
