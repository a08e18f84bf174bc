#!/usr/bin/env bash
# Smoke test of `scripts/elasticsearch.sh start --nodes 3 --secure` on its own ports and
# folder: green health through the API key, what the key may and may not do, a node
# killed (-9) and brought back by `start`, then `stop`. It leaves nothing running.
#
#   scripts/es/smoke-cluster.sh          (ES_PORT default 9400, POLICYKB_ES_BASE default
#                                         /var/lib/policykb-es-smoke as root)
set -euo pipefail
cd "$(dirname "$0")/../.."
export ES_PORT="${ES_PORT:-9400}"
if [[ $EUID -eq 0 ]]; then
    export POLICYKB_ES_BASE="${POLICYKB_ES_BASE:-/var/lib/policykb-es-smoke}"
else
    export POLICYKB_ES_BASE="${POLICYKB_ES_BASE:-$HOME/.cache/policykb/es-smoke}"
fi
ES=scripts/elasticsearch.sh
passed=0
failures=0

check() { # description expected actual
    if [[ $2 == "$3" ]]; then
        echo "ok   $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1: expected $2, got $3"
        failures=$((failures + 1))
    fi
}

as_key() { # method path [json] -> HTTP status; body in $BODY
    BODY=$(mktemp)
    curl -sS --max-time 60 --cacert "$POLICYKB_ES_CA_CERTS" -H "Authorization: ApiKey $POLICYKB_ES_API_KEY" \
        -H 'Content-Type: application/json' -o "$BODY" -w '%{http_code}' -X "$1" "${URL%%,*}$2" ${3:+-d "$3"}
}

health() { # wait_for_status -> status
    as_key GET "/_cluster/health?wait_for_status=$1&timeout=90s" >/dev/null
    sed -nE 's/.*"status":"([a-z]+)".*/\1/p' "$BODY"
}

trap '$ES stop >/dev/null 2>&1 || true' EXIT
began=$SECONDS
mkdir -p "$POLICYKB_ES_BASE"
$ES start --nodes 3 --secure >"$POLICYKB_ES_BASE/smoke-start.out"
set -a
# shellcheck disable=SC1091
. "$POLICYKB_ES_BASE/cluster.env"
set +a
URL=$POLICYKB_ES_URL
check "start printed the three lines" 3 "$(grep -c '^POLICYKB_ES_' "$POLICYKB_ES_BASE/smoke-start.out")"
check "cluster.env is private" 600 "$(stat -c %a "$POLICYKB_ES_BASE/cluster.env")"
check "green" green "$(health green)"
echo "     start to green: $((SECONDS - began))s"
as_key DELETE "/policykb-x?ignore_unavailable=true" >/dev/null
check "key creates policykb-x (3 shards, 1 replica)" 200 \
    "$(as_key PUT /policykb-x '{"settings":{"number_of_shards":3,"number_of_replicas":1}}')"
check "key may not create other-x" 403 "$(as_key PUT /other-x '{"settings":{"number_of_shards":1}}')"
check "key adds alias policykb" 200 \
    "$(as_key POST /_aliases '{"actions":[{"add":{"index":"policykb-x","alias":"policykb"}}]}')"
check "key may not add alias other" 403 \
    "$(as_key POST /_aliases '{"actions":[{"add":{"index":"policykb-x","alias":"other"}}]}')"
check "key may not change cluster settings" 403 \
    "$(as_key PUT /_cluster/settings '{"persistent":{"cluster.routing.allocation.enable":"all"}}')"
check "green with policykb-x" green "$(health green)"
check "status lists 3 running nodes" 3 "$($ES status | grep -c ' pid ')"

victim="$POLICYKB_ES_BASE/cluster-$ES_PORT/node-$((ES_PORT + 1))/elasticsearch.pid"
kill -9 "$(<"$victim")"
sleep 3
check "yellow after kill -9 of one node" yellow "$(health yellow)"
check "status exits 3 with a node missing" 3 "$($ES status >/dev/null && echo 0 || echo $?)"
began=$SECONDS
$ES start --nodes 3 --secure >/dev/null
check "same API key after the restart" "$POLICYKB_ES_API_KEY" "$(sed -n 's/^POLICYKB_ES_API_KEY=//p' "$POLICYKB_ES_BASE/cluster.env")"
check "green after start brought the node back" green "$(health green)"
echo "     node back to green: $((SECONDS - began))s"
as_key DELETE /policykb-x >/dev/null
$ES stop
check "status after stop" 3 "$($ES status >/dev/null && echo 0 || echo $?)"
trap - EXIT
echo "$passed passed, $failures failed"
((failures == 0))
