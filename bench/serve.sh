#!/usr/bin/env bash
# Serving from memory: throughput and latency of the API and the pages, a cold-start stampede,
# and resident memory. Imports the reference data into a fresh SQLite file and trains every
# system with --quick (not timed), then:
#   1. starts the server and, as soon as it listens (before /readyz), sends 64 concurrent
#      requests to each heavy endpoint and page, all at once (bench/cold.py): statuses and the
#      slowest answer per endpoint;
#   2. wrk (Debian's 4.1.0, pinned in the Makefile's bench-tools) for 10 s per endpoint:
#      64 connections on the JSON API, 16 on the meal plan and the SSR pages;
#   3. resident memory after the stampede, after all load, and of a fresh server once ready;
#   4. what each page makes a browser download (bench/pages.mjs, Debian's chromium).
# The load generator shares the 2 cores with the server, as in docs/benchmarks.md.
# Usage: DATA_DIR=../shared/data bench/serve.sh [path/to/server]   (default: the release build)
# BENCH_DB=path.db keeps the trained database there and reuses it on the next run.
set -euo pipefail
BENCH_BIN="${1:-}"
source "$(dirname "$0")/lib.sh"
command -v wrk > /dev/null || { echo "wrk is missing: make bench-tools" >&2; exit 1; }
if [ -n "${BENCH_DB:-}" ] && [ -f "$BENCH_DB" ]; then
  export DATABASE_URL="sqlite://$BENCH_DB" RUST_LOG=warn
  echo "binary: $bin ($(nproc) cores), database $BENCH_DB as it is"
else
  db="${BENCH_DB:-}"
  import_parts crypto/prices crypto/news crypto/sentiment nutrition/sr26 ingredients recipes
  for system in crypto nutrition recommend sentiment recipes; do
    "$bin" train "$system" --quick > /dev/null 2>&1
  done
  echo "binary: $bin ($(nproc) cores), models trained with --quick"
fi

port=3197
base="http://127.0.0.1:$port"
rss() { awk '/VmRSS/ {printf "%d MiB", $2 / 1024}' "/proc/$server_pid/status"; }
start_server() {
  LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="${SITE_ROOT:-target/site}" IMPORT_ON_START=false TRAIN_ON_START=off \
    LEPTOS_ENV=PROD MIMALLOC_ARENA_EAGER_COMMIT=0 MIMALLOC_PURGE_DELAY=100 "$bin" serve &
  server_pid=$!
  until curl -sf "$base/healthz" > /dev/null; do sleep 0.05; done
}

predict='{"symbol":"BTC"}'
recommend='{"holdings":[{"symbol":"BTC"},{"symbol":"ETH"}],"k":5}'
meal='{"goal":"maintenance","calories":2000,"k":5}'
recipe='{"ingredients":["2 cups flour","3 large eggs","1 cup milk","2 tbsp butter"],"servings":4}'
plan="/api/meal-plan?days=7&goal=maintenance&calories=2200"

# 1. Cold: 64 concurrent requests per endpoint, all at once, before the server says ready.
start_server
heavy=("POST /api/predict $predict" "POST /api/recommend $recommend" \
  "POST /api/recommend-meal $meal" "POST /api/analyze-recipe $recipe" "GET $plan" \
  "GET /" "GET /crypto" "GET /crypto/BTC" "GET /nutrition")
echo "1a. before ready: the requests wait for the one snapshot build"
python3 bench/cold.py "$base" 64 "${heavy[@]}" || true
echo "resident after the cold stampede: $(rss)"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
echo "1b. in the first second after /readyz says ready"
start_server
until curl -sf "$base/readyz" > /dev/null; do sleep 0.05; done
python3 bench/cold.py "$base" 64 "${heavy[@]}" || true
echo "resident after the stampede after ready: $(rss)"
curl -s "$base/readyz" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("readyz:", r["ready"], "build", round(r["snapshot"]["build_ms"]), "ms, builds", r["snapshot"]["builds"])'

# 2. Warm throughput and latency.
lua="$work/req.lua"
load() { # LABEL CONNECTIONS METHOD PATH [BODY]
  local label="$1" conns="$2" method="$3" path="$4" body="${5:-}"
  cat > "$lua" <<LUA
wrk.method = "$method"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
  wrk -t2 -c"$conns" -d10s --latency -s "$lua" "$base$path" > "$work/wrk" 2>&1
  printf '%-34s %4d conns  %9s req/s  p50 %8s  p99 %8s  errors %s\n' "$label" "$conns" \
    "$(awk '/Requests\/sec/ {print $2}' "$work/wrk")" \
    "$(awk '$1 == "50%" {print $2}' "$work/wrk")" "$(awk '$1 == "99%" {print $2}' "$work/wrk")" \
    "$(grep -E 'Non-2xx|Socket errors' "$work/wrk" | tr -s ' ' | tr '\n' ' ' || echo 0)"
}
load "POST /api/predict" 64 POST /api/predict "$predict"
load "POST /api/recommend" 64 POST /api/recommend "$recommend"
load "POST /api/recommend-meal" 64 POST /api/recommend-meal "$meal"
load "POST /api/analyze-recipe" 64 POST /api/analyze-recipe "$recipe"
load "GET /api/meal-plan?days=7 (same)" 16 GET "$plan"
# Distinct plans: every request a different calorie target, so most are solved, not cached.
cat > "$lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/meal-plan?days=7&goal=maintenance&calories=" .. (1800 + (counter * 7919) % 900))
end
LUA
wrk -t2 -c16 -d10s --latency -s "$lua" "$base" > "$work/wrk" 2>&1
printf '%-34s %4d conns  %9s req/s  p50 %8s  p99 %8s\n' "GET /api/meal-plan (900 distinct)" 16 \
  "$(awk '/Requests\/sec/ {print $2}' "$work/wrk")" \
  "$(awk '$1 == "50%" {print $2}' "$work/wrk")" "$(awk '$1 == "99%" {print $2}' "$work/wrk")"
for page in / /crypto /crypto/BTC /nutrition; do
  load "GET $page (SSR)" 16 GET "$page"
done
echo "resident after all load: $(rss)"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

# 3. Memory of a fresh server once warm (every model loaded), before any traffic.
start_server
until curl -sf "$base/readyz" > /dev/null; do sleep 0.1; done
echo "resident when ready (every serving model loaded, no traffic): $(rss)"

# 4. What each page downloads, as sent (the release build's precompressed files).
node bench/pages.mjs "$base"
