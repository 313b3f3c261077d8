#!/usr/bin/env bash
# find-python.sh MODULE... — print the path of a Python 3 that can import every
# MODULE, or fail quietly (exit 1).
#
# The python3 first on PATH may be a pyenv or venv without Debian's packages
# (python3-matplotlib installs into /usr/bin/python3's site-packages), so the
# system interpreter is tried first. $PYTHON, when set, is tried before all.
set -u
[ $# -gt 0 ] || { echo "usage: find-python.sh MODULE..." >&2; exit 2; }
imports=$(printf 'import %s; ' "$@")
for py in ${PYTHON:-} /usr/bin/python3 /usr/local/bin/python3 python3 python; do
    path=$(command -v "$py" 2>/dev/null) || continue
    if "$path" -c "import sys; assert sys.version_info >= (3, 6); $imports" >/dev/null 2>&1; then
        echo "$path"
        exit 0
    fi
done
exit 1
