#!/usr/bin/env bash
# test_ci.sh CASE — the CI pieces of issue 17 on kept runner output
# (tests/fixtures/ci/, made by its make-fixtures.sh: real runs, gzip'd):
#   gate_passes_two_equal_runs           tools/bench-gate.sh check: exit 0, "passed"
#   gate_fails_a_slowdown_saying_why     the slowed point: exit 1, the markdown names
#                                        it with its change and the threshold
#   gate_fails_a_point_that_became_an_error_row
#                                        exit 3, the markdown names the point and its error
#   gate_skips_without_base_results      no base document: exit 0, says it is not gated
#   gate_writes_the_job_summary          $GITHUB_STEP_SUMMARY gets the same markdown
#   trend_flags_the_slowed_point_once    10 runs, the target slowed from run 6 on: one
#                                        change, that point, at run 6, slower
#   trend_flags_no_single_odd_run        a slowed run among normal ones (--order given):
#                                        no change
#   trend_orders_by_date_not_by_name     the same runs under shuffled names: run 6 still
#   trend_counts_a_copy_once             latest.json beside the run it copies: 10 runs, the
#                                        copy named as left out, the run's own name kept
#   trend_orders_by_revision_in_the_history
#                                        --order revision --repo (this checkout): the same;
#                                        a revision git does not know is named (exit 2)
#   export_has_one_series_per_point_and_ratio
#                                        customSmallerIsBetter / customBiggerIsBetter
#                                        follow the action's BenchmarkResult schema: one
#                                        series per point (median) and per ratio, no
#                                        aggregate or error row, units ms, x and %;
#                                        the error point is named on stderr
#   export_refuses_an_interrupted_run    exit 2 unless --allow-interrupted
set -u
src=${EB_SOURCE_DIR:?}
build=${EB_BUILD_DIR:?}
export EXECBENCH_COMPARE=$build/execbench-compare
fixtures=$src/tests/fixtures/ci
tmp=$(mktemp -d /tmp/eb_test_ci_XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
unpack() { # unpack DIR: the gzip'd documents of fixtures/DIR into $tmp/DIR
    mkdir -p "$tmp/$1"
    for f in "$fixtures/$1"/*.json.gz; do gzip -dc "$f" >"$tmp/$1/$(basename "$f" .gz)"; done
}
gate() { "$src/tools/bench-gate.sh" check "$@"; }
py=$("$src/tools/find-python.sh" json) || { echo "skipped: no Python 3" >&2; exit 77; }
target="cpu.sumsq/exec:coroutine/tasks:8/workers:0/n:1000000/pin:compact"

case "${1:-}" in
gate_passes_two_equal_runs)
    unpack gate
    gate "$tmp/gate/base.json" "$tmp/gate/equal.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] || fail "exit $rc: $(cat "$tmp/out" "$tmp/err")"
    grep -q "^## execbench gate: passed" "$tmp/out" || fail "no verdict: $(head -3 "$tmp/out")"
    grep -q -- "--fail-above 20%: passed" "$tmp/out" || fail "the table's footnote does not say passed"
    ;;
gate_fails_a_slowdown_saying_why)
    unpack gate
    gate "$tmp/gate/base.json" "$tmp/gate/slow.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 1 ] || fail "exit $rc, expected 1: $(cat "$tmp/out" "$tmp/err")"
    grep -q "^## execbench gate: FAILED" "$tmp/out" || fail "no verdict: $(head -3 "$tmp/out")"
    # the reason line names the slowed point, its change and p-value, and the threshold
    grep -qE "^- [0-9]+ significant slowdowns? beyond --fail-above 20%: .*$target/manual_time \(\+[0-9.]+%, p=0\.[0-9]+\)" "$tmp/out" ||
        fail "the reason does not name $target: $(sed -n 1,6p "$tmp/out")"
    grep -q "^### diff: old -> new" "$tmp/out" || fail "no diff table in the markdown"
    grep -q -- "--fail-above 20%: FAILED" "$tmp/out" || fail "the table's footnote does not say FAILED"
    ;;
gate_fails_a_point_that_became_an_error_row)
    unpack gate
    gate "$tmp/gate/base.json" "$tmp/gate/error.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 3 ] || fail "exit $rc, expected 3: $(cat "$tmp/out" "$tmp/err")"
    grep -q "^## execbench gate: FAILED" "$tmp/out" || fail "no verdict"
    grep -qE "^- --fail-above 20%: 1 benchmark with a result in .*base.json has none in .*error.json: io.sleep/exec:sequential/tasks:40/workers:1/latency_us:2000/pin:compact/manual_time \(error: timed out after 0.7 s" "$tmp/out" ||
        fail "the reason does not name the point and its error: $(sed -n 1,6p "$tmp/out")"
    ;;
gate_skips_without_base_results)
    unpack gate
    gate "$tmp/no-such-base.json" "$tmp/gate/equal.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] || fail "exit $rc"
    grep -q "^## execbench gate: skipped" "$tmp/out" && grep -q "Not gated" "$tmp/out" ||
        fail "does not say it skipped: $(cat "$tmp/out")"
    # a NEW that cannot be read is an error, never a pass
    echo '{' >"$tmp/bad.json"
    gate "$tmp/gate/base.json" "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 2 ] || fail "unreadable NEW: exit $rc, expected 2"
    grep -q "^## execbench gate: could not compare" "$tmp/out" || fail "unreadable NEW: $(cat "$tmp/out")"
    ;;
gate_writes_the_job_summary)
    unpack gate
    GITHUB_STEP_SUMMARY=$tmp/summary.md gate "$tmp/gate/base.json" "$tmp/gate/slow.json" \
        >"$tmp/out" 2>/dev/null
    cmp -s "$tmp/out" "$tmp/summary.md" || fail "the job summary differs from what was printed"
    ;;
trend_flags_the_slowed_point_once)
    unpack trend
    "$build/execbench-compare" --format json trend "$tmp/trend" >"$tmp/trend.json" 2>"$tmp/err" ||
        fail "trend exited $?: $(cat "$tmp/err")"
    "$py" - "$tmp/trend.json" "$target" <<'PY' || exit 1
import json, sys
report, target = json.load(open(sys.argv[1])), sys.argv[2] + "/manual_time"
tables = {t["title"]: t for t in report["tables"]}
changes = tables["changes"]["rows"]
flagged = [c for c in changes if c["verdict"] != "pending"]
assert report["runs"] == 10, f"runs: {report['runs']}"
assert len(flagged) == 1, f"{len(flagged)} changes flagged: {flagged}"
c = flagged[0]
assert c["name"] == target, f"flagged {c['name']}, not the slowed point"
assert c["run"] == 6 and c["verdict"] == "slower" and c["change"] > 0.25, c
assert report["changes"] == 1
# the history gives plot.py each run's median and interval
row = next(r for r in tables["history: cpu.sumsq"]["rows"] if r["name"] == target)
for k in range(1, 11):
    assert row[f"{k}.lo_ns"] <= row[f"{k}.median_ns"] <= row[f"{k}.hi_ns"], (k, row)
assert row["6.change"] == "slower" and all(row[f"{k}.change"] is None for k in range(1, 11) if k != 6)
print(f"ok: one change: {c['name']} at run {c['run']}: {c['change']:+.1%} (p={c['pvalue']:.4f})")
PY
    ;;
trend_flags_no_single_odd_run)
    unpack trend
    t=$tmp/trend
    # run 6 (slowed) alone among the normal runs 1-5 and nothing after: in the middle
    "$build/execbench-compare" --format json --order given trend "$t/run-01.json" "$t/run-02.json" \
        "$t/run-03.json" "$t/run-06.json" "$t/run-04.json" "$t/run-05.json" >"$tmp/trend.json" \
        2>"$tmp/err" || fail "trend exited $?: $(cat "$tmp/err")"
    "$py" - "$tmp/trend.json" <<'PY' || exit 1
import json, sys
report = json.load(open(sys.argv[1]))
changes = next(t for t in report["tables"] if t["title"] == "changes")["rows"]
assert report["changes"] == 0 and not [c for c in changes if c["verdict"] != "pending"], changes
PY
    ;;
trend_orders_by_date_not_by_name)
    unpack trend
    mkdir "$tmp/shuffled"
    i=0
    for n in 07 03 10 01 05 09 02 08 06 04; do # z-run-NN sorts in this order, dates do not
        i=$((i + 1))
        cp "$tmp/trend/run-$n.json" "$tmp/shuffled/z-run-$(printf %02d $((11 - i))).json"
    done
    "$build/execbench-compare" --format json trend "$tmp/shuffled" >"$tmp/trend.json" 2>"$tmp/err" ||
        fail "trend exited $?: $(cat "$tmp/err")"
    "$py" - "$tmp/trend.json" "$target" <<'PY' || exit 1
import json, sys
report, target = json.load(open(sys.argv[1])), sys.argv[2] + "/manual_time"
tables = {t["title"]: t for t in report["tables"]}
dates = [r["date"] for r in tables["runs"]["rows"]]
assert dates == sorted(dates), dates
flagged = [c for c in tables["changes"]["rows"] if c["verdict"] != "pending"]
assert len(flagged) == 1 and flagged[0]["name"] == target and flagged[0]["run"] == 6, flagged
PY
    ;;
trend_counts_a_copy_once)
    unpack trend
    cp "$tmp/trend/run-10.json" "$tmp/trend/latest.json" # what the runner leaves in results/
    "$build/execbench-compare" --format json trend "$tmp/trend" >"$tmp/trend.json" 2>"$tmp/err" ||
        fail "trend exited $?: $(cat "$tmp/err")"
    "$py" - "$tmp/trend.json" <<'PY' || exit 1
import json, sys
report = json.load(open(sys.argv[1]))
runs = next(t for t in report["tables"] if t["title"] == "runs")["rows"]
assert report["runs"] == 10 and runs[-1]["file"].endswith("run-10.json"), runs[-1]
assert any(l.endswith("latest.json: the same document as " + runs[-1]["file"]) for l in report["inputs"]), report["inputs"]
assert report["changes"] == 1
PY
    ;;
trend_orders_by_revision_in_the_history)
    unpack trend
    rev=$(gzip -dc "$fixtures/trend/run-01.json.gz" | grep -o '"version": "[^"]*"' | grep -oE 'git [0-9a-f]+' | cut -c5-)
    git -C "$src" cat-file -e "$rev^{commit}" 2>/dev/null || {
        echo "skipped: $src is no git checkout holding $rev (the runs' revision; a shallow clone?)" >&2
        exit 77
    }
    "$build/execbench-compare" --format json --order revision --repo "$src" trend "$tmp/trend" \
        >"$tmp/trend.json" 2>"$tmp/err" || fail "trend exited $?: $(cat "$tmp/err")"
    "$py" - "$tmp/trend.json" "$target" "$rev" <<'PY' || exit 1
import json, sys
report, target, rev = json.load(open(sys.argv[1])), sys.argv[2] + "/manual_time", sys.argv[3]
tables = {t["title"]: t for t in report["tables"]}
assert report["order"] == "revision"
assert {r["revision"] for r in tables["runs"]["rows"]} == {rev}
flagged = [c for c in tables["changes"]["rows"] if c["verdict"] != "pending"]
assert len(flagged) == 1 and flagged[0]["name"] == target and flagged[0]["run"] == 6, flagged
PY
    # a revision git does not know is named
    mkdir "$tmp/repo" && git -C "$tmp/repo" init -q && git -C "$tmp/repo" -c user.name=t \
        -c user.email=t@t commit -q --allow-empty -m one || fail "git init"
    "$build/execbench-compare" --order revision --repo "$tmp/repo" trend "$tmp/trend" \
        >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] && grep -q "run-01.json: revision $rev is not in the history of HEAD in $tmp/repo" "$tmp/err" ||
        fail "unknown revision: $(cat "$tmp/err")"
    ;;
export_has_one_series_per_point_and_ratio)
    unpack gate
    doc=$tmp/gate/error.json # 8 points, io.sleep's sequential one an error row
    for f in customSmallerIsBetter customBiggerIsBetter; do
        "$build/execbench-compare" --format "$f" export "$doc" >"$tmp/$f.json" 2>"$tmp/$f.err" ||
            fail "$f: exit $?: $(cat "$tmp/$f.err")"
    done
    "$build/execbench-compare" export "$doc" >"$tmp/all.csv" 2>/dev/null || fail "csv: exit $?"
    grep -c "left out" "$tmp/customSmallerIsBetter.err" | grep -qx 1 ||
        fail "not one left-out line: $(cat "$tmp/customSmallerIsBetter.err")"
    grep -q "^execbench-compare: .*error.json: left out io.sleep/exec:sequential/tasks:40/workers:1/latency_us:2000/pin:compact/manual_time: error: timed out after 0.7 s" "$tmp/customSmallerIsBetter.err" ||
        fail "the error point is not named: $(cat "$tmp/customSmallerIsBetter.err")"
    "$py" - "$doc" "$tmp" <<'PY' || exit 1
import csv, json, sys
doc, tmp = json.load(open(sys.argv[1])), sys.argv[2]
# github-action-benchmark's BenchmarkResult (src/extract.ts, zod): name, value
# and unit required, range and extra optional strings, nothing else
def check_schema(entries):
    assert isinstance(entries, list) and entries
    for e in entries:
        assert set(e) <= {"name", "unit", "value", "range", "extra"}, e
        assert isinstance(e["name"], str) and isinstance(e["unit"], str), e
        assert isinstance(e["value"], (int, float)) and not isinstance(e["value"], bool), e
        assert all(isinstance(e[k], str) for k in ("range", "extra") if k in e), e
points = {}
for b in doc["benchmarks"]:
    points.setdefault(b["run_name"][: -len("/manual_time")], []).append(b)
good = {p for p, rows in points.items() if not any(r.get("error_occurred") for r in rows)}
assert len(points) == 8 and len(good) == 7, (len(points), len(good))
smaller = json.load(open(f"{tmp}/customSmallerIsBetter.json"))
bigger = json.load(open(f"{tmp}/customBiggerIsBetter.json"))
check_schema(smaller)
check_schema(bigger)
names = [e["name"] for e in smaller]
assert sorted(names) == sorted(good), names          # one series per point, the error left out
assert all(e["unit"] == "ms" for e in smaller)       # the rows' time_unit
for e in smaller:                                     # the median of its repetitions, in ms
    reps = sorted(r["real_time"] for r in points[e["name"]] if r["run_type"] == "iteration")
    n = len(reps)
    median = reps[n // 2] if n % 2 else (reps[n // 2 - 1] + reps[n // 2]) / 2
    assert abs(e["value"] - median) <= 1e-9 * median, (e, median)
    assert not any(s in e["name"] for s in ("_mean", "_median", "_stddev", "_cv"))
bnames = [e["name"] for e in bigger]
assert len(bnames) == len(set(bnames)), "a ratio twice"
for e in bigger:
    point, ratio = e["name"].rsplit(" ", 1)
    assert point in good and ratio in ("speedup", "efficiency"), e["name"]
    assert e["unit"] == {"speedup": "x", "efficiency": "%"}[ratio], e
# the io.sleep group lost its reference point: no speedups there, efficiencies still
assert not [n for n in bnames if n.startswith("io.sleep") and n.endswith("speedup")], bnames
assert [n for n in bnames if n.startswith("io.sleep") and n.endswith("efficiency")]
# the reference's own speedup (1 by definition) is no series; every other point's is
assert {n.rsplit(" ", 1)[0] for n in bnames if n.endswith("speedup")} == \
    {p for p in good if p.startswith("cpu.sumsq") and "exec:sequential" not in p}
rows = list(csv.DictReader(open(f"{tmp}/all.csv", newline="")))
assert len(rows) == len(smaller) + len(bigger)
assert {r["better"] for r in rows if r["metric"] == "median"} == {"smaller"}
assert {r["better"] for r in rows if r["metric"] != "median"} == {"bigger"}
print(f"ok: {len(smaller)} medians, {len(bigger)} ratios")
PY
    ;;
export_refuses_an_interrupted_run)
    doc=$src/tests/fixtures/compare/interrupted.json
    "$build/execbench-compare" --format customSmallerIsBetter export "$doc" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 2 ] || fail "exit $rc, expected 2"
    [ ! -s "$tmp/out" ] || fail "wrote an export: $(cat "$tmp/out")"
    grep -q "^execbench-compare: .*interrupted.json: interrupted by SIGINT after 1 of 9 points: a dashboard would read the points it never ran as gone; export a whole run, or pass --allow-interrupted$" "$tmp/err" ||
        fail "stderr: $(cat "$tmp/err")"
    "$build/execbench-compare" --allow-interrupted --format customSmallerIsBetter export "$doc" \
        >"$tmp/out" 2>"$tmp/err" || fail "--allow-interrupted: exit $?: $(cat "$tmp/err")"
    grep -q "left out 8 planned points that never ran" "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
    "$py" -c "import json, sys; assert len(json.load(open(sys.argv[1]))) == 1" "$tmp/out" ||
        fail "not the one point that finished: $(cat "$tmp/out")"
    ;;
*)
    echo "usage: test_ci.sh CASE (see its header)" >&2
    exit 2
    ;;
esac
echo "ok $1"
