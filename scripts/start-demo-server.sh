#!/usr/bin/env bash
# Starts `deskmate-server --demo` on a free port with a temporary database and
# returns once it listens, writing "<pid> <url> <temp dir>" to the file named by $1.
set -euo pipefail
out=$1
bin=${DESKMATE_SERVER_BIN:-target/debug/deskmate-server}
dir=$(mktemp -d)
"$bin" serve --listen 127.0.0.1:0 --database "sqlite://$dir/helpdesk.sqlite3" --demo \
  --expedite-price 49.00 --expedite-currency EUR \
  >"$dir/stdout" 2>"$dir/server.log" &
pid=$!
for _ in $(seq 1 300); do
  if line=$(grep -m1 '^listening on ' "$dir/stdout" 2>/dev/null); then
    echo "$pid ${line#listening on } $dir" >"$out"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "deskmate-server exited early; its log:" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "deskmate-server did not start within 30 s" >&2
kill "$pid" 2>/dev/null || true
exit 1
