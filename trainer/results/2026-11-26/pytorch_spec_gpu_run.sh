#!/usr/bin/env bash
# The spec in PyTorch on a lent GPU: four preset seeds (beta 0.05) side by side in float32, each step replayed as a
# CUDA graph, to early stopping. A run needs more than one 10-minute command: the training state and curves live in
# /tmp/pytorch-spec on the device machine, so calling this again while the machine is still warm (30 s) goes on
# from the last finished epoch. Every call returns the curves so far and the kept models' test figures.
#   bash pytorch_spec_gpu_run.sh DATA_FILE OUT_DIR [TRAINING_SECONDS]
set -uo pipefail
data=$1 out=$2 limit=${3:-520}
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/pytorch-spec
mkdir -p "$work/run"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
python3 "$here/pytorch_spec_train.py" --device cuda --graphs --workers 12 --data "$data" \
    --models 0.05:2020,0.05:2021,0.05:2022,0.05:2023 --time-limit "$limit" --state "$work/state.pt" \
    --out "$work/run" 2>&1 | tee -a "$work/run/log.txt"
# at most 8 files come back from a lease: one archive
tar czf "$out/results.tgz" -C "$work" run
