#!/usr/bin/env bash
# bench/libs.sh - measure the two candidate HTTP libraries against nginx serving
# the same bytes on loopback.
#
#   bench/libs.sh [PAGE.html]
#
# PAGE.html: the body to serve (default: a ~25 KB Korean article page generated
# into the temp dir).  Environment knobs (all optional):
#   DURATION=10      seconds per wrk run
#   CONNS="64 256"   wrk -c values
#   THREADS="1 2"    server threads tried for each library (nginx: worker_processes auto)
#   BASE_PORT=18480  nginx on BASE_PORT, the prototypes on the next ports
#   LOG=0            1: an access log (combined format, one write(2) per request,
#                    unbuffered) for all three servers; 0: no access log for any
#   PROBE=1          0: skip the request-size-limit probe
#   KEEP=0           1: keep the temp dir (logs, configs, wrk output)
#   ROUNDS=1         >1: cycle through the servers ROUNDS times per -c value
#                    (interleaved, to spread a noisy neighbour's load) and
#                    report the median req/s and median p99 of the rounds
#   MHD_MODE=auto    mhd_static MODE (auto: poll for 1 thread, epoll+turbo pool for more)
#
# Needs gcc, pkg-config, libmicrohttpd-dev, libh2o-evloop-dev, nginx, wrk, curl.
# Everything listens on 127.0.0.1 only; every process started here is killed by
# PID on exit; every wrk/curl call is bounded in time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
proto=$here/proto
DURATION=${DURATION:-10}
CONNS=${CONNS:-"64 256"}
THREADS=${THREADS:-"1 2"}
BASE_PORT=${BASE_PORT:-18480}
LOG=${LOG:-0}
PROBE=${PROBE:-1}
KEEP=${KEEP:-0}
MHD_MODE=${MHD_MODE:-auto}
ROUNDS=${ROUNDS:-1}

for tool in gcc pkg-config nginx wrk curl ss cmp; do
    command -v "$tool" >/dev/null || { echo "libs.sh: $tool not found" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/sinmun-libs.XXXXXX)
chmod 755 "$tmp" # nginx workers run as nobody and must read the page
pids=()

cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 30); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    pids=()
    if [ "$KEEP" = 1 ]; then
        echo "libs.sh: kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- build
cflags=(-std=c11 -O2 -Wall -Wextra)
# shellcheck disable=SC2046
gcc "${cflags[@]}" -o "$tmp/mhd_static" "$proto/mhd_static.c" $(pkg-config --cflags --libs libmicrohttpd) -lpthread
# shellcheck disable=SC2046
gcc "${cflags[@]}" -o "$tmp/h2o_static" "$proto/h2o_static.c" $(pkg-config --cflags --libs libh2o-evloop) -lpthread

