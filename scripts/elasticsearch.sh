#!/usr/bin/env bash
# Local Elasticsearch 9 for the Elasticsearch backend and its tests: one node (the
# default, which scripts/test.sh uses) or a small cluster on 127.0.0.1, optionally secured.
#
#   scripts/elasticsearch.sh start [--nodes N] [--secure]
#   scripts/elasticsearch.sh status
#   scripts/elasticsearch.sh stop
#
#   start           one node at http://127.0.0.1:$ES_PORT, security off, 1 GB heap.
#   --nodes N       N nodes (1-9) forming one cluster: HTTP ports ES_PORT .. ES_PORT+N-1,
#                   transport ports ES_PORT+1000 .. (see ES_TRANSPORT_PORT), 512 MB heap
#                   each, each node with its own config, data, log and pid folder.
#   --secure        security on: TLS on HTTP and transport with a CA and node certificates
#                   (SANs 127.0.0.1, localhost) made by the distribution's own
#                   bin/elasticsearch-certutil; a superuser made with bin/elasticsearch-users
#                   for this script's own calls; via the REST API a role policykb_writer
#                   (indices policykb*: read, write, create_index, delete_index, manage,
#                   view_index_metadata, which covers aliases named policykb*; cluster:
#                   monitor) and an API key limited to that role. The roles and API keys
#                   live in the security index, whose analyzer needs three components of
#                   the analysis-common module that the integ-test-zip lacks: the plugin in
#                   scripts/es/security-analysis supplies them (built here with javac and
#                   installed into the unpacked distribution).
#   The flags combine. `start` also brings back any node of the cluster that is not
#   running. It ends by printing on stdout, and nothing else there (progress goes to stderr):
#       POLICYKB_ES_URL=https://127.0.0.1:9200,https://127.0.0.1:9201,...
#       POLICYKB_ES_API_KEY=<encoded API key>           (--secure only)
#       POLICYKB_ES_CA_CERTS=<path of the CA certificate PEM>  (--secure only)
#   and writes the same lines to $POLICYKB_ES_BASE/cluster.env (mode 600; the cluster
#   started last in that base) and to its cluster folder's cluster.env.
#   status          one line per node (HTTP port, cluster health, pid); exit 3 unless
#                   every node of the cluster runs.
#   stop            stops every node of the cluster at ES_PORT that this script started
#                   (by its pid files) and waits for them to exit.
#
# A cluster is known by its first HTTP port. Everything of it lives in
# $POLICYKB_ES_BASE/cluster-$ES_PORT: cluster.conf (node count, --secure, version), the CA,
# the script's secrets, and node-PORT/{config,data,logs,tmp} per node. A cluster keeps the
# node count and --secure it was made with: `start` with other flags is refused until
# that folder is removed (or another ES_PORT is used).
#
# The distribution is the "integ-test-zip" (core modules plus x-pack-core and
# x-pack-security, bin/elasticsearch-certutil and -users; no bundled JDK) obtained with
# Maven: the versions-maven-plugin names the newest 9.x (read from the server artifact,
# since the zip's own Maven metadata stops at 8.x) and the maven-dependency-plugin copies
# the zip; Maven's local repository is the download cache. Without Maven Central the
# newest version already unpacked is used. It runs on a JDK >= 21 found on this machine.
#
# Environment:
#   POLICYKB_ES_BASE   installs and clusters (default: /var/lib/policykb-es as root,
#                      else $POLICYKB_CACHE/es)
#   POLICYKB_CACHE     cache of the newest-version answer (default: $HOME/.cache/policykb)
#   ES_VERSION         pin a version (default: newest 9.x, asked of Maven once a day;
#                      a running cluster keeps the version it runs)
#   ES_PORT            first HTTP port on 127.0.0.1 (default: 9200)
#   ES_TRANSPORT_PORT  first transport port (default: ES_PORT + 1000, clear of other
#                      clusters' HTTP ports; a single node: the first free of 9300-9399)
#   ES_HEAP            heap per node (default: 1g for one node, 512m for several)
#   ES_USER            system user the nodes run as when started by root (default: policykb-es)
#   ES_START_TIMEOUT   seconds to wait for all nodes and yellow health (default: 300 for
#                      one node, 600 for several: N JVMs starting on 2 busy cores are slow)
#   ES_JAVA_HOME       JDK to use (default: the newest JDK >= 21 found)
#   ES_EXTRA_JAVA_OPTS more JVM options for the nodes
#
# Elasticsearch refuses to run as root, so as root the nodes run as a dedicated system
# user that owns their folders; the installs sit outside $HOME because a root home is
# usually not readable by other users.
set -euo pipefail

