#!/usr/bin/env bash
# Launch time and idle memory of the release app against a bare Tauri 2 app
# (benches/bare-tauri) built in the same run, both started through
# tauri-driver under scripts/with-session.sh. Prints the figures next to
# their goals and writes target/bench/launch.json:
#
#   launch_ms, bare_tauri_launch_ms      WebDriver new-session request -> ready
#                                        (10,000 cached ticket rows / the bare page's body)
#   idle_pss_mib, bare_tauri_idle_pss_mib  PSS of the app and its descendants, 10 s after ready
#
# deskmate-app runs with its tray icon (registered with a StatusNotifierWatcher
# the bench starts) and its notifications on; DESKMATE_NO_TRAY=1 in the
# environment measures it without the tray, for comparison.
# Medians of 5 launches each, alternating. Extra arguments go to launch-bench
# (`--runs N`, `--tickets N`, `--idle-secs S`; see target/debug/launch-bench --help).
# BENCH_LAUNCH_SKIP_BUILD=1 reuses what is already built.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}

if [ "${BENCH_LAUNCH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/setup.sh
  echo "bench-launch: building ui/dist"
  npm --prefix ui run build
  # One invocation for both apps: bare-tauri needs nothing deskmate-app does
  # not, so it adds no features to the app and shares all its compiled crates.
  # deskmate-app's default features include custom-protocol (ui/dist embedded).
  echo "bench-launch: building deskmate-app and bare-tauri (release)"
  $CARGO build --release --locked -p deskmate-app -p bare-tauri
  echo "bench-launch: building deskmate-server (release)"
  $CARGO build --release --locked -p deskmate-server
  echo "bench-launch: building launch-bench"
  $CARGO build --locked -p deskmate-e2e --bin launch-bench
fi

mkdir -p target/bench
rm -f target/bench/launch.json
DESKMATE_SERVER_BIN="$PWD/target/release/deskmate-server" \
  scripts/with-session.sh target/debug/launch-bench \
  --app "$PWD/target/release/deskmate-app" --bare "$PWD/target/release/bare-tauri" "$@"
