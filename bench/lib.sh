# Shared by the training benchmarks: the binary, a scratch folder with the named parts of the
# reference data imported into a fresh SQLite file (not timed), and a timed `train` with peak RSS.
# Source it after `set -euo pipefail`; it sets $bin, $work and DATABASE_URL.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="$(realpath "${BENCH_BIN:-${CARGO_TARGET_DIR:-target}/release/server}")"
data="$(realpath "${DATA_DIR:?set DATA_DIR to the reference data}")"
[ -x "$bin" ] || { echo "no binary at $bin: make release" >&2; exit 1; }
work="$(mktemp -d)"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# import_parts PART...: links each part (e.g. crypto/prices) into $work/data and imports it.
import_parts() {
  for part in "$@"; do
    mkdir -p "$work/data/$(dirname "$part")"
    ln -s "$data/$part" "$work/data/$part"
  done
  export DATABASE_URL="sqlite://${db:-$work/bench.db}" RUST_LOG=warn
  "$bin" import --data-dir "$work/data" > /dev/null
}

# train LABEL SYSTEM [ARGS...]: times `server train SYSTEM ARGS` and prints its summary line.
train() {
  local label="$1" system="$2"; shift 2
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$bin" train "$system" "$@" > "$work/train.log" 2>&1
  end=$(date +%s.%N)
  printf '%-26s %7.1f s  peak RSS %4d MiB  %s\n' "$label" "$(echo "$end - $start" | bc)" \
    "$(( $(cat "$work/rss") / 1024 ))" "$(grep '^run ' "$work/train.log")"
}
