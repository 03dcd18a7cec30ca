#!/usr/bin/env bash
# Runs a command with what a desktop session gives the app: an X display
# (Xvfb unless one exists and DESKMATE_FORCE_XVFB is unset), a D-Bus session
# bus, and an unlocked Secret Service (gnome-keyring) in a throwaway keyring.
set -euo pipefail

if [ "${1:-}" != "--inner" ]; then
  if [ -n "${DISPLAY:-}" ] && [ -z "${DESKMATE_FORCE_XVFB:-}" ]; then
    exec dbus-run-session -- "$0" --inner "$@"
  fi
  exec xvfb-run -a -s "-screen 0 1920x1080x24" dbus-run-session -- "$0" --inner "$@"
fi
shift

keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data"
export XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# --unlock reads the new keyring's password from stdin and prints env lines.
eval "$(printf 'deskmate-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export WEBKIT_DISABLE_COMPOSITING_MODE=1
export LANG=C.UTF-8
"$@"
