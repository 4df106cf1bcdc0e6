#!/usr/bin/env bash
# bench/http.sh - sinmun serving a demo article page against nginx serving
# the same bytes as a static file, in the same run, on loopback.
#
#   bench/http.sh                 (builds build/sinmun first if needed)
#
# Knobs: DURATION=10 (seconds per client run), CONNS="64" (connection
# counts; the page-cache issue adds 256), ROUNDS=3 (interleaved rounds;
# medians are reported), ARTICLE=1001, SINMUN=build/NAME/sinmun (default
# build/sinmun), RATE=32000 (requests/s offered in the same-load runs), and
# where each program runs:
#   SERVER_CPUS, CLIENT_CPUS  CPU lists for taskset.  By default the first
#              half of the cores serve and the other half run the client
#              (on two cores: core 0 and core 1), as if client and server
#              were two machines.  LAYOUT=shared runs all on all cores.
#   THREADS    sinmun's event loops and nginx's worker_processes: both the
#              number of SERVER_CPUS (nginx 1.22's 'auto' counts the
#              machine's cores, not the ones it may run on, so it is given
#              the number).  WRK_THREADS (also h2load's): the number of
#              CLIENT_CPUS.
#
# Each round runs the client against nginx and then sinmun twice:
#   saturated  wrk: every connection sends its next request as soon as the
#              answer is in: requests/s, and the latency with the queue
#              wherever it forms (in the slower of server and client);
#   rate       h2load --rps: each connection sends RATE/CONNS requests a
#              second on a clock, whatever the answers do, so both servers
#              are offered exactly the same load; the latency of each
#              server under it (percentiles from h2load's per-request log).
#              (A client that waits after each answer, as wrk's delay()
#              does, offers the faster server less: its millisecond timers
#              fire later when its loop is idle.)
# Each line also gives the CPU time the server's processes and the client
# spent per request (from /proc and bash's time).  The last lines per CONNS:
# medians, 'ratio sinmun/nginx: X.XX' (saturated requests/s) and the p99
# ratios.  Both servers log nothing per request, so neither pays for a
# log write.  Only processes started here are stopped, by PID; everything
# is loopback.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-3}
ARTICLE=${ARTICLE:-1001}
RATE=${RATE:-32000}
for tool in wrk h2load nginx curl cmp pgrep getconf taskset; do
	command -v "$tool" >/dev/null || { echo "http.sh: $tool not found (scripts/deps.sh --test)" >&2; exit 1; }
done
LAYOUT=${LAYOUT:-split}
ncores=$(nproc)
if [ "$LAYOUT" = split ] && [ "$ncores" -ge 2 ]; then
	SERVER_CPUS=${SERVER_CPUS:-0-$((ncores / 2 - 1))}
	CLIENT_CPUS=${CLIENT_CPUS:-$((ncores / 2))-$((ncores - 1))}
else
	LAYOUT=shared
	SERVER_CPUS=${SERVER_CPUS:-}
	CLIENT_CPUS=${CLIENT_CPUS:-}
fi
on_server=(); on_client=()
[ -n "$SERVER_CPUS" ] && on_server=(taskset -c "$SERVER_CPUS")
[ -n "$CLIENT_CPUS" ] && on_client=(taskset -c "$CLIENT_CPUS")
THREADS=${THREADS:-$("${on_server[@]}" nproc)}
WRK_THREADS=${WRK_THREADS:-$("${on_client[@]}" nproc)}
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
"${on_server[@]}" "$SINMUN" serve --config "$tmp/sinmun.ini" --db "$tmp/demo.db" --listen "127.0.0.1:$sport" \
	--threads "$THREADS" &
pids+=($!)
wait_up "http://127.0.0.1:$sport/healthz"

# The same bytes for nginx.
mkdir -p "$tmp/www/articles"
curl -fs -o "$tmp/www/articles/$ARTICLE" "http://127.0.0.1:$sport/articles/$ARTICLE"
chmod -R a+rX "$tmp/www"
nport=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
worker_processes $THREADS;
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
"${on_server[@]}" nginx -c "$tmp/nginx.conf" -p "$tmp" &
pids+=($!)
wait_up "http://127.0.0.1:$nport/articles/$ARTICLE"

curl -fs "http://127.0.0.1:$nport/articles/$ARTICLE" -o "$tmp/n.html"
curl -fs "http://127.0.0.1:$sport/articles/$ARTICLE" -o "$tmp/s.html"
cmp -s "$tmp/n.html" "$tmp/s.html" || { echo "http.sh: the two servers answer different bytes" >&2; exit 1; }
echo "page: /articles/$ARTICLE, $(wc -c < "$tmp/s.html") bytes; $ncores cores, layout $LAYOUT: servers on CPUs ${SERVER_CPUS:-all} (sinmun $THREADS event loops, nginx $THREADS workers), client on ${CLIENT_CPUS:-all} ($WRK_THREADS threads)"

