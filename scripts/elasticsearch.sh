#!/usr/bin/env bash
# A local single-node Elasticsearch 9 for the Elasticsearch backend and its tests.
#
#   scripts/elasticsearch.sh start|stop|status
#
# Uses the "integ-test-zip" distribution from Maven Central (core modules only, no
# bundled JDK), run with a JDK >= 21 found on this machine. Everything it downloads or
# writes lives outside the repository:
#
#   POLICYKB_CACHE   download cache            (default: $HOME/.cache/policykb)
#   POLICYKB_ES_BASE install, data, logs, pid  (default: /var/lib/policykb-es as root,
#                                               else $POLICYKB_CACHE/es)
#   ES_VERSION       pin a version              (default: newest 9.x served)
#   ES_PORT          HTTP port on 127.0.0.1     (default: 9200)
#   ES_USER          system user ES runs as when started by root (default: policykb-es)
#   ES_START_TIMEOUT seconds to wait for yellow health (default: 120)
#
# Elasticsearch refuses to run as root, so as root the node runs as a dedicated system
# user that owns its data and log folders; the install sits outside $HOME because a
# root home is usually not readable by other users.
set -euo pipefail

MAVEN_BASE="https://repo1.maven.org/maven2/org/elasticsearch"
ZIP_BASE="$MAVEN_BASE/distribution/integ-test-zip/elasticsearch"
CACHE="${POLICYKB_CACHE:-$HOME/.cache/policykb}/elasticsearch"
ES_PORT="${ES_PORT:-9200}"
ES_HOST=127.0.0.1
ES_USER="${ES_USER:-policykb-es}"
START_TIMEOUT="${ES_START_TIMEOUT:-120}"
if [[ $EUID -eq 0 ]]; then
    BASE="${POLICYKB_ES_BASE:-/var/lib/policykb-es}"
else
    BASE="${POLICYKB_ES_BASE:-${POLICYKB_CACHE:-$HOME/.cache/policykb}/es}"
fi
# One run folder per port so two nodes (e.g. a test node on another port) never share data.
RUN_DIR="$BASE/node-$ES_PORT"
PID_FILE="$RUN_DIR/elasticsearch.pid"
URL="http://$ES_HOST:$ES_PORT"

die() {
    echo "elasticsearch: $*" >&2
    exit 1
}

# --- version and download ---------------------------------------------------------

versions_in() { # metadata URL -> stable 9.x versions, newest first
    curl -fsS --max-time 30 "$1" 2>/dev/null |
        grep -oE '<version>9\.[0-9]+\.[0-9]+</version>' | sed -E 's/<\/?version>//g' | sort -rV -u
}

newest_version() {
    local candidates v
    # The integ-test-zip's own maven-metadata.xml lags behind (it stops at 8.x although
    # 9.x zips are served), so the server artifact's version list supplies candidates
    # too; the first few, newest first, are checked for an actual zip.
    candidates=$( { versions_in "$ZIP_BASE/maven-metadata.xml"; versions_in "$MAVEN_BASE/elasticsearch/maven-metadata.xml"; } | sort -rV -u | head -n 6)
    for v in $candidates; do
        if curl -fsSI --max-time 30 -o /dev/null "$ZIP_BASE/$v/elasticsearch-$v.zip" 2>/dev/null; then
            echo "$v"
            return 0
        fi
    done
    return 1
}

cached_version() { # newest version already unpacked (offline restarts)
    find "$BASE" -maxdepth 1 -type d -name 'elasticsearch-9.*' -printf '%f\n' 2>/dev/null |
        sed 's/^elasticsearch-//' | sort -rV | head -n 1
}

ensure_installed() { # sets ES_HOME
    local version="${ES_VERSION:-}"
    if [[ -z $version ]]; then
        version=$(newest_version) || version=$(cached_version)
        [[ -n $version ]] || die "cannot find an Elasticsearch 9.x zip on Maven Central (and none cached)"
    fi
    ES_HOME="$BASE/elasticsearch-$version"
    [[ -x $ES_HOME/bin/elasticsearch ]] && return 0
    local zip="$CACHE/elasticsearch-$version.zip"
    mkdir -p "$CACHE" "$BASE"
    if [[ ! -s $zip ]] || ! unzip -tq "$zip" >/dev/null 2>&1; then
        echo "downloading Elasticsearch $version ..." >&2
        curl -fs --retry 3 --max-time 900 -o "$zip.part" "$ZIP_BASE/$version/elasticsearch-$version.zip" ||
            { rm -f "$zip.part"; die "download of $ZIP_BASE/$version/elasticsearch-$version.zip failed"; }
        # Maven Central serves no checksum for this artifact; the zip's CRCs are checked.
        unzip -tq "$zip.part" >/dev/null 2>&1 || die "downloaded zip is corrupt: $zip.part"
        mv "$zip.part" "$zip"
    fi
    local tmp="$BASE/.unpack-$$"
    rm -rf "$tmp"
    unzip -q "$zip" -d "$tmp" || die "cannot unpack $zip"
    mv "$tmp/elasticsearch-$version" "$ES_HOME"
    rm -rf "$tmp"
}

# --- Java and user ---------------------------------------------------------------------

