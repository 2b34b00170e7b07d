#!/usr/bin/env bash
# POST /api/predict with one and with two app replicas behind nginx, on one PostgreSQL database:
# the shape of deploy/compose.yaml, run as plain processes on this machine.
#   - a throw-away PostgreSQL cluster (scripts/pg-test.sh), the crypto prices imported and the
#     crypto models trained with --quick (not timed);
#   - two `server serve` replicas (RUN_JOBS=false) on their own ports;
#   - Debian's nginx (apt package nginx-light) with deploy/nginx.conf's upstream settings;
#   - wrk, 64 connections, 10 s each: one replica directly, nginx over one replica, nginx over two.
# Everything shares the machine's cores with the load generator; the figures say what a proxy and a
# second replica cost or give on this machine, not what they give on separate machines.
# Usage: DATA_DIR=../shared/data bench/replicas.sh [path/to/server]   (default: the release build)
set -euo pipefail
BENCH_BIN="${1:-}"
source "$(dirname "$0")/lib.sh"
command -v wrk > /dev/null || { echo "wrk is missing: make bench-tools" >&2; exit 1; }
command -v nginx > /dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

pids=()
pg=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2> /dev/null || true
  bash scripts/pg-test.sh stop "$pg" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Its own folder: PostgreSQL's user could not enter $work (mktemp's 0700, owned by root).
pg=$(mktemp -d /tmp/mmi-pg.XXXXXX)
admin_url=$(bash scripts/pg-test.sh start "$pg")
psql "$admin_url" -qc "CREATE DATABASE mmi_bench" > /dev/null
export DATABASE_URL="${admin_url/\/postgres\?//mmi_bench?}" RUST_LOG=warn
mkdir -p "$work/data/crypto"
ln -s "$data/crypto/prices" "$work/data/crypto/prices"
"$bin" import --data-dir "$work/data" > /dev/null
"$bin" train crypto --quick > /dev/null 2>&1
echo "binary: $bin ($(nproc) cores), PostgreSQL $(psql "$admin_url" -Atc 'SHOW server_version'), crypto models trained with --quick"

replica() { # PORT
  LEPTOS_SITE_ADDR="127.0.0.1:$1" LEPTOS_SITE_ROOT="${SITE_ROOT:-target/site}" LEPTOS_ENV=PROD \
    IMPORT_ON_START=false TRAIN_ON_START=off RUN_JOBS=false \
    MIMALLOC_ARENA_EAGER_COMMIT=0 MIMALLOC_PURGE_DELAY=100 "$bin" serve &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$1/readyz" > /dev/null; do sleep 0.1; done
}
replica 3211
replica 3212

proxy() { # UPSTREAM_PORT...
  [ -f "$work/nginx.pid" ] && { kill "$(cat "$work/nginx.pid")"; while [ -f "$work/nginx.pid" ]; do sleep 0.1; done; }
  local servers=""
  for p in "$@"; do servers+="    server 127.0.0.1:$p max_fails=2 fail_timeout=10s;"$'\n'; done
  mkdir -p "$work/nginx"
  cat > "$work/nginx.conf" << CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  upstream mmi_app {
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:3210;
    client_max_body_size 1m;
    location / {
      proxy_pass http://mmi_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Request-Id \$request_id;
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}
CONF
  "$nginx_bin" -c "$work/nginx.conf" -e "$work/nginx/error.log"
  until curl -sf "http://127.0.0.1:3210/healthz" > /dev/null; do sleep 0.1; done
}

lua="$work/req.lua"
cat > "$lua" << 'LUA'
wrk.method = "POST"
wrk.body = '{"symbol":"BTC"}'
wrk.headers["Content-Type"] = "application/json"
LUA
load() { # LABEL URL
  wrk -t2 -c64 -d10s --latency -s "$lua" "$2" > "$work/wrk" 2>&1
  printf '%-34s %9s req/s  p50 %8s  p99 %8s  %s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' "$work/wrk")" \
    "$(awk '$1 == "50%" {print $2}' "$work/wrk")" "$(awk '$1 == "99%" {print $2}' "$work/wrk")" \
    "$(grep -E 'Non-2xx|Socket errors' "$work/wrk" | tr -s ' ' | tr '\n' ' ' || true)"
}

a=$(curl -sf -X POST -H 'content-type: application/json' -d '{"symbol":"BTC"}' http://127.0.0.1:3211/api/predict)
b=$(curl -sf -X POST -H 'content-type: application/json' -d '{"symbol":"BTC"}' http://127.0.0.1:3212/api/predict)
[ "$a" = "$b" ] && echo "both replicas answer identically" || { echo "the replicas differ" >&2; exit 1; }

echo "POST /api/predict, 64 connections, 10 s"
load "replica A directly" http://127.0.0.1:3211/api/predict
proxy 3211
load "nginx -> replica A" http://127.0.0.1:3210/api/predict
proxy 3211 3212
load "nginx -> replicas A and B" http://127.0.0.1:3210/api/predict