# ---------------------------------------------------------------- page
mkdir -p "$tmp/www"
chmod 755 "$tmp/www"
gen_page() {
    local heads=("국회, 내년도 예산안 본회의 통과…법정시한 넘겨" "서울 아파트값 3주 연속 상승폭 확대"
        "기상청 \"이번 주말 전국에 비…강원 산간엔 눈\"" "한국은행, 기준금리 연 3.50% 동결"
        "프로야구 한국시리즈 7차전 끝에 우승" "수도권 광역급행철도 개통 앞두고 시승 행사"
        "반도체 수출 14개월 만에 반등" "전통시장 활성화 위한 지역화폐 발행 확대"
        "대학 수시모집 경쟁률 평균 12 대 1" "해외여행객 급증에 인천공항 혼잡")
    local paras=("정부는 이날 서울 종로구 정부서울청사에서 관계부처 합동 브리핑을 열고 이 같은 내용을 담은 종합 대책을 발표했다. 대책에는 중소기업 지원 확대와 청년 일자리 창출 방안이 포함됐다."
        "전문가들은 이번 조치가 단기적으로는 시장 안정에 도움이 되겠지만, 근본적인 해결을 위해서는 구조적인 개혁이 뒤따라야 한다고 지적했다."
        "한편 야당은 \"현장의 목소리를 충분히 반영하지 못한 졸속 대책\"이라며 국회 차원의 청문회를 요구하고 나섰다. 여당은 \"민생을 위한 불가피한 선택\"이라고 반박했다."
        "통계청에 따르면 지난달 소비자물가는 1년 전보다 2.7% 올라 석 달 만에 오름폭이 커졌다. 농축수산물과 석유류 가격이 상승을 이끌었다."
        "시민들의 반응은 엇갈렸다. 서울 마포구에 사는 김모(42)씨는 \"체감할 수 있는 변화가 있었으면 좋겠다\"고 말했고, 대학생 이모(23)씨는 \"아직은 지켜봐야 할 것 같다\"고 했다.")
    cat <<'EOF'
<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>정부, 민생경제 종합대책 발표…중소기업·청년 지원 확대 | 신문</title>
<meta name="description" content="정부가 중소기업 지원과 청년 일자리 창출을 골자로 하는 민생경제 종합대책을 발표했다.">
<meta property="og:title" content="정부, 민생경제 종합대책 발표…중소기업·청년 지원 확대">
<meta property="og:type" content="article">
<link rel="stylesheet" href="/static/site.css">
<link rel="alternate" type="application/atom+xml" title="신문 최신 기사" href="/feed.xml">
</head>
<body>
<header class="masthead"><a class="logo" href="/">신문</a>
<nav><ul><li><a href="/section/politics">정치</a></li><li><a href="/section/economy">경제</a></li><li><a href="/section/society">사회</a></li><li><a href="/section/culture">문화</a></li><li><a href="/section/sports">스포츠</a></li><li><a href="/section/opinion">오피니언</a></li></ul></nav>
<form class="search" action="/search" method="get"><input type="search" name="q" placeholder="기사 검색"><button>검색</button></form>
</header>
<main>
<article class="story">
<p class="kicker">경제 · 정책</p>
<h1>정부, 민생경제 종합대책 발표…중소기업·청년 지원 확대</h1>
<p class="byline">홍길동 기자 <time datetime="2024-05-14T09:30:00+09:00">2024년 5월 14일 오전 9:30</time></p>
EOF
    local i j
    for i in $(seq 0 45); do
        if [ $((i % 7)) = 6 ]; then
            printf '<h2>%s</h2>\n' "${heads[$((i % 10))]}"
        fi
        printf '<p>%s %s</p>\n' "${paras[$((i % 5))]}" "${paras[$(((i + 2) % 5))]}"
    done
    printf '</article>\n<aside class="related"><h2>많이 본 뉴스</h2><ol>\n'
    for j in $(seq 0 19); do
        printf '<li><a href="/article/2024/05/%d">%s</a> <span class="when">%d분 전</span></li>\n' $((1000 + j)) "${heads[$((j % 10))]}" $((j * 7 + 3))
    done
    cat <<'EOF'
</ol></aside>
</main>
<footer><p>신문 · 서울특별시 중구 세종대로 1 · 등록번호 서울 아00000 · 발행인 홍길동 · 편집인 김철수</p>
<p>이 사이트의 모든 콘텐츠는 저작권법의 보호를 받습니다. 무단 전재, 복사, 배포 등을 금합니다.</p></footer>
</body>
</html>
EOF
}
if [ $# -ge 1 ]; then
    cp -- "$1" "$tmp/www/index.html"
else
    gen_page >"$tmp/www/index.html"
fi
chmod 644 "$tmp/www/index.html"
page=$tmp/www/index.html
echo "page: ${1:-generated} ($(wc -c <"$page") bytes)"

# ---------------------------------------------------------------- ports
port_nginx=$BASE_PORT
declare -A port
n=1
for t in $THREADS; do
    port[mhd$t]=$((BASE_PORT + n)); n=$((n + 1))
    port[h2o$t]=$((BASE_PORT + n)); n=$((n + 1))
done
# the prototypes bind with SO_REUSEPORT: a stale listener on the same port would
# silently take part of the load, so refuse to start if any port is taken
for p in "$port_nginx" "${port[@]}"; do
    if ss -Hltn "sport = :$p" | grep -q .; then
        echo "libs.sh: port $p already has a listener; set BASE_PORT" >&2
        exit 1
    fi
done

# ---------------------------------------------------------------- nginx
if [ "$LOG" = 1 ]; then
    nginx_log="access_log $tmp/nginx-access.log combined;"
else
    nginx_log="access_log off;"
fi
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
    $nginx_log
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;   # the prototypes never close a keep-alive connection
    open_file_cache max=16;       # the prototypes serve from memory
    client_max_body_size 1m;      # the prototypes' body limit
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$port_nginx;
        root $tmp/www;
        location = / {
            types { }
            default_type "text/html; charset=utf-8";
            try_files /index.html =404;
        }
    }
}
EOF
nginx -t -q -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" 2>"$tmp/nginx/test.log" || { cat "$tmp/nginx/test.log" >&2; exit 1; }

