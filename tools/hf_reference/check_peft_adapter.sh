#!/usr/bin/env bash
# The other direction of the proof: an adapter in our PEFT layout, loaded by PeftModel.from_pretrained onto the
# transformers model, gives the logits `fedmllm logits --adapter` gives (max abs diff <= 1e-4); the change the adapter
# causes must be far above that (PEFT ignores tensors with wrong names silently).
# Usage: tools/hf_reference/check_peft_adapter.sh CHECKPOINT_DIR ADAPTER_DIR IMAGE PROMPT
set -euo pipefail
if [ $# -ne 4 ]; then
  echo "usage: $0 CHECKPOINT_DIR ADAPTER_DIR IMAGE PROMPT" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
"$here/setup_venv.sh" >&2
venv="${FEDMLLM_HF_VENV:-$HOME/.cache/fedmllm/venv-hf}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fedmllm="$here/../../bin/fedmllm"
"$fedmllm" logits --model "$1" --image "$3" --prompt "$4" --out "$work/base.safetensors" >&2
"$fedmllm" logits --model "$1" --adapter "$2" --image "$3" --prompt "$4" --out "$work/adapted.safetensors" >&2
OMP_NUM_THREADS=1 HF_HUB_DISABLE_PROGRESS_BARS=1 "$venv/bin/python" "$here/compare_logits.py" --checkpoint "$1" --image "$3" --prompt "$4" \
  --ours "$work/adapted.safetensors" --ours-base "$work/base.safetensors" --adapter "$2"
