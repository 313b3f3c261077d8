#!/usr/bin/env bash
# test_install.sh — cmake --install of this build into a scratch prefix gives
# working commands, away from the source tree and the build:
#   - bin/ has execbench, execbench-micro, execbench-compare, execbench-httpd,
#     execbench-plot; libexec/execbench/ the spawn target; share/man/man1 a page
#     per command, made from its --help (when help2man was there at configure);
#   - from an empty folder elsewhere, with PATH = the prefix's bin and the
#     system's only: execbench --preset quick writes results/latest.json,
#     execbench-compare summary reads it, execbench-plot draws it (finding
#     execbench-compare beside itself; when /usr/bin/python3 has matplotlib);
#   - execbench --micro finds execbench-micro beside it, and execbench-micro
#     finds its spawn target in libexec/ (micro.spawn/posix_spawn, no error row).
set -u
src=${EB_SOURCE_DIR:?}
build=${EB_BUILD_DIR:?}
tmp=$(mktemp -d /tmp/eb_test_install_XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    fail "cmake --install exited $?: $(tail -5 "$tmp/install.log")"
for p in execbench execbench-micro execbench-compare execbench-httpd execbench-plot; do
    [ -x "$prefix/bin/$p" ] || fail "bin/$p not installed"
done
[ -x "$prefix/libexec/execbench/execbench-spawn-target" ] || fail "libexec/execbench/execbench-spawn-target not installed"
if grep -q "^HELP2MAN:FILEPATH=/" "$build/CMakeCache.txt"; then
    for p in execbench execbench-micro execbench-compare execbench-httpd execbench-plot; do
        page=$prefix/share/man/man1/$p.1.gz
        [ -s "$page" ] || fail "no man page $p.1.gz"
        gzip -dc "$page" | grep -q '^\.TH' || fail "$p.1.gz is no man page"
    done
    gzip -dc "$prefix/share/man/man1/execbench.1.gz" | grep -q -- 'preset' ||
        fail "execbench.1 does not show the options"
    gzip -dc "$prefix/share/man/man1/execbench-compare.1.gz" | grep -q 'trend' ||
        fail "execbench-compare.1 does not show trend"
    if command -v man >/dev/null 2>&1; then
        MANWIDTH=80 man -l "$prefix/share/man/man1/execbench.1.gz" 2>/dev/null | grep -q -- "--repetitions" ||
            fail "man -l execbench.1.gz does not render the options"
    fi
else
    echo "note: help2man was missing at configure time: no man pages to check" >&2
fi

# Away from the source tree and the build: nothing of them on PATH or in the env.
work=$tmp/work
mkdir -p "$work"
cd "$work" || fail "cd $work"
run() { env -i HOME="$tmp" PATH="$prefix/bin:/usr/bin:/bin" "$@"; }
run execbench --preset quick --quiet >"$tmp/run.out" 2>"$tmp/run.err" ||
    fail "execbench --preset quick exited $?: $(tail -3 "$tmp/run.err")"
[ -s results/latest.json ] || fail "no results/latest.json in $work"
run execbench-compare summary results/latest.json >"$tmp/summary.out" 2>&1 ||
    fail "execbench-compare summary exited $?: $(tail -3 "$tmp/summary.out")"
grep -q "cpu.sumsq" "$tmp/summary.out" || fail "the summary has no cpu.sumsq table"
if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
    run execbench-plot results/latest.json >"$tmp/plot.out" 2>&1 ||
        fail "execbench-plot exited $?: $(tail -3 "$tmp/plot.out")"
    [ -s results/latest/overview.png ] || fail "execbench-plot drew no overview.png"
else
    echo "note: /usr/bin/python3 has no matplotlib: execbench-plot not run" >&2
    run execbench-plot --help >/dev/null || fail "execbench-plot --help failed"
fi
run execbench --workload cpu.sumsq --executor sequential --tasks 1 --param n=1000 \
    --repetitions 1 --micro=micro.spawn/posix_spawn --quiet --out micro.json >/dev/null 2>"$tmp/micro.err" ||
    fail "execbench --micro exited $?: $(tail -3 "$tmp/micro.err")"
grep -q '"micro.spawn/posix_spawn' micro.json || fail "no micro.spawn/posix_spawn row in micro.json"
if grep -q '"error_occurred": true' micro.json; then
    fail "an error row in micro.json: $(grep -o '"error_message": "[^"]*"' micro.json | head -2)"
fi
echo "ok: installed into $prefix; quick preset, summary, plot and --micro ran from $work"
