#!/usr/bin/env bash
# A real, throw-away Elasticsearch node for development, tests and CI.
#
#   scripts/elasticsearch.sh start     start a node (or reuse the one answering), print its URL last on stdout
#   scripts/elasticsearch.sh stop      stop the node this script started and delete its data
#   scripts/elasticsearch.sh status    print version and health; exit 1 when no node answers
#   scripts/elasticsearch.sh version   print the Elasticsearch version start would use
#
# The server is org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip from
# Maven Central, fetched with mvn once and unpacked under $HOSO_CACHE/elasticsearch/<version>.
# It is the real server with only its core modules (no analysis-common, no reindex module,
# no painless, no ML) and no bundled JDK: 9.x needs Java 21+, 8.x runs on Java 17+.
# See docs/decisions/0002-elasticsearch-test-node.md.
#
# Environment:
#   HOSO_ES_VERSION  version to run (default: 9.x when a Java 21+ is found, else 8.19.x on Java 17+)
#   ES_JAVA_HOME     the Java to use (when set, the only one considered); otherwise JAVA_HOME,
#                    /usr/lib/jvm/* and the java on PATH are searched
#   HOSO_ES_PORT     HTTP port on 127.0.0.1 (default 9200)
#   HOSO_ES_HEAP     JVM heap (default 512m)
#   HOSO_CACHE       cache root (default ~/.cache/hoso)
#   HOSO_ES_RUN_DIR  config, data and logs of the running node (default /tmp/hoso-es-<port>)
#   HOSO_ES_USER     unprivileged user that runs the node when started as root (default hoso-es)
#   HOSO_ES_WAIT     seconds to wait for the node to become healthy (default 120)
#   ES_JAVA_OPTS, CLI_JAVA_OPTS  passed on to Elasticsearch
#
# stdout carries only the URL (start) or the status line; everything else goes to stderr.
# The integ-test-zip has no "GET /" (rest-root module): the client's info() fails with 405 and
# ping() is False; use cluster.health() and nodes.info(node_id="_local") instead.
set -euo pipefail

readonly ES9_DEFAULT=9.5.4   # newest integ-test-zip on Maven Central that was checked to run here
readonly ES8_DEFAULT=8.19.21 # fallback when no Java 21+ exists
readonly ARTIFACT=org.elasticsearch.distribution.integ-test-zip:elasticsearch
readonly MVN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

PORT=${HOSO_ES_PORT:-9200}
HEAP=${HOSO_ES_HEAP:-512m}
CACHE_DIR=${HOSO_CACHE:-${HOME:?set HOME or HOSO_CACHE}/.cache/hoso}/elasticsearch
RUN_DIR=${HOSO_ES_RUN_DIR:-/tmp/hoso-es-$PORT}
ES_USER=${HOSO_ES_USER:-hoso-es}
WAIT=${HOSO_ES_WAIT:-120}
URL="http://127.0.0.1:$PORT"
PID_FILE="$RUN_DIR/es.pid"
MARKER="$RUN_DIR/.hoso-es" # only a directory carrying this file is ever deleted

log() { printf 'elasticsearch.sh: %s\n' "$*" >&2; }
die() {
    log "$*"
    exit 1
}

