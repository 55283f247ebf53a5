#!/usr/bin/env bash
# Run a command (the test suite) with a local Elasticsearch node, unless one is given.
# HOSO_TEST_ELASTICSEARCH_URL set: use that node. Otherwise start one with scripts/elasticsearch.sh,
# export its URL to the command, and stop it afterwards (only if this script started it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z ${HOSO_TEST_ELASTICSEARCH_URL:-} ]]; then
    if ! scripts/elasticsearch.sh status >/dev/null 2>&1; then
        trap 'scripts/elasticsearch.sh stop >&2 || true' EXIT
    fi
    HOSO_TEST_ELASTICSEARCH_URL=$(scripts/elasticsearch.sh start)
    export HOSO_TEST_ELASTICSEARCH_URL
fi
"$@"
