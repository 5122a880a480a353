#!/usr/bin/env bash
# Prints the path of the Python to run Pendopo with: the Lambda runtime's, 3.13.
#
#   tools/setup/find_python.sh            # 3.13, else python3 >= 3.11 with a warning
#   tools/setup/find_python.sh --exact    # 3.13 or fail (the build compiles bytecode with it)
#
# Where it looks, in order: $PYTHON (an override: make venv PYTHON=/path/to/python3.13),
# `python3.13` on PATH (only if it actually runs: a pyenv shim whose version is not
# selected fails), pyenv's versions folder ($(pyenv root)/versions/3.13*/bin/python3.13,
# the newest first), then `python3` >= 3.11 as a fallback, with a loud warning on
# stderr. Only the path goes to stdout.
set -euo pipefail

WANTED=3.13
OLDEST=3.11
exact=false
[ "${1:-}" = "--exact" ] && exact=true

version_of() {  # "3.13" of an interpreter that runs, nothing (and failure) otherwise
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

absolute() {  # the interpreter's own path (a PATH name resolved; shims stay shims)
    "$1" -c 'import sys; print(sys.executable)'
}

candidates() {
    if [ -n "${PYTHON:-}" ]; then
        echo "$PYTHON"
        return
    fi
    command -v "python$WANTED" || true
    local root
    root=$( (pyenv root || echo "${PYENV_ROOT:-$HOME/.pyenv}") 2>/dev/null)
    ls -d "$root/versions/$WANTED"*/bin/"python$WANTED" 2>/dev/null | sort -rV || true
}

fallback=""
while read -r candidate; do
    [ -n "$candidate" ] || continue
    version=$(version_of "$candidate") || continue
    if [ "$version" = "$WANTED" ]; then
        absolute "$candidate"
        exit 0
    fi
    [ -z "$fallback" ] && fallback=$candidate
done < <(candidates)

if [ -n "${PYTHON:-}" ] && [ -z "$fallback" ]; then
    echo "find_python: PYTHON=$PYTHON does not run." >&2
    exit 1
fi
if $exact; then
    echo "find_python: no Python $WANTED found${PYTHON:+ (PYTHON=$PYTHON is $(version_of "$PYTHON"))}." >&2
    echo "  The Lambda runtime is python$WANTED and the build compiles the artifacts' bytecode" >&2
    echo "  with it. Install it (pyenv install $WANTED) or point PYTHON= at one." >&2
    exit 1
fi
fallback=${fallback:-python3}
version=$(version_of "$fallback") || version=none
if [ "$version" = none ] || ! "$fallback" -c "import sys; sys.exit(sys.version_info < (${OLDEST/./, }))" 2>/dev/null; then
    echo "find_python: no Python $WANTED and no Python >= $OLDEST (found $fallback: $version)." >&2
    exit 1
fi
cat >&2 <<WARNING
********************************************************************************
WARNING: Python $WANTED not found; using $fallback (Python $version).
The tests will NOT run on the Lambda runtime's Python (python$WANTED), and
make build / make build-host need $WANTED to compile the artifacts' bytecode.
Install it (pyenv install $WANTED) or point PYTHON= at one.
********************************************************************************
WARNING
absolute "$fallback"