if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    die "HOSO_ES_PORT must be a port number, not '$PORT'"
fi
[[ $HEAP =~ ^[0-9]+[kKmMgG]$ ]] || die "HOSO_ES_HEAP must look like 512m or 1g, not '$HEAP'"
[[ $WAIT =~ ^[0-9]+$ ]] || die "HOSO_ES_WAIT must be a number of seconds, not '$WAIT'"
[[ -z ${HOSO_ES_VERSION:-} || $HOSO_ES_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die "HOSO_ES_VERSION must look like 9.5.4, not '$HOSO_ES_VERSION'"

# --- HTTP ------------------------------------------------------------------------------------

# GET a path on the node; never through a proxy (CI machines may set http_proxy for registries).
http_get() { curl -fsS --noproxy '*' --connect-timeout 2 --max-time "${2:-5}" "$URL$1" 2>/dev/null; }

# Prints {"cluster_name":...,"nodes":{...:{"version":...}}} if an Elasticsearch answers on the port.
# Not "GET /": that endpoint lives in the rest-root module, which the integ-test-zip lacks (405).
es_node() {
    local out
    out=$(curl -fsS -i --noproxy '*' --connect-timeout 2 --max-time 5 \
        "$URL/_nodes/_local?filter_path=cluster_name,nodes.*.version" 2>/dev/null) || return 1
    grep -qi '^x-elastic-product: *Elasticsearch' <<<"$out" || return 1
    tail -n 1 <<<"$out"
}

json_field() { # json_field NAME  < compact JSON: the first string value of "NAME"
    sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

health() { http_get '/_cat/health?h=status' | tr -d '[:space:]'; }

# --- the process this script started ----------------------------------------------------------

# Prints the pid of the node started by this script when it is still alive.
our_pid() {
    local pid
    [[ -r $PID_FILE ]] || return 1
    pid=$(tr -dc '0-9' <"$PID_FILE")
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'org\.elasticsearch\.bootstrap\.Elasticsearch' || return 1
    printf '%s\n' "$pid"
}

remove_run_dir() {
    [[ -e $RUN_DIR ]] || return 0
    [[ -f $MARKER ]] || die "$RUN_DIR exists but was not made by this script; remove it or set HOSO_ES_RUN_DIR"
    rm -rf -- "$RUN_DIR"
}

# --- Java and version -------------------------------------------------------------------------

java_major() { # java_major JAVA_HOME: prints the feature version (17, 21, 25...) of that Java
    local line v
    [[ -x $1/bin/java ]] || return 1
    line=$("$1/bin/java" -version 2>&1 | grep -m1 ' version "') || return 1
    v=${line#* version \"}
    v=${v%%\"*}
    [[ $v == 1.* ]] && v=${v#1.}
    v=${v%%[!0-9]*}
    [[ -n $v ]] || return 1
    printf '%s\n' "$v"
}

java_candidates() { # one JAVA_HOME per line, best first
    if [[ -n ${ES_JAVA_HOME:-} ]]; then
        printf '%s\n' "$ES_JAVA_HOME"
        return
    fi
    [[ -n ${JAVA_HOME:-} ]] && printf '%s\n' "$JAVA_HOME"
    local j path_java
    path_java=$(command -v java || true)
    {
        for j in /usr/lib/jvm/*/; do
            if [[ -x ${j}bin/java && ! -L ${j%/} ]]; then printf '%s\n' "${j%/}"; fi
        done
        if [[ -n $path_java ]]; then dirname "$(dirname "$(readlink -f "$path_java")")"; fi
    } | while read -r j; do
        printf '%s %s\n' "$(java_major "$j" || echo 0)" "$j"
    done | sort -rn -k1,1 | cut -d' ' -f2-
}

find_java() { # find_java MIN_MAJOR: sets JAVA_SEL and JAVA_SEL_MAJOR
    local j m
    while read -r j; do
        m=$(java_major "$j") || continue
        if ((m >= $1)); then
            JAVA_SEL=$j
            JAVA_SEL_MAJOR=$m
            return 0
        fi
    done < <(java_candidates)
    return 1
}

choose() { # sets ES_VERSION, JAVA_SEL, JAVA_SEL_MAJOR
    if [[ -n ${HOSO_ES_VERSION:-} ]]; then
        ES_VERSION=$HOSO_ES_VERSION
        local need=17
        ((${ES_VERSION%%.*} >= 9)) && need=21
        find_java "$need" || die "Elasticsearch $ES_VERSION needs Java $need+; none found (set ES_JAVA_HOME)"
    elif find_java 21; then
        ES_VERSION=$ES9_DEFAULT
    elif find_java 17; then
        ES_VERSION=$ES8_DEFAULT
    else
        die "no Java 17+ found (ES_JAVA_HOME, JAVA_HOME, /usr/lib/jvm, PATH): install one (Java 21+ runs Elasticsearch 9)"
    fi
}

# --- distribution -----------------------------------------------------------------------------

ensure_dist() { # sets ES_HOME; downloads and unpacks once
    ES_HOME=$CACHE_DIR/$ES_VERSION
    [[ -x $ES_HOME/bin/elasticsearch ]] && return 0
    command -v mvn >/dev/null || die "mvn is needed to fetch Elasticsearch (apt-get install maven)"
    command -v unzip >/dev/null || die "unzip is needed (apt-get install unzip)"
    mkdir -p "$CACHE_DIR"
    local tmp
    tmp=$(mktemp -d "$CACHE_DIR/.fetch-$ES_VERSION.XXXXXX")
    log "fetching $ARTIFACT:$ES_VERSION:zip from Maven Central (once; kept in $ES_HOME)"
    # A private local repository: no lock to share with other Maven runs, nothing left behind.
    if ! mvn -B -q -Dmaven.repo.local="$tmp/m2" "$MVN_DEPENDENCY_PLUGIN:copy" \
        -Dartifact="$ARTIFACT:$ES_VERSION:zip" -DoutputDirectory="$tmp" >"$tmp/mvn.log" 2>&1; then
        sed 's/\x1b\[[0-9;]*m//g' "$tmp/mvn.log" | tail -n 30 >&2
        rm -rf -- "$tmp"
        die "mvn could not fetch $ARTIFACT:$ES_VERSION:zip"
    fi
    if ! unzip -q "$tmp/elasticsearch-$ES_VERSION.zip" -d "$tmp/x"; then
        rm -rf -- "$tmp"
        die "could not unpack elasticsearch-$ES_VERSION.zip"
    fi
    chmod -R a+rX,go-w "$tmp/x/elasticsearch-$ES_VERSION"
    # Atomic: a concurrent fetch of the same version either wins or finds the result in place.
    mv -T "$tmp/x/elasticsearch-$ES_VERSION" "$ES_HOME" 2>/dev/null || [[ -x $ES_HOME/bin/elasticsearch ]] ||
        die "could not move the distribution to $ES_HOME"
    rm -rf -- "$tmp"
}

ensure_user() {
    id -u "$ES_USER" >/dev/null 2>&1 && return 0
    log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
    if command -v useradd >/dev/null; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$ES_USER" || id -u "$ES_USER" >/dev/null 2>&1
    else
        adduser -S -D -H -s /sbin/nologin "$ES_USER"
    fi
}

# AS_ES: the prefix that runs a command as the node's user (ourselves, or $ES_USER when root).
AS_ES=()
if ((EUID == 0)); then
    if command -v runuser >/dev/null; then
        AS_ES=(runuser -u "$ES_USER" --)
    else
        # shellcheck disable=SC2016 # expanded by the inner shell
        AS_ES=(su -s /bin/sh "$ES_USER" -c '"$0" "$@"')
    fi
fi

has_module() { [[ -d $ES_HOME/modules/$1 ]]; }

prepare_run_dir() { # fresh config, data, logs and tmp; sets NODE_HOME
    remove_run_dir
    mkdir -p "$RUN_DIR"/{config,data,logs,tmp}
    : >"$MARKER"
    cp -R "$ES_HOME/config/." "$RUN_DIR/config/"
    {
        printf '%s\n' \
            "# written by scripts/elasticsearch.sh: a throw-away single node, never reachable from outside" \
            "cluster.name: hoso-es" \
            "node.name: hoso-es-$PORT" \
            "path.data: $RUN_DIR/data" \
            "path.logs: $RUN_DIR/logs" \
            "network.host: 127.0.0.1" \
            "http.port: $PORT" \
            "discovery.type: single-node" \
            "# absolute free-space watermarks: a big, fairly full disk does not block writes" \
            "cluster.routing.allocation.disk.watermark.low: 1gb" \
            "cluster.routing.allocation.disk.watermark.high: 512mb" \
            "cluster.routing.allocation.disk.watermark.flood_stage: 256mb"
        # Only settings the distribution knows: an unknown setting stops the node from starting.
        has_module x-pack-security && echo "xpack.security.enabled: false"
        has_module x-pack-ml && echo "xpack.ml.enabled: false"
        has_module ingest-geoip && echo "ingest.geoip.downloader.enabled: false"
        true
    } >"$RUN_DIR/config/elasticsearch.yml"
    mkdir -p "$RUN_DIR/config/jvm.options.d"
    # No pre-touched heap: a dev node then uses ~200 MB less RSS and starts a little faster.
    printf '%s\n' "-Xms$HEAP" "-Xmx$HEAP" "-XX:-AlwaysPreTouch" >"$RUN_DIR/config/jvm.options.d/hoso.options"
    NODE_HOME=$ES_HOME
    if ((EUID == 0)); then
        ensure_user
        # The cache usually sits under /root (mode 700): give the node a hard-linked (else copied) view.
        if ! "${AS_ES[@]}" test -r "$ES_HOME/lib/elasticsearch-$ES_VERSION.jar"; then
            NODE_HOME=$RUN_DIR/home
            cp -al "$ES_HOME" "$NODE_HOME" 2>/dev/null || cp -a "$ES_HOME" "$NODE_HOME"
        fi
        chown -R "$ES_USER:" "$RUN_DIR/config" "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
        chown "$ES_USER:" "$RUN_DIR"
    fi
}

print_failure() { # the logs without stack frames: the exception messages and "Caused by" stay
    local f
    log "Elasticsearch did not start; the end of its logs (kept in $RUN_DIR):"
    for f in "$RUN_DIR/console.log" "$RUN_DIR/logs/hoso-es.log"; do
        [[ -s $f ]] || continue
        printf '==> %s <==\n' "$f" >&2
        grep -v -E '^[[:space:]]+(at |\.\.\. [0-9]+ more)' "$f" | tail -n 25 >&2 || true
    done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

wait_healthy() { # wait_healthy DEADLINE (in $SECONDS)
    local h
    while ((SECONDS < $1)); do
        h=$(health || true)
        [[ $h == green || $h == yellow ]] && return 0
        [[ -e $PID_FILE ]] && ! our_pid >/dev/null && return 1 # the node died
        sleep 1
    done
    return 1
}

# --- commands ---------------------------------------------------------------------------------

cmd_version() {
    choose
    log "Elasticsearch $ES_VERSION with Java $JAVA_SEL_MAJOR ($JAVA_SEL)"
    printf '%s\n' "$ES_VERSION"
}

cmd_start() {
    local node pid deadline
    if node=$(es_node); then
        if pid=$(our_pid); then
            log "Elasticsearch $(json_field version <<<"$node") is already running at $URL (pid $pid)"
        else
            log "an Elasticsearch $(json_field version <<<"$node") already answers at $URL (not started by this script); using it"
        fi
        printf '%s\n' "$URL"
        return 0
    fi
    deadline=$((SECONDS + WAIT))
    if pid=$(our_pid); then
        log "Elasticsearch (pid $pid) is starting; waiting for it"
    else
        port_in_use && die "port $PORT on 127.0.0.1 is taken by something that is not Elasticsearch; set HOSO_ES_PORT"
        choose
        ensure_dist
        prepare_run_dir
        log "starting Elasticsearch $ES_VERSION (Java $JAVA_SEL_MAJOR) on $URL, data in $RUN_DIR"
        # -d: the launcher returns once the node is up (or failed); -p: the server's pid.
        # CLI_JAVA_OPTS: the short-lived launcher JVMs skip C2 (2-4 s faster on 2 CPUs).
        if ! (cd "$RUN_DIR" && timeout -k 10 "$WAIT" "${AS_ES[@]}" \
            env -u JAVA_HOME ES_JAVA_HOME="$JAVA_SEL" ES_PATH_CONF="$RUN_DIR/config" ES_TMPDIR="$RUN_DIR/tmp" \
            CLI_JAVA_OPTS="${CLI_JAVA_OPTS:--XX:TieredStopAtLevel=1}" \
            "$NODE_HOME/bin/elasticsearch" -d -p "$PID_FILE" </dev/null >"$RUN_DIR/console.log" 2>&1); then
            print_failure
            if pid=$(our_pid); then kill -KILL "$pid" 2>/dev/null || true; fi
            exit 1
        fi
    fi
    if ! wait_healthy "$deadline"; then
        print_failure
        if pid=$(our_pid); then kill -KILL "$pid" 2>/dev/null || true; fi
        exit 1
    fi
    log "Elasticsearch $(es_node | json_field version) is $(health) at $URL (pid $(our_pid || echo '?'))"
    printf '%s\n' "$URL"
}

cmd_stop() {
    local pid i
    if ! pid=$(our_pid); then
        if es_node >/dev/null; then
            log "the Elasticsearch at $URL was not started by this script (no live pid in $PID_FILE); leaving it alone"
        else
            log "no Elasticsearch started by this script is running on port $PORT"
        fi
        remove_run_dir
        return 0
    fi
    kill -TERM "$pid" || die "cannot stop pid $pid (started by another user?)"
    for ((i = 0; i < 60; i++)); do
        [[ -e /proc/$pid ]] || break
        sleep 1
    done
    if [[ -e /proc/$pid ]]; then
        log "pid $pid still alive after 60 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 1
    fi
    remove_run_dir
    log "stopped Elasticsearch (pid $pid) and removed $RUN_DIR"
}

cmd_status() {
    local node pid who
    if ! node=$(es_node); then
        if [[ -e $PID_FILE ]] && pid=$(our_pid); then
            log "Elasticsearch (pid $pid) is running but does not answer at $URL yet"
        else
            log "no Elasticsearch answers at $URL"
        fi
        exit 1
    fi
    if pid=$(our_pid); then who="pid $pid, data in $RUN_DIR"; else who="not started by this script"; fi
    printf 'Elasticsearch %s at %s: cluster %s, health %s (%s)\n' \
        "$(json_field version <<<"$node")" "$URL" "$(json_field cluster_name <<<"$node")" "$(health || echo unknown)" "$who"
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
version) cmd_version ;;
*)
    echo "usage: $0 start|stop|status|version" >&2
    exit 2
    ;;
esac
