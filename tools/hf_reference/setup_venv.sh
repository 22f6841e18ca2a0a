#!/usr/bin/env bash
# Creates the reference venv (torch 2.7.1, transformers 5.24.0, peft 0.21.2) under ~/.cache/fedmllm/venv-hf.
# About 5 GB and 2 minutes; idempotent: an existing venv with the pinned versions is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${FEDMLLM_HF_VENV:-$HOME/.cache/fedmllm/venv-hf}"
python="${PYTHON:-python3.11}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import torch, transformers, peft, sys; sys.exit(0 if (torch.__version__.startswith("2.7.1") and transformers.__version__ == "5.24.0" and peft.__version__ == "0.21.2" and __import__("num2words") is not None) else 1)' 2>/dev/null; then
  echo "reference venv ready: $venv"
  exit 0
fi
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet -r "$here/requirements.txt"
echo "reference venv ready: $venv"
