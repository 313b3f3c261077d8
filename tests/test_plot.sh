#!/usr/bin/env bash
# test_plot.sh CASE — tools/plot.py writes non-empty figures from fixtures.
#   figures   the three PNGs (and SVGs with --svg), beside the results file by default
#   plain     a plain Google Benchmark document (execbench-micro): three PNGs still
#   bad       a bad document: exit 2, one line naming it
#   bound     a plan document ("preset": null) whose figures go beyond their bound:
#             marked "!" in overview and scaling, each with its likely cause
#   interrupted  a run stopped by SIGINT: said on stderr and at the top of each
#             figure; stopped before any point: exit 2, that and not a filter hint
#   limit     more than --max-input-bytes (/dev/zero): exit 2, one line
#   crossover mix.waitsum at three CPU shares (a small crossover run): crossover.png
#             beside the three, naming the winner at each share and its lead; a
#             document without such a sweep gets no crossover.png
#   scale     a scale preset document: scale.png, log-log, a line per executor and
#             stack mode, warm and cold, and bytes per task; a document without
#             two task counts of one executor gets a placeholder that says so
#   trend     plot.py trend over the ten kept runs of tests/fixtures/ci/trend:
#             trend.png, a panel per workload, the flagged change marked at run 6
# Exits 77 (ctest: skipped) when no Python 3 here can import matplotlib; CI
# installs python3-matplotlib (make test runs tools/install-deps.sh plot).
set -u
src=${EB_SOURCE_DIR:?}
# plot.py draws what this build's execbench-compare computes
export EXECBENCH_COMPARE=${EB_BUILD_DIR:?}/execbench-compare
py=$("$src/tools/find-python.sh" matplotlib) || {
    echo "skipped: no Python 3 with matplotlib (install python3-matplotlib)" >&2
    exit 77
}
tmp=$(mktemp -d /tmp/eb_test_plot_XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A PNG starts with its 8-byte signature; anything under 2 KB holds no chart.
check_png() {
    [ -f "$1" ] || fail "$1 missing"
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$1 is not a PNG"
    [ "$(stat -c %s "$1")" -gt 2048 ] || fail "$1 is nearly empty ($(stat -c %s "$1") bytes)"
}

case "${1:-}" in
figures)
    cp "$src/tests/fixtures/compare/run-a.json" "$tmp/latest.json"
    "$py" "$src/tools/plot.py" --svg "$tmp/latest.json" >"$tmp/out" 2>"$tmp/err" ||
        fail "plot.py exited $?: $(cat "$tmp/err")"
    for f in overview scaling overheads scale; do
        check_png "$tmp/latest/$f.png"
        head -c 200 "$tmp/latest/$f.svg" | grep -q "<svg\|<?xml" || fail "$f.svg is not SVG"
        grep -q "$tmp/latest/$f.png" "$tmp/out" || fail "$f.png not listed on stdout"
    done
    [ ! -s "$tmp/err" ] || fail "stderr not empty: $(cat "$tmp/err")"
    [ ! -e "$tmp/latest/crossover.png" ] || fail "crossover.png drawn without a crossover"
    # the overview is a real chart: clearly bigger than a placeholder
    [ "$(stat -c %s "$tmp/latest/overview.png")" -gt 20000 ] || fail "overview.png holds no bars"
    ;;
plain)
    "$py" "$src/tools/plot.py" --out "$tmp/micro" "$src/tests/fixtures/compare/micro-a.json" \
        >/dev/null 2>"$tmp/err" || fail "plot.py exited $?: $(cat "$tmp/err")"
    for f in overview scaling overheads; do check_png "$tmp/micro/$f.png"; done
    [ "$(stat -c %s "$tmp/micro/overheads.png")" -gt 20000 ] || fail "overheads.png holds no bars"
    ;;
