#!/usr/bin/env bash
# Regenerates the app icons (RGBA PNGs; Tauri and .deb bundling need RGBA):
# a white check mark on a blue rounded square. Needs imagemagick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
convert -size 512x512 xc:none \
  -fill '#3366cc' -draw 'roundrectangle 16,16 495,495 96,96' \
  -fill none -stroke white -strokewidth 56 -draw 'stroke-linecap round stroke-linejoin round polyline 132,270 222,360 388,170' \
  PNG32:icon.png
for size in 32 128 256; do
  name="${size}x${size}.png"
  [ "$size" = 256 ] && name="128x128@2x.png"
  convert icon.png -resize "${size}x${size}" PNG32:"$name"
done
