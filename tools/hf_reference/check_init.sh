#!/usr/bin/env bash
# `fedmllm checkpoint init` of every family, loaded by transformers' Auto classes, must give the logits
# `fedmllm logits` gives; prints each check (commit the output as init-check-result.txt).
# Usage: tools/hf_reference/check_init.sh [PRESET]   (default tiny)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
preset="${1:-tiny}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
image="$here/../../trainer-image/src/test/resources/hf-goldens/smolvlm/image.png"
status=0
for family in smolvlm llava; do
  "$here/../../bin/fedmllm" checkpoint init --family "$family" --preset "$preset" --out "$work/$family" >&2
  echo "== fedmllm checkpoint init --family $family --preset $preset; image.png of the smolvlm golden"
  "$here/check_checkpoint.sh" "$work/$family" "$image" "What is shown in the picture? Answer briefly." \
    | sed "s|$work/||" || status=1
done
exit $status
