#!/usr/bin/env bash
# Creates the Flower peer's venv (flwr 1.42.0, numpy 2.4.6) under ~/.cache/fedmllm/venv-flwr; about 150 MB.
# Idempotent: an existing venv with the pinned versions is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${FEDMLLM_FLWR_VENV:-$HOME/.cache/fedmllm/venv-flwr}"
python="${PYTHON:-python3}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import flwr, numpy, sys; from importlib.metadata import version; sys.exit(0 if version("flwr") == "1.42.0" and numpy.__version__ == "2.4.6" else 1)' 2>/dev/null; then
  echo "flower venv ready: $venv"
  exit 0
fi
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet -r "$here/requirements.txt"
echo "flower venv ready: $venv"
