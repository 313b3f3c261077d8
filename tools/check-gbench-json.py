#!/usr/bin/env python3
"""check-gbench-json.py FILE... — is each FILE a Google Benchmark JSON document?

Strict JSON (no bare NaN/Infinity), a "context" object and a "benchmarks" array
whose every row has name, run_type, iterations, real_time, cpu_time, time_unit
(what Google Benchmark's compare.py and CI dashboards read). Standard library only.
"""
import json
import sys

REQUIRED = {"name": str, "run_type": str, "iterations": int,
            "real_time": (int, float), "cpu_time": (int, float), "time_unit": str}


def reject_constant(name):
    raise ValueError(f"bare {name} is not JSON")


def check(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f, parse_constant=reject_constant)
    if not isinstance(doc.get("context"), dict):
        raise ValueError("no context object")
    rows = doc.get("benchmarks")
    if not isinstance(rows, list) or not rows:
        raise ValueError("no benchmarks")
    for i, row in enumerate(rows):
        for key, kind in REQUIRED.items():
            if not isinstance(row.get(key), kind) or isinstance(row.get(key), bool):
                raise ValueError(f"benchmarks[{i}] ({row.get('name')}): {key} missing or mistyped")
    return len(rows)


def main():
    if len(sys.argv) < 2:
        print("usage: check-gbench-json.py FILE...", file=sys.stderr)
        return 2
    status = 0
    for path in sys.argv[1:]:
        try:
            print(f"{path}: {check(path)} rows, valid")
        except (OSError, ValueError) as e:
            print(f"check-gbench-json: {path}: {e}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
