#!/usr/bin/env bash
# bench/publish.sh - time from a publish request returning to the article
# being on the front page, through the page cache.
#
#   bench/publish.sh                       N=50 (publishes), BENCH_DB=... (optional)
#
# A server runs with the page cache on (the default) over a copy of the demo
# paper, or of $BENCH_DB when given (a bench-data database); its front page
# and a section page are loaded and cached first.  Then, N times: a draft is
# made through the JSON API, published, and at once the front page and the
# section page are asked for; the script counts how often the new headline
# is there at that very next request, and how long the publish request and
# any wait took.  Loopback only; the server is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
command -v curl >/dev/null || { echo "publish.sh: curl not found" >&2; exit 1; }
make -s all
tmp=$(mktemp -d /tmp/sinmun-publish.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/paper.db
if [ -n "${BENCH_DB:-}" ]; then
	sqlite3 "$BENCH_DB" ".backup '$db'"
else
	build/sinmun init --demo --db "$db" 2>/dev/null
fi
printf 'publish-bench-password\n' | build/sinmun user add --db "$db" --email bench-desk@example.kr \
	--name 측정데스크 --role editor >/dev/null
token=$(build/sinmun token create --db "$db" --email bench-desk@example.kr --name publish-bench)
section=$(sqlite3 "$db" "SELECT slug FROM section ORDER BY position, id LIMIT 1")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '[server]\naccess_log = off\n[log]\nlevel = warn\n' > "$tmp/s.ini"
build/sinmun serve --config "$tmp/s.ini" --db "$db" --listen "127.0.0.1:$port" &
pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done
auth="Authorization: Bearer $token"

now_ms() { date +%s%3N; }
# Whether page $1 has the text $2.  The page is read whole first: with
# pipefail, 'curl | grep -q' fails whenever grep stops reading early.
has() { curl -fs -o "$tmp/page" "$base$1" && grep -qF "$2" "$tmp/page"; }
visible_next=0 section_next=0 waited_max=0
pub_times=()
for i in $(seq "$N"); do
	# Both pages cached before each publish, so the next request is a
	# cache lookup unless the publish moved the cache on.
	curl -fs -o /dev/null "$base/"; curl -fs -o /dev/null "$base/sections/$section"
	curl -fs -o /dev/null "$base/"; curl -fs -o /dev/null "$base/sections/$section"
	head="발행 측정 기사 $i-$$"
	id=$(curl -fs -X POST "$base/api/v1/articles" -H "$auth" -H 'Content-Type: application/json' \
		-d "{\"headline\":\"$head\",\"section\":\"$section\",\"body\":\"<p>측정용 본문 $i.</p>\"}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
	t=$(curl -fs -o /dev/null -w '%{time_total}' -X POST "$base/api/v1/articles/$id/publish" -H "$auth")
	pub_times+=("$t")
	if has / "$head"; then
		visible_next=$((visible_next + 1))
	else
		start=$(now_ms)
		until has / "$head"; do
			sleep 0.01
			[ $(( $(now_ms) - start )) -gt 5000 ] && break
		done
		w=$(( $(now_ms) - start ))
		[ "$w" -gt "$waited_max" ] && waited_max=$w
	fi
	if has "/sections/$section" "$head"; then section_next=$((section_next + 1)); fi
done
med=$(printf '%s\n' "${pub_times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}')
max=$(printf '%s\n' "${pub_times[@]}" | sort -n | tail -1 | awk '{printf "%.1f", $1*1000}')
echo "database: ${BENCH_DB:-demo paper}; $N publishes through POST /api/v1/articles/{id}/publish"
echo "publish request: median $med ms, max $max ms"
echo "on the front page at the very next request:   $visible_next / $N (longest wait otherwise: $waited_max ms)"
echo "in its section at the very next request:      $section_next / $N"
