#!/usr/bin/env bash
# test_net_floor.sh CASE — tools/net-floor.sh and execbench-net-floor.
#   shapes      a small run (20 x 1 ms, one set) prints the three shapes'
#               rows against both servers, the writes' row and both
#               threads-against-sleep lines; execbench-net-floor verifies
#               every response, so a zero exit means every body was the task's
#   wrong_body  the bare client against a server of another seed: exit 1 and
#               one line naming the task and what was wrong
set -u
src=${EB_SOURCE_DIR:?}
build=${EB_BUILD_DIR:?}
tmp=$(mktemp -d /tmp/eb_test_net_floor_XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
case "${1:-}" in
shapes)
    out=$("$src/tools/net-floor.sh" --build "$build" --sets 1 --latency-us 1000 --tasks 20) ||
        fail "net-floor.sh exited $?: $out"
    echo "$out"
    number='[0-9]+\.[0-9]+ \[[0-9.]+-[0-9.]+\] \([0-9.]+x\)'
    for shape in '20 at once, one thread \(epoll\)' '5 threads, 4 in a row each' '20 threads, one each'; do
        grep -Eq "^$shape +[0-9.]+ +$number +$number" <<<"$out" || fail "no row for '$shape'"
    done
    grep -Eq '^  writing the 20 requests, us +[0-9.]+ \[' <<<"$out" || fail "no row for the writes"
    for shape in pool threads; do
        grep -Eq "^$shape against the sleep: bare responder [0-9.]+x, execbench-httpd [0-9.]+x$" <<<"$out" ||
            fail "no '$shape against the sleep' line"
    done
    ;;
wrong_body)
    "$build/execbench-httpd" --body-bytes 1024 --seed 2 >"$tmp/server.out" 2>&1 &
    port=""
    for _ in $(seq 100); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/server.out")
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || fail "execbench-httpd did not start: $(cat "$tmp/server.out")"
    err=$("$build/execbench-net-floor" concurrent "$port" 3 1 1024 1 2>&1)
    rc=$?
    echo "$err"
    [ "$rc" = 1 ] || fail "exit $rc, not 1"
    [ "$(wc -l <<<"$err")" = 1 ] || fail "more than one line"
    grep -q "^execbench-net-floor: task 0's response: a body other than the task's$" <<<"$err" ||
        fail "not the wrong body's message"
    ;;
*) echo "usage: $0 shapes|wrong_body" >&2; exit 2 ;;
esac
