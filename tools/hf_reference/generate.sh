#!/usr/bin/env bash
# Regenerates the committed goldens: tiny random checkpoints + transformers/PEFT reference outputs.
# Usage: tools/hf_reference/generate.sh [--only VARIANT]   (writes trainer-image/src/test/resources/hf-goldens/)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/setup_venv.sh"
venv="${FEDMLLM_HF_VENV:-$HOME/.cache/fedmllm/venv-hf}"
out="$here/../../trainer-image/src/test/resources/hf-goldens"
mkdir -p "$out"
OMP_NUM_THREADS=1 PYTHONHASHSEED=0 "$venv/bin/python" "$here/generate.py" --out "$out" "$@"
