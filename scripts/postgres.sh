#!/usr/bin/env bash
# A real, throw-away PostgreSQL cluster for development, tests and CI.
#
#   scripts/postgres.sh start     start a cluster (or reuse the one answering), print its SQLAlchemy URL last on stdout
#   scripts/postgres.sh stop      stop the cluster this script started and delete its data
#   scripts/postgres.sh status    print version and database; exit 1 when no server answers
#
# The server is Debian's `postgresql` package (scripts/system-packages.txt): the newest
# /usr/lib/postgresql/<major>/bin. The cluster is made with initdb in a run directory, listens on
# 127.0.0.1 only, trusts every local connection (test use only: never expose it), and holds the
# database hoso_test owned by the superuser `postgres`. Durability is off (fsync, synchronous
# commit, full-page writes): the data is thrown away anyway, and tests run faster.
#
# Environment:
#   HOSO_PG_PORT     TCP port on 127.0.0.1 (default 54329, away from a system cluster's 5432)
#   HOSO_PG_BIN      directory of initdb, pg_ctl, postgres (default: the newest /usr/lib/postgresql/*/bin)
#   HOSO_PG_RUN_DIR  data, socket and log of the running cluster (default /tmp/hoso-pg-<port>)
#   HOSO_PG_USER     system user that runs the server when started as root (default postgres,
#                    made by the Debian package); PostgreSQL refuses to run as root
#   HOSO_PG_WAIT     seconds to wait for the server to accept connections (default 60)
#
# stdout carries only the URL (start) or the status line; everything else goes to stderr.
set -euo pipefail

readonly DATABASE=hoso_test
readonly SUPERUSER=postgres

PORT=${HOSO_PG_PORT:-54329}
RUN_DIR=${HOSO_PG_RUN_DIR:-/tmp/hoso-pg-$PORT}
PG_USER=${HOSO_PG_USER:-postgres}
WAIT=${HOSO_PG_WAIT:-60}
DATA_DIR="$RUN_DIR/data"
LOG_FILE="$RUN_DIR/postgres.log"
MARKER="$RUN_DIR/.hoso-pg" # only a directory carrying this file is ever deleted
URL="postgresql+psycopg://$SUPERUSER@127.0.0.1:$PORT/$DATABASE"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() {
    log "$*"
    exit 1
}

if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    die "HOSO_PG_PORT must be a port number, not '$PORT'"
fi
[[ $WAIT =~ ^[0-9]+$ ]] || die "HOSO_PG_WAIT must be a number of seconds, not '$WAIT'"

