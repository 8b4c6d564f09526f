#!/usr/bin/env bash
# The long mutation campaign of docs/reliability.md: CASES damaged copies of each reader format's reference file
# (and CASES/40 of the 20 MB sample model), each read and run for one token in a 512 MB heap. Runs niced: it is
# meant to share the machine. Prints one line of outcome counts per file (and a progress line every 5,000 cases);
# exit status 0 when no outcome broke the contract.
#   tools/fuzz.sh [CASES [SEED]]        defaults: 50000 20261204
# The reference files are found in $RWKV_REFERENCE_DIR, or ../shared/reference beside the checkout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CASES="${1:-50000}"
SEED="${2:-20261204}"
R="${RWKV_REFERENCE_DIR:-../shared/reference}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
CP_FILE=target/test-classpath.txt
mvn -B -q -o -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >&2
# The run takes minutes: it reads a snapshot of the compiled classes, so building the checkout meanwhile cannot
# change or remove a class it has yet to load.
SNAP="$(mktemp -d "${TMPDIR:-/tmp}/rwkv-fuzz-classes.XXXXXX")"
trap 'rm -rf "$SNAP"' EXIT
cp -r target/classes target/test-classes "$SNAP/"
fuzz() {
  nice -n 19 "$JAVA" -Xmx512m --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -cp "$SNAP/classes:$SNAP/test-classes:$(cat "$CP_FILE")" dev.rwkvedge.io.ReaderFuzz "$@" 2> >(grep -v '^WARNING' >&2)
}
status=0
fuzz "$CASES" "$SEED" "$R/derived/blinkdl/tiny-rwkv-7v0-834K-bf16.pth" "$R/derived/blinkdl/tiny-rwkv-7v0-834K-f32.safetensors" \
  "$R/derived/gguf/tiny-rwkv-7v0-834K-F32-to-Q4_0.gguf" "$R/rwkv.cpp/tests/tiny-rwkv-5v1-730K-Q5_1.bin" || status=$?
fuzz "$(( CASES / 40 > 0 ? CASES / 40 : 1 ))" "$SEED" models-sample/rwkv7-kjv-5m.pth || status=$?
exit "$status"
