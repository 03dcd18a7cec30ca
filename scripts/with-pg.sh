#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL (scripts/pg-temp.sh) and its
# address in DESKMATE_TEST_PG; stops and removes it afterwards, whatever the
# command's outcome.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
eval "$("$here/pg-temp.sh")"
trap '"$here/pg-temp.sh" stop "$DESKMATE_TEST_PG_DIR"' EXIT
"$@"