start() { # NAME CMD...; remembers the PID
    local name=$1
    shift
    "$@" >"$tmp/$name.out" 2>&1 &
    pids+=($!)
}
start nginx nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx"
for t in $THREADS; do
    if [ "$LOG" = 1 ]; then
        start "mhd$t" env ACCESS_LOG="$tmp/mhd$t-access.log" "$tmp/mhd_static" "$page" "${port[mhd$t]}" "$t" "$MHD_MODE"
        start "h2o$t" env ACCESS_LOG="$tmp/h2o$t-access.log" "$tmp/h2o_static" "$page" "${port[h2o$t]}" "$t"
    else
        start "mhd$t" "$tmp/mhd_static" "$page" "${port[mhd$t]}" "$t" "$MHD_MODE"
        start "h2o$t" "$tmp/h2o_static" "$page" "${port[h2o$t]}" "$t"
    fi
done

servers=(nginx)
for t in $THREADS; do servers+=("mhd$t" "h2o$t"); done
port[nginx]=$port_nginx

# ---------------------------------------------------------------- check
for s in "${servers[@]}"; do
    ok=0
    for _ in $(seq 50); do
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:${port[$s]}/"; then ok=1; break; fi
        sleep 0.1
    done
    [ $ok = 1 ] || { echo "libs.sh: $s did not come up on ${port[$s]}" >&2; cat "$tmp/$s.out" >&2; exit 1; }
    curl -s --max-time 5 -D "$tmp/$s.headers" -o "$tmp/$s.body" "http://127.0.0.1:${port[$s]}/"
    if ! cmp -s "$page" "$tmp/$s.body"; then
        echo "libs.sh: $s does not return the page bytes" >&2
        exit 1
    fi
    ctype=$(tr -d '\r' <"$tmp/$s.headers" | awk -F': ' 'tolower($1) == "content-type" { print $2 }')
    if [ "$ctype" != "text/html; charset=utf-8" ]; then
        echo "libs.sh: $s sends Content-Type '$ctype'" >&2
        exit 1
    fi
done
echo "check: all ${#servers[@]} servers return the same $(wc -c <"$page") bytes with Content-Type text/html; charset=utf-8"
echo "access log: $([ "$LOG" = 1 ] && echo 'on for all three (combined format, unbuffered)' || echo 'off for all three')"
echo "nginx: worker_processes auto ($(nproc) CPUs), sendfile on, open_file_cache; prototypes: THREADS=$THREADS, MHD_MODE=$MHD_MODE"
for t in $THREADS; do head -qn1 "$tmp/mhd$t.out" "$tmp/h2o$t.out"; done

