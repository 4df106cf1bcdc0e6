#!/usr/bin/env bash
# bench/http.sh - sinmun serving a demo article page against nginx serving
# the same bytes as a static file, in the same run, on loopback.
#
#   bench/http.sh                 (builds build/sinmun first if needed)
#
# Knobs: DURATION=10 (seconds per wrk run), CONNS="64" (wrk -c values; the
# page-cache issue adds 256), THREADS=2 (sinmun worker threads; nginx runs
# worker_processes auto), ARTICLE=1001, SINMUN=build/NAME/sinmun (default
# build/sinmun).
# Prints requests/s and p99 for each, then 'ratio sinmun/nginx: X.XX'.
# Both servers log nothing per request, so neither pays for a log write.
# Only processes started here are stopped, by PID; everything is loopback.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ARTICLE=${ARTICLE:-1001}

for tool in wrk nginx curl cmp; do
	command -v "$tool" >/dev/null || { echo "http.sh: $tool not found (scripts/deps.sh --test)" >&2; exit 1; }
done
SINMUN=${SINMUN:-build/sinmun}
[ -x "$SINMUN" ] || make -s all

tmp=$(mktemp -d /tmp/sinmun-bench.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_up() {
	for _ in $(seq 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
	echo "http.sh: $1 did not come up" >&2; exit 1
}

sport=$(free_port)
"$SINMUN" init --db "$tmp/demo.db" --demo 2>/dev/null
cat > "$tmp/sinmun.ini" <<INI
[server]
access_log = off
[log]
level = warn
INI
"$SINMUN" serve --config "$tmp/sinmun.ini" --db "$tmp/demo.db" --listen "127.0.0.1:$sport" \
	--threads "$THREADS" &
pids+=($!)
wait_up "http://127.0.0.1:$sport/healthz"

# The same bytes for nginx.
mkdir -p "$tmp/www/articles"
curl -fs -o "$tmp/www/articles/$ARTICLE" "http://127.0.0.1:$sport/articles/$ARTICLE"
chmod -R a+rX "$tmp/www"
nport=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
daemon off;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	keepalive_timeout 65;
	types { }
	default_type "text/html; charset=utf-8";
	server {
		listen 127.0.0.1:$nport;
		root $tmp/www;
	}
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp" &
pids+=($!)
wait_up "http://127.0.0.1:$nport/articles/$ARTICLE"

curl -fs "http://127.0.0.1:$nport/articles/$ARTICLE" -o "$tmp/n.html"
curl -fs "http://127.0.0.1:$sport/articles/$ARTICLE" -o "$tmp/s.html"
cmp -s "$tmp/n.html" "$tmp/s.html" || { echo "http.sh: the two servers answer different bytes" >&2; exit 1; }
echo "page: /articles/$ARTICLE, $(wc -c < "$tmp/s.html") bytes; $(nproc) cores; sinmun threads $THREADS; nginx workers auto"

# wrk's summary: requests/s, and the 99% latency converted to ms.
measure() {
	local out rps p99
	out=$(wrk -t2 -c"$2" -d"${DURATION}s" --latency "$1")
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
	echo "$rps $p99"
}

for c in $CONNS; do
	read -r n_rps n_p99 < <(measure "http://127.0.0.1:$nport/articles/$ARTICLE" "$c")
	read -r s_rps s_p99 < <(measure "http://127.0.0.1:$sport/articles/$ARTICLE" "$c")
	printf 'c=%-4s nginx:  %10.0f req/s  p99 %7.2f ms\n' "$c" "$n_rps" "$n_p99"
	printf 'c=%-4s sinmun: %10.0f req/s  p99 %7.2f ms\n' "$c" "$s_rps" "$s_p99"
	printf 'ratio sinmun/nginx: %.2f\n' "$(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN {print a / b}')"
done
