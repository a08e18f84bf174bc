#!/usr/bin/env bash
# The whole test suite: install with test extras, start the services the tests need
# (an Elasticsearch node), run lint, types and pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
started_es=0
if [ -z "${POLICYKB_ES_URL:-}" ]; then
  if scripts/elasticsearch.sh status >/dev/null 2>&1; then
    export POLICYKB_ES_URL=http://127.0.0.1:${ES_PORT:-9200}  # someone else's node: leave it running
  elif scripts/elasticsearch.sh start; then
    started_es=1
    export POLICYKB_ES_URL=http://127.0.0.1:${ES_PORT:-9200}
  elif [ "${CI:-}" = "true" ]; then
    echo "Elasticsearch could not start: failing (CI=true)" >&2
    exit 1
  else
    echo "Elasticsearch could not start: its tests will be skipped" >&2
  fi
fi
cleanup() { [ "$started_es" = 1 ] && [ "${KEEP_ES:-}" != 1 ] && scripts/elasticsearch.sh stop || true; }
trap cleanup EXIT
.venv/bin/ruff check ingest search_api tests scripts bench
.venv/bin/mypy ingest search_api
.venv/bin/python -m pytest "$@"
