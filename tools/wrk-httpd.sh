#!/usr/bin/env bash
# wrk-httpd.sh — wrk (an outside HTTP benchmark, Debian's wrk) against
# execbench-httpd, the loopback server net.http measures clients against:
# the server's capacity, and a client throughput anchor for net.http's
# requests per second at latency_us=0 (README: "net.http beside wrk").
#
#   tools/wrk-httpd.sh [--build DIR] [-t THREADS] [-c CONNECTIONS] [-d SECONDS]
#                      [--latency-us N] [--body-bytes N] [--server-threads N]
#                      [--server-cpuset LIST] [--wrk-cpuset LIST]
#
# Defaults: build/, wrk -t1 -c100 -d5, latency 0, body 1024 bytes (net.http's
# default), one server thread, nothing pinned. wrk asks for /task/1 over
# and over on keep-alive connections; the server answers it as it answers
# net.http's tasks. Prints what was run, then `requests/s: N`, wrk's latency
# percentiles, and the server's CPU per request (its own count of requests
# and its CPU time at stop). Installs wrk first if it is missing
# (tools/install-deps.sh wrk).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prog=wrk-httpd.sh

build="$here/../build"
threads=1 connections=100 duration=5
latency_us=0 body_bytes=1024 server_threads=1 server_cpuset="" wrk_cpuset=""
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build="$2"; shift 2 ;;
    -t) threads="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    --latency-us) latency_us="$2"; shift 2 ;;
    --body-bytes) body_bytes="$2"; shift 2 ;;
    --server-threads) server_threads="$2"; shift 2 ;;
    --server-cpuset) server_cpuset="$2"; shift 2 ;;
    --wrk-cpuset) wrk_cpuset="$2"; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "$prog: unknown argument '$1'; see --help" >&2; exit 2 ;;
    esac
done

httpd="$build/execbench-httpd"
[ -x "$httpd" ] || { echo "$prog: $httpd is not built; run make (or give --build DIR)" >&2; exit 1; }
"$here/install-deps.sh" wrk
command -v wrk >/dev/null || { echo "$prog: wrk is not on PATH after installing; install Debian's wrk" >&2; exit 1; }

out="$(mktemp /tmp/wrk-httpd.XXXXXX)"
server_args=(--latency-us "$latency_us" --body-bytes "$body_bytes" --threads "$server_threads")
[ -n "$server_cpuset" ] && server_args+=(--cpuset "$server_cpuset")
"$httpd" "${server_args[@]}" >"$out" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
port=""
for _ in $(seq 100); do
    port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")"
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
[ -n "$port" ] || { echo "$prog: execbench-httpd did not start: $(cat "$out")" >&2; exit 1; }

run=(wrk -t"$threads" -c"$connections" -d"$duration"s --latency "http://127.0.0.1:$port/task/1")
[ -n "$wrk_cpuset" ] && run=(taskset -c "$wrk_cpuset" "${run[@]}")
echo "$prog: ${run[*]} (server: latency ${latency_us} us, body ${body_bytes} B, ${server_threads} thread(s)${server_cpuset:+, cpuset $server_cpuset})"
report="$("${run[@]}")"
kill -TERM "$pid"
wait "$pid" || { echo "$prog: execbench-httpd failed: $(cat "$out")" >&2; exit 1; }
trap 'rm -f "$out"' EXIT

rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")"
errors="$(awk '/Non-2xx|Socket errors/' <<<"$report")"
echo "requests/s: $rps"
awk '/^ +(50|99)%/ {printf "latency p%s: %s\n", substr($1, 1, length($1) - 1), $2}' <<<"$report"
# "stopped: C connections, R requests, ...; cpu X ms (user U, sys S) on PU P"
awk -v prog="$prog" '/stopped:/ {
    for (i = 1; i <= NF; i++) { if ($(i + 1) == "requests,") r = $i; if ($i == "cpu") c = $(i + 1) }
    if (r > 0) printf "server CPU per request: %.2f us (%s requests, %s ms)\n", c * 1000 / r, r, c
}' "$out"
if [ -n "$errors" ]; then
    echo "$prog: wrk saw errors: $errors" >&2
    exit 1
fi