bad)
    # (nan-counter.json is not here: Python reads libbenchmark 1.7.1's bare NaN,
    # and a NaN counter is no reason to refuse a plot of the times.)
    for f in empty.json truncated.json text-file.json not-results-array.json empty-benchmarks.json; do
        "$py" "$src/tools/plot.py" --out "$tmp/bad" "$src/tests/fixtures/compare/bad/$f" \
            >/dev/null 2>"$tmp/err"
        rc=$?
        [ $rc -eq 2 ] || fail "$f: exit $rc, expected 2"
        [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$f: stderr is not one line: $(cat "$tmp/err")"
        grep -q "^plot.py: .*$f" "$tmp/err" || fail "$f: message does not name it: $(cat "$tmp/err")"
    done
    ;;
bound)
    # The SVGs keep their text (svg.fonttype none): the marks and notes can be read.
    "$py" "$src/tools/plot.py" --svg --out "$tmp/bound" "$src/tests/fixtures/compare/bound.json" \
        >/dev/null 2>"$tmp/err" || fail "plot.py exited $?: $(cat "$tmp/err")"
    [ ! -s "$tmp/err" ] || fail "stderr not empty: $(cat "$tmp/err")"
    for f in overview scaling; do
        check_png "$tmp/bound/$f.png"
        svg="$tmp/bound/$f.svg"
        grep -q '>!<' "$svg" || fail "$f.svg: no \"!\" mark"
        grep -q "!: beyond the physical bound (an efficiency above 100%" "$svg" ||
            fail "$f.svg: no footnote on the mark"
        grep -q "threaded, 2 workers, 20 tasks, pin compact, n=5000000: 150.6% \[149.7-151.5\] of the ideal: the sequential point&#39;s wall time is 52% above its CPU" "$svg" ||
            grep -q "threaded, 2 workers, 20 tasks, pin compact, n=5000000: 150.6% \[149.7-151.5\] of the ideal: the sequential point's wall time is 52% above its CPU" "$svg" ||
            fail "$f.svg: the descheduled reference is not named"
    done
    grep -q "spent 33% more CPU time than this point" "$tmp/bound/overview.svg" ||
        fail "overview.svg: the slower reference CPU is not named"
    # a run within its bounds is not marked
    cp "$src/tests/fixtures/compare/run-a.json" "$tmp/a.json"
    "$py" "$src/tools/plot.py" --svg "$tmp/a.json" >/dev/null 2>&1 || fail "run-a.json: plot.py failed"
    ! grep -q "beyond the physical bound" "$tmp/a/overview.svg" "$tmp/a/scaling.svg" ||
        fail "run-a.json: marked though within its bounds"
    ;;
interrupted)
    "$py" "$src/tools/plot.py" --svg --out "$tmp/int" "$src/tests/fixtures/compare/interrupted.json" \
        >/dev/null 2>"$tmp/err" || fail "plot.py exited $?: $(cat "$tmp/err")"
    [ "$(cat "$tmp/err")" = "plot.py: $src/tests/fixtures/compare/interrupted.json: interrupted by SIGINT after 1 of 9 points: the charts hold the points that finished" ] ||
        fail "stderr: $(cat "$tmp/err")"
    for f in overview scaling overheads; do
        check_png "$tmp/int/$f.png"
        grep -q "interrupted by SIGINT after 1 of 9 points: the charts hold the points that finished" "$tmp/int/$f.svg" ||
            fail "$f.svg: the interruption is not at the top"
    done
    "$py" "$src/tools/plot.py" --out "$tmp/empty" "$src/tests/fixtures/compare/interrupted-empty.json" \
        >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc -eq 2 ] || fail "interrupted-empty.json: exit $rc, expected 2"
    [ "$(cat "$tmp/err")" = "plot.py: $src/tests/fixtures/compare/interrupted-empty.json: interrupted by SIGINT after 0 of 9 points: no results in it; run execbench again" ] ||
        fail "interrupted-empty.json: stderr: $(cat "$tmp/err")"
    ;;
limit)
    timeout 60 "$py" "$src/tools/plot.py" --max-input-bytes 1M --out "$tmp/zero" /dev/zero \
        >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc -eq 2 ] || fail "/dev/zero: exit $rc, expected 2"
    [ "$(cat "$tmp/err")" = "plot.py: /dev/zero: more than --max-input-bytes (1 MiB) to read: is it a results document? raise the limit if it is" ] ||
        fail "/dev/zero: stderr: $(cat "$tmp/err")"
    "$py" "$src/tools/plot.py" --max-input-bytes 1000 --out "$tmp/x" "$src/tests/fixtures/compare/run-a.json" \
        >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] && grep -q "run-a.json: 74851 bytes, more than --max-input-bytes (1000 bytes)" "$tmp/err" ||
        fail "run-a.json over the limit: $(cat "$tmp/err")"
    ;;