find_bin() { # sets PG_BIN
    if [[ -n ${HOSO_PG_BIN:-} ]]; then
        PG_BIN=$HOSO_PG_BIN
    else
        PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
    fi
    [[ -n $PG_BIN && -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] ||
        die "no PostgreSQL server found (HOSO_PG_BIN, /usr/lib/postgresql/*/bin): apt-get install postgresql"
}
find_bin

# AS_PG: the prefix that runs a command as the server's user (ourselves, or $PG_USER when root).
AS_PG=()
if ((EUID == 0)); then
    if command -v runuser >/dev/null; then
        AS_PG=(runuser -u "$PG_USER" --)
    else
        # shellcheck disable=SC2016 # expanded by the inner shell
        AS_PG=(su -s /bin/sh "$PG_USER" -c '"$0" "$@"')
    fi
fi

# --- the server ------------------------------------------------------------------------------

# psql as the superuser over TCP (trust); prints the unaligned, tuples-only result.
sql() { # sql DATABASE QUERY
    PGCONNECT_TIMEOUT=2 "$PG_BIN/psql" -X -q -t -A -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d "$1" -c "$2" 2>/dev/null
}

answers() { PGCONNECT_TIMEOUT=2 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; }

server_version() { sql postgres 'SHOW server_version' | head -n 1; }

# Prints the pid of the postmaster this script started when it is still alive.
our_pid() {
    local pid
    [[ -r $DATA_DIR/postmaster.pid ]] || return 1
    pid=$(head -n 1 "$DATA_DIR/postmaster.pid" | tr -dc '0-9')
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "-D $DATA_DIR" || return 1
    printf '%s\n' "$pid"
}

remove_run_dir() {
    [[ -e $RUN_DIR ]] || return 0
    [[ -f $MARKER ]] || die "$RUN_DIR exists but was not made by this script; remove it or set HOSO_PG_RUN_DIR"
    rm -rf -- "$RUN_DIR"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

prepare_cluster() { # a fresh run directory with a new cluster in it
    remove_run_dir
    mkdir -p "$RUN_DIR"
    : >"$MARKER"
    if ((EUID == 0)); then
        id -u "$PG_USER" >/dev/null 2>&1 || die "no user $PG_USER to run PostgreSQL as (it refuses root): set HOSO_PG_USER"
        chown "$PG_USER:" "$RUN_DIR"
    fi
    # UTF-8 with the C collation: Vietnamese text is kept as written and ordered by code point, as in SQLite
    if ! (cd "$RUN_DIR" && "${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA_DIR" -U "$SUPERUSER" --auth=trust \
        --encoding=UTF8 --no-locale --no-sync >"$RUN_DIR/initdb.log" 2>&1); then
        tail -n 20 "$RUN_DIR/initdb.log" >&2
        die "initdb failed (log in $RUN_DIR/initdb.log)"
    fi
    printf '%s\n' \
        "# written by scripts/postgres.sh: a throw-away cluster, never reachable from outside" \
        "listen_addresses = '127.0.0.1'" \
        "port = $PORT" \
        "unix_socket_directories = '$RUN_DIR'" \
        "fsync = off" \
        "synchronous_commit = off" \
        "full_page_writes = off" \
        "max_connections = 200" \
        "shared_buffers = 64MB" \
        "timezone = 'UTC'" >>"$DATA_DIR/postgresql.conf"
}

print_failure() {
    log "PostgreSQL did not start; the end of its log (kept in $RUN_DIR):"
    [[ -s $LOG_FILE ]] && tail -n 25 "$LOG_FILE" >&2
    return 0
}

has_database() { [[ $(sql postgres "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") == 1 ]]; }

ensure_database() {
    has_database && return 0
    sql postgres "CREATE DATABASE $DATABASE" >/dev/null || die "could not create the database $DATABASE"
}

# --- commands ---------------------------------------------------------------------------------

cmd_start() {
    local pid deadline
    if answers; then
        if pid=$(our_pid); then
            log "PostgreSQL $(server_version) is already running at 127.0.0.1:$PORT (pid $pid)"
        else
            log "a PostgreSQL already answers at 127.0.0.1:$PORT (not started by this script); using it"
        fi
        ensure_database
        printf '%s\n' "$URL"
        return 0
    fi
    if pid=$(our_pid); then
        log "PostgreSQL (pid $pid) is starting; waiting for it"
    else
        port_in_use && die "port $PORT on 127.0.0.1 is taken by something that is not PostgreSQL; set HOSO_PG_PORT"
        prepare_cluster
        log "starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PORT, data in $RUN_DIR"
        # -w: pg_ctl returns once the server accepts connections, or has failed
        if ! (cd "$RUN_DIR" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t "$WAIT" start \
            </dev/null >"$RUN_DIR/pg_ctl.log" 2>&1); then
            print_failure
            exit 1
        fi
    fi
    deadline=$((SECONDS + WAIT))
    until answers; do
        if ((SECONDS >= deadline)) || ! our_pid >/dev/null; then
            print_failure
            exit 1
        fi
        sleep 0.2
    done
    ensure_database
    log "PostgreSQL $(server_version) is running at 127.0.0.1:$PORT (pid $(our_pid || echo '?')), database $DATABASE"
    printf '%s\n' "$URL"
}

cmd_stop() {
    local pid i
    if ! pid=$(our_pid); then
        if answers; then
            log "the PostgreSQL at 127.0.0.1:$PORT was not started by this script; leaving it alone"
        else
            log "no PostgreSQL started by this script is running on port $PORT"
        fi
        remove_run_dir
        return 0
    fi
    kill -INT "$pid" || die "cannot stop pid $pid (started by another user?)" # SIGINT: fast shutdown
    for ((i = 0; i < 300; i++)); do
        [[ -e /proc/$pid ]] || break
        sleep 0.2
    done
    if [[ -e /proc/$pid ]]; then
        log "pid $pid still alive after 60 s; killing it"
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 1
    fi
    remove_run_dir
    log "stopped PostgreSQL (pid $pid) and removed $RUN_DIR"
}

cmd_status() {
    local pid who database
    if ! answers; then
        log "no PostgreSQL answers at 127.0.0.1:$PORT"
        exit 1
    fi
    if pid=$(our_pid); then who="pid $pid, data in $RUN_DIR"; else who="not started by this script"; fi
    if has_database; then database=$DATABASE; else database="no $DATABASE"; fi
    printf 'PostgreSQL %s at 127.0.0.1:%s: %s (%s)\n' "$(server_version || echo '?')" "$PORT" "$database" "$who"
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
