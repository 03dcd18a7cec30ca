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
# Integration tests are one binary per crate: a file in a tests/<binary>/
# directory that main.rs does not declare would silently never compile or run,
# and an e2e test file outside tests/window/ would run in parallel with the
# unit tests instead of alone.
status=0
for main in $(git ls-files -- 'crates/*/tests/*/main.rs' 'tests/e2e/tests/*/main.rs'); do
  dir=$(dirname "$main")
  for file in $(git ls-files -- "$dir/*.rs"); do
    module=$(basename "$file" .rs)
    [ "$module" = main ] && continue
    if ! grep -qE "^mod $module;" "$main"; then
      echo "policy: $file is not declared in $main (add \"mod $module;\")" >&2
      status=1
    fi
  done
done
if stray=$(git ls-files -- 'tests/e2e/tests/*.rs' | grep -vE '^tests/e2e/tests/window/'); then
  echo "policy: end-to-end tests belong in tests/e2e/tests/window/ (a module of main.rs):" >&2
  echo "$stray" >&2
  status=1
fi
[ "$status" -eq 0 ] || exit 1
echo "policy: ok"
