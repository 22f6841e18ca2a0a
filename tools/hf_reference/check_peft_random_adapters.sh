#!/usr/bin/env bash
# Runs check_peft_adapter.sh on every committed golden checkpoint and on `fedmllm checkpoint init` output of each
# family, each with an adapter `fedmllm checkpoint random-adapter` writes (random non-zero A and B on every decoder
# projection, named and configured by the code federations write their adapters with). The output is committed as
# peft-check-result.txt.
# Usage: tools/hf_reference/check_peft_random_adapters.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
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
  adapter="$work/adapter-${name// /_}"
  "$root/bin/fedmllm" checkpoint random-adapter --model "$dir" --out "$adapter" --r 4 --alpha 8 --targets "$targets" \
    --seed 7 >&2
  echo "== $name: random adapter r 4, alpha 8 on $targets"
  "$here/check_peft_adapter.sh" "$dir" "$adapter" "$image" "$prompt" | sed -e "s|$work/||g" -e "s|$root/||g" \
    || status=1
done
exit $status
