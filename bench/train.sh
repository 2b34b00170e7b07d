#!/usr/bin/env bash
# Times `server train crypto --quick` and `server train crypto` on the reference prices (imported
# into a fresh SQLite file first, not timed), with peak memory, then the latency of
# `POST /api/predict` on a server over that database (first call: loads the weights; then warm
# calls): the figures in docs/benchmarks.md.
# Usage: DATA_DIR=../shared/data bench/train.sh [path/to/server]   (default: the release build)
# BENCH_DB=path/to/file.db keeps the trained database (for screenshots); it must not exist yet.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/server}")"
data="$(realpath "${DATA_DIR:?set DATA_DIR to the reference data}")"
[ -x "$bin" ] || { echo "no binary at $bin: make release" >&2; exit 1; }
work="$(mktemp -d)"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/data/crypto"
ln -s "$data/crypto/prices" "$work/data/crypto/prices"
db="${BENCH_DB:-$work/bench.db}"
[ ! -e "$db" ] || { echo "$db exists already" >&2; exit 1; }
export DATABASE_URL="sqlite://$db" RUST_LOG=warn
"$bin" import --data-dir "$work/data" > /dev/null

train() {
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$bin" train crypto "$@" > "$work/train.log" 2>&1
  end=$(date +%s.%N)
  printf '%-22s %7.1f s  peak RSS %4d MiB  %s\n' "$label" "$(echo "$end - $start" | bc)" \
    "$(( $(cat "$work/rss") / 1024 ))" "$(grep '^run ' "$work/train.log")"
}

echo "binary: $bin ($(nproc) cores)"
train "train crypto --quick" --quick
train "train crypto" 

port=3199
LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$work" IMPORT_ON_START=false "$bin" serve &
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
