#!/usr/bin/env bash
# The README's results tables are execbench-compare's markdown of the run kept
# in docs/results/, unedited, and every figure the README embeds exists.
set -euo pipefail
src=${EB_SOURCE_DIR:?}
compare=${EB_BUILD_DIR:?}/execbench-compare
cd "$src"
doc=docs/results/2-core-vm-default.json
status=0
# The tables, without the first line (it names the file and is said in prose).
"$compare" summary --format markdown --filter '^(cpu|io)\.' "$doc" | tail -n +2 >"${TMPDIR:-/tmp}/readme-table.$$"
if ! python3 - "${TMPDIR:-/tmp}/readme-table.$$" README.md <<'PY'
import sys
table = open(sys.argv[1]).read().strip()
readme = open(sys.argv[2]).read()
sys.exit(0 if table and table in readme else 1)
PY
then
    echo "test_readme_results: README.md does not hold execbench-compare's tables of $doc;" \
        "regenerate them with: build/execbench-compare summary --format markdown --filter '^(cpu|io)\\.' $doc" >&2
    status=1
fi
rm -f "${TMPDIR:-/tmp}/readme-table.$$"
for img in $(grep -oE '\]\((docs/img/[^)]+)\)' README.md | sed -E 's/^\]\((.*)\)$/\1/'); do
    if [ ! -s "$img" ]; then
        echo "test_readme_results: README.md embeds $img, which is missing or empty" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "test_readme_results: README tables match $doc; figures present"
exit $status
