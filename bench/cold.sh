#!/usr/bin/env bash
# bench/cold.sh - pages rendered per second with the page cache off, over
# random article ids of a bench-data database, beside the cached rate of
# the same requests in the same run.
#
#   bench/cold.sh                 ARTICLES=100000 DURATION=10 CONNS=64 THREADS=2
#                                 SINMUN=build/NAME/sinmun (default build/sinmun, made first)
#                                 RENDER_THREADS=N (default: the server's)
#
# The database is made once in $BENCH_DB (default /tmp/sinmun-bench-ARTICLES.db)
# and reused.  wrk picks a random id for every request (bench/random-article.lua).
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${ARTICLES:-100000}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
RENDER_THREADS=${RENDER_THREADS:-}
DB=${BENCH_DB:-/tmp/sinmun-bench-$ARTICLES.db}
SINMUN=${SINMUN:-build/sinmun}
command -v wrk >/dev/null || { echo "cold.sh: wrk not found (scripts/deps.sh --test)" >&2; exit 1; }
[ "$SINMUN" != build/sinmun ] || make -s all
[ -f "$DB" ] || "$SINMUN" bench-data --db "$DB" --articles "$ARTICLES"
tmp=$(mktemp -d /tmp/sinmun-cold.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
max=$(sqlite3 "$DB" "SELECT max(id) FROM article")
min=$(sqlite3 "$DB" "SELECT min(id) FROM article")

run() {   # $1 = cache bytes
	printf '[server]\naccess_log = off\n%s[cache]\nbytes = %s\n[log]\nlevel = warn\n' \
	    "${RENDER_THREADS:+render_threads = $RENDER_THREADS
}" "$1" > "$tmp/s.ini"
	"$SINMUN" serve --config "$tmp/s.ini" --db "$DB" --listen "127.0.0.1:$port" --threads "$THREADS" &
	pid=$!
	for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
	MIN_ID=$min MAX_ID=$max wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s bench/random-article.lua \
		"http://127.0.0.1:$port" > "$tmp/wrk.out"
	kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
	awk '/^Requests\/sec:/ {rps=$2} $1 == "99%" {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%10.0f pages/s  p99 %s%s\n", rps, p99, bad ? "  non-2xx " bad : ""}' "$tmp/wrk.out"
}

echo "database: $DB ($ARTICLES articles, ids $min..$max); $(nproc) cores; $THREADS server threads; wrk -c$CONNS -d${DURATION}s"
printf 'cache off (every page rendered): '; run 0
printf 'cache on  (same random ids):     '; run 268435456