crossover)
    "$py" "$src/tools/plot.py" --svg --out "$tmp/x" "$src/tests/fixtures/compare/crossover.json" \
        >"$tmp/out" 2>"$tmp/err" || fail "plot.py exited $?: $(cat "$tmp/err")"
    [ ! -s "$tmp/err" ] || fail "stderr not empty: $(cat "$tmp/err")"
    check_png "$tmp/x/crossover.png"
    grep -q "$tmp/x/crossover.png" "$tmp/out" || fail "crossover.png not listed on stdout"
    svg="$tmp/x/crossover.svg"
    grep -q "which executor wins at each CPU share, and by how much" "$svg" || fail "no title"
    # a winner and its lead at each of the three shares (n = 0, 1,000,000, 5,000,000)
    [ "$(grep -oE 'by [0-9]+\.[0-9]{2}x' "$svg" | wc -l)" -eq 3 ] ||
        fail "not three winners' leads: $(grep -oE 'by [0-9]+\.[0-9]{2}x' "$svg" | tr '\n' ' ')"
    for n in n=0 n=1000000 n=5000000; do
        grep -q ">$n<" "$svg" || fail "share of $n not labelled"
    done
    for e in sequential threaded coroutine hybrid; do
        grep -q "$e, " "$svg" || fail "no line for $e"
    done
    [ "$(stat -c %s "$tmp/x/crossover.png")" -gt 20000 ] || fail "crossover.png holds no lines"
    ;;
scale)
    "$py" "$src/tools/plot.py" --svg --out "$tmp/scale" "$src/tests/fixtures/compare/scale.json" \
        >/dev/null 2>"$tmp/err" || fail "plot.py exited $?: $(cat "$tmp/err")"
    [ ! -s "$tmp/err" ] || fail "stderr not empty: $(cat "$tmp/err")"
    check_png "$tmp/scale/scale.png"
    [ "$(stat -c %s "$tmp/scale/scale.png")" -gt 40000 ] || fail "scale.png holds no lines"
    svg="$tmp/scale/scale.svg"
    for label in "coroutine, copy stacks (warm)" "coroutine, copy stacks (cold)" \
        "coroutine, separate stacks (warm)" "coroutine, separate stacks (cold)" \
        "threaded (warm)" "threaded (cold)" "multiprocess (warm)" "multiprocess (cold)" \
        "ns per task above the ideal" "bytes per task (peak RSS / tasks)"; do
        grep -qF "$label" "$svg" || fail "scale.svg: no \"$label\""
    done
    # log-log: the axes carry powers of ten (10^1 .. 10^7 tasks)
    grep -q "10\^{7}\|10^7\|mathdefault{10^{7}}" "$svg" || fail "scale.svg: no 10^7 tick on a log axis"
    # a document of one task count per executor: the placeholder says so
    "$py" "$src/tools/plot.py" --svg --out "$tmp/one" "$src/tests/fixtures/compare/bound.json" \
        >/dev/null 2>&1 || fail "bound.json: plot.py failed"
    grep -q "was measured at two task counts or more" "$tmp/one/scale.svg" ||
        fail "bound.json: scale.svg does not say why it is empty"
    ;;
trend)
    # plot.py trend: trend.png from execbench-compare trend over the ten kept runs
    # (tests/fixtures/ci/trend), one panel per workload, the flagged change marked
    mkdir -p "$tmp/runs"
    for f in "$src"/tests/fixtures/ci/trend/*.json.gz; do
        gzip -dc "$f" >"$tmp/runs/$(basename "$f" .gz)"
    done
    "$py" "$src/tools/plot.py" trend --svg "$tmp/runs" >"$tmp/out" 2>"$tmp/err" ||
        fail "plot.py trend exited $?: $(cat "$tmp/err")"
    check_png "$tmp/runs/trend.png"
    grep -q "$tmp/runs/trend.png" "$tmp/out" || fail "trend.png not listed on stdout"
    [ ! -s "$tmp/err" ] || fail "stderr not empty: $(cat "$tmp/err")"
    svg=$tmp/runs/trend.svg
    grep -q ">cpu.sumsq<" "$svg" && grep -q ">io.sleep<" "$svg" || fail "not one panel per workload"
    grep -q "1 change flagged" "$svg" || fail "the title does not count the change"
    grep -q "exec:coroutine/workers:0: +[0-9]*% slower from run 6" "$svg" ||
        fail "the change is not marked at run 6"
    [ "$(stat -c %s "$tmp/runs/trend.png")" -gt 40000 ] || fail "trend.png holds no lines"
    # a folder with no document: one line, exit 2
    mkdir "$tmp/none"
    "$py" "$src/tools/plot.py" trend "$tmp/none" >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "no .json document" "$tmp/err" ||
        fail "an empty folder: $(cat "$tmp/err")"
    ;;
*)
    echo "usage: test_plot.sh figures|plain|bad|bound|interrupted|limit|crossover|scale|trend" >&2
    exit 2
    ;;
esac
echo "ok $1"
