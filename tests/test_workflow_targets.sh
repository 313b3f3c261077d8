#!/usr/bin/env bash
# The GitHub workflow and .ci/run call Makefile targets: every one they name
# must exist (a renamed target would otherwise break CI only on GitHub).
set -euo pipefail
src=${EB_SOURCE_DIR:?}
cd "$src"
status=0
checked=0
for file in .github/workflows/bench.yml .ci/run; do
    # "make test", "run: make bench PRESET=quick": make as a command (not a package name)
    while read -r target; do
        checked=$((checked + 1))
        if ! grep -qE "^${target}:" Makefile; then
            echo "test_workflow_targets: $file runs 'make $target', which the Makefile lacks" >&2
            status=1
        fi
    done < <(grep -oE '(^[[:space:]]*|run: *|[;&|] *)make( +[A-Z_]+=[^ ]+)* +[a-z][a-z0-9-]*' "$file" | awk '{print $NF}' | sort -u)
done
if [ "$checked" -lt 3 ]; then
    echo "test_workflow_targets: found only $checked make calls; is the pattern still right?" >&2
    status=1
fi
[ $status -eq 0 ] && echo "test_workflow_targets: $checked make targets named, all defined"
exit $status
