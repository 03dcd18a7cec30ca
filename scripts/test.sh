#!/usr/bin/env bash
# `make test`: install what is missing, then every check the project has, in
# the order that fails fastest. Prints each step's time and, last, one line
# "N passed, N failed" over all test runners.
set -uo pipefail
cd "$(dirname "$0")/.."

log_dir=target/test-logs
mkdir -p "$log_dir"
passed=0
failed=0
failed_steps=()
timings=()

count_cargo() { # sums "test result: ... N passed; M failed" lines of a cargo test log
  local p f
  p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed;' "$1" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

count_vitest() { # "Tests  12 passed (12)" / "Tests  1 failed | 11 passed (12)"
  local line p f
  # vitest colours its summary even without a terminal: drop the escapes first.
  line=$(sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^\s*Tests\s' | tail -n 1)
  p=$(grep -Eo '[0-9]+ passed' <<<"$line" | awk '{print $1}'); p=${p:-0}
  f=$(grep -Eo '[0-9]+ failed' <<<"$line" | awk '{print $1}'); f=${f:-0}
  passed=$((passed + p)); failed=$((failed + f))
}

step() { # step NAME [--count cargo|vitest] -- COMMAND...
  local name=$1 counter=""; shift
  if [ "$1" = "--count" ]; then counter=$2; shift 2; fi
  [ "$1" = "--" ] && shift
  local log="$log_dir/$name.log" start=$SECONDS status
  echo "==> $name"
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  timings+=("$(printf '%5ss  %s' $((SECONDS - start)) "$name")")
  case $counter in
    cargo) count_cargo "$log" ;;
    vitest) count_vitest "$log" ;;
  esac
  if [ "$status" -ne 0 ]; then
    failed_steps+=("$name")
    # A step that failed without a failing test still fails the run.
    if [ -z "$counter" ] || ! grep -qE '[1-9][0-9]* failed' "$log"; then failed=$((failed + 1)); fi
  fi
  return "$status"
}

finish() {
  echo
  echo "Time per step:"
  printf '  %s\n' "${timings[@]}"
  if [ ${#failed_steps[@]} -gt 0 ]; then echo "Failed steps: ${failed_steps[*]}"; fi
  echo "$passed passed, $failed failed"
  [ ${#failed_steps[@]} -eq 0 ]
  exit $?
}
trap finish EXIT

step setup -- scripts/setup.sh || exit
# A CI machine builds once from nothing: incremental artifacts would only
# take disk (gigabytes) and time.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
step ui-build -- npm --prefix ui run build || exit
step fmt -- cargo fmt --all --check || exit
step policy -- scripts/policy.sh || exit
# Licenses, banned and duplicate-source crates, and where crates come from
# (deny.toml); advisories need a database these machines cannot download.
step deny -- cargo deny --locked check licenses bans sources || exit
# --all-targets leaves out test targets with `test = false` (the e2e binary):
# name it too, so clippy sees every line.
step clippy -- bash -c 'cargo clippy --workspace --all-targets --locked -- -D warnings && cargo clippy --workspace --test window --locked -- -D warnings' || exit
# Every cargo step selects the whole workspace with its tests, so they all
# resolve one feature set and share one set of compiled dependencies (selecting
# fewer packages, or no tests, would rebuild many of them with other features).
step build -- cargo build --workspace --bins --tests --locked || exit
step rust-tests --count cargo -- scripts/with-pg.sh scripts/with-session.sh cargo test --workspace --locked
# The server's OpenAPI document against the server itself (schemathesis,
# every check, as a customer admin and as an agent; schemathesis.toml).
step api-check -- scripts/schemathesis.sh
step bindings-drift -- bash -c 'git diff --exit-code --stat -- ui/src/lib/bindings && test -z "$(git status --porcelain -- ui/src/lib/bindings)" || { echo "ui/src/lib/bindings is out of date: run cargo test -p deskmate-api and commit it" >&2; exit 1; }'
step ui-check -- npm --prefix ui run check
step ui-lint -- npm --prefix ui run lint
step ui-tests --count vitest -- npm --prefix ui test
step e2e --count cargo -- scripts/with-session.sh cargo test --workspace --test window --locked -- --test-threads=1
