#!/usr/bin/env bash
# test_make_bench.sh CASE — make bench draws charts only from a document its own
# run wrote, and never leaves an earlier run's charts passing for this run's.
#   draws      a run that wrote results/latest.json: its three charts, listed
#   nothing    a run that wrote nothing (execbench exit 2): no chart drawn or
#              listed, the earlier ones untouched, and a line that says so
#   undrawable a run whose every point failed: plot.py's reason shown, the
#              earlier charts removed, and a line that says so
# (make's own exit status is 2 whenever execbench's is not 0.)
# The Makefile runs in a scratch folder with a stand-in execbench (a script
# that writes a fixture document, or refuses, as told by $FAKE), so the test
# needs no real run and never touches the build it is part of. Exits 77
# (skipped) when no Python 3 here can import matplotlib (plot.py needs it).
set -u
src=${EB_SOURCE_DIR:?}
py=$("$src/tools/find-python.sh" matplotlib) || {
    echo "skipped: no Python 3 with matplotlib (install python3-matplotlib)" >&2
    exit 77
}
tmp=$(mktemp -d /tmp/eb_test_make_bench_XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The scratch checkout: the Makefile and tools/ as they are, a build/ holding
# the stand-in and this build's execbench-compare, and results/ with an
# earlier run and its "charts".
ln -s "$src/Makefile" "$tmp/Makefile"
ln -s "$src/tools" "$tmp/tools"
mkdir -p "$tmp/build" "$tmp/results/latest" "$tmp/docs"
cp "$src/tests/fixtures/compare/run-a.json" "$tmp/docs/good.json"
"$py" - "$tmp/docs/good.json" "$tmp/docs/failed.json" <<'PY' || fail "cannot make the failed document"
import json, sys
doc = json.load(open(sys.argv[1]))
for row in doc["benchmarks"]:
    row["error_occurred"] = True
    row["error_message"] = "timed out after 0.001 s"
json.dump(doc, open(sys.argv[2], "w"))
PY
cat >"$tmp/build/execbench" <<'SH'
#!/usr/bin/env bash
# stand-in for execbench under make bench: FAKE=good|failed writes that document
# as results/<stamp>.json and results/latest.json (by a rename, as execbench
# does); FAKE=usage refuses its flags
case "$FAKE" in
good | failed)
    cp "docs/$FAKE.json" "results/fake-$FAKE.json"
    cp "docs/$FAKE.json" results/.latest.tmp && mv results/.latest.tmp results/latest.json
    [ "$FAKE" = good ] || exit 1
    ;;
*)
    echo "execbench: unknown flag --bogus; see execbench --help" >&2
    exit 2
    ;;
esac
SH
chmod +x "$tmp/build/execbench"
# make plot draws what execbench-compare computes: this build's
ln -s "${EB_BUILD_DIR:?}/execbench-compare" "$tmp/build/execbench-compare"
cp "$src/tests/fixtures/compare/run-a.json" "$tmp/results/latest.json"
for f in overview scaling overheads; do echo "earlier run's $f" >"$tmp/results/latest/$f.png"; done

# make bench in the scratch folder, the build step left out (-o build); the
# outer make's flags (make test runs ctest) must not reach this one.
bench() {
    (unset MAKEFLAGS MFLAGS MAKELEVEL
     cd "$tmp" && FAKE=$1 make --no-print-directory -o build bench BUILD=build >"$tmp/out" 2>"$tmp/err")
}

case "${1:-}" in
draws)
    bench good
    rc=$?
    [ $rc -eq 0 ] || fail "exit $rc: $(cat "$tmp/err")"
    for f in overview scaling overheads; do
        png="$tmp/results/latest/$f.png"
        [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
            fail "$f.png was not drawn: $(cat "$png")"
        grep -q "results/latest/$f.png" "$tmp/out" || fail "$f.png not listed: $(cat "$tmp/out")"
    done
    ! grep -q "make bench:" "$tmp/err" || fail "a warning after a good run: $(cat "$tmp/err")"
    ;;
nothing)
    bench usage
    rc=$?
    [ $rc -ne 0 ] || fail "exit 0 after execbench refused its flags"
    for f in overview scaling overheads; do
        [ "$(cat "$tmp/results/latest/$f.png")" = "earlier run's $f" ] ||
            fail "$f.png was redrawn from the earlier run's results/latest.json"
        ! grep -q "$f.png" "$tmp/out" || fail "$f.png listed as if drawn: $(cat "$tmp/out")"
    done
    grep -q "^make bench: this run wrote no results/latest.json (execbench exit 2), so no charts were drawn; any in results/latest/ are an earlier run's" "$tmp/err" ||
        fail "no line saying the charts are not this run's: $(cat "$tmp/err")"
    ;;
undrawable)
    bench failed
    rc=$?
    [ $rc -ne 0 ] || fail "exit 0 after every point failed"
    grep -q "^plot.py: results/latest.json: no usable rows" "$tmp/err" ||
        fail "plot.py's reason not shown: $(cat "$tmp/err")"
    grep -q "^make bench: this run's results/latest.json could not be drawn (see above), so the earlier run's charts were removed from results/latest/" "$tmp/err" ||
        fail "no line saying the earlier charts were removed: $(cat "$tmp/err")"
    for f in overview scaling overheads; do
        [ ! -e "$tmp/results/latest/$f.png" ] || fail "the earlier run's $f.png is still there"
        ! grep -q "$f.png" "$tmp/out" || fail "$f.png listed as if drawn: $(cat "$tmp/out")"
    done
    ;;
*)
    echo "usage: test_make_bench.sh draws|nothing|undrawable" >&2
    exit 2
    ;;
esac
echo "ok $1"