# ---------------------------------------------------------------- wrk
to_ms() { # wrk latency (e.g. 812.00us, 3.57ms, 1.02s) -> ms
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
        printf "%.2f", n }'
}
median() { # numbers... -> median
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -A rps p99 allr allp errs
for c in $CONNS; do
    echo
    echo "== wrk -t2 -c$c -d${DURATION}s --latency$([ "$ROUNDS" -gt 1 ] && echo "  (median of $ROUNDS interleaved rounds)")   load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    for r in $(seq "$ROUNDS"); do
        for s in "${servers[@]}"; do
            out=$tmp/wrk-$s-c$c-r$r.txt
            timeout $((DURATION + 30)) wrk -t2 -c"$c" -d"${DURATION}s" --latency "http://127.0.0.1:${port[$s]}/" >"$out" 2>&1 || true
            r_=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
            l_=$(awk '$1 == "99%" { print $2 }' "$out")
            allr[$s]="${allr[$s]:-} ${r_:-0}"
            allp[$s]="${allp[$s]:-} $(to_ms "${l_:-0ms}")"
            e_=$(grep -E 'Non-2xx|Socket errors' "$out" | tr -s ' ' | tr '\n' ';' || true)
            [ -n "$e_" ] && errs[$s]="${errs[$s]:-}[round $r]$e_ "
        done
    done
    printf '%-8s %12s %10s  %s\n' server 'req/s' 'p99 ms' 'errors'
    for s in "${servers[@]}"; do
        # shellcheck disable=SC2086
        rps[$s,$c]=$(median ${allr[$s]})
        # shellcheck disable=SC2086
        p99[$s,$c]=$(median ${allp[$s]})
        printf '%-8s %12.0f %10s  %s\n' "$s" "${rps[$s,$c]}" "${p99[$s,$c]}" "${errs[$s]:-none}"
        [ "$ROUNDS" -gt 1 ] && printf '%-8s   rounds req/s:%s  p99 ms:%s\n' "" "${allr[$s]}" "${allp[$s]}"
        allr[$s]=""; allp[$s]=""; errs[$s]=""
    done
    for t in $THREADS; do
        for lib in mhd h2o; do
            awk -v a="${rps[$lib$t,$c]}" -v b="${rps[nginx,$c]}" -v l="$lib" -v t="$t" \
                'BEGIN { printf "ratio %s/nginx: %.2f   (%s, %s thread%s)\n", l, (b > 0 ? a / b : 0), l, t, (t == 1 ? "" : "s") }'
        done
    done
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- limits
if [ "$PROBE" = 1 ]; then
    echo
    echo "== request-size limits (HTTP status; 000 = connection closed without a response)"
    big_header() { # FILE COUNT SIZE: COUNT headers X-PadN of SIZE bytes each
        local i v
        v=$(head -c "$3" /dev/zero | tr '\0' a)
        : >"$1"
        for i in $(seq "$2"); do printf 'X-Pad%d: %s\n' "$i" "$v" >>"$1"; done
    }
    big_header "$tmp/h-16k" 1 16000
    big_header "$tmp/h-40k" 1 40000
    big_header "$tmp/h-150x" 150 10
    big_header "$tmp/h-500k" 10 50000
    head -c 524288 /dev/zero | tr '\0' b >"$tmp/body-512k"
    head -c 2097152 /dev/zero | tr '\0' b >"$tmp/body-2m"
    probe() { # PORT CURL-ARGS...
        local p=$1
        shift
        curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "http://127.0.0.1:$p/" 2>/dev/null || true
    }
    t=$(echo "$THREADS" | awk '{ print $NF }')
    printf '%-30s %7s %7s %7s\n' case nginx "mhd$t" "h2o$t"
    row() { # LABEL CURL-ARGS...
        local label=$1
        shift
        printf '%-30s %7s %7s %7s\n' "$label" "$(probe "$port_nginx" "$@")" "$(probe "${port[mhd$t]}" "$@")" "$(probe "${port[h2o$t]}" "$@")"
    }
    row "GET, one 16 KB header" -H @"$tmp/h-16k"
    row "GET, one 40 KB header" -H @"$tmp/h-40k"
    row "GET, 150 small headers" -H @"$tmp/h-150x"
    row "GET, 10 x 50 KB headers" -H @"$tmp/h-500k"
    row "POST 512 KB body" --data-binary @"$tmp/body-512k"
    row "POST 2 MB body (C-Length)" --data-binary @"$tmp/body-2m"
    row "POST 2 MB body (chunked)" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/body-2m"
fi
