#!/usr/bin/env bash
# `make run`: the demo helpdesk on a free port and the app pointed at it.
# Closing the app stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat <<'MSG'
There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the
Deskmate window cannot open. Run the same demo under a virtual display instead:

    make demo-headless

It starts the demo helpdesk, signs in as user@acme.example and writes a
screenshot of the window to target/demo.png.
MSG
  exit 1
fi

info=$(mktemp)
scripts/start-demo-server.sh "$info"
read -r pid url dir <"$info"
rm -f "$info"
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

data_dir=$(mktemp -d)
echo "Demo helpdesk: $url (log: $dir/server.log)"
echo "Demo accounts (password demo-password): user@acme.example, admin@acme.example, admin@globex.example"
echo "Agent console: $url/agent/ (sign in as agent@provider.example, password demo-password)"
DESKMATE_SERVER_URL="$url" \
DESKMATE_DATA_DIR="$data_dir" \
DESKMATE_DEMO_ACCOUNTS="user@acme.example,admin@acme.example,admin@globex.example" \
  target/debug/deskmate-app || true
# The demo session's token lives in the OS keyring, keyed to this throwaway
# data directory: sign out (ends the session on the still-running server and
# deletes the keyring entry) so no orphaned demo token stays behind.
target/debug/deskmate --data-dir "$data_dir" logout >/dev/null 2>&1 || true
rm -rf "$data_dir"
