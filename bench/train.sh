#!/usr/bin/env bash
# Times `server train crypto --quick` and `server train crypto` on the reference prices (imported
# into a fresh SQLite file first, not timed), with peak memory, then the latency of
# `POST /api/predict` on a server over that database (first call: loads the weights; then warm
# calls): the figures in docs/benchmarks.md.
# Usage: DATA_DIR=../shared/data bench/train.sh [path/to/server]   (default: the release build)
# BENCH_DB=path/to/file.db keeps the trained database (for screenshots); it must not exist yet.
set -euo pipefail
BENCH_BIN="${1:-}"
db="${BENCH_DB:-}"
[ -z "$db" ] || [ ! -e "$db" ] || { echo "$db exists already" >&2; exit 1; }
source "$(dirname "$0")/lib.sh"
import_parts crypto/prices

echo "binary: $bin ($(nproc) cores)"
train "train crypto --quick" crypto --quick
train "train crypto" crypto

port=3199
LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$work" IMPORT_ON_START=false TRAIN_ON_START=off "$bin" serve &
server_pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do sleep 0.2; done
predict() {
  curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/api/predict" \
    -H 'content-type: application/json' -d "{\"symbol\": \"$1\"}"
}
printf 'predict, first call (loads 2 versions): %.1f ms\n' "$(echo "$(predict BTC) * 1000" | bc)"
for _ in $(seq 100); do predict BTC; done | sort -n > "$work/lat"
printf 'predict, warm, 100 calls: median %.1f ms, p95 %.1f ms\n' \
  "$(echo "$(sed -n 50p "$work/lat") * 1000" | bc)" "$(echo "$(sed -n 95p "$work/lat") * 1000" | bc)"
