#!/usr/bin/env bash
# Times `server train nutrition --quick` and `server train nutrition` on the USDA SR26 foods
# (imported into a fresh SQLite file first, not timed), with peak memory, then the latency of the
# nutrition page's server functions on a server over that database: the EDA (first call: loads
# the foods and computes it; then warm), a search, and a food profile with its similar foods
# (first call: loads the embedding table). The figures in docs/benchmarks.md.
# Usage: DATA_DIR=../shared/data bench/nutrition.sh [path/to/server]   (default: the release build)
set -euo pipefail
BENCH_BIN="${1:-}"
source "$(dirname "$0")/lib.sh"
import_parts nutrition/sr26

echo "binary: $bin ($(nproc) cores)"
train "train nutrition --quick" nutrition --quick
train "train nutrition" nutrition

port=3198
LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$work" IMPORT_ON_START=false TRAIN_ON_START=off "$bin" serve &
server_pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do sleep 0.2; done
sfn() {
  curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/sfn/$1" \
    -H 'content-type: application/x-www-form-urlencoded' -d "$2"
}
ms() { echo "$1 * 1000" | bc; }
warm() {
  for _ in $(seq 50); do sfn "$1" "$2"; done | sort -n > "$work/lat"
  printf '%s, warm, 50 calls: median %.1f ms, p95 %.1f ms\n' "$1" \
    "$(ms "$(sed -n 25p "$work/lat")")" "$(ms "$(sed -n 48p "$work/lat")")"
}
printf 'nutrition_eda, first call (loads 8,463 foods, computes the EDA): %.1f ms\n' "$(ms "$(sfn nutrition_eda '')")"
warm nutrition_eda ''
warm search_foods 'query=broccoli%20raw'
printf 'food_profile, first call (loads the embedding table): %.1f ms\n' "$(ms "$(sfn food_profile 'ndb_no=11090')")"
warm food_profile 'ndb_no=11090'
