#!/usr/bin/env bash
# bench/scale.sh - sinmun at a million articles: how long bench-data takes
# to write them, how big the database is, then the p99 of each kind of page
# (front, deep section pages, random articles, reporter pages, search) with
# the page cache as configured by default and with it off (every request
# rendered: the p99 of cold misses), and the server's RSS after each.
#
#   bench/scale.sh            ARTICLES=1000000 COUNT=10000 DURATION=15 CONNS=8
#
# SCALE_DB=/tmp/x.db reuses a database made before (default
# /tmp/sinmun-scale-ARTICLES.db, made here when missing: about five minutes
# at a million).  SINMUN=build/h6/sinmun picks the binary (default
# build/sinmun, made by 'make all').  KINDS="first front section article
# reporter search filtered" picks the pages (first: one at a time, FIRST_DELAY
# seconds after the server started, the first deep page of every section and
# reporter just before and just after the middle, where a page starts from
# the list's marks if they are set and walks half of it if not; filtered:
# searches within a section, by a reporter, in a month or a year);
# CACHES="default 0" the cache settings.  Every
# kind is asked COUNT times (bench/scale.lua stops wrk there) within at most
# DURATION seconds; loopback only; the server started here is stopped by PID.
# WRITES=5 commits that many times a second during each load, to a row no
# public page reads (a newsroom session's last-seen time, as a logged-in
# reporter's requests write it): what the pages cost while the newsroom works.
# RENDER_THREADS=N sets the server's render threads (default: the server's).
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${ARTICLES:-1000000}
COUNT=${COUNT:-10000}
DURATION=${DURATION:-15}
CONNS=${CONNS:-8}
THREADS=${THREADS:-2}
WRK_THREADS=${WRK_THREADS:-2}
KINDS=${KINDS:-"first front section article reporter search filtered"}
FIRST_DELAY=${FIRST_DELAY:-2}
CACHES=${CACHES:-"default 0"}
WRITES=${WRITES:-0}
RENDER_THREADS=${RENDER_THREADS:-}
DB=${SCALE_DB:-/tmp/sinmun-scale-$ARTICLES.db}
SINMUN=${SINMUN:-build/sinmun}
for tool in wrk curl sqlite3 python3; do
	command -v "$tool" >/dev/null || { echo "scale.sh: $tool not found (scripts/deps.sh --test)" >&2; exit 1; }
done
[ "$SINMUN" != build/sinmun ] || make -s all

if [ ! -f "$DB" ]; then
	t0=$(date +%s.%N)
	"$SINMUN" bench-data --db "$DB" --articles "$ARTICLES" >/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v n="$ARTICLES" \
		'BEGIN {printf "bench-data: %d articles in %.1f s (%.0f/s)\n", n, b - a, n / (b - a)}'
fi