# One client run, and the CPU time the server's processes and the client
# spent on it, in microseconds a request.  Prints: rps p50 p90 p99
# server_us client_us (latencies in ms).
cpu_ticks() {
	local t=0 pid
	for pid in "$@"; do
		[ -r "/proc/$pid/stat" ] || continue
		# utime and stime: fields 14 and 15, after the ")" that ends the name.
		t=$((t + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
	done
	echo "$t"
}
measure() {  # URL CONNS RATE PID...  (RATE 0: saturated, wrk)
	local url=$1 c=$2 rate=$3 out before after cli_cpu line ticks
	shift 3
	before=$(cpu_ticks "$@")
	if [ "$rate" = 0 ]; then
		out=$( { TIMEFORMAT='%U %S'; time "${on_client[@]}" wrk -t"$WRK_THREADS" -c"$c" -d"${DURATION}s" \
		    -s bench/latency.lua "$url"; } 2>&1 )
		line=$(grep '^rps=' <<<"$out")
	else
		rm -f "$tmp/h2load.tsv"   # h2load appends to it
		out=$( { TIMEFORMAT='%U %S'; time "${on_client[@]}" h2load --h1 -t"$WRK_THREADS" -c"$c" -D "$DURATION" \
		    --rps $(( (rate + c - 1) / c )) --log-file "$tmp/h2load.tsv" "$url" > "$tmp/h2load.out"; } 2>&1 )
		# Every answer a 200, or the run says so and stops.
		if ! grep -q ' 0 failed, 0 errored, 0 timeout' "$tmp/h2load.out" ||
		    awk -F'\t' '$2 != 200 {bad = 1} END {exit !bad}' "$tmp/h2load.tsv"; then
			echo "http.sh: h2load against $url: $(grep '^requests:' "$tmp/h2load.out")" >&2
			exit 1
		fi
		line=$(sort -t$'\t' -k3,3n "$tmp/h2load.tsv" | awk -F'\t' -v d="$DURATION" '
		    { a[NR] = $3 }
		    END { printf "rps=%.0f p50=%.2f p90=%.2f p99=%.2f\n", NR / d,
			a[int(NR * 0.50) + 1] / 1000, a[int(NR * 0.90) + 1] / 1000, a[int(NR * 0.99) + 1] / 1000 }')
	fi
	after=$(cpu_ticks "$@")
	ticks=$((after - before))
	cli_cpu=$(tail -1 <<<"$out")
	awk -v line="$line" -v ticks=$ticks -v hz="$(getconf CLK_TCK)" \
	    -v w="$cli_cpu" -v d="$DURATION" 'BEGIN {
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
	declare -A med=()
	for r in $(seq "$ROUNDS"); do
		for mode in saturated rate; do
			[ "$mode" = saturated ] && p=0 || p=$RATE
			read -r n_rps n_p50 n_p90 n_p99 n_us n_wus < <(measure "http://127.0.0.1:$nport/articles/$ARTICLE" "$c" "$p" $npids)
			read -r s_rps s_p50 s_p90 s_p99 s_us s_wus < <(measure "http://127.0.0.1:$sport/articles/$ARTICLE" "$c" "$p" "$spid")
			printf 'c=%-3s round %d %-9s nginx %7.0f req/s p50 %5.2f p90 %5.2f p99 %6.2f ms cpu %4.1f us/req (client %4.1f) | sinmun %7.0f req/s p50 %5.2f p90 %5.2f p99 %6.2f ms cpu %4.1f us/req (client %4.1f)\n' \
			    "$c" "$r" "$mode" "$n_rps" "$n_p50" "$n_p90" "$n_p99" "$n_us" "$n_wus" "$s_rps" "$s_p50" "$s_p90" "$s_p99" "$s_us" "$s_wus"
			med[$mode.n_rps]+="$n_rps "; med[$mode.s_rps]+="$s_rps "
			med[$mode.n_p99]+="$n_p99 "; med[$mode.s_p99]+="$s_p99 "
		done
	done
	for k in "${!med[@]}"; do med[$k]=$(median <<<"${med[$k]% }"); done
	printf 'c=%-3s median of %d rounds, saturated: nginx %.0f req/s p99 %.2f ms | sinmun %.0f req/s p99 %.2f ms\n' \
	    "$c" "$ROUNDS" "${med[saturated.n_rps]}" "${med[saturated.n_p99]}" "${med[saturated.s_rps]}" "${med[saturated.s_p99]}"
	printf 'c=%-3s median of %d rounds, same load (%d requests/s offered): nginx %.0f req/s p99 %.2f ms | sinmun %.0f req/s p99 %.2f ms\n' \
	    "$c" "$ROUNDS" "$RATE" "${med[rate.n_rps]}" "${med[rate.n_p99]}" "${med[rate.s_rps]}" "${med[rate.s_p99]}"
	printf 'ratio sinmun/nginx: %.2f\n' "$(awk -v a="${med[saturated.s_rps]}" -v b="${med[saturated.n_rps]}" 'BEGIN {print a / b}')"
	printf 'p99 sinmun/nginx, saturated: %.2f; at the same load: %.2f\n' \
	    "$(awk -v a="${med[saturated.s_p99]}" -v b="${med[saturated.n_p99]}" 'BEGIN {print a / b}')" \
	    "$(awk -v a="${med[rate.s_p99]}" -v b="${med[rate.n_p99]}" 'BEGIN {print a / b}')"
	unset med
done
