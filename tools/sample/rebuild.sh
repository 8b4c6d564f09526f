#!/bin/sh
# Rebuild the sample model and its data from scratch (Debian: bible-kjv, python3-torch, python3-numpy,
# python3-matplotlib). Run from anywhere; uses Debian's /usr/bin/python3 (it has torch).
# Usage: tools/sample/rebuild.sh            full rebuild incl. training (~85 minutes on one CPU thread)
#        tools/sample/rebuild.sh --no-train data, vocabulary, tasks, then evaluation + fixture of the existing model
set -e
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
$PY tools/sample/prepare_data.py
$PY tools/sample/build_vocab.py
$PY tools/sample/make_tasks.py
if [ "$1" != "--no-train" ]; then
  $PY tools/sample/train.py --total-steps 16000 --max-minutes 70
fi
$PY tools/sample/evaluate.py
$PY tools/sample/write_fixture.py
