#!/usr/bin/env bash
# Run a command (the test suite) with the services its tests need: a local Elasticsearch node and a
# local PostgreSQL cluster, unless they are given.
# HOSO_TEST_ELASTICSEARCH_URL / HOSO_TEST_POSTGRES_URL set: use that node / database. Otherwise start
# one with scripts/elasticsearch.sh / scripts/postgres.sh, export its URL to the command, and stop it
# afterwards (only if this script started it).
set -euo pipefail
cd "$(dirname "$0")/.."

started=()
stop_started() {
    local script
    for script in "${started[@]}"; do
        "$script" stop >&2 || true
    done
}
trap stop_started EXIT

# use SCRIPT VARIABLE: the service's URL in VARIABLE, from SCRIPT when not given
use() {
    local url
    [[ -n ${!2:-} ]] && return 0
    "$1" status >/dev/null 2>&1 || started+=("$1")
    url=$("$1" start)
    export "$2=$url"
}

use scripts/elasticsearch.sh HOSO_TEST_ELASTICSEARCH_URL
use scripts/postgres.sh HOSO_TEST_POSTGRES_URL
"$@"