ES_HOST=127.0.0.1
ES_PORT="${ES_PORT:-9200}"
FIXED_TRANSPORT=${ES_TRANSPORT_PORT:+1} # a single node takes a free port of 9300-9399 unless set
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((ES_PORT + 1000))}"
ES_USER="${ES_USER:-policykb-es}"
CACHE="${POLICYKB_CACHE:-$HOME/.cache/policykb}/elasticsearch"
if [[ $EUID -eq 0 ]]; then
    BASE="${POLICYKB_ES_BASE:-/var/lib/policykb-es}"
else
    BASE="${POLICYKB_ES_BASE:-${POLICYKB_CACHE:-$HOME/.cache/policykb}/es}"
fi
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER_DIR="$BASE/cluster-$ES_PORT"
CLUSTER_CONF="$CLUSTER_DIR/cluster.conf"
CLUSTER_NAME="policykb-$ES_PORT"

# Maven coordinates (plugin versions pinned: both work with Debian's Maven 3.8).
ZIP_ARTIFACT=org.elasticsearch.distribution.integ-test-zip:elasticsearch
SERVER_GROUP=org.elasticsearch
SERVER_ARTIFACT=elasticsearch
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
VERSIONS_PLUGIN=org.codehaus.mojo:versions-maven-plugin:2.23.0

# Security: the script's own superuser, the application's role and API key.
ADMIN_USER=policykb_admin
APP_ROLE=policykb_writer
APP_ROLE_JSON='{"cluster":["monitor"],"indices":[{"names":["policykb*"],"privileges":["read","write","create_index","delete_index","manage","view_index_metadata"]}]}'
API_KEY_NAME=policykb

# Set by parse_start_args / load_cluster_conf.
NODES=1
SECURE=0
WORK="" # scratch folder, removed on exit

die() {
    echo "elasticsearch: $*" >&2
    exit 1
}

say() { echo "elasticsearch: $*" >&2; }

cleanup() { [[ -z $WORK ]] || rm -rf "$WORK"; }
trap cleanup EXIT

make_work_dir() { # WORK: a scratch folder for this run
    mkdir -p "$CACHE"
    WORK=$(mktemp -d "$CACHE/run.XXXXXX")
}

# --- cluster layout ------------------------------------------------------------------------

node_ports() { # HTTP ports of the cluster's nodes
    seq "$ES_PORT" $((ES_PORT + NODES - 1))
}

node_dir() { echo "$CLUSTER_DIR/node-$1"; }

transport_port() { echo $((ES_TRANSPORT_PORT + $1 - ES_PORT)); }

fixed_transport() { ((NODES > 1)) || [[ -n $FIXED_TRANSPORT ]]; } # else ES picks one

scheme() { if ((SECURE)); then echo https; else echo http; fi; }

conf_value() { # key -> value in cluster.conf (empty if none)
    [[ -s $CLUSTER_CONF ]] || return 0
    sed -n "s/^$1=//p" "$CLUSTER_CONF" | tail -n 1
}

load_cluster_conf() { # NODES and SECURE of an existing cluster (status, stop)
    local nodes
    nodes=$(conf_value nodes)
    [[ $nodes =~ ^[1-9]$ ]] && NODES=$nodes
    [[ $(conf_value secure) == 1 ]] && SECURE=1
    return 0
}

write_cluster_conf() { # version
    printf 'nodes=%s\nsecure=%s\nversion=%s\n' "$NODES" "$SECURE" "$1" >"$CLUSTER_CONF"
}

flags_of() { # nodes secure -> the start flags that make such a cluster
    local text="--nodes $1"
    [[ $2 == 1 ]] && text+=" --secure"
    echo "$text"
}

# --- Maven: version and download ---------------------------------------------------------

mvn_quiet() { # run Maven in the scratch folder, its output to mvn.log there
    if ! command -v mvn >/dev/null; then
        echo "[ERROR] no mvn on PATH (Debian: apt-get install maven)" >>"$WORK/mvn.log"
        return 1
    fi
    (cd "$WORK" && mvn -B -q "$@") >>"$WORK/mvn.log" 2>&1
}

mvn_tail() { # the gist of Maven's last error
    grep -E 'ERROR|BUILD' "$WORK/mvn.log" 2>/dev/null | grep -vE 'Re-run|full stack|-> \[Help|^\[ERROR\] *$' | head -n 2 | cut -c1-300 | tr '\n' ' ' || true
}

