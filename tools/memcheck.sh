#!/usr/bin/env bash
# memcheck.sh [BUILD_DIR] — valgrind memcheck of one quick run: the parent,
# every point process and every forked worker (--trace-children=yes), each
# with its own log in BUILD_DIR/memcheck/. Clean means execbench exited 0
# (a point process with an error exits 99 and fails its point) and every log
# says 0 errors: invalid accesses, uses of undefined values, and definitely
# or indirectly lost blocks. No suppressions are needed (valgrind 3.19,
# Debian 12); valgrind warns that it has no wrapper for pidfd_open (syscall
# 434), so the runner falls back to polling waitpid there, as on old kernels.
# make memcheck builds BUILD_DIR (RelWithDebInfo, with valgrind's headers so
# coroutine stacks are registered) and runs this.
set -euo pipefail
build=${1:-build-memcheck}
logs=$build/memcheck
rm -rf "$logs"
mkdir -p "$logs"
status=0
valgrind --tool=memcheck --trace-children=yes --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect \
    --log-file="$logs/memcheck.%p.log" \
    "$build/execbench" --preset quick --quiet --out "$logs/quick.json" || status=$?
processes=$(ls "$logs"/memcheck.*.log | wc -l)
dirty=$(grep -L "ERROR SUMMARY: 0 errors" "$logs"/memcheck.*.log || true)
echo "memcheck.sh: $processes processes checked; execbench exited $status"
if [ "$status" -ne 0 ] || [ -n "$dirty" ]; then
    for f in $dirty; do
        echo "memcheck.sh: $f:" >&2
        grep -v "syscall: 434\|You may be able\|README_MISSING\|Nevertheless we\|bug_reports" "$f" >&2
    done
    echo "memcheck.sh: memcheck found errors (logs in $logs)" >&2
    exit 1
fi
echo "memcheck.sh: clean: 0 errors and no definitely or indirectly lost blocks in any process"
