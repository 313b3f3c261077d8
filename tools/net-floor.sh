#!/usr/bin/env bash
# net-floor.sh — the floor under net.http's 160 x 10 ms points on this
# machine: the same three shapes the issue measures (160 requests at once
# from one thread, a pool of 5 threads with 32 requests in a row each, 160
# threads with one each), made with execbench-net-floor's bare client
# against its bare responder (epoll, a timerfd, one write: nothing a library
# adds), against execbench-httpd (the evhttp server net.http uses), and, for
# the threads, with each request replaced by a sleep (the wait without the
# network). README, "net.http": what the floor says about each target.
#
#   tools/net-floor.sh [--build DIR] [--sets N] [--latency-us N] [--tasks N]
#
# Defaults: build/, 5 sets, 10,000 us, 160 tasks (the pool: 5 threads of
# tasks/5). A set runs every shape once (concurrent 11 rounds, the pool 3,
# 160 threads 7), the servers alternating; printed: the median of the sets'
# medians and their range, in ms and as a multiple of the ideal.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prog=net-floor.sh
build="$here/../build" sets=5 latency_us=10000 tasks=160
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build="$2"; shift 2 ;;
    --sets) sets="$2"; shift 2 ;;
    --latency-us) latency_us="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "$prog: unknown argument '$1'; see --help" >&2; exit 2 ;;
    esac
done
for v in sets latency_us tasks; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "$prog: --${v//_/-} takes a whole number above 0, not '${!v}'" >&2; exit 2; }
done
[ $((tasks % 5)) = 0 ] || { echo "$prog: --tasks must be a multiple of 5 (the pool has 5 threads), not $tasks" >&2; exit 2; }
floor="$build/execbench-net-floor" httpd="$build/execbench-httpd"
for b in "$floor" "$httpd"; do
    [ -x "$b" ] || { echo "$prog: $b is not built; run make (or give --build DIR)" >&2; exit 1; }
done

body=1024 seed=1
tmp="$(mktemp -d /tmp/net-floor.XXXXXX)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
start() { # NAME COMMAND...: starts a server, sets port_NAME
    local name="$1"
    shift
    : >"$tmp/$name.out" # the server's own redirect may come after the first look at it
    "$@" >"$tmp/$name.out" 2>&1 &
    pids+=($!)
    local port=""
    for _ in $(seq 100); do
        port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/$name.out")"
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || { echo "$prog: $name did not start: $(cat "$tmp/$name.out")" >&2; exit 1; }
    printf -v "port_$name" '%s' "$port"
}
start responder "$floor" respond "$latency_us" "$body" "$seed"
start httpd "$httpd" --latency-us "$latency_us" --body-bytes "$body" --seed "$seed"

echo "$prog: $tasks x $latency_us us, body $body B, $sets set(s); load $(cut -d' ' -f1-3 /proc/loadavg)"
row() { # FILE: one value per set, in ms; the median and the range
    sort -g "$1" | awk '{v[NR] = $1} END {printf "%.3f [%.3f-%.3f]", v[int((NR + 1) / 2)], v[1], v[NR]}'
}
median_of() { sed -n "s/^$1: median \([0-9.]*\).*/\1/p"; }
pool=$((tasks / 5))
for _ in $(seq "$sets"); do
    for s in responder httpd; do
        port="port_$s"
        out="$("$floor" concurrent "${!port}" "$tasks" 11 "$body" "$seed")"
        median_of round <<<"$out" >>"$tmp/concurrent.$s"
        median_of "writing the requests" <<<"$out" >>"$tmp/writes.$s"
        "$floor" threads "${!port}" 5 "$pool" 3 "$body" "$seed" | median_of round >>"$tmp/pool.$s"
        "$floor" threads "${!port}" "$tasks" 1 7 "$body" "$seed" | median_of round >>"$tmp/threads.$s"
    done
    "$floor" sleep 5 "$pool" 3 "$latency_us" | median_of round >>"$tmp/pool.sleep"
    "$floor" sleep "$tasks" 1 7 "$latency_us" | median_of round >>"$tmp/threads.sleep"
done

med() { sort -g "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
cell() { # FILE [IDEAL_MS]: "median [least-most]", then "(median / IDEAL_MS x)"
    sort -g "$1" | awk -v i="${2:-}" '{v[NR] = $1} END {
        m = v[int((NR + 1) / 2)]; printf "%.3f [%.3f-%.3f]", m, v[1], v[NR]
        if (i != "") printf " (%.3fx)", m / i }'
}
printf '%-34s %-8s %-36s %-36s %s\n' shape "ideal" "bare responder, ms (x ideal)" \
    "execbench-httpd, ms (x ideal)" "a sleep instead, ms (x ideal)"
for shape in concurrent pool threads; do
    case "$shape" in
    concurrent) label="$tasks at once, one thread (epoll)" ideal=$((latency_us)) ;;
    pool) label="5 threads, $pool in a row each" ideal=$((pool * latency_us)) ;;
    threads) label="$tasks threads, one each" ideal=$((latency_us)) ;;
    esac
    ideal_ms="$(awk -v u="$ideal" 'BEGIN {print u / 1000}')"
    sleep_cell="-"
    [ -f "$tmp/$shape.sleep" ] && sleep_cell="$(cell "$tmp/$shape.sleep" "$ideal_ms")"
    printf '%-34s %-8s %-36s %-36s %s\n' "$label" "$ideal_ms" "$(cell "$tmp/$shape.responder" "$ideal_ms")" \
        "$(cell "$tmp/$shape.httpd" "$ideal_ms")" "$sleep_cell"
done
printf '%-34s %-8s %-36s %s\n' "  writing the $tasks requests, us" "" \
    "$(cell "$tmp/writes.responder")" "$(cell "$tmp/writes.httpd")"
for shape in pool threads; do
    awk -v s="$shape" -v b="$(med "$tmp/$shape.responder")" -v h="$(med "$tmp/$shape.httpd")" \
        -v z="$(med "$tmp/$shape.sleep")" \
        'BEGIN {printf "%s against the sleep: bare responder %.3fx, execbench-httpd %.3fx\n", s, b / z, h / z}'
done
