#!/usr/bin/env bash
# wrk-vs-nginx.sh [BUILD_DIR] - benchmark drain-refserver against nginx.
# Not a test. Everything runs on loopback (127.0.0.1) and stops by itself.
#
#  1. requests/s and latency, 1 KB and 2 MB bodies, same files on both
#     servers (nginx: 1 worker, sendfile on; drain-refserver: sendfile)
#  2. soak: SOAK_SLOW (default 300) slow readers fetching 2 MB bodies mixed
#     with fast wrk clients; zero truncated bodies is required, and the
#     server's peak RSS is reported.
# Knobs: DURATION (s, default 10), SMALL_CONNS (50), LARGE_CONNS (16),
#        SOAK_SLOW (300), NGINX_PORT (18481).
set -u
build=${1:-build-ref}
ref=$build/drain-refserver
slow=$build/harness/drain-slowreader
duration=${DURATION:-10}
small_conns=${SMALL_CONNS:-50}
large_conns=${LARGE_CONNS:-16}
soak_slow=${SOAK_SLOW:-300}
nginx_port=${NGINX_PORT:-18481}

for tool in wrk nginx; do
  if ! command -v $tool >/dev/null 2>&1 && [ ! -x /usr/sbin/$tool ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get install -y --no-install-recommends wrk nginx >/dev/null || exit 1
    else
      echo "wrk-vs-nginx: $tool missing (apt-get install -y wrk nginx)" >&2; exit 1
    fi
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$ref" ] && [ -x "$slow" ] || { echo "build $ref and $slow first" >&2; exit 1; }

dir=$(mktemp -d /tmp/drainref-bench.XXXXXX)
chmod 755 "$dir"
mkdir -p "$dir/www" "$dir/nginx"
"$slow" --pattern 1024 >"$dir/www/small.bin"
"$slow" --pattern 2000000 >"$dir/www/large.bin"
chmod 644 "$dir/www/"*.bin
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.3; rm -rf "$dir"; }
trap cleanup EXIT

cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
user root;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $dir/nginx/tmp;
  proxy_temp_path $dir/nginx/tmp;
  fastcgi_temp_path $dir/nginx/tmp;
  uwsgi_temp_path $dir/nginx/tmp;
  scgi_temp_path $dir/nginx/tmp;
  server { listen 127.0.0.1:$nginx_port; root $dir/www; }
}
CONF
"$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" &
pids+=($!)
"$ref" --tcp 127.0.0.1:0 --root "$dir/www" --stats >"$dir/ref.out" 2>"$dir/ref.err" &
refpid=$!
pids+=($refpid)
for _ in $(seq 1 100); do
  grep -q "listening tcp" "$dir/ref.out" 2>/dev/null && break
  sleep 0.05
done
ref_addr=$(sed -n 's/.*listening tcp \(.*\)$/\1/p' "$dir/ref.out")
sleep 0.5
curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/small.bin" || { echo "nginx did not start"; cat "$dir/nginx/error.log"; exit 1; }

echo "# wrk-vs-nginx ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t1, ${duration}s per run)"
echo
echo "| server | body | conns | requests/s | transfer/s | p50 | p99 |"
echo "|---|---|---|---|---|---|---|"
run_wrk() {  # name url conns body
  local out
  out=$(wrk -t1 -c"$3" -d"${duration}s" --latency "$2" 2>&1)
  local rps xfer p50 p99 errs
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  xfer=$(printf '%s\n' "$out" | awk '/Transfer\/sec/ {print $2}')
  p50=$(printf '%s\n' "$out" | awk '$1=="50%" {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1=="99%" {print $2}')
  errs=$(printf '%s\n' "$out" | grep -E "Socket errors|Non-2xx" | tr '\n' ' ')
  echo "| $1 | $4 | $3 | $rps | $xfer | $p50 | $p99 |${errs:+ $errs}"
}
run_wrk drain-refserver "http://$ref_addr/small.bin" "$small_conns" "1 KB"
run_wrk nginx "http://127.0.0.1:$nginx_port/small.bin" "$small_conns" "1 KB"
run_wrk drain-refserver "http://$ref_addr/large.bin" "$large_conns" "2 MB"
run_wrk nginx "http://127.0.0.1:$nginx_port/large.bin" "$large_conns" "2 MB"
run_wrk drain-refserver "http://$ref_addr/bytes/2000000" "$large_conns" "2 MB from memory (/bytes, writev)"

echo
echo "## soak: $soak_slow slow readers (2 MB /bytes bodies, 16 KB reads, 2 ms pauses) + wrk fast clients"
"$slow" --tcp "$ref_addr" --sizes 2000000 --batch "$soak_slow" --pause-us 2000 --timeout-s 300 >"$dir/soak.out" 2>&1 &
soakpid=$!
wrk -t1 -c32 -d"${duration}s" "http://$ref_addr/small.bin" >"$dir/soak-wrk.out" 2>&1
wait "$soakpid"
soak_rc=$?
sed 's/^/    /' "$dir/soak.out"
echo "    fast clients during the soak: $(awk '/Requests\/sec/ {print $2}' "$dir/soak-wrk.out") requests/s (1 KB)"
kill -TERM "$refpid"
wait "$refpid" 2>/dev/null
echo "    server: $(grep 'accepted' "$dir/ref.err")"
echo "    (peak_rss_kb is the server's getrusage ru_maxrss over the whole run, benchmarks included)"
if [ "$soak_rc" -ne 0 ]; then
  echo "SOAK FAILED: some slow-reader bodies were not complete"
  exit 1
fi
echo "soak: zero truncated bodies"