newest_server_version() { # ignore-list -> newest 9.x of the server artifact not ignored
    local out="$WORK/updates.txt"
    # A throw-away POM naming the server artifact; the versions plugin reports the newest
    # minor/patch release after 9.0.0 from Maven Central's metadata.
    cat >"$WORK/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.policykb</groupId><artifactId>es-version</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>$SERVER_GROUP</groupId><artifactId>$SERVER_ARTIFACT</artifactId><version>9.0.0</version></dependency>
  </dependencies>
</project>
EOF
    rm -f "$out"
    mvn_quiet -U "$VERSIONS_PLUGIN:display-dependency-updates" -DallowMajorUpdates=false \
        -Dmaven.version.ignore="$1" -Dversions.outputFile="$out" || return 1
    grep -oE -- '-> *9\.[0-9]+\.[0-9]+' "$out" 2>/dev/null | grep -oE '9\.[0-9.]+' | head -n 1
}

install_version() { # version -> unpacked in $BASE (from Maven's local repository or Central)
    local version=$1 zip tmp
    ES_HOME="$BASE/elasticsearch-$version"
    [[ -x $ES_HOME/bin/elasticsearch ]] && return 0
    say "fetching Elasticsearch $version (integ-test-zip) with Maven ..."
    mvn_quiet "$DEPENDENCY_PLUGIN:copy" -Dartifact="$ZIP_ARTIFACT:$version:zip" \
        -DoutputDirectory="$WORK/zip" -Dmdep.overWriteReleases=true || return 1
    zip="$WORK/zip/elasticsearch-$version.zip"
    # Maven Central serves no checksum for this artifact; the zip's CRCs are checked.
    unzip -tq "$zip" >/dev/null 2>&1 || die "corrupt zip from Maven: $zip"
    mkdir -p "$BASE"
    tmp="$BASE/.unpack-$$"
    rm -rf "$tmp"
    unzip -q "$zip" -d "$tmp" || die "cannot unpack $zip"
    mv "$tmp/elasticsearch-$version" "$ES_HOME"
    rm -rf "$tmp" "$zip"
}

cached_version() { # newest version already unpacked (offline starts)
    find "$BASE" -maxdepth 1 -type d -name 'elasticsearch-9.*' -printf '%f\n' 2>/dev/null |
        sed 's/^elasticsearch-//' | sort -rV | head -n 1
}

ensure_installed() { # sets ES_HOME and VERSION
    local answer="$CACHE/newest-9x" ignore='.*-.*' candidate
    VERSION="${ES_VERSION:-}"
    if [[ -z $VERSION ]] && any_node_running; then
        VERSION=$(conf_value version) # a node joining a running cluster gets its version
    fi
    if [[ -n $VERSION ]]; then
        install_version "$VERSION" ||
            die "cannot obtain Elasticsearch $VERSION with Maven: $(mvn_tail)"
        return 0
    fi
    # The newest 9.x, asked of Maven at most once a day.
    if [[ -n $(find "$answer" -mmin -1440 2>/dev/null) ]]; then
        VERSION=$(<"$answer")
        [[ -n $VERSION ]] && install_version "$VERSION" && return 0
    fi
    for _ in 1 2 3 4 5; do # skip a release whose zip is not (yet) served
        candidate=$(newest_server_version "$ignore") || break
        [[ -n $candidate ]] || break
        if install_version "$candidate"; then
            VERSION=$candidate
            echo "$VERSION" >"$answer"
            return 0
        fi
        ignore+=",$candidate"
    done
    VERSION=$(cached_version)
    [[ -n $VERSION ]] || die "cannot find an Elasticsearch 9.x integ-test-zip with Maven, and none is unpacked in $BASE (Maven: $(mvn_tail))"
    say "Maven gave no newer version: using Elasticsearch $VERSION unpacked in $BASE"
    install_version "$VERSION"
}

# --- Java and user ---------------------------------------------------------------------------

java_major() { # java binary -> major version
    "$1" -version 2>&1 | head -n 1 | sed -E 's/.*version "([0-9]+)(\.[^"]*)?".*/\1/'
}

