#!/usr/bin/env bash
# Times `server import` of DATA_DIR into a fresh SQLite file, then a second (idempotent) import,
# and reports the peak memory of each: the figures in docs/benchmarks.md.
# Usage: DATA_DIR=../shared/data bench/import.sh [path/to/server]   (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-${CARGO_TARGET_DIR:-target}/release/server}"
data="${DATA_DIR:?set DATA_DIR to the reference data}"
[ -x "$bin" ] || { echo "no binary at $bin: make release" >&2; exit 1; }
db="$(mktemp -d)/bench.db"
trap 'rm -rf "$(dirname "$db")"' EXIT

run() {
  local label="$1"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$db.rss" env DATABASE_URL="sqlite://$db" RUST_LOG=warn \
    "$bin" import --data-dir "$data" > "$db.report"
  end=$(date +%s.%N)
  printf '%-16s %6.1f s  peak RSS %5d MiB  %s\n' "$label" "$(echo "$end - $start" | bc)" \
    "$(( $(cat "$db.rss") / 1024 ))" "$(grep '^total' "$db.report" | tr -s ' ')"
}

echo "binary: $bin ($(nproc) cores)"
run "first import"
run "re-import"
echo "database file: $(du -h "$db" | cut -f1)"
