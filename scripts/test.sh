#!/usr/bin/env bash
# The whole test suite: install with test extras, start the services the tests need
# (an Elasticsearch node, and a secure three-node cluster for tests/cluster), run lint,
# types and pytest. Extra arguments go to pytest.
#
# The cluster (scripts/elasticsearch.sh start --nodes 3 --secure: TLS, an API key for
# policykb* only) starts in the background while lint and types run. Its first HTTP
# port is ES_CLUSTER_PORT (default 9600), its folder POLICYKB_ES_CLUSTER_BASE (default
# /var/lib/policykb-es-cluster as root, else ~/.cache/policykb/es-cluster), outside the
# repo. Its connection lines (cluster.env, with the API key) go to the tests through
# POLICYKB_ES_CLUSTER_ENV and POLICYKB_ES_SECURE_ENV, never to the log. A cluster that
# this run started is stopped at exit (KEEP_ES=1 keeps it); one that already ran is used
# and left running; POLICYKB_ES_CLUSTER_ENV set by the caller names a cluster to use.
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
CLUSTER_PORT=${ES_CLUSTER_PORT:-9600}
if [ "$(id -u)" = 0 ]; then
  CLUSTER_BASE=${POLICYKB_ES_CLUSTER_BASE:-/var/lib/policykb-es-cluster}
else
  CLUSTER_BASE=${POLICYKB_ES_CLUSTER_BASE:-${POLICYKB_CACHE:-$HOME/.cache/policykb}/es-cluster}
fi
cluster() { ES_PORT=$CLUSTER_PORT POLICYKB_ES_BASE=$CLUSTER_BASE scripts/elasticsearch.sh "$@"; }
started_cluster=0
cluster_job=""
cluster_log=""
if [ -z "${POLICYKB_ES_CLUSTER_ENV:-}" ]; then
  cluster status >/dev/null 2>&1 || started_cluster=1 # else someone else's: leave it running
  cluster_log=$(mktemp)
  # Not through cluster(): $! is then the script itself, which cleanup can stop. Its
  # stdout holds the API key: not for the log (the tests read cluster.env).
  ES_PORT=$CLUSTER_PORT POLICYKB_ES_BASE=$CLUSTER_BASE scripts/elasticsearch.sh start --nodes 3 --secure \
    >/dev/null 2>"$cluster_log" &
  cluster_job=$!
fi
cleanup() {
  if [ -n "$cluster_job" ] && kill -0 "$cluster_job" 2>/dev/null; then
    kill "$cluster_job" 2>/dev/null || true # a start cut short: stop below ends the nodes it launched
    wait "$cluster_job" 2>/dev/null || true
  fi
  [ -n "$cluster_log" ] && rm -f "$cluster_log"
  if [ "$started_cluster" = 1 ] && [ "${KEEP_ES:-}" != 1 ]; then cluster stop >/dev/null 2>&1 || true; fi
  [ "$started_es" = 1 ] && [ "${KEEP_ES:-}" != 1 ] && scripts/elasticsearch.sh stop || true
}
trap cleanup EXIT
.venv/bin/ruff check analysis knowledge ingest search_api tests scripts bench
.venv/bin/mypy analysis knowledge ingest search_api
if [ -n "$cluster_job" ]; then
  waited=$SECONDS
  if wait "$cluster_job"; then
    cluster_job=""
    echo "cluster $(tail -n 1 "$cluster_log" | sed 's/^elasticsearch: //') ($((SECONDS - waited))s waited after lint and types)" >&2
    export POLICYKB_ES_CLUSTER_ENV=$CLUSTER_BASE/cluster-$CLUSTER_PORT/cluster.env
    export POLICYKB_ES_SECURE_ENV=${POLICYKB_ES_SECURE_ENV:-$POLICYKB_ES_CLUSTER_ENV}
  else
    cluster_job=""
    reason=$(tail -n 1 "$cluster_log" | sed 's/^elasticsearch: //' | cut -c1-300)
    if [ "${CI:-}" = "true" ]; then
      echo "Elasticsearch cluster could not start: failing (CI=true): ${reason:-no reason given}" >&2
      exit 1
    fi
    echo "Elasticsearch cluster could not start: tests/cluster will be skipped (${reason:-no reason given})" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