find_java_home() { # newest JDK >= 21 among ES_JAVA_HOME, JAVA_HOME, alternatives, /usr/lib/jvm
    local best="" best_major=0 home major java candidates=()
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

give_to_es() { # paths -> owned by the nodes' user
    [[ $EUID -eq 0 ]] || return 0
    chown -R "$ES_USER:" "$@"
}

# --- process state ---------------------------------------------------------------------------

running_pid() { # node HTTP port -> pid of the node this script started there, if alive
    pid_in "$(node_dir "$1")"
}

legacy_pid() { # pid of a node that an earlier version of this script ran in $BASE/node-PORT
    pid_in "$BASE/node-$ES_PORT"
}

pid_in() { # node folder -> pid of the node running with it, if alive
    local dir=$1 pid
    [[ -s $dir/elasticsearch.pid ]] || return 1
    pid=$(<"$dir/elasticsearch.pid")
    [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] || return 1
    # Guard against a recycled pid: it must be an Elasticsearch JVM using this node's folder.
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "org.elasticsearch" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir/" || return 1
    echo "$pid"
}

any_node_running() {
    local port
    for port in $(node_ports); do
        running_pid "$port" >/dev/null && return 0
    done
    return 1
}

port_in_use() { # port -> true if something listens on it on 127.0.0.1
    timeout 2 bash -c "exec 3<>/dev/tcp/$ES_HOST/$1" 2>/dev/null
}

first_reason() { # the most specific line of a launcher error (no stack frames, no wrappers)
    grep -vE '^[[:space:]]*(at |\.\.\.|Caused by|output:|error:|$)|starting java failed' "$1" 2>/dev/null |
        head -n 1 | cut -c1-300 || true
}

# --- REST calls ------------------------------------------------------------------------------

admin_curl() { # curl args... -> curl with the CA and the superuser (--secure), else plain
    if ((SECURE)); then
        curl -K "$CLUSTER_DIR/admin.curlrc" "$@"
    else
        curl "$@"
    fi
}

es_get() { # path -> body from the first node that answers (2xx only)
    local port
    for port in $(node_ports); do
        admin_curl -fsS --max-time 10 "$(scheme)://$ES_HOST:$port$1" 2>/dev/null && return 0
    done
    return 1
}

es_call() { # method path [json] -> body; fails with the answer unless 2xx
    local method=$1 path=$2 body=${3:-} port out code
    out=$WORK/call.out
    for port in $(node_ports); do
        running_pid "$port" >/dev/null || continue
        code=$(admin_curl -sS --max-time 30 -o "$out" -w '%{http_code}' -X "$method" \
            -H 'Content-Type: application/json' ${body:+--data-binary "$body"} \
            "$(scheme)://$ES_HOST:$port$path") || continue
        if [[ $code == 2* ]]; then
            cat "$out"
            return 0
        fi
        echo "$method $path: HTTP $code $(head -c 300 "$out")" >&2
        return 1
    done
    echo "$method $path: no node answered" >&2
    return 1
}

json_field() { # name -> first string or number value of "name" in the JSON on stdin
    sed -nE "s/.*\"$1\" *: *\"?([^\",}]*)\"?.*/\1/p" | head -n 1
}

health() { # -> "status nodes" of the cluster, or nothing
    local body
    body=$(es_get "/_cluster/health") || return 0
    echo "$(json_field status <<<"$body") $(json_field number_of_nodes <<<"$body")"
}

es_version() { # version of the first node that answers
    es_get "/_nodes/_local?filter_path=nodes.*.version" | json_field version || true
}

# --- security: certificates, superuser, role and API key -----------------------------------

tools() { # name args... -> run bin/elasticsearch-NAME of the install on the cluster's tool config
    local name=$1
    shift
    ES_JAVA_HOME="$JAVA_HOME_ES" ES_PATH_CONF="$CLUSTER_DIR/tools-config" "$ES_HOME/bin/elasticsearch-$name" "$@"
}

ensure_security_analysis() { # the analysis components the security index needs
    # The security index (roles, API keys) defines an "email" analyzer from the
    # pattern_capture and unique token filters and the uax_url_email tokenizer, which live
    # in the analysis-common module: the integ-test-zip lacks that module and Maven Central
    # does not serve it, so scripts/es/security-analysis supplies the three as a small
    # stable-API plugin, compiled here against this install's own jars.
    local name=policykb-security-analysis src="$SCRIPT_DIR/es/security-analysis" build="$WORK/plugin" sources
    [[ -s $ES_HOME/plugins/$name/$name.jar ]] && return 0
    mapfile -t sources < <(find "$src/src" -name '*.java')
    [[ -x $JAVA_HOME_ES/bin/javac ]] || die "--secure needs a JDK with javac (to build $name): $JAVA_HOME_ES has none"
    say "building and installing the $name plugin ..."
    mkdir -p "$build/classes" "$build/zip"
    "$JAVA_HOME_ES/bin/javac" -nowarn --release 21 -cp "$ES_HOME/lib/*" -d "$build/classes" \
        "${sources[@]}" >"$build/javac.log" 2>&1 ||
        die "cannot compile $name: $(head -n 3 "$build/javac.log" | tr '\n' ' ')"
    "$JAVA_HOME_ES/bin/jar" --create --file "$build/zip/$name.jar" -C "$build/classes" .
    cp "$src/named_components.json" "$build/zip/"
    printf 'name=%s\ndescription=%s\nversion=%s\nelasticsearch.version=%s\njava.version=21\n' \
        "$name" "pattern_capture, unique and uax_url_email for the security index" "$VERSION" "$VERSION" \
        >"$build/zip/stable-plugin-descriptor.properties"
    "$JAVA_HOME_ES/bin/jar" --create --no-manifest --file "$build/$name.zip" -C "$build/zip" .
    tools plugin install --batch "file://$build/$name.zip" >"$build/install.log" 2>&1 ||
        die "cannot install $name: $(grep -v WARNING "$build/install.log" | tail -n 2 | tr '\n' ' ')"
}

ensure_tools_config() { # a private config folder for certutil and users (the file realm)
    [[ -s $CLUSTER_DIR/tools-config/elasticsearch.yml ]] && return 0
    mkdir -p "$CLUSTER_DIR/tools-config"
    chmod 700 "$CLUSTER_DIR/tools-config"
    cp -r "$ES_HOME/config/." "$CLUSTER_DIR/tools-config/"
}

ensure_ca() { # the cluster's CA, made once: ca.crt (readable) and ca.key (private)
    [[ -s $CLUSTER_DIR/ca.crt && -s $CLUSTER_DIR/ca.key ]] && return 0
    say "making a CA with elasticsearch-certutil ..."
    tools certutil ca --silent --pem --days 3650 --out "$WORK/ca.zip" >/dev/null ||
        die "elasticsearch-certutil ca failed"
    (umask 077 && unzip -p "$WORK/ca.zip" ca/ca.key >"$CLUSTER_DIR/ca.key")
    unzip -p "$WORK/ca.zip" ca/ca.crt >"$CLUSTER_DIR/ca.crt"
    chmod 644 "$CLUSTER_DIR/ca.crt"
}

ensure_node_certs() { # ports -> a certificate for each of those nodes that has none yet
    local port name missing=()
    for port in "$@"; do
        [[ -s $(node_dir "$port")/config/certs/node.crt ]] || missing+=("$port")
    done
    ((${#missing[@]})) || return 0
    {
        echo "instances:"
        for port in "${missing[@]}"; do
            printf '  - name: node-%s\n    ip: ["127.0.0.1"]\n    dns: ["localhost"]\n' "$port"
        done
    } >"$WORK/instances.yml"
    say "making node certificates for ${missing[*]/#/node-} ..."
    tools certutil cert --silent --pem --days 3650 --ca-cert "$CLUSTER_DIR/ca.crt" \
        --ca-key "$CLUSTER_DIR/ca.key" --in "$WORK/instances.yml" --out "$WORK/certs.zip" >/dev/null ||
        die "elasticsearch-certutil cert failed"
    for port in "${missing[@]}"; do
        name="node-$port"
        mkdir -p "$(node_dir "$port")/config/certs"
        (
            umask 077
            unzip -p "$WORK/certs.zip" "$name/$name.key" >"$(node_dir "$port")/config/certs/node.key"
        )
        unzip -p "$WORK/certs.zip" "$name/$name.crt" >"$(node_dir "$port")/config/certs/node.crt"
    done
}

ensure_admin() { # the superuser in the file realm, and a curl config to call as it
    local password
    if ! grep -q "^$ADMIN_USER:" "$CLUSTER_DIR/tools-config/users" 2>/dev/null || [[ ! -s $CLUSTER_DIR/admin.curlrc ]]; then
        password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
        say "adding superuser $ADMIN_USER with elasticsearch-users ..."
        if grep -q "^$ADMIN_USER:" "$CLUSTER_DIR/tools-config/users" 2>/dev/null; then
            tools users userdel "$ADMIN_USER" >/dev/null 2>&1 || true # its password was lost
        fi
        # The password goes on stdin (asked twice), not on a command line.
        printf '%s\n%s\n' "$password" "$password" |
            tools users useradd "$ADMIN_USER" -r superuser >"$WORK/users.log" 2>&1 ||
            die "elasticsearch-users useradd failed: $(tail -n 2 "$WORK/users.log" | tr '\n' ' ')"
        (
            umask 077
            printf 'user = "%s:%s"\ncacert = "%s"\n' "$ADMIN_USER" "$password" "$CLUSTER_DIR/ca.crt" >"$CLUSTER_DIR/admin.curlrc"
        )
    fi
}

api_key_works() { # the stored key authenticates
    [[ -s $CLUSTER_DIR/api-key.header ]] || return 1
    es_get_as_key "/_security/_authenticate" | grep -q '"api_key"'
}

es_get_as_key() { # path -> body, authenticated with the application's API key
    local port
    for port in $(node_ports); do
        curl -fsS --max-time 10 --cacert "$CLUSTER_DIR/ca.crt" -H "@$CLUSTER_DIR/api-key.header" \
            "https://$ES_HOST:$port$1" 2>/dev/null && return 0
    done
    return 1
}

ensure_api_access() { # the role and an API key with (only) its privileges
    local body id encoded descriptors
    es_call PUT "/_security/role/$APP_ROLE" "$APP_ROLE_JSON" >/dev/null || die "cannot create role $APP_ROLE"
    # An API key's privileges are those of its role descriptors (within its owner's): the
    # key carries the role policykb_writer as defined above.
    descriptors="{\"$APP_ROLE\":$APP_ROLE_JSON}"
    id=$(sed -n 's/^id=//p' "$CLUSTER_DIR/api-key" 2>/dev/null || true)
    if [[ -n $id ]] && api_key_works; then
        # Keep the key, with the role as defined now.
        es_call PUT "/_security/api_key/$id" "{\"role_descriptors\":$descriptors}" >/dev/null ||
            die "cannot update API key $id"
        return 0
    fi
    say "creating API key $API_KEY_NAME with role $APP_ROLE ..."
    body=$(es_call POST /_security/api_key \
        "{\"name\":\"$API_KEY_NAME\",\"role_descriptors\":$descriptors,\"metadata\":{\"made_by\":\"scripts/elasticsearch.sh\"}}") ||
        die "cannot create an API key"
    id=$(json_field id <<<"$body")
    encoded=$(json_field encoded <<<"$body")
    [[ -n $id && -n $encoded ]] || die "unexpected API key answer: $(head -c 200 <<<"$body")"
    (
        umask 077
        printf 'id=%s\nencoded=%s\n' "$id" "$encoded" >"$CLUSTER_DIR/api-key"
        printf 'Authorization: ApiKey %s\n' "$encoded" >"$CLUSTER_DIR/api-key.header"
    )
}

# --- nodes -------------------------------------------------------------------------------------

cluster_is_new() { # no node has data yet: the first start bootstraps the cluster
    local port
    for port in $(node_ports); do
        [[ -n $(find "$(node_dir "$port")/data" -mindepth 1 -print -quit 2>/dev/null) ]] && return 1
    done
    return 0
}

write_node_yml() { # port bootstrap(0|1) -> the node's elasticsearch.yml
    local port=$1 bootstrap=$2 dir p seeds="" masters=""
    dir=$(node_dir "$port")
    for p in $(node_ports); do
        seeds+="${seeds:+, }\"$ES_HOST:$(transport_port "$p")\""
        masters+="${masters:+, }\"node-$p\""
    done
    {
        echo "# Written by scripts/elasticsearch.sh at each start: edits are lost."
        echo "cluster.name: $CLUSTER_NAME"
        echo "node.name: node-$port"
        echo "path.data: $dir/data"
        echo "path.logs: $dir/logs"
        echo "network.host: $ES_HOST"
        echo "http.port: $port"
        fixed_transport && echo "transport.port: $(transport_port "$port")"
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
        if ((NODES == 1)); then
            echo "discovery.type: single-node"
        else
            echo "discovery.seed_hosts: [$seeds]"
            # Only for the very first start: later starts join the cluster that formed.
            ((bootstrap)) && echo "cluster.initial_master_nodes: [$masters]"
        fi
        if ((SECURE)); then
            cat <<'EOF'
xpack.security.enabled: true
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.key: certs/node.key
xpack.security.http.ssl.certificate: certs/node.crt
xpack.security.http.ssl.certificate_authorities: [certs/ca.crt]
xpack.security.transport.ssl.enabled: true
xpack.security.transport.ssl.verification_mode: full
xpack.security.transport.ssl.key: certs/node.key
xpack.security.transport.ssl.certificate: certs/node.crt
xpack.security.transport.ssl.certificate_authorities: [certs/ca.crt]
EOF
        else
            echo "xpack.security.enabled: false"
        fi
    } >"$dir/config/elasticsearch.yml"
}

prepare_node() { # port bootstrap -> the node's folders and config, owned by the nodes' user
    local port=$1 dir f
    dir=$(node_dir "$port")
    mkdir -p "$dir/config/certs" "$dir/data" "$dir/logs" "$dir/tmp"
    # Version-specific files follow the install; realm files are kept once there.
    cp "$ES_HOME/config/jvm.options" "$ES_HOME/config/log4j2.properties" "$dir/config/"
    [[ -d $dir/config/jvm.options.d ]] || cp -r "$ES_HOME/config/jvm.options.d" "$dir/config/"
    for f in roles.yml role_mapping.yml users users_roles; do
        [[ -e $dir/config/$f ]] || cp "$ES_HOME/config/$f" "$dir/config/"
    done
    if ((SECURE)); then
        cp "$CLUSTER_DIR/ca.crt" "$dir/config/certs/ca.crt"
        cp "$CLUSTER_DIR/tools-config/users" "$CLUSTER_DIR/tools-config/users_roles" "$dir/config/"
    fi
    write_node_yml "$port" "$2"
    chmod 750 "$dir"
    give_to_es "$dir"
}

launch_node() { # port heap -> starts the node as a daemon; fails with its launcher's reason
    local port=$1 dir
    dir=$(node_dir "$port")
    rm -f "$dir/elasticsearch.pid"
    as_es env ES_PATH_CONF="$dir/config" ES_JAVA_HOME="$JAVA_HOME_ES" ES_TMPDIR="$dir/tmp" \
        ES_JAVA_OPTS="-Xms$2 -Xmx$2 ${ES_EXTRA_JAVA_OPTS:-}" \
        "$ES_HOME/bin/elasticsearch" -d -p "$dir/elasticsearch.pid" >"$dir/logs/start.out" 2>&1 9>&-
}

wait_for_cluster() { # all NODES joined and health yellow or green, else die
    local began=$SECONDS state port timeout=${ES_START_TIMEOUT:-$((NODES > 1 ? 600 : 300))}
    until state=$(health) && [[ $state =~ ^(yellow|green)\ $NODES$ ]]; do
        for port in $(node_ports); do
            if ! running_pid "$port" >/dev/null && ((SECONDS - began > 5)); then
                die "node-$port exited during start-up: $(grep -hE 'ERROR|Exception' "$(node_dir "$port")"/logs/*.log 2>/dev/null | tail -n 1 | cut -c1-300) (see $(node_dir "$port")/logs)"
            fi
        done
        ((SECONDS - began >= timeout)) && die "no cluster of $NODES node(s) with yellow health after ${timeout}s (health: ${state:-none}; see $CLUSTER_DIR/node-*/logs)"
        sleep 1
    done
    echo "$state"
}

write_env() { # the connection lines: stdout, cluster.env of the cluster and of the base
    local urls="" port lines
    for port in $(node_ports); do urls+="${urls:+,}$(scheme)://$ES_HOST:$port"; done
    lines="POLICYKB_ES_URL=$urls"
    if ((SECURE)); then
        lines+=$'\n'"POLICYKB_ES_API_KEY=$(sed -n 's/^encoded=//p' "$CLUSTER_DIR/api-key")"
        lines+=$'\n'"POLICYKB_ES_CA_CERTS=$CLUSTER_DIR/ca.crt"
    fi
    (
        umask 077
        echo "$lines" >"$CLUSTER_DIR/cluster.env"
        echo "$lines" >"$BASE/cluster.env"
    )
    chmod 600 "$CLUSTER_DIR/cluster.env" "$BASE/cluster.env"
    echo "$lines"
}

# --- commands --------------------------------------------------------------------------------

parse_start_args() {
    while (($#)); do
        case $1 in
        --nodes) NODES=${2:-} && shift ;;
        --nodes=*) NODES=${1#--nodes=} ;;
        --secure) SECURE=1 ;;
        *) die "unknown option for start: $1 (usage: start [--nodes N] [--secure])" ;;
        esac
        shift
    done
    [[ $NODES =~ ^[1-9]$ ]] || die "--nodes takes a number from 1 to 9"
}

check_cluster_flags() { # a cluster keeps the node count and security it was made with
    local nodes secure
    nodes=$(conf_value nodes)
    secure=$(conf_value secure)
    [[ -n $nodes ]] || return 0
    if [[ $nodes != "$NODES" || $secure != "$SECURE" ]]; then
        die "the cluster at port $ES_PORT was made with '$(flags_of "$nodes" "$secure")', not '$(flags_of "$NODES" "$SECURE")': start it with those flags, or stop it and remove $CLUSTER_DIR, or use another ES_PORT"
    fi
}

lock_cluster() { # one start or stop at a time per cluster
    mkdir -p "$CLUSTER_DIR"
    exec 9>"$CLUSTER_DIR/.lock"
    flock -w 300 9 || die "another start or stop of the cluster at port $ES_PORT is running"
}

cmd_start() {
    local port heap began missing=() bootstrap=0 pids=() failed=0 i state pid
    parse_start_args "$@"
    command -v unzip >/dev/null || die "unzip is required"
    began=$SECONDS
    if ((NODES == 1 && !SECURE)) && [[ ! -s $CLUSTER_CONF ]] && pid=$(legacy_pid); then
        say "a node started by an earlier version of this script runs at port $ES_PORT (pid $pid, folder $BASE/node-$ES_PORT)"
        echo "POLICYKB_ES_URL=http://$ES_HOST:$ES_PORT"
        return 0
    fi
    make_work_dir
    mkdir -p "$BASE"
    chmod 755 "$BASE"
    lock_cluster
    check_cluster_flags
    for port in $(node_ports); do
        running_pid "$port" >/dev/null || missing+=("$port")
    done
    if ((${#missing[@]})); then
        for port in "${missing[@]}"; do
            port_in_use "$port" && die "port $port is taken by another server (not started by this script for the cluster at port $ES_PORT)"
            fixed_transport && port_in_use "$(transport_port "$port")" &&
                die "transport port $(transport_port "$port") is taken (set ES_TRANSPORT_PORT)"
        done
        exec 8>"$BASE/.install.lock" # installs in $BASE are shared by its clusters
        flock -w 600 8 || die "another start is installing into $BASE"
        ensure_installed
        JAVA_HOME_ES=$(find_java_home)
        ((SECURE)) && ensure_security_analysis
        exec 8>&-
        ensure_user
        write_cluster_conf "$VERSION"
        if ((SECURE)); then
            ensure_tools_config
            ensure_ca
            ensure_node_certs "${missing[@]}"
            ensure_admin
        fi
        cluster_is_new && ((NODES > 1)) && bootstrap=1
        heap=512m
        ((NODES == 1)) && heap=1g
        heap=${ES_HEAP:-$heap}
        for port in "${missing[@]}"; do prepare_node "$port" "$bootstrap"; done
        say "starting ${missing[*]/#/node-} (Elasticsearch $VERSION, heap $heap each, java $(java_major "$JAVA_HOME_ES/bin/java")) ..."
        # All at once: a node waits for the others to form the cluster.
        for port in "${missing[@]}"; do
            launch_node "$port" "$heap" &
            pids+=($!)
        done
        for i in "${!pids[@]}"; do
            if ! wait "${pids[$i]}"; then
                say "node-${missing[$i]} failed to launch: $(first_reason "$(node_dir "${missing[$i]}")/logs/start.out") (see $(node_dir "${missing[$i]}")/logs)"
                failed=1
            fi
        done
        ((failed)) && die "start failed"
    else
        say "all $NODES node(s) of the cluster at port $ES_PORT already run"
    fi
    state=$(wait_for_cluster)
    ((SECURE)) && ensure_api_access
    say "Elasticsearch $(es_version) running: $NODES node(s) at $(scheme)://$ES_HOST:$ES_PORT.., health ${state% *}, after $((SECONDS - began))s"
    write_env
}

cmd_stop() {
    local dir pid pids=() folders=() waited i
    [[ $# -eq 0 ]] || die "stop takes no options"
    if pid=$(legacy_pid); then # left by an earlier version of this script
        pids+=("$pid")
        folders+=("$BASE/node-$ES_PORT")
    fi
    if [[ -d $CLUSTER_DIR ]]; then
        lock_cluster
        for dir in "$CLUSTER_DIR"/node-*/; do
            [[ -d $dir ]] || continue
            dir=${dir%/}
            if pid=$(pid_in "$dir"); then
                pids+=("$pid")
                folders+=("$dir")
            else
                rm -f "$dir/elasticsearch.pid"
            fi
        done
    fi
    if ((${#pids[@]} == 0)); then
        echo "Elasticsearch not running (port $ES_PORT)"
        return 0
    fi
    kill -TERM "${pids[@]}"
    for i in "${!pids[@]}"; do
        waited=0
        while kill -0 "${pids[$i]}" 2>/dev/null; do
            ((waited >= 60)) && die "pid ${pids[$i]} ($(basename "${folders[$i]}")) did not exit within 60s after SIGTERM"
            sleep 1
            waited=$((waited + 1))
        done
        rm -f "${folders[$i]}/elasticsearch.pid"
        echo "Elasticsearch $(basename "${folders[$i]}") stopped (pid ${pids[$i]})"
    done
}

cmd_status() {
    local port pid state status running=0
    [[ $# -eq 0 ]] || die "status takes no options"
    if [[ ! -s $CLUSTER_CONF ]] && pid=$(legacy_pid); then
        state=$(health)
        echo "node-$ES_PORT http://$ES_HOST:$ES_PORT health ${state% *} pid $pid (started by an earlier version of this script)"
        return 0
    fi
    load_cluster_conf
    state=$(health)
    status=${state% *}
    for port in $(node_ports); do
        if pid=$(running_pid "$port"); then
            echo "node-$port $(scheme)://$ES_HOST:$port health ${status:-unknown} pid $pid"
            running=$((running + 1))
        else
            echo "node-$port $(scheme)://$ES_HOST:$port not running"
        fi
    done
    if ((running == 0)); then
        echo "not running (port $ES_PORT)"
        return 3
    fi
    echo "cluster $CLUSTER_NAME: Elasticsearch $(es_version), health ${status:-unknown}, ${state#* } of $NODES node(s) joined, $running running"
    ((running == NODES)) || return 3
}

case "${1:-}" in
start) shift && cmd_start "$@" ;;
stop) shift && cmd_stop "$@" ;;
status) shift && cmd_status "$@" ;;
*)
    echo "usage: $0 start [--nodes N] [--secure] | stop | status" >&2
    exit 2
    ;;
esac
