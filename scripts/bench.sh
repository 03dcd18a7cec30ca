#!/usr/bin/env bash
# make bench: measures Deskmate's performance figures and prints them next to
# their goals; writes target/bench/summary.json (a flat JSON object of the
# figures measured; one not measured is absent).
#
# Goals are ratios to floors measured in the same run (these machines vary
# 2x between hours), each floor a small fixture in crates/deskmate-bench:
#   floor_create_per_s, floor_create_p99_ms          bare axum, one SQLite insert per request with
#                                                    the server's durability settings, same load
#   server_create_per_s, server_create_p99_ms        HTTP ticket creation, 32 connections, SQLite
#                                                    (goals: >= 0.25 x floor, p99 <= 2 x floor p99)
#   server_create_pg_per_s, server_create_pg_p99_ms  the same on PostgreSQL (scripts/with-pg.sh)
#                                                    (goals: >= 0.5 x SQLite, p99 <= 3 x floor p99)
#   rt5_create_per_s, server_create_rt5_x            the same creation load against Request Tracker 5
#                                                    (Debian request-tracker5, SQLite, REST2), an
#                                                    instance started for the run (goal: >= 200 x)
#   floor_post_per_s                                 tickets filed one at a time over one connection
#   outbox_drain_per_s                               5,000 offline writes drained after an outage
#                                                    (goal: >= 0.5 x floor_post_per_s)
#   cache_ingest_rows_per_s, raw_sqlite_rows_per_s   100,000 tickets + 800,000 messages applied to the
#                                                    cache in sync pages of 1,000; the same rows as
#                                                    plain SQLite inserts (goal: ingest >= 0.5 x raw)
#   search_p95_ms, search_worst_ms                   a fixed mix of 60 queries over that cache
#   sse_clients, sse_p99_ms                          10,000 GET /api/v1/events streams to a
#                                                    deskmate-server child process; delay of each
#                                                    agent reply's `change` event to every stream
#   sse_floor_p99_ms                                 the same clients on a bare axum SSE broadcast
#                                                    (goal: sse_p99_ms <= 2 x floor)
#   deb_size_mb                                      the Debian package (scripts/bundle.sh deb)
#   console_queue_ms                                 the agent console's queue drawn after navigation,
#                                                    10,000 tickets, headless Chromium (console-bench)
#
# BENCH_SKIP_BUNDLE=1 skips building the .deb (the slow part) and so its figure;
# BENCH_SKIP_LAUNCH=1 skips launch_ms / idle_pss_mib (scripts/bench-launch.sh);
# BENCH_SKIP_CONSOLE=1 skips console_queue_ms.
# Extra arguments go to deskmate-bench (see `deskmate-bench --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}

scripts/setup.sh

# Request Tracker 5, the reference of server_create_per_s: bench-only packages
# (about 35 s and 200 MB), so `make test`'s setup does not install them. When
# they cannot be installed, rt5_create_per_s is absent and the table says why.
RT5_PACKAGES=(request-tracker5 rt5-db-sqlite rt5-standalone msmtp-mta)
rt5_missing=()
for p in "${RT5_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    rt5_missing+=("$p")
  fi
done
if [ ${#rt5_missing[@]} -gt 0 ]; then
  echo "bench: installing Request Tracker 5: ${rt5_missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${sudo_cmd[@]}" apt-get update -q \
         && "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${rt5_missing[@]}"; }; then
    echo "bench: Request Tracker 5 could not be installed; rt5_create_per_s will be absent" >&2
  fi
fi

mkdir -p target/bench
rm -f target/bench/summary.json

bench_args=()
bundle_failed=0
if [ "${BENCH_SKIP_BUNDLE:-0}" = 1 ]; then
  echo "bench: BENCH_SKIP_BUNDLE=1: not building the .deb; deb_size_mb will be absent"
else
  echo "bench: building the Debian package (release build of the app)"
  if scripts/bundle.sh deb; then
    deb=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n 1 || true)
    if [ -n "$deb" ]; then bench_args+=(--deb "$deb"); else bundle_failed=1; fi
  else
    bundle_failed=1
  fi
  if [ "$bundle_failed" = 1 ]; then
    echo "bench: the .deb could not be built; deb_size_mb will be absent" >&2
  fi
fi

echo "bench: building the UI and the agent console (embedded in deskmate-server)"
npm --prefix ui run build
echo "bench: building deskmate-bench and deskmate-server (release)"
$CARGO build --release --locked -p deskmate-bench -p deskmate-server

# One socket per event stream on each side (the bench and its deskmate-server
# child, which inherits the limit): raise the soft open-files limit to the hard one.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then hard=65536; fi
ulimit -n "$hard" 2>/dev/null || echo "bench: cannot raise the open-files limit above $(ulimit -n)" >&2
echo "bench: open-files limit $(ulimit -n)"

# Adds the figures of JSON file $1 to target/bench/summary.json.
merge_into_summary() {
  python3 - "$1" <<'PY'
import json, sys
summary = json.load(open("target/bench/summary.json"))
summary.update(json.load(open(sys.argv[1])))
json.dump(summary, open("target/bench/summary.json", "w"), indent=2, sort_keys=True)
PY
}

status=0
scripts/with-pg.sh target/release/deskmate-bench "${bench_args[@]}" "$@" || status=$?
if [ "$bundle_failed" = 1 ] && [ "$status" = 0 ]; then status=1; fi

# Launch time and idle memory of the real window against a bare Tauri 2 app,
# under Xvfb (scripts/bench-launch.sh); its four keys join the summary.
if [ "${BENCH_SKIP_LAUNCH:-0}" = 1 ]; then
  echo "bench: BENCH_SKIP_LAUNCH=1: launch_ms and idle_pss_mib will be absent"
else
  rm -f target/bench/launch.json
  if scripts/bench-launch.sh && [ -f target/bench/launch.json ] && [ -f target/bench/summary.json ]; then
    merge_into_summary target/bench/launch.json
    echo "bench: launch figures added to target/bench/summary.json"
  else
    echo "bench: the launch measurement failed; its figures are absent" >&2
    status=1
  fi
fi
# The agent console's first screen with 10,000 tickets, in headless Chromium.
if [ "${BENCH_SKIP_CONSOLE:-0}" = 1 ]; then
  echo "bench: BENCH_SKIP_CONSOLE=1: console_queue_ms will be absent"
else
  rm -f target/bench/console.json
  if $CARGO build --locked -p deskmate-e2e --bin console-bench \
     && DESKMATE_SERVER_BIN="$PWD/target/release/deskmate-server" target/debug/console-bench \
     && [ -f target/bench/console.json ] && [ -f target/bench/summary.json ]; then
    merge_into_summary target/bench/console.json
    echo "bench: console_queue_ms added to target/bench/summary.json"
  else
    echo "bench: the console measurement failed; console_queue_ms is absent" >&2
    status=1
  fi
fi
exit "$status"
