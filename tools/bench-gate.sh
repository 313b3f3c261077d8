#!/usr/bin/env bash
# bench-gate.sh — the pull-request gate of .github/workflows/bench.yml.
#
#   tools/bench-gate.sh run OUT.json [-- EXECBENCH_ARGS...]
#       runs the gate's benchmark into OUT.json: execbench --preset $GATE_PRESET
#       (quick) --repetitions $GATE_REPETITIONS (10), the same on the base branch
#       and on the pull request, so their documents pair point by point. 10
#       repetitions a point, because the U test that decides cannot call any
#       change significant with 3 a side (its smallest two-sided p is then 0.1).
#   tools/bench-gate.sh check BASE.json NEW.json
#       execbench-compare diff --fail-above $GATE_FAIL_ABOVE (20) BASE NEW, as
#       markdown: a verdict line, why, and the diff table, on stdout and appended
#       to $GITHUB_STEP_SUMMARY when that is set (the job summary). It fails on
#       a significant slowdown beyond the threshold (exit 1) and on a benchmark
#       that had a result in BASE and has none in NEW, an error row or no row
#       (exit 3); exit 2 when a document cannot be read. Without BASE (the base
#       branch has no kept results yet) it says so and passes.
#
# Environment: EXECBENCH, EXECBENCH_COMPARE (default: build/ beside tools/, then
# PATH), GATE_PRESET, GATE_REPETITIONS, GATE_FAIL_ABOVE.
set -uo pipefail
prog=bench-gate.sh
here=$(cd "$(dirname "$0")" && pwd)
preset=${GATE_PRESET:-quick}
repetitions=${GATE_REPETITIONS:-10}
fail_above=${GATE_FAIL_ABOVE:-20}

die() { echo "$prog: $*" >&2; exit 2; }

# A program of this build: $VAR, build/ beside tools/, else PATH.
find_program() {
    local var=$1 name=$2 given=${!1:-}
    if [ -n "$given" ]; then
        [ -x "$given" ] || die "$var=$given is not an executable; build it (make) or fix $var"
        echo "$given"
    elif [ -x "$here/../build/$name" ]; then
        echo "$here/../build/$name"
    elif command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
    else
        die "$name not found: build it (make) or set $var"
    fi
}

# Markdown to stdout and to the job summary.
say() {
    printf '%s\n' "$@"
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"; fi
}

run() {
    [ $# -ge 1 ] || die "usage: $prog run OUT.json [-- EXECBENCH_ARGS...]"
    local out=$1
    shift
    if [ $# -gt 0 ]; then
        [ "$1" = "--" ] || die "run: '$1': extra execbench arguments come after --"
        shift
    fi
    local execbench
    execbench=$(find_program EXECBENCH execbench) || exit 2
    mkdir -p "$(dirname "$out")" || die "cannot create the folder of $out"
    "$execbench" --preset "$preset" --repetitions "$repetitions" --out "$out" "$@"
}

check() {
    [ $# -eq 2 ] || die "usage: $prog check BASE.json NEW.json"
    local base=$1 new=$2 compare
    compare=$(find_program EXECBENCH_COMPARE execbench-compare) || exit 2
    if [ ! -f "$base" ]; then
        say "## execbench gate: skipped" "" \
            "No results of the base branch to compare with (\`$base\` is missing: the base" \
            "branch's own run keeps them; its first run after this change will). Not gated." ""
        return 0
    fi
    [ -f "$new" ] || die "$new: no such file; run '$prog run $new' first"
    local table reasons status
    reasons=$(mktemp) || die "mktemp failed"
    table=$("$compare" diff --format markdown --fail-above "$fail_above" "$base" "$new" 2>"$reasons")
    status=$?
    case $status in
    0) say "## execbench gate: passed" "" \
        "No significant slowdown beyond ${fail_above}% and no lost benchmark ($preset preset," \
        "$repetitions repetitions a point; base \`$base\`, new \`$new\`)." "" ;;
    1 | 3)
        say "## execbench gate: FAILED" ""
        # execbench-compare's own lines, one reason each (slowdowns; lost benchmarks)
        while IFS= read -r line; do say "- ${line#execbench-compare: }"; done <"$reasons"
        say "" ;;
    *)
        say "## execbench gate: could not compare" "" "$(sed 's/^/    /' "$reasons")" ""
        rm -f "$reasons"
        return 2 ;;
    esac
    rm -f "$reasons"
    say "$table" ""
    return "$status"
}

case "${1:-}" in
run) shift; run "$@" ;;
check) shift; check "$@" ;;
*) die "usage: $prog run OUT.json [-- EXECBENCH_ARGS...] | $prog check BASE.json NEW.json" ;;
esac
