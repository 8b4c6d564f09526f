#!/usr/bin/env bash
# A sweep on a Slurm cluster: one array task per shard of the grid, then a merge that runs once every shard succeeded.
#
#   slurm/sweep-array.sh [-n SHARDS] MODEL GRID OUTDIR [SWEEP OPTIONS...]
#
# Run from anywhere on a machine that submits jobs; the checkout, the model, the grid and OUTDIR must be on a file
# system every node sees. Each task runs `./studio sweep MODEL --grid GRID --shard I/SHARDS` (SWEEP OPTIONS such as
# --calibration are passed on) and writes OUTDIR/shard-I.json; the merge writes OUTDIR/sweep.csv, OUTDIR/sweep.json
# and the table to OUTDIR/merge.out: the same rows as one unsharded `sweep` (decode speeds come from different nodes).
# Resources per task are in slurm/sweep-shard.sbatch; extra sbatch options go in SBATCH_SHARD_OPTS / SBATCH_MERGE_OPTS.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"

SHARDS=4
if [ "${1:-}" = "-n" ]; then SHARDS=$2; shift 2; fi
if [ $# -lt 3 ]; then
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
MODEL=$(realpath "$1"); GRID=$(realpath "$2"); OUT=$3; shift 3
[[ "$SHARDS" =~ ^[1-9][0-9]*$ ]] || { echo "sweep-array.sh: -n $SHARDS: expected a positive number of shards" >&2; exit 2; }
[ -f "$MODEL" ] || { echo "sweep-array.sh: $MODEL: no such model file" >&2; exit 2; }
[ -f "$GRID" ] || { echo "sweep-array.sh: $GRID: no such grid file" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(realpath "$OUT")

# build once here, so that the tasks do not all build at the same time
"$REPO/studio" --version >/dev/null

cd "$REPO"
# shellcheck disable=SC2086
ARRAY=$(sbatch --parsable ${SBATCH_SHARD_OPTS:-} --array=1-"$SHARDS" --output="$OUT/shard-%a.out" \
        slurm/sweep-shard.sbatch "$MODEL" "$GRID" "$OUT" "$SHARDS" "$@")
ARRAY=${ARRAY%%;*}
# shellcheck disable=SC2086
MERGE=$(sbatch --parsable ${SBATCH_MERGE_OPTS:-} --dependency=afterok:"$ARRAY" --output="$OUT/merge.out" \
        slurm/sweep-merge.sbatch "$MODEL" "$GRID" "$OUT" "$SHARDS")
MERGE=${MERGE%%;*}
echo "array job $ARRAY ($SHARDS shards), merge job $MERGE; results in $OUT"
