#!/usr/bin/env bash
# `make fuzz`: cargo-fuzz over image intake and the scrubber, each for
# FUZZ_SECONDS (default 60). Not part of `make test`. Installs what it needs:
# the nightly toolchain (libFuzzer's sanitizer flags need it) and cargo-fuzz.
# A crash leaves its input in fuzz/artifacts/<target>/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
targets=(image_intake scrubber)

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: installing the nightly toolchain" >&2
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi

# Seeds: the repository's own pictures and the scrubber corpus; libFuzzer
# adds what it finds to fuzz/corpus/<target>/ (kept out of git).
seed() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$target" in
    image_intake) find icons src-tauri/icons -maxdepth 1 -name '*.png' -size -64k -exec cp -n {} "$dir"/ \; ;;
    scrubber) cp -n crates/deskmate-core/tests/corpus/scrub/dirty/* crates/deskmate-core/tests/corpus/scrub/clean/* "$dir"/ 2>/dev/null || true ;;
  esac
}

for target in "${targets[@]}"; do
  seed "$target"
  echo "fuzz: $target for ${seconds}s" >&2
  # Its own target dir: the sanitizer build shares nothing with the workspace's.
  (cd fuzz && cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20)
done
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash" >&2
