#!/usr/bin/env bash
# Makes the tray's icons, one per state, from icons/tray.png with ImageMagick
# (apt imagemagick). Run once; the PNGs are committed in src-tauri/icons/ and
# embedded by src-tauri/src/tray_icon.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
src=icons/tray.png
out=src-tauri/icons
mkdir -p "$out"
# Normal: the app's tray glyph as it is.
convert "$src" -strip "$out/tray-normal.png"
# Unread replies: a red badge at the top right.
convert "$src" -fill '#d93025' -stroke white -strokewidth 3 \
  -draw 'circle 50,14 50,2' -strip "$out/tray-unread.png"
# An incident or planned maintenance under way: an amber warning sign.
convert "$src" -fill '#f9ab00' -stroke white -strokewidth 3 \
  -draw 'polygon 48,28 63,61 33,61' -stroke none -fill '#202124' \
  -draw 'rectangle 46,38 50,51' -draw 'rectangle 46,54 50,58' -strip "$out/tray-notice.png"
# Offline: greyed out and faded.
convert "$src" -colorspace Gray -channel A -evaluate multiply 0.55 +channel \
  -strip "$out/tray-offline.png"
