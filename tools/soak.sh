#!/usr/bin/env bash
# soak.sh [BUILD_DIR] [RUNS] — the quick preset RUNS times (20) in one
# invocation (execbench --repeat-run), then the evidence that nothing
# accumulates:
#   - every run measured the same points (the runner checks it too);
#   - the parent's open files at the start and end of every run, and its RSS:
#     no growth from the first run to the last (RSS: at most 1 MiB over the
#     end of run 2, after the first run's one-off allocations);
#   - nothing left in /tmp or /dev/shm. As root, execbench gets a private,
#     empty tmpfs on each (a mount namespace of its own), so whatever is there
#     afterwards is its own; otherwise the real ones are compared before and
#     after, and new entries (possibly other programs') are listed.
# Figures go to stdout; exit 1 when any check fails. make soak runs it.
set -euo pipefail
build=${1:-build}
runs=${2:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
exe=$here/$build/execbench
out=$here/$build/soak
rm -rf "$out"
mkdir -p "$out"
python=$(command -v python3 || command -v /usr/bin/python3)

if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
    mode="private tmpfs on /tmp and /dev/shm"
    status=0
    # The checkout itself may be under /tmp: the working directory is entered
    # before the tmpfs hides it, and everything below is named from there.
    unshare -m bash -c '
        set -e
        cd "$0"
        mount --make-rprivate /
        mount -t tmpfs -o size=256m tmpfs /tmp
        mount -t tmpfs -o size=256m tmpfs /dev/shm
        find /tmp /dev/shm -mindepth 1 -maxdepth 1 >soak/leftovers.before
        ./execbench --preset quick --repeat-run "$1" --quiet --out soak/soak.json 2>soak/stderr || echo $? >soak/status
        find /tmp /dev/shm -mindepth 1 -maxdepth 1 >soak/leftovers.after
    ' "$here/$build" "$runs" || status=$?
    [ -f "$out/status" ] && status=$(cat "$out/status")
else
    mode="the shared /tmp and /dev/shm, before and after (other programs may add entries)"
    find /tmp /dev/shm -mindepth 1 -maxdepth 1 >"$out/leftovers.before"
    status=0
    "$exe" --preset quick --repeat-run "$runs" --quiet --out "$out/soak.json" 2>"$out/stderr" || status=$?
    find /tmp /dev/shm -mindepth 1 -maxdepth 1 >"$out/leftovers.after"
fi

"$python" - "$out" "$runs" "$status" "$mode" <<'PY'
import glob, json, os, sys
out, runs, status, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
docs = sorted(glob.glob(os.path.join(out, "soak-run*.json")))
failures = []
if status != 0:
    failures.append("execbench exited %d: %s" % (status, open(os.path.join(out, "stderr")).read().strip()))
if len(docs) != runs:
    failures.append("%d documents for %d runs" % (len(docs), runs))
print("soak: %d runs of --preset quick; leftovers checked on %s" % (runs, mode))
print("  run  points  fds start->end  RSS KiB start->end")
first = None
rows = []
for path in docs:
    d = json.load(open(path))
    e = d["context"]["execbench"]
    p = e["parent_process"]
    names = sorted({r["run_name"] for r in d["benchmarks"]})
    errors = [r["name"] for r in d["benchmarks"] if r.get("error_occurred")]
    if first is None:
        first = names
    elif names != first:
        failures.append("run %d measured other points than run 1" % e["repeat_run"]["index"])
    if errors:
        failures.append("run %d: failed points %s" % (e["repeat_run"]["index"], errors))
    rows.append(p)
    print("  %3d  %6d  %5d -> %-5d   %6d -> %-6d" % (e["repeat_run"]["index"], len(names),
          p["fds_at_start"], p["fds_at_end"], p["rss_kib_at_start"], p["rss_kib_at_end"]))
if rows:
    if any(r["fds_at_end"] != rows[0]["fds_at_start"] or r["fds_at_start"] != rows[0]["fds_at_start"] for r in rows):
        failures.append("the parent's open files changed across runs")
    base = rows[1]["rss_kib_at_end"] if len(rows) > 1 else rows[0]["rss_kib_at_end"]
    growth = rows[-1]["rss_kib_at_end"] - base
    print("  parent RSS: %d KiB after run 1, %d after run 2, %d after run %d (%+d KiB since run 2)"
          % (rows[0]["rss_kib_at_end"], base, rows[-1]["rss_kib_at_end"], len(rows), growth))
    if growth > 1024:
        failures.append("the parent's RSS grew by %d KiB from run 2 to run %d" % (growth, len(rows)))
before = set(open(os.path.join(out, "leftovers.before")).read().splitlines())
after = set(open(os.path.join(out, "leftovers.after")).read().splitlines())
new = sorted(after - before)
print("  /tmp and /dev/shm: %d entries before, %d after, new: %s"
      % (len(before), len(after), ", ".join(new) if new else "none"))
if new:
    failures.append("left behind in /tmp or /dev/shm: %s" % ", ".join(new))
for f in failures:
    print("soak: FAILED: %s" % f, file=sys.stderr)
print("soak: %s" % ("clean" if not failures else "%d problems" % len(failures)))
sys.exit(1 if failures else 0)
PY
