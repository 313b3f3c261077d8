#!/usr/bin/env bash
# test_plot.sh CASE — tools/plot.py writes non-empty figures from fixtures.
#   figures   the three PNGs (and SVGs with --svg), beside the results file by default
#   plain     a plain Google Benchmark document (execbench-micro): three PNGs still
#   bad       a bad document: exit 2, one line naming it
# Exits 77 (ctest: skipped) when no Python 3 here can import matplotlib; CI
# installs python3-matplotlib (make test runs tools/install-deps.sh plot).
set -u
src=${EB_SOURCE_DIR:?}
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
    for f in overview scaling overheads; do
        check_png "$tmp/latest/$f.png"
        head -c 200 "$tmp/latest/$f.svg" | grep -q "<svg\|<?xml" || fail "$f.svg is not SVG"
        grep -q "$tmp/latest/$f.png" "$tmp/out" || fail "$f.png not listed on stdout"
    done
    [ ! -s "$tmp/err" ] || fail "stderr not empty: $(cat "$tmp/err")"
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
*)
    echo "usage: test_plot.sh figures|plain|bad" >&2
    exit 2
    ;;
esac
echo "ok $1"
