#!/bin/sh
# Retrains Hearth's tiny built-in chat model from scratch and writes models/hearth-chat.gguf.
# Not part of the test suite or CI. About 35 minutes on a 2-core machine (the training step
# stops after --minutes of wall-clock time or --steps, whichever comes first).
#   tools/train-tiny/retrain.sh            # full run (21 + 10 min of training)
#   MINUTES=3 MINUTES2=2 tools/train-tiny/retrain.sh  # quick smoke run
set -eu
cd "$(dirname "$0")"
PY=/usr/bin/python3   # Debian's python3 with python3-torch (a pyenv python lacks torch)
if ! $PY -c 'import torch' 2>/dev/null; then
  echo "Installing Debian's python3-torch and OpenBLAS (Debian's torch is ~30x slower on the reference BLAS)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch libopenblas0-pthread
fi
$PY corpus.py "${SAMPLES:-60000}"
cp out/heldout.jsonl heldout.jsonl
# Stage 1: everything from scratch. Stage 2: lower learning rate, arithmetic samples 3x as often
# (sums and differences are the slowest facts to learn).
$PY train.py --minutes "${MINUTES:-21}" --steps "${STEPS:-4000}" | tee out/train.log
$PY train.py --resume out/ckpt.pt --tag 2 --lr 1e-3 --arith-extra 2 --minutes "${MINUTES2:-10}" --steps "${STEPS2:-2000}" | tee out/train2.log
$PY export_gguf.py ../../models/hearth-chat.gguf --name hearth-chat --ckpt out/ckpt2.pt
$PY tokenizer_check.py
CKPT=out/ckpt2.pt $PY evaluate.py --heldout
echo "Now evaluate both engines: npx tsx tools/train-tiny/evaluate.ts && npx vitest run test/sidecar/trained-model.test.ts test/browser/trained-model.test.ts"
