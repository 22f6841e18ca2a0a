#!/usr/bin/env bash
# Checks that transformers loads a checkpoint directory with its Auto classes and computes the logits
# `fedmllm logits` computes (token ids equal, logits max abs diff <= 1e-4).
# Usage: tools/hf_reference/check_checkpoint.sh CHECKPOINT_DIR IMAGE PROMPT
#   env DTYPE=float16: both sides hold the weights in float16 (spec.model.baseDtype; transformers dtype=float16);
#   the tolerance is then twice transformers' own float16-vs-float32 difference on the same turn, plus 1e-4
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 CHECKPOINT_DIR IMAGE PROMPT" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
"$here/setup_venv.sh" >&2
venv="${FEDMLLM_HF_VENV:-$HOME/.cache/fedmllm/venv-hf}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/../../bin/fedmllm" logits --model "$1" --image "$2" --prompt "$3" --base-dtype "${DTYPE:-float32}" \
  --out "$work/ours.safetensors" >&2
OMP_NUM_THREADS=1 HF_HUB_DISABLE_PROGRESS_BARS=1 "$venv/bin/python" "$here/compare_logits.py" --checkpoint "$1" --image "$2" --prompt "$3" \
  --ours "$work/ours.safetensors" --dtype "${DTYPE:-float32}"
