#!/usr/bin/env bash
# bench/search.sh - Korean search at scale, against SQLite's own options.
#
#   bench/search.sh              (ARTICLES=100000 REPEATS=20 by default)
#
# 1. bench-data writes ARTICLES articles straight into a database (rate).
# 2. bench-data --jsonl writes the same articles as JSON lines, and
#    'sinmun import jsonl' loads them into a second database (the bulk-load
#    rate through the importer: parse, sanitize, index, batched commits).
# 3. build/bench-search times the same queries through sinmun's index,
#    an FTS5 trigram index and a LIKE '%...%' scan of the same text in a
#    plain table, and prints recall (against plain substring matching over
#    normalized text), p50 and p99 of a results page, and index sizes.
# Files go to a temporary directory, removed at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${ARTICLES:-100000}
REPEATS=${REPEATS:-20}
make -s all build/bench-search
tmp=$(mktemp -d /tmp/sinmun-search.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] && echo "kept $tmp" || rm -rf "$tmp"' EXIT

echo "== bench-data: $ARTICLES articles into a database"
build/sinmun bench-data --db "$tmp/bench.db" --articles "$ARTICLES"
echo "== bench-data --jsonl, then import jsonl"
build/sinmun bench-data --jsonl "$tmp/bench.jsonl" --articles "$ARTICLES" >/dev/null
build/sinmun import jsonl --db "$tmp/import.db" "$tmp/bench.jsonl" | sed -E 's/; new (sections|reporters):.*//'
echo "== queries (count + first page of 20), $REPEATS repeats each"
build/bench-search "$tmp/bench.db" "$REPEATS"
