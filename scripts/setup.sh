#!/usr/bin/env bash
# Installs everything `make run`, `make test` and `make bench` need on a fresh
# Debian 12 machine. Idempotent: skips what is already present. (Request
# Tracker 5, which only `make bench` uses, is installed by scripts/bench.sh.)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential curl pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libxdo-dev libsecret-1-dev
  libdbus-1-dev
  # xcap (screen capture): bindgen's clang, PipeWire, GBM, XCB, XRandR, EGL, Wayland.
  libclang-dev libpipewire-0.3-dev libgbm-dev libxcb1-dev libxrandr-dev libegl-dev libwayland-dev
  xvfb xauth dbus dbus-x11 webkit2gtk-driver gnome-keyring keyutils
  xdotool imagemagick postgresql clang mold file chromium chromium-driver dunst
  python3-pip
  # status-notifier-watcher: a real tray host's D-Bus side for the e2e `desktop` test.
  haskell-status-notifier-item-utils
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# tauri-driver fronts WebKitWebDriver for the end-to-end tests.
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked --version "^2" \
    || cargo install tauri-driver --locked
fi

# cargo-deny checks the dependencies' licenses, bans and sources in make test
# (from crates.io, built here; its advisory database cannot be downloaded on
# these machines, so `advisories` is not checked).
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "setup: installing cargo-deny"
  cargo install cargo-deny --locked --version "^0.20" \
    || cargo install cargo-deny --locked
fi

# UI dependencies, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi
# aiosmtpd: the real SMTP server the server's mail tests start.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "setup: installing aiosmtpd"
  python3 -m pip install --quiet --break-system-packages 'aiosmtpd>=1.4,<2'
fi
# schemathesis: the API check `make test` runs against the server's own
# OpenAPI document (scripts/schemathesis.sh).
if ! command -v st >/dev/null 2>&1; then
  echo "setup: installing schemathesis"
  python3 -m pip install --quiet --break-system-packages 'schemathesis>=4,<5'
fi
echo "setup: ok"
