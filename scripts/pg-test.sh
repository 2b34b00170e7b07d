#!/usr/bin/env bash
# A throw-away PostgreSQL cluster owned by one test run, reachable only through a Unix socket in
# its own folder (no TCP port to collide with):
#   bash scripts/pg-test.sh start DIR   installs Debian's postgresql if missing, initdb + start,
#                                       prints the admin URL (MMI_TEST_POSTGRES_URL)
#   bash scripts/pg-test.sh stop DIR    stops it and removes DIR
# Tuned for tests (no fsync): never point it at data you keep.
set -euo pipefail

cmd=${1:?start or stop}
dir=${2:?a folder}
port=${PG_TEST_PORT:-55432}
sudo=$([ "$(id -u)" = 0 ] || echo sudo)

bin() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$b" ] && echo "$b"
}

# PostgreSQL refuses to run as root: the cluster then belongs to Debian's `postgres` user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if ! bin >/dev/null; then
    echo "installing Debian's postgresql" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
  b=$(bin)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  # C collation: text sorts by bytes, as in SQLite, so both backends order rows alike.
  as_owner "$b/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$b/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-k $dir -p $port -c listen_addresses='' -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres://postgres@localhost/postgres?host=$dir&port=$port"
  ;;
stop)
  b=$(bin) || exit 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$b/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
