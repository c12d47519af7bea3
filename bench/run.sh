#!/usr/bin/env bash
# `make bench`: in one run on 127.0.0.1, measures GET /api/children/{id} (signed in, authorised
# against the care team, audited with a durable commit) against nginx serving a static file of the
# same size, both under the same wrk load, and prints req/s, p99 latency and the ratio.
# Targets (issue 3): caremap >= 0.30x nginx's req/s, p99 < 20 ms at 32 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
bin="$(pwd)/$build/caremap"
conns=${BENCH_CONNECTIONS:-32}
secs=${BENCH_SECONDS:-10}
threads=${BENCH_WRK_THREADS:-2}

work=$(mktemp -d "${TMPDIR:-/tmp}/caremap-bench.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { # asks the kernel for a free port on 127.0.0.1
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_line() { # file pattern deadline-seconds
    local end=$((SECONDS + $3))
    until grep -q "$2" "$1" 2>/dev/null; do
        [ $SECONDS -lt $end ] || { echo "bench: timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1; }
        sleep 0.05
    done
}

echo "bench: building the demo database"
"$bin" demo --db "$work/bench.db" >/dev/null

"$bin" serve --db "$work/bench.db" --listen 127.0.0.1:0 --set log_level=warn >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
wait_line "$work/serve.out" 'listening on' 30
url=$(sed -n 's/^caremap: listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out")

token=$(curl -fsS -H 'Content-Type: application/json' \
    -d '{"username":"coord.ada","password":"caremap-demo-2026"}' "$url/api/session" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
child=$(curl -fsS -H "Cookie: caremap=$token" "$url/api/children?limit=1" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].id))')
path="/api/children/$child"
curl -fsS -H "Cookie: caremap=$token" "$url$path" >"$work/child.json"
size=$(stat -c %s "$work/child.json")

# nginx serving a static file of the same size.
mkdir -p "$work/www" "$work/nginx"
head -c "$size" /dev/zero | tr '\0' 'x' >"$work/www/child.json"
# nginx's workers drop root for an unprivileged user: let them read the file and nothing else.
chmod 711 "$work"
chmod 755 "$work/www"
chmod 644 "$work/www/child.json"
nport=$(free_port)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nport;
        root $work/www;
        location / { default_type application/json; }
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>"$work/nginx/start.err" &
pids+=($!)
end=$((SECONDS + 10))
until curl -fsS "http://127.0.0.1:$nport/child.json" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || { echo "bench: nginx did not start" >&2; cat "$work/nginx/start.err" >&2; exit 1; }
    sleep 0.05
done

run_wrk() { # label url [header]
    local out="$work/wrk-$1.txt"
    if [ $# -ge 3 ]; then
        wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -H "$3" "$2" >"$out"
    else
        wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$2" >"$out"
    fi
    local rps p99 non2xx
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")
    echo "$1 $rps $p99 ${non2xx:-0}"
}

to_ms() { # wrk latency like 1.23ms, 850.00us, 1.02s -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

echo "bench: $conns connections, $threads wrk threads, ${secs}s each, body $size bytes, $(nproc) cores"
read -r _ n_rps n_p99 n_bad < <(run_wrk nginx "http://127.0.0.1:$nport/child.json")
read -r _ c_rps c_p99 c_bad < <(run_wrk caremap "$url$path" "Cookie: caremap=$token")
n_ms=$(to_ms "$n_p99"); c_ms=$(to_ms "$c_p99")
ratio=$(awk -v a="$c_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')
audited=$("$bin" audit verify --db "$work/bench.db" 2>&1 | tail -1 || true)

printf '%-34s %12s %12s %10s\n' "target" "req/s" "p99 ms" "non-2xx"
printf '%-34s %12.0f %12s %10s\n' "nginx static file (baseline)" "$n_rps" "$n_ms" "$n_bad"
printf '%-34s %12.0f %12s %10s\n' "caremap GET $path" "$c_rps" "$c_ms" "$c_bad"
echo "ratio caremap/nginx: ${ratio}x (target >= 0.30x); caremap p99 ${c_ms} ms (target < 20 ms)"
echo "audit after the run: $audited"
ok=1
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.30) }' || { echo "bench: TARGET MISSED: ratio"; ok=0; }
awk -v p="$c_ms" 'BEGIN { exit !(p < 20) }' || { echo "bench: TARGET MISSED: p99"; ok=0; }
[ "$c_bad" = "0" ] || { echo "bench: caremap answered $c_bad non-2xx responses"; ok=0; }
[ $ok -eq 1 ] && echo "bench: targets met"
