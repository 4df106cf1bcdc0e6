#!/usr/bin/env bash
# bench/http.sh - sinmun serving a demo article page against nginx serving
# the same bytes as a static file, in the same run, on loopback.
#
#   bench/http.sh                 (builds build/sinmun first if needed)
#
# Knobs: DURATION=10 (seconds per wrk run), CONNS="64" (wrk -c values; the
# page-cache issue adds 256), ROUNDS=3 (interleaved rounds; medians are
# reported), THREADS=2 (sinmun event-loop threads; nginx runs
# worker_processes auto), ARTICLE=1001, SINMUN=build/NAME/sinmun (default
# build/sinmun).
#
# Each round runs wrk against nginx and then sinmun twice:
#   saturated  every connection sends its next request as soon as the
#              answer is in: requests/s, and the latency of a client that
#              shares the two cores with the server it saturates;
#   paced      every connection waits CONNS/64 ms after each answer (at
#              most 64,000 requests/s offered, the same to both servers):
#              the latency of each server under the same load.
# Each line also gives the CPU time the server's processes and wrk spent
# per request (from /proc and bash's time).  The last lines per CONNS:
# medians, 'ratio sinmun/nginx: X.XX' (saturated requests/s) and the p99
# ratios.  Both servers log nothing per request, so neither pays for a
# log write.  Only processes started here are stopped, by PID; everything
# is loopback.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
ARTICLE=${ARTICLE:-1001}

for tool in wrk nginx curl cmp pgrep getconf; do
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

# One wrk run through bench/latency.lua (PACE_MS as given), and the CPU time
# the server's processes and wrk spent on it, in microseconds a request.
# Prints: rps p50 p90 p99 server_us wrk_us.
cpu_ticks() {
	local t=0 pid
	for pid in "$@"; do
		[ -r "/proc/$pid/stat" ] || continue
		# utime and stime: fields 14 and 15, after the ")" that ends the name.
		t=$((t + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
	done
	echo "$t"
}
measure() {  # URL CONNS PACE_MS PID...
	local url=$1 c=$2 pace=$3 out before after wrk_cpu
	shift 3
	before=$(cpu_ticks "$@")
	out=$( { TIMEFORMAT='%U %S'; time PACE_MS=$pace wrk -t2 -c"$c" -d"${DURATION}s" -s bench/latency.lua "$url"; } 2>&1 )
	after=$(cpu_ticks "$@")
	wrk_cpu=$(tail -1 <<<"$out")
	awk -v line="$(grep '^rps=' <<<"$out")" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" \
	    -v w="$wrk_cpu" -v d="$DURATION" 'BEGIN {
		n = split(line, kv, /[ =]/)
		for (i = 1; i < n; i += 2) v[kv[i]] = kv[i + 1]
		split(w, wc, " ")
		reqs = v["rps"] * d
		printf "%s %s %s %s %.1f %.1f\n", v["rps"], v["p50"], v["p90"], v["p99"],
		    reqs ? ticks / hz * 1e6 / reqs : 0, reqs ? (wc[1] + wc[2]) * 1e6 / reqs : 0
	}'
}
median() { tr ' ' '\n' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

npids=$(pgrep -P "$(cat "$tmp/nginx.pid")" | tr '\n' ' ')
spid=${pids[0]}
for c in $CONNS; do
	# Paced: every connection waits c/64 ms between requests, so at most
	# 64,000 requests/s are offered at either connection count, under what
	# either server answers when saturated on these machines.
	pace=$(( (c + 63) / 64 ))
	declare -A med=()
	for r in $(seq "$ROUNDS"); do
		for mode in saturated paced; do
			[ "$mode" = saturated ] && p=0 || p=$pace
			read -r n_rps n_p50 n_p90 n_p99 n_us n_wus < <(measure "http://127.0.0.1:$nport/articles/$ARTICLE" "$c" "$p" $npids)
			read -r s_rps s_p50 s_p90 s_p99 s_us s_wus < <(measure "http://127.0.0.1:$sport/articles/$ARTICLE" "$c" "$p" "$spid")
			printf 'c=%-3s round %d %-9s nginx %7.0f req/s p50 %5.2f p90 %5.2f p99 %6.2f ms cpu %4.1f us/req (wrk %4.1f) | sinmun %7.0f req/s p50 %5.2f p90 %5.2f p99 %6.2f ms cpu %4.1f us/req (wrk %4.1f)\n' \
			    "$c" "$r" "$mode" "$n_rps" "$n_p50" "$n_p90" "$n_p99" "$n_us" "$n_wus" "$s_rps" "$s_p50" "$s_p90" "$s_p99" "$s_us" "$s_wus"
			med[$mode.n_rps]+="$n_rps "; med[$mode.s_rps]+="$s_rps "
			med[$mode.n_p99]+="$n_p99 "; med[$mode.s_p99]+="$s_p99 "
		done
	done
	for k in "${!med[@]}"; do med[$k]=$(median <<<"${med[$k]% }"); done
	printf 'c=%-3s median of %d rounds, saturated: nginx %.0f req/s p99 %.2f ms | sinmun %.0f req/s p99 %.2f ms\n' \
	    "$c" "$ROUNDS" "${med[saturated.n_rps]}" "${med[saturated.n_p99]}" "${med[saturated.s_rps]}" "${med[saturated.s_p99]}"
	printf 'c=%-3s median of %d rounds, same load (%d ms between requests): nginx %.0f req/s p99 %.2f ms | sinmun %.0f req/s p99 %.2f ms\n' \
	    "$c" "$ROUNDS" "$pace" "${med[paced.n_rps]}" "${med[paced.n_p99]}" "${med[paced.s_rps]}" "${med[paced.s_p99]}"
	printf 'ratio sinmun/nginx: %.2f\n' "$(awk -v a="${med[saturated.s_rps]}" -v b="${med[saturated.n_rps]}" 'BEGIN {print a / b}')"
	printf 'p99 sinmun/nginx, saturated: %.2f; at the same load: %.2f\n' \
	    "$(awk -v a="${med[saturated.s_p99]}" -v b="${med[saturated.n_p99]}" 'BEGIN {print a / b}')" \
	    "$(awk -v a="${med[paced.s_p99]}" -v b="${med[paced.n_p99]}" 'BEGIN {print a / b}')"
	unset med
done
