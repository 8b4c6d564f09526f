#!/usr/bin/env bash
# Smoke test of the packaged app: the CLI launcher and the studio under Xvfb.
#
#   packaging/smoke-test.sh [IMAGE_DIR]     default target/dist/rwkv-edge-studio; /opt/rwkv-edge-studio for the .deb
#
# 1. bin/rwkv-edge --help, and bin/rwkv-edge with no arguments (prints the help too)
# 2. bin/rwkv-edge info MODEL: MODEL=path, else rwkv.cpp's tiny-rwkv-7v0-834K-FP32.bin if present,
#    else the bundled sample; also info on the bundled sample model when the image has one
# 3. xvfb-run -a bin/rwkv-edge-studio studio --screenshot PNG --view overview MODEL
#    and checks that the PNG exists, is > 10 KB and (with ImageMagick) is not a blank picture
# Exits non-zero on the first failure. Needs xvfb-run (apt-get install -y xvfb xauth).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${1:-$ROOT/target/dist/rwkv-edge-studio}"
CLI="$IMAGE/bin/rwkv-edge"
STUDIO="$IMAGE/bin/rwkv-edge-studio"
TINY=/work/shared/reference/rwkv.cpp/tests/tiny-rwkv-7v0-834K-FP32.bin
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
fail() { echo "smoke-test: FAIL: $*" >&2; exit 1; }
ok() { echo "smoke-test: ok: $*"; }

[[ -x "$CLI" && -x "$STUDIO" ]] || fail "no launchers in $IMAGE/bin (run packaging/build.sh first)"

# 1. help
timeout 60 "$CLI" --help >"$TMP/help.txt" 2>"$TMP/help.err" || fail "rwkv-edge --help: exit $? ($(cat "$TMP/help.err"))"
grep -q '^Commands:' "$TMP/help.txt" && grep -q ' info ' "$TMP/help.txt" || fail "rwkv-edge --help: no command list"
ok "rwkv-edge --help"
timeout 60 "$CLI" >"$TMP/noargs.txt" 2>/dev/null || fail "rwkv-edge (no arguments): exit $?"
grep -q '^Commands:' "$TMP/noargs.txt" || fail "rwkv-edge without arguments did not print the help"
ok "rwkv-edge (no arguments) prints the help"

# 2. info
SAMPLE="$(ls "$IMAGE"/lib/app/models-sample/*.pth 2>/dev/null | head -1 || true)"
MODEL="${MODEL:-}"
if [[ -z "$MODEL" ]]; then
  if [[ -f "$TINY" ]]; then MODEL="$TINY"; elif [[ -n "$SAMPLE" ]]; then MODEL="$SAMPLE"; fi
fi
[[ -n "$MODEL" ]] || fail "no model to test with (set MODEL=path)"
for m in "$MODEL" ${SAMPLE:+"$SAMPLE"}; do
  timeout 120 "$CLI" info "$m" >"$TMP/info.txt" 2>"$TMP/info.err" || fail "rwkv-edge info $m: exit $? ($(cat "$TMP/info.err"))"
  grep -q '^generation' "$TMP/info.txt" && grep -q '^total' "$TMP/info.txt" || fail "rwkv-edge info $m: unexpected output"
  ok "rwkv-edge info $(basename "$m"): $(sed -n 's/^generation *//p' "$TMP/info.txt"), $(sed -n 's/^layers *//p' "$TMP/info.txt") layers"
done
[[ -n "$SAMPLE" ]] || echo "smoke-test: note: no sample model bundled in $IMAGE/lib/app/models-sample"
# the recipe the studio builds in the background when a model opens, beside the sample folder
[[ -f "$IMAGE/lib/app/recipes/edge.json" ]] || fail "no recipes/edge.json in $IMAGE/lib/app (the default compression)"
ok "recipes/edge.json bundled"

# 3. the studio on a virtual display
command -v xvfb-run >/dev/null || fail "xvfb-run not found (apt-get install -y xvfb xauth)"
PNG="$TMP/overview.png"
T=$SECONDS
timeout 180 xvfb-run -a -s "-screen 0 1280x900x24" "$STUDIO" studio --screenshot "$PNG" --view overview "$MODEL" \
  >"$TMP/studio.out" 2>&1 || { cat "$TMP/studio.out" >&2; fail "studio --screenshot: exit $?"; }
[[ -f "$PNG" ]] || { cat "$TMP/studio.out" >&2; fail "studio wrote no screenshot"; }
BYTES=$(stat -c %s "$PNG")
(( BYTES > 10240 )) || fail "screenshot is only $BYTES bytes"
DESC="$BYTES bytes"
if command -v identify >/dev/null; then
  read -r W H COLORS < <(identify -format '%w %h %k\n' "$PNG")
  (( W >= 400 && H >= 300 && COLORS >= 16 )) || fail "screenshot looks blank: ${W}x${H}, $COLORS colours"
  DESC="${W}x${H}, $COLORS colours, $BYTES bytes"
fi
ok "studio screenshot of the overview in $((SECONDS - T)) s: $DESC"
[[ -n "${KEEP_SCREENSHOT:-}" ]] && cp "$PNG" "$KEEP_SCREENSHOT" && echo "smoke-test: screenshot kept at $KEEP_SCREENSHOT"
echo "smoke-test: PASS ($IMAGE)"
