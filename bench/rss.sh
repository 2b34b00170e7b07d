#!/usr/bin/env bash
# Resident memory of the release server over a trained database, for comparing allocator settings:
# VmRSS and VmHWM (the peak) once /readyz says ready (+1 s), then after 64 concurrent requests on
# each of five heavy endpoints (bench/cold.py).
# Usage: BENCH_DB=/path/bench.db bench/rss.sh [VAR=value ...]   (e.g. MIMALLOC_PURGE_DELAY=0)
# BENCH_DB is a database bench/serve.sh trained; BIN overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BIN:-${CARGO_TARGET_DIR:-target}/release/server}"
port=3198
base="http://127.0.0.1:$port"
env "$@" DATABASE_URL="sqlite://${BENCH_DB:?set BENCH_DB to a trained database}" RUST_LOG=warn \
  LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site IMPORT_ON_START=false TRAIN_ON_START=off \
  LEPTOS_ENV=PROD "$bin" serve &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
mib() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' "/proc/$pid/status"; }
until curl -sf "$base/readyz" > /dev/null; do sleep 0.1; done
sleep 1
ready="$(mib VmRSS) MiB (peak $(mib VmHWM))"
python3 bench/cold.py "$base" 64 'POST /api/predict {"symbol":"BTC"}' 'GET /nutrition' 'GET /crypto' \
  'POST /api/recommend-meal {"goal":"maintenance","calories":2000,"k":5}' \
  'GET /api/meal-plan?days=7&goal=maintenance&calories=2200' > /dev/null
sleep 1
echo "${*:-defaults}: ready $ready, after the stampede $(mib VmRSS) MiB (peak $(mib VmHWM))"
