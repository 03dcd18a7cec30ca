#!/usr/bin/env bash
# Rules clippy cannot express, checked over the tracked Rust sources:
# external programs are started with an argument array, never through a shell.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='Command::new\("(sh|bash|zsh|dash|cmd|cmd\.exe|powershell|pwsh)"\)'
if hits=$(git grep -nE "$pattern" -- '*.rs'); then
  echo "policy: a shell is started; run the program with an argument array instead:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "policy: ok"
