#!/usr/bin/env python3
"""make_corpus.py — writes the seed corpus of the command-line fuzz target.

    runner/plan/fuzz/make_corpus.py        (rewrites runner/plan/fuzz/corpus/seeds/)

Each file is one argv after the program name, arguments separated by NUL
bytes (what runner/plan/fuzz/fuzz_cli.c reads): the command lines of the README and
the tests, every class of bad input tests/test_cli.c checks, presets, a point
process's own flags, and values at and past every bound. libFuzzer starts
from them (make fuzz) and tests/test_cli_corpus.c replays them in every
build. Deterministic, standard library only.

Not written here, and left alone: corpus/fuzzed/ (what `make fuzz` found that
adds coverage, merged with -merge=1) and corpus/regressions/ (inputs that
once found a bug, kept once fixed).
"""
import hashlib
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "seeds")

GOOD = [
    [],
    ["--help"],
    ["--version"],
    ["--list"],
    ["--preset", "quick"],
    ["--preset", "default", "--repetitions", "3"],
    ["--preset=seeds", "--quiet", "--out", "results/x.json"],
    ["--preset", "quick", "--repeat-run", "20"],
    ["--workload", "cpu.sumsq", "--executor", "sequential", "--tasks", "1", "--param", "n=1000"],
    ["--workload", "cpu.sumsq,io.sleep", "--executor", "all", "--workers", "1,2,auto",
     "--tasks", "8,20", "--param", "n=1000,5000000", "--param", "latency_us=2000"],
    ["--workload", "io.sleep", "--executor", "coroutine", "--workers", "0", "--tasks",
     "100000", "--param", "latency_us=100000", "--param", "jitter_pct=10"],
    ["--workload", "io.sleep", "--pin", "none,compact,scatter,pu", "--workers", "2"],
    ["--workload", "cpu.sumsq", "--cpuset", "0", "--workers", "1,2"],
    ["--workload", "cpu.sumsq", "--cpuset", "0-1", "--pin", "cpuset"],
    ["--workload", "test.crash,test.hang,test.badresult", "--param", "at=2", "--timeout", "2"],
    ["--workload", "test.signal", "--param", "signal=15", "--executor", "multiprocess"],
    ["--workload", "test.fds", "--param", "fds=64", "--param", "hold_us=0"],
    ["--workload", "test.report", "--param", "mode=1,2,3,4,5,6,7"],
    ["--workload", "all", "--executor", "threaded,multiprocess", "--workers", "1000000"],
    ["--tasks", "100000000", "--repetitions", "1000", "--warmup", "100", "--timeout", "604800"],
    ["--timeout", "0.5", "--seed", "9223372036854775807", "--coro-backend", "ucontext"],
    ["--micro"],
    ["--micro=micro.kernel/sumsq/n:1024$", "--quiet"],
    ["--point", "--workload=cpu.sumsq", "--executor=threaded", "--workers=2", "--tasks=8",
     "--pin=compact", "--param=n=1000000", "--repetitions=3", "--warmup=1",
     "--coro-backend=fcontext", "--seed=1"],
    ["--point", "--workload=io.sleep", "--executor=coroutine", "--workers=0", "--tasks=40",
     "--cpuset=0", "--param=latency_us=2000", "--param=jitter_pct=0"],
    ["--workload", "io.sleep", "--param", "latency_us=0,1,3600000000"],
    ["--workload", "cpu.sumsq", "--tasks", ",".join(str(i) for i in range(1, 257))],
    ["--executor", "sequential,sequential,threaded", "--workers", "auto,auto,1"],
]

BAD = [
    ["--bogus"], ["-x"], ["-xyz"], ["-"], ["--"], ["--", "x"], ["--workers"], ["stray"],
    ["--workload", "cpu.sumsq", "--workload", "io.sleep"],
    ["--workload", "cpu.nope"], ["--executor", "fibers"], ["--preset", "huge"],
    ["--preset", "quick", "--workers", "2"], ["--pin", "diagonal"], ["--pin", "cpuset"],
    ["--coro-backend", "threads"],
    ["--workload", "cpu.sumsq", "--param", "n=-5"],
    ["--workload", "cpu.sumsq", "--param", "n=0"],
    ["--workload", "cpu.sumsq", "--param", "n=99999999999999"],
    ["--workload", "cpu.sumsq", "--param", "n=abc"],
    ["--workload", "cpu.sumsq", "--param", "n=5e6"],
    ["--workload", "cpu.sumsq", "--param", "n=99999999999999999999999"],
    ["--workload", "io.sleep", "--param", "latency_us=1.5"],
    ["--workload", "cpu.sumsq", "--param", "speed=3"],
    ["--param", "n"], ["--param", "=5"], ["--param", "n=1,,2"], ["--param", "n="],
    ["--param", "n=1", "--param", "n=2"],
    ["--workers", "-1"], ["--workers", "two"], ["--workers", "2000000"], ["--workers", ""],
    ["--workers", ","], ["--workers", "1,"], ["--workers", "+1"], ["--workers", "0x10"],
    ["--tasks", "0"], ["--tasks", "9223372036854775808"], ["--tasks", "-9223372036854775809"],
    ["--repetitions", "0"], ["--repetitions", "1001"], ["--warmup", "-1"], ["--warmup", "101"],
    ["--timeout", "0"], ["--timeout", "inf"], ["--timeout", "-3"], ["--timeout", "nan"],
    ["--timeout", "1e3"], ["--timeout", "."], ["--timeout", "1.2.3"], ["--timeout", "604801"],
    ["--timeout", "0.0000000001"], ["--seed", "x"], ["--seed", "-1"],
    ["--cpuset", "4095"], ["--cpuset", "0-9999"], ["--cpuset", "zero"], ["--cpuset", "0", "--pin", "pu"],
    ["--cpuset", "1-0"], ["--cpuset", "0,,1"], ["--cpuset", "-1"], ["--cpuset", "0" * 200],
    ["--executor", "threaded", "--workers", "0"],
    ["--out", ""], ["--out", "a", "--out", "b"], ["--micro="], ["--repeat-run", "0"],
    ["--repeat-run", "10001"], ["--repeat-run", "x"],
    ["--workload", "all", "--executor", "all", "--workers", ",".join(str(i) for i in range(1, 200)),
     "--tasks", ",".join(str(i) for i in range(1, 200))],
    ["--workload", "cpu.sumsq", "--tasks", ",".join("1" for _ in range(300))],
]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    for kind, cases in (("good", GOOD), ("bad", BAD)):
        for args in cases:
            data = b"\0".join(a.encode() for a in args)
            name = "%s-%s" % (kind, hashlib.sha1(data).hexdigest()[:12])
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(data)
    print("make_corpus.py: %d seeds in %s" % (len(GOOD) + len(BAD), OUT))


if __name__ == "__main__":
    main()
