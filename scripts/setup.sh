#!/usr/bin/env bash
# Create the project's virtualenv (.venv) and install policykb into it (idempotent).
# Usage: scripts/setup.sh [extras]   e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras=${1:-}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
spec="."
[ -n "$extras" ] && spec=".[${extras}]"
# Skip the network round-trip when nothing changed since the last install.
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)-${extras:-base}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e "$spec"
  touch "$stamp"
fi
# tantivy with the project's patch (vendor/tantivy/): the same answers, faster; without
# cargo, or should the build fail outside CI, PyPI's wheel stays.
if ! scripts/build_tantivy.sh; then
  [ "${CI:-}" = "true" ] && { echo "tantivy's patched build failed: failing (CI=true)" >&2; exit 1; }
  echo "tantivy's patched build failed: PyPI's tantivy stays (same answers, slower)" >&2
fi
