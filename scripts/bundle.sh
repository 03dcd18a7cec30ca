#!/usr/bin/env bash
# Builds the app's Linux packages with the Tauri bundler (release build of
# src-tauri against ui/dist). Usage: scripts/bundle.sh [FORMATS]
# FORMATS is a comma-separated list of deb, rpm, appimage (default: all three).
# deb and rpm need nothing from the network; appimage downloads linuxdeploy,
# so when it fails the others are kept and the script says so (exit 0) unless
# BUNDLE_STRICT=1. Packages land in target/release/bundle/<format>/.
#
# The Tauri CLI: `cargo tauri` when installed; otherwise the prebuilt
# @tauri-apps/cli from npm in target/tools (seconds to install); otherwise
# `cargo install tauri-cli` (a long build). BUNDLE_TAURI_CLI=cargo forces the
# cargo install route.
set -euo pipefail
cd "$(dirname "$0")/.."
formats=${1:-deb,rpm,appimage}

scripts/setup.sh
npm --prefix ui run build

tauri=()
if cargo tauri --version >/dev/null 2>&1; then
  tauri=(cargo tauri)
elif [ "${BUNDLE_TAURI_CLI:-}" != cargo ] \
  && { [ -x target/tools/node_modules/.bin/tauri ] \
       || npm install --prefix target/tools --no-audit --no-fund --loglevel=error '@tauri-apps/cli@^2'; }; then
  tauri=("$PWD/target/tools/node_modules/.bin/tauri")
else
  echo "bundle: installing tauri-cli with cargo (slow)"
  cargo install tauri-cli --version "^2" --locked
  tauri=(cargo tauri)
fi
echo "bundle: $("${tauri[@]}" --version)"

# Formats that need no download first, all in one build.
offline=()
appimage=0
IFS=, read -r -a wanted <<<"$formats"
for f in "${wanted[@]}"; do
  case "$f" in
    deb|rpm) offline+=("$f") ;;
    appimage) appimage=1 ;;
    *) echo "bundle: unknown format $f (use deb, rpm, appimage)" >&2; exit 2 ;;
  esac
done

status=0
if [ ${#offline[@]} -gt 0 ]; then
  list=$(IFS=,; echo "${offline[*]}")
  for f in "${offline[@]}"; do rm -f target/release/bundle/"$f"/*."$f"; done
  (cd src-tauri && "${tauri[@]}" build --ci --bundles "$list")
fi
if [ "$appimage" = 1 ]; then
  rm -f target/release/bundle/appimage/*.AppImage
  if ! (cd src-tauri && "${tauri[@]}" build --ci --bundles appimage); then
    echo "bundle: the AppImage could not be built: the bundler downloads linuxdeploy and its plugins from GitHub (is github.com reachable?); the other packages are kept" >&2
    if [ "${BUNDLE_STRICT:-0}" = 1 ]; then status=1; fi
  fi
fi

echo "bundle: packages:"
find target/release/bundle -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.AppImage' \) \
  -printf '  %p  %s bytes\n' 2>/dev/null | sort
exit "$status"
