#!/usr/bin/env bash
# The main job: install, then serve the search page and JSON API at http://127.0.0.1:8000
# on the embedded engine (`policykb serve` ingests corpus/ first when the index is missing
# or a corpus file changed). Extra arguments go to `policykb serve` (--host, --port, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/policykb serve "$@"
