#!/usr/bin/env bash
# Draws assets/icon.png (256x256): a wide weight matrix (bars) squeezed into a small chip. Needs ImageMagick.
set -euo pipefail
cd "$(dirname "$0")"
convert -size 256x256 xc:none \
  \( -define gradient:angle=135 -size 240x240 gradient:'#2f7bf5-#0b2e6b' \
     \( -size 240x240 xc:none -fill white -draw "roundrectangle 0,0 239,239 48,48" \) -compose DstIn -composite \) \
  -gravity northwest -geometry +8+8 -compose Over -composite \
  -fill '#9cc3ff' \
  -draw "roundrectangle 30,70 100,84 7,7" -draw "roundrectangle 30,96 86,110 7,7" \
  -draw "roundrectangle 30,122 106,136 7,7" -draw "roundrectangle 30,148 78,162 7,7" \
  -draw "roundrectangle 30,174 92,188 7,7" \
  -stroke white -strokewidth 8 -fill none -draw "line 110,129 134,129" -draw "polyline 122,115 138,129 122,143" \
  -stroke none -fill white \
  -draw "roundrectangle 166,78 174,94 3,3" -draw "roundrectangle 184,78 192,94 3,3" -draw "roundrectangle 202,78 210,94 3,3" \
  -draw "roundrectangle 166,164 174,180 3,3" -draw "roundrectangle 184,164 192,180 3,3" -draw "roundrectangle 202,164 210,180 3,3" \
  -draw "roundrectangle 142,102 158,110 3,3" -draw "roundrectangle 142,125 158,133 3,3" -draw "roundrectangle 142,148 158,156 3,3" \
  -draw "roundrectangle 218,102 234,110 3,3" -draw "roundrectangle 218,125 234,133 3,3" -draw "roundrectangle 218,148 234,156 3,3" \
  -fill '#eef4ff' -draw "roundrectangle 154,90 222,168 10,10" \
  -fill '#1f6feb' -draw "roundrectangle 168,106 208,152 5,5" \
  -stroke white -strokewidth 5 -fill none -draw "polyline 179,142 179,118 191,118" \
  -draw "bezier 191,118 199,118 199,131 191,131" -draw "polyline 179,131 191,131 199,142" \
  -depth 8 PNG32:icon.png
cp icon.png ../src/main/resources/dev/rwkvedge/studio/icon.png
