#!/usr/bin/env bash
# Memory benchmark: compresses the sample model with each shipped recipe, then, each in a fresh JVM with Native
# Memory Tracking, generates 2,000 tokens at one thread and compares the measured model memory (mapped pages of the
# model file + native arena memory + live heap) with the size report; then decode tokens/s, all files in turns.
#   tools/memory-bench.sh [OUT_DIR]        (default: a temporary folder; nothing is written into the repository)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
MODEL=models-sample/rwkv7-kjv-5m.pth
TOKENS="${TOKENS:-2000}"
./studio info "$MODEL" >/dev/null   # builds when needed
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
RUN=("$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC
     -XX:NativeMemoryTracking=summary -cp "target/classes:$(cat target/classpath.txt)")
files=("$MODEL")
for recipe in recipes/*.json; do
  name="$(basename "$recipe" .json)"
  [[ "$name" == sweep-* ]] && continue
  [[ -f "$OUT/$name.safetensors" ]] || ./studio compress "$MODEL" --recipe "$recipe" -o "$OUT/$name.safetensors" >&2
  files+=("$OUT/$name.safetensors")
done
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo
echo "| file | reported bytes | measured bytes | mapped | native | heap | measured vs reported | fp16 / measured | tok/s | caches |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
dense_params=5096256
for f in "${files[@]}"; do
  "${RUN[@]}" dev.rwkvedge.compress.resident.MemoryBench measure "$f" "$TOKENS" "$dense_params" 2>/dev/null
done
echo
echo "| file | decode tok/s, 1 thread (best of 5 x 2,000 tokens, in turns) | vs dense | tok per CPU-second | vs dense |"
echo "| --- | ---: | ---: | ---: | ---: |"
"${RUN[@]}" dev.rwkvedge.compress.resident.MemoryBench speed 2000 5 "${files[@]}" 2>/dev/null
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
