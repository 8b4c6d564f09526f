#!/usr/bin/env bash
# Peak memory while rejecting a 600 MB deflate bomb (issue 12, docs/reliability.md): builds the four 611 KB .pth bombs
# of tools/deflate-bombs.py, runs `./studio info` on each under /usr/bin/time, and checks that each is rejected with
# exit code 2 and one line naming the file (at most 300 characters), with a peak RSS under LIMIT_MB. The valid tiny
# reference .pth is measured too, for scale. Prints one line per file; exit status 0 when every bomb passed.
#   tools/deflate-bomb-rss.sh [LIMIT_MB]      default 100
# The reference file is found in $RWKV_REFERENCE_DIR, or ../shared/reference beside the checkout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LIMIT_MB="${1:-100}"
R="${RWKV_REFERENCE_DIR:-../shared/reference}"
[[ -x /usr/bin/time ]] || { echo "deflate-bomb-rss: needs GNU time (/usr/bin/time; Debian: apt-get install time)" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rwkv-deflate-bombs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
python3 tools/deflate-bombs.py "$WORK"
# build first (if needed), so that Maven's memory is not measured with the JVM's; the default heap and the launcher's
# own JVM options, as a user gets them
unset STUDIO_JAVA_OPTS
./studio --version >/dev/null 2>"$WORK/build.err" || { echo "deflate-bomb-rss: ./studio does not run:" >&2; tail -n 20 "$WORK/build.err" >&2; exit 1; }

# Runs ./studio info FILE; sets EXIT, RSS_KB and MSG (stderr without the JVM's incubator-module warning).
measure() {
  set +e
  /usr/bin/time -f %M -o "$WORK/rss" ./studio info "$1" >"$WORK/out" 2>"$WORK/err"
  EXIT=$?
  set -e
  RSS_KB="$(tail -n 1 "$WORK/rss")"
  MSG="$(grep -v '^WARNING: Using incubator modules' "$WORK/err" || true)"
}

status=0
for f in "$WORK"/*.pth; do
  measure "$f"
  lines="$(printf '%s' "$MSG" | grep -c '' || true)"
  verdict=ok
  if [[ "$EXIT" != 2 || "$lines" != 1 || "$MSG" != "error: $f: "* || "${#MSG}" -gt 300 ]]; then
    verdict="NOT A ONE-LINE REJECTION (exit $EXIT, $lines lines)"
  elif (( RSS_KB > LIMIT_MB * 1024 )); then
    verdict="OVER ${LIMIT_MB} MB"
  fi
  [[ "$verdict" == ok ]] || status=1
  printf '%s: peak RSS %.1f MB, exit %s, %s: %s\n' "$(basename "$f")" "$(echo "$RSS_KB / 1024" | bc -l)" "$EXIT" "$verdict" \
    "${MSG#"error: $f: "}"
done
valid="$R/derived/blinkdl/tiny-rwkv-7v0-834K-bf16.pth"
if [[ -f "$valid" ]]; then
  measure "$valid"
  # a valid file must open, or the bombs' rejections above say nothing about the reader
  [[ "$EXIT" == 0 ]] || status=1
  printf '(for scale) %s: peak RSS %.1f MB, exit %s\n' "$(basename "$valid")" "$(echo "$RSS_KB / 1024" | bc -l)" "$EXIT"
fi
exit "$status"
