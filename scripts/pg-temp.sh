#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's postgresql package) on a free port
# with its data in a temp directory. Prints `export DESKMATE_TEST_PG=postgres://...`
# and `export DESKMATE_TEST_PG_DIR=...`; stop it with `scripts/pg-temp.sh stop DIR`.
# initdb and postgres refuse to run as root, so they run as `postgres`.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "stop" ]; then
  as_pg "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
  rm -rf "$2"
  exit 0
fi

dir=$(mktemp -d)
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" -D "$dir/data" -A trust -U deskmate >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >/dev/null
echo "export DESKMATE_TEST_PG=postgres://deskmate@127.0.0.1:$port/postgres"
echo "export DESKMATE_TEST_PG_DIR=$dir"