java_major() { # java binary -> major version
    "$1" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+)(\.[^"]*)?".*/\1/'
}

find_java_home() { # newest JDK >= 21 among ES_JAVA_HOME, JAVA_HOME, alternatives, /usr/lib/jvm
    local best="" best_major=0 home major candidates=()
    [[ -n ${ES_JAVA_HOME:-} ]] && candidates+=("$ES_JAVA_HOME")
    [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
    if command -v update-alternatives >/dev/null; then
        while read -r java; do candidates+=("$(dirname "$(dirname "$java")")"); done \
            < <(update-alternatives --list java 2>/dev/null || true)
    fi
    for home in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do candidates+=("$home"); done
    for home in "${candidates[@]}"; do
        [[ -x $home/bin/java ]] || continue
        major=$(java_major "$home/bin/java" 2>/dev/null) || continue
        [[ $major =~ ^[0-9]+$ ]] || continue
        if ((major >= 21 && major > best_major)); then
            best=$(readlink -f "$home") best_major=$major
        fi
    done
    [[ -n $best ]] || die "no JDK >= 21 found (set ES_JAVA_HOME)"
    echo "$best"
}

ensure_user() {
    [[ $EUID -eq 0 ]] || return 0
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir "$BASE" --shell /usr/sbin/nologin "$ES_USER" ||
            die "cannot create system user $ES_USER"
    fi
}

as_es() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u "$ES_USER" -- "$@"
    else
        "$@"
    fi
}

# --- process state ---------------------------------------------------------------------------

running_pid() { # pid of the node this script started, if alive
    [[ -s $PID_FILE ]] || return 1
    local pid
    pid=$(<"$PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] || return 1
    # Guard against a recycled pid: it must be an Elasticsearch JVM using our run folder.
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "org.elasticsearch" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$RUN_DIR" || return 1
    echo "$pid"
}

es_version() {
    # The integ-test distribution has no rest-root module, so `GET /` answers 405: the
    # version comes from the local node's info instead.
    curl -fsS --max-time 5 "$URL/_nodes/_local?filter_path=nodes.*.version" 2>/dev/null |
        sed -nE 's/.*"version" *: *"([^"]+)".*/\1/p' | head -n 1 || true
}

health_yellow() {
    curl -fsS --max-time 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null |
        grep -qE '"status" *: *"(yellow|green)"'
}

first_reason() { # the most specific line of a launcher error (no stack frames, no wrappers)
    grep -vE '^[[:space:]]*(at |\.\.\.|Caused by|output:|error:|$)|starting java failed' "$1" 2>/dev/null |
        head -n 1 | cut -c1-300 || true
}

# --- commands --------------------------------------------------------------------------------

cmd_start() {
    local pid version java_home
    if pid=$(running_pid); then
        echo "Elasticsearch $(es_version) running at $URL (pid $pid)"
        return 0
    fi
    if curl -sS --max-time 3 -o /dev/null "$URL/" 2>/dev/null; then
        die "port $ES_PORT is taken by another server (not started by this script)"
    fi
    command -v unzip >/dev/null || die "unzip is required"
    ensure_installed
    java_home=$(find_java_home)
    ensure_user
    mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
    rm -f "$PID_FILE"
    if [[ $EUID -eq 0 ]]; then
        chown -R "$ES_USER:" "$RUN_DIR"
        chmod 750 "$RUN_DIR"
        # The install is read-only for the node, but ES writes its keystore into config/.
        chown -R "$ES_USER:" "$ES_HOME/config"
        chmod 755 "$BASE"
    fi
    as_es env ES_JAVA_HOME="$java_home" ES_TMPDIR="$RUN_DIR/tmp" \
        ES_JAVA_OPTS="-Xms1g -Xmx1g ${ES_EXTRA_JAVA_OPTS:-}" \
        "$ES_HOME/bin/elasticsearch" -d -p "$PID_FILE" \
        -E "path.data=$RUN_DIR/data" -E "path.logs=$RUN_DIR/logs" \
        -E "http.host=$ES_HOST" -E "http.port=$ES_PORT" -E "transport.host=$ES_HOST" \
        -E "discovery.type=single-node" -E "cluster.name=policykb-$ES_PORT" \
        -E "xpack.security.enabled=false" \
        -E "cluster.routing.allocation.disk.threshold_enabled=false" \
        >"$RUN_DIR/logs/start.out" 2>&1 ||
        die "failed to launch: $(first_reason "$RUN_DIR/logs/start.out") (see $RUN_DIR/logs)"
    local waited=0
    until health_yellow; do
        if ! running_pid >/dev/null && ((waited > 5)); then
            die "node exited during start-up: $(grep -hE 'ERROR|Exception' "$RUN_DIR"/logs/*.log 2>/dev/null | tail -n 1 | cut -c1-300) (see $RUN_DIR/logs)"
        fi
        ((waited >= START_TIMEOUT)) && die "no yellow health at $URL after ${START_TIMEOUT}s (see $RUN_DIR/logs)"
        sleep 1
        waited=$((waited + 1))
    done
    version=$(es_version)
    echo "Elasticsearch $version running at $URL (pid $(running_pid), java $(java_major "$java_home/bin/java"))"
}

cmd_stop() {
    local pid waited=0
    if ! pid=$(running_pid); then
        echo "Elasticsearch not running (port $ES_PORT)"
        rm -f "$PID_FILE"
        return 0
    fi
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        ((waited >= 60)) && die "pid $pid did not exit within 60s after SIGTERM"
        sleep 1
        waited=$((waited + 1))
    done
    rm -f "$PID_FILE"
    echo "Elasticsearch stopped (pid $pid)"
}

cmd_status() {
    local pid
    if pid=$(running_pid); then
        echo "running: Elasticsearch $(es_version) at $URL (pid $pid)"
    else
        echo "not running (port $ES_PORT)"
        return 3
    fi
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
