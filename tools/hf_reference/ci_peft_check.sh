#!/usr/bin/env bash
# The CI step of #12's other direction: an adapter our trainer writes (fedmllm checkpoint train-adapter on the SmolVLM
# golden checkpoint, all seven decoder projections), loaded by PEFT onto the transformers model, gives our logits
# (check_peft_adapter.sh: <= 1e-4, and the adapter must move the logits by more than 1e-2). Runs only where the
# reference venv exists (tools/hf_reference/setup_venv.sh creates it, 5 GB); elsewhere it says so and succeeds.
# check_peft_adapters.sh runs the full matrix (every golden and both init families, trained and random adapters).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${FEDMLLM_HF_VENV:-$HOME/.cache/fedmllm/venv-hf}"
if [ ! -x "$venv/bin/python" ]; then
  echo "ci_peft_check: skipped, no reference venv at $venv (tools/hf_reference/setup_venv.sh creates it)"
  exit 0
fi
golden="$root/trainer-image/src/test/resources/hf-goldens/smolvlm"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/bin/fedmllm" checkpoint train-adapter --model "$golden/checkpoint" --out "$work/adapter" --r 4 --alpha 8 \
  --targets q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj --steps 20 --lr 0.005 --seed 7 \
  2>&1 | grep -e '^wrote' -e '^fedmllm: [^b]' || true
"$here/check_peft_adapter.sh" "$golden/checkpoint" "$work/adapter" "$golden/image.png" \
  "What is shown in the picture? Answer briefly." | sed -e "s|$work/||g" -e "s|$root/||g"
