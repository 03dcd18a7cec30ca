#!/usr/bin/env bash
# `make api-check` (and a step of `make test`): schemathesis 4 (PyPI) against deskmate-server's own
# OpenAPI document, every check on, the stateful phase included:
#   1. as a customer admin of the demo (admin@acme.example),
#   2. as an agent (agent@provider.example),
#   3. the routes that end a session (logout, refresh, password change) in a
#      pass of their own, each role with a fresh token.
# The server is the demo helpdesk on a free port with a real SMTP server
# (aiosmtpd, tests/support/smtp_sink.py) so mail-dependent routes answer as
# in production. Prints operations, cases and failures per pass; exits
# non-zero when any pass failed. Reports in target/schemathesis/.
#   ST_EXAMPLES=N  examples per operation in the fuzzing phase (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v st >/dev/null 2>&1; then
  echo "api-check: installing schemathesis"
  python3 -m pip install --quiet --break-system-packages 'schemathesis>=4,<5'
fi
bin=${DESKMATE_SERVER_BIN:-target/debug/deskmate-server}
[ -x "$bin" ] || cargo build --workspace --bins --tests --locked
examples=${ST_EXAMPLES:-5}
out=target/schemathesis
rm -rf "$out"; mkdir -p "$out/mail"

# The SMTP sink prints its port, then runs until its stdin closes.
coproc SINK { python3 crates/deskmate-server/tests/support/smtp_sink.py "$out/mail"; }
read -r smtp_port <&"${SINK[0]}"
dir=$(mktemp -d)
"$bin" serve --listen 127.0.0.1:0 --database "sqlite://$dir/helpdesk.sqlite3" --demo \
  --expedite-price 49.00 --expedite-currency EUR \
  --smtp-url "smtp://127.0.0.1:$smtp_port" --mail-from helpdesk@provider.example \
  --public-url http://127.0.0.1 --writes-per-minute 100000 \
  >"$dir/stdout" 2>"$out/server.log" &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  eval "exec ${SINK[1]}>&-" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
url=
for _ in $(seq 1 300); do
  if line=$(grep -m1 '^listening on ' "$dir/stdout" 2>/dev/null); then url=${line#listening on }; break; fi
  kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "api-check: the server did not start" >&2; exit 1; }

token() { # token EMAIL: a fresh session's bearer token
  curl -sf -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" "$url/api/v1/auth/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

session_enders='^/api/v1/auth/(logout|refresh|password)$'
status=0
summary=()
pass() { # pass NAME EMAIL ST-ARGS...
  local name=$1 email=$2; shift 2
  local log="$out/$name.log"
  echo "==> schemathesis: $name ($email)"
  if st run "$url/api/openapi.json" --checks all --max-examples "$examples" --seed 1 \
    --workers 1 -H "Authorization: Bearer $(token "$email")" \
    --report junit --report-junit-path "$out/$name.xml" "$@" >"$log" 2>&1; then
    :
  else
    status=1
  fi
  tail -n 30 "$log"
  local tested cases verdict
  tested=$(grep -m1 -E '^\s+Tested:' "$log" | sed 's/^ *Tested: *//')
  cases=$(grep -A1 '^Test cases:' "$log" | tail -n1 | sed 's/^ *//')
  verdict=$(tail -n1 "$log" | tr -d '=' | sed 's/^ *//; s/ *$//')
  summary+=("$name: $tested operations; $cases; $verdict")
}

pass admin admin@acme.example --exclude-path-regex "$session_enders"
pass agent agent@provider.example --exclude-path-regex "$session_enders"
pass admin-session-end admin@acme.example --include-path-regex "$session_enders" --phases examples,coverage,fuzzing
pass agent-session-end agent@provider.example --include-path-regex "$session_enders" --phases examples,coverage,fuzzing

echo
printf '%s\n' "${summary[@]}"
exit "$status"
