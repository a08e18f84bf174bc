#!/usr/bin/env bash
# The whole test suite: install with test extras, start the services the tests need
# (an Elasticsearch node), run lint, types and pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
# Browser tests drive Debian's Chromium through Playwright (`playwright install` cannot
# download browsers here). A CJK font makes the screenshots under test-output/ readable.
CHROMIUM_ARGS=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update)
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "chromium or a CJK font is missing; as root: apt-get install chromium fonts-wqy-microhei" >&2
    command -v chromium >/dev/null 2>&1
    return
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
}
if ensure_chromium && timeout 60 chromium "${CHROMIUM_ARGS[@]}" --dump-dom about:blank >/dev/null 2>&1; then
  POLICYKB_CHROMIUM=$(command -v chromium)
  export POLICYKB_CHROMIUM
elif [ "${CI:-}" = "true" ]; then
  echo "Chromium could not start: failing (CI=true)" >&2
  exit 1
else
  echo "Chromium could not start: browser tests will be skipped" >&2
fi
started_es=0
if [ -z "${POLICYKB_ES_URL:-}" ]; then
  if scripts/elasticsearch.sh status; then
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
.venv/bin/ruff check analysis knowledge ingest search_api tests scripts bench
.venv/bin/mypy analysis knowledge ingest search_api
.venv/bin/python -m pytest "$@"