tmp=$(mktemp -d /tmp/sinmun-scale.XXXXXX)
pid=
wpid=
cleanup() {
	for p in $wpid $pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

# Let the server apply pending migrations (a newer binary on an older
# database) before anything is read with the sqlite3 CLI.
"$SINMUN" init --db "$DB" >/dev/null

q() { sqlite3 -readonly "$DB" "$1"; }
n=$(q "SELECT count(*) FROM article WHERE status = 'published'")
min=$(q "SELECT min(id) FROM article")
max=$(q "SELECT max(id) FROM article")
bytes=$(stat -c %s "$DB")
printf 'database: %s, %d published articles (ids %d..%d), %.0f MiB\n' "$DB" "$n" "$min" "$max" \
	"$(awk -v b="$bytes" 'BEGIN {print b / 1048576}')"
# The sections, each with its number of pages; deep pages are asked from
# the middle to the end of the smallest section's range.
slugs=$(q "SELECT group_concat(slug, ',') FROM section")
# (From the counters the triggers of 007 and 010 keep: counting the lists
# themselves read the whole article table, ~18 s at a million.)
spages=$(q "SELECT min((n + 19) / 20) FROM article_count WHERE status = 'published' AND n > 0")
rids=$(q "SELECT group_concat(id, ',') FROM (SELECT DISTINCT person_id AS id FROM article_byline
	ORDER BY person_id)")
rpages=$(q "SELECT min((n + 19) / 20) FROM link_count WHERE list = 'person' AND status = 'published' AND n > 0")
# Typical reader queries: a place, a topic, two words, a word with a number.
queries='%ED%98%81%EC%8B%A0|%EB%8F%84%EC%8B%9C%EC%9E%AC%EC%83%9D|%EC%B2%AD%EB%85%84%20%EC%B0%BD%EC%97%85|%EC%B6%98%EC%B2%9C|%EA%B2%BD%EC%A0%9C%2010%EB%85%84|%EC%A0%84%EC%A3%BC%20%EC%B6%95%EC%A0%9C'
# The same words within a section, by a reporter, in a month and in a year
# of the middle of the archive, and two filters at once.
sec1=${slugs%%,*}; rest=${slugs#*,}; sec2=${rest%%,*}
rid1=${rids%%,*}; rest=${rids#*,}; rid2=${rest%%,*}
month=$(q "SELECT strftime('%Y-%m', (min(published_at) + max(published_at)) / 2, 'unixepoch') FROM article")
year=${month%%-*}
fqueries="%ED%98%81%EC%8B%A0&section=$sec1|%EA%B2%BD%EC%A0%9C%2010%EB%85%84&section=$sec2|%EC%B2%AD%EB%85%84%20%EC%B0%BD%EC%97%85&reporter=$rid1|%EC%B6%98%EC%B2%9C&reporter=$rid2|%EB%8F%84%EC%8B%9C%EC%9E%AC%EC%83%9D&from=$month-01&to=$month-28|%EC%A0%84%EC%A3%BC%20%EC%B6%95%EC%A0%9C&from=$year-01-01&to=$year-12-31|%EA%B2%BD%EC%A0%9C%2010%EB%85%84&reporter=$rid1&from=$year-01-01"
echo "sections: $slugs ($spages pages in the smallest); reporters: $(tr ',' '\n' <<<"$rids" | wc -l) ($rpages pages in the smallest)"
echo "$(nproc) cores; $THREADS event-loop threads; ${RENDER_THREADS:-default} render threads; wrk -t$WRK_THREADS -c$CONNS, $COUNT requests a kind (at most ${DURATION}s); $WRITES newsroom commits a second; $(uptime | sed 's/.*load/load/')"

# How much of the database file the kernel holds in its page cache: a deep
# page's rows are spread over the whole file, so the tail of the deep pages
# depends on it (util-linux's fincore; skipped where it is missing).
resident() {
	command -v fincore >/dev/null || return 0
	fincore --bytes --noheadings --output RES,SIZE "$DB" 2>/dev/null |
		awk -v when="$1" '{printf "  database file in the kernel page cache %s: %.0f of %.0f MiB\n", when, $1 / 1048576, $2 / 1048576}'
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# The newsroom's writes (WRITES a second) until stopped by its PID; the
# number of commits goes to $tmp/writes.
writer() {
	python3 - "$DB" "$WRITES" "$tmp/writes" <<'PY' &
import os, signal, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
every, out = 1 / float(sys.argv[2]), sys.argv[3]
tok = "bench-scale-writer-%d" % os.getpid()
now = int(time.time())
db.execute("INSERT INTO session (token_hash, person_id, csrf, created_at, last_seen, expires_at) "
           "VALUES (?, (SELECT min(id) FROM person), '-', ?, ?, ?)", (tok, now, now, now + 3600))
n = 0
def stop(*_):
    db.execute("DELETE FROM session WHERE token_hash = ?", (tok,))
    open(out, "w").write("%d\n" % n)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(every)
    db.execute("UPDATE session SET last_seen = ? WHERE token_hash = ?", (int(time.time()), tok))
    n += 1
PY
	wpid=$!
}

# $1 = kind; prints the requests answered, p50, p99 and any non-2xx count.
# (No rate: wrk runs its whole -d even when the script stops it early.)
# The first deep page of each list, one at a time: count, sum, median, max.
first() {
	local slug n p r
	sleep "$FIRST_DELAY"
	: > "$tmp/first"
	while read -r slug n; do
		for p in $(( (n + 19) / 40 - 1 )) $(( (n + 19) / 40 + 2 )); do
			curl -fs -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/sections/$slug?page=$p" >> "$tmp/first"
		done
	done < <(q "SELECT s.slug || ' ' || c.n FROM section s JOIN article_count c ON c.section_id = s.id
		AND c.status = 'published' WHERE c.n > 64")
	while read -r r n; do
		for p in $(( (n + 19) / 40 - 1 )) $(( (n + 19) / 40 + 2 )); do
			curl -fs -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/reporters/$r?page=$p" >> "$tmp/first"
		done
	done < <(q "SELECT key || ' ' || n FROM link_count WHERE list = 'person' AND status = 'published' AND n > 64")
	sort -n "$tmp/first" | awk '{t[NR] = $1 * 1000; s += $1 * 1000}
		END {printf "  first     %6d pages, one at a time: sum %.0f ms, median %.2f ms, max %.2f ms\n",
			NR, s, t[int(NR / 2) + 1], t[NR]}'
}

load() {
	local kind=$1 extra=()
	[ "$kind" != first ] || { first; return; }
	case $kind in
	section) extra=(SLUGS="$slugs" PAGE_MIN=$(( spages / 2 )) PAGE_MAX="$spages") ;;
	article) extra=(MIN_ID="$min" MAX_ID="$max") ;;
	reporter) extra=(IDS="$rids" PAGE_MIN=1 PAGE_MAX="$rpages") ;;
	search) extra=(QUERIES="$queries") ;;
	filtered) extra=(QUERIES="$fqueries") ;;
	esac
	[ "$WRITES" = 0 ] || writer
	env KIND="${kind/filtered/search}" COUNT="$COUNT" WRK_THREADS="$WRK_THREADS" "${extra[@]}" \
		wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency -s bench/scale.lua \
		"http://127.0.0.1:$port" > "$tmp/wrk.out"
	if [ -n "$wpid" ]; then
		kill "$wpid"; wait "$wpid" 2>/dev/null || true; wpid=
		echo "writes $(cat "$tmp/writes" 2>/dev/null || echo '?')" >> "$tmp/wrk.out"
	fi
	awk -v kind="$kind" '
		/requests in/ {n=$1}
		$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; p99=v}
		$1 == "50%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; p50=v}
		/Non-2xx/ {bad=$NF}
		/^writes / {w="  (" $2 " commits meanwhile)"}
		END {printf "  %-9s %6d requests  p50 %7.2f ms  p99 %7.2f ms%s%s\n", kind, n, p50, p99, bad ? "  NON-2XX " bad : "", w}' "$tmp/wrk.out"
}

for cache in $CACHES; do
	printf '[server]\naccess_log = off\n%s[log]\nlevel = warn\n' \
	    "${RENDER_THREADS:+render_threads = $RENDER_THREADS
}" > "$tmp/s.ini"
	[ "$cache" = default ] || printf '[cache]\nbytes = %s\n' "$cache" >> "$tmp/s.ini"
	"$SINMUN" serve --config "$tmp/s.ini" --db "$DB" --listen "127.0.0.1:$port" --threads "$THREADS" &
	pid=$!
	for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
	echo "page cache: $cache (server pid $pid, RSS at start $(awk '/^VmRSS/ {print $2 / 1024 " MiB"}' /proc/$pid/status))"
	resident "before the loads"
	for kind in $KINDS; do
		load "$kind"
	done
	awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "  RSS after the loads: %.1f MiB (peak %.1f MiB)\n", r / 1024, h / 1024}' /proc/$pid/status
	resident "after the loads"
	kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
