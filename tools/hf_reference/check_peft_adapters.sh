#!/usr/bin/env bash
# Runs check_peft_adapter.sh on every committed golden checkpoint and on `fedmllm checkpoint init` output of each
# family, each with two adapters on every decoder projection, named and configured by the code federations write
# their adapters with: one trained by the federation's local trainer (`fedmllm checkpoint train-adapter`, AdamW on
# generated samples) and one with random non-zero A and B (`fedmllm checkpoint random-adapter`). The output is
# committed as peft-check-result.txt.
# Usage: tools/hf_reference/check_peft_adapters.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
goldens="$root/trainer-image/src/test/resources/hf-goldens"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
prompt="What is shown in the picture? Answer briefly."
targets="q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj"
checkpoints=()
for variant in llava-clip-llama llava-siglip-qwen2 smolvlm smolvlm-split; do
  checkpoints+=("$variant=$goldens/$variant/checkpoint=$goldens/$variant/image.png")
done
for family in smolvlm llava; do
  "$root/bin/fedmllm" checkpoint init --family "$family" --out "$work/init-$family" >&2
  checkpoints+=("checkpoint init --family $family=$work/init-$family=$goldens/smolvlm/image.png")
done
status=0
for entry in "${checkpoints[@]}"; do
  IFS='=' read -r name dir image <<<"$entry"
  trained="$work/trained-${name// /_}"
  random="$work/random-${name// /_}"
  if trainer_out="$("$root/bin/fedmllm" checkpoint train-adapter --model "$dir" --out "$trained" --r 4 --alpha 8 \
      --targets "$targets" --steps 20 --lr 0.005 --seed 7 2>&1 | grep -e '^wrote' -e '^fedmllm: [^b]')" \
      && [ -d "$trained" ]; then
    echo "== $name: $trainer_out" | sed -e "s|$work/||g" -e "s|$root/||g"
    "$here/check_peft_adapter.sh" "$dir" "$trained" "$image" "$prompt" | sed -e "s|$work/||g" -e "s|$root/||g" \
      || status=1
  else
    echo "== $name: train-adapter FAILED, no trained adapter to check: $trainer_out" \
      | sed -e "s|$work/||g" -e "s|$root/||g"
    status=1
  fi
  echo "== $name: $("$root/bin/fedmllm" checkpoint random-adapter --model "$dir" --out "$random" --r 4 --alpha 8 \
    --targets "$targets" --seed 7 | sed -e "s|$work/||g" -e "s|$root/||g")"
  "$here/check_peft_adapter.sh" "$dir" "$random" "$image" "$prompt" | sed -e "s|$work/||g" -e "s|$root/||g" \
    || status=1
done
exit $status
