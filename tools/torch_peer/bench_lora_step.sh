#!/usr/bin/env bash
# fedmllm's LoRA training step (built-in presets) vs its PyTorch eager peer (tools/torch_peer/lora_step.py: the same
# architecture, batch, text length, LoRA settings, optimiser and thread count), in interleaved runs (fresh processes,
# fedmllm first, ROUNDS times per preset); prints each run, the median of the per-run median step times per side and
# their ratio (fedmllm / torch; goal <= 1.0), and the same for the fastest step of all runs (less sensitive to other
# load on a shared machine).
# Usage: tools/torch_peer/bench_lora_step.sh [PRESET...]     (default: tiny small)
#   env: THREADS (2), ROUNDS (5), STEPS measured per run (30, after 5 warm-up), BATCH (8),
#        FEDMLLM_TORCH_VENV (a venv with torch 2.7.1; default ~/.cache/fedmllm/venv-hf, created when missing),
#        FEDMLLM_CMD (the fedmllm launcher, default bin/fedmllm; e.g. "java -jar other.jar" to time another build),
#        PEER_SHAPE ("VOCAB TEXT_TOKENS SCORED_TOKENS" for builds whose engine-benchmark does not print them)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${FEDMLLM_TORCH_VENV:-$HOME/.cache/fedmllm/venv-hf}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, sys; sys.exit(torch.__version__.split("+")[0] != "2.7.1")'; then
  "${PYTHON:-python3.11}" -m venv "$venv"
  "$venv/bin/pip" install -q -r "$here/requirements.txt"
fi
threads="${THREADS:-2}"
rounds="${ROUNDS:-5}"
steps="${STEPS:-30}"
batch="${BATCH:-8}"
read -r -a fedmllm <<< "${FEDMLLM_CMD:-$here/../../bin/fedmllm}"
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(tiny small)
# the same intra-op threads on both sides, OpenMP threads sleeping when idle (spinning made PyTorch's step 1 s)
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "$threads threads, batch $batch, $rounds interleaved rounds of $steps steps per preset"
for preset in "${presets[@]}"; do
  for round in $(seq "$rounds"); do
    # columns: preset parameters batch median_step_ms peak_rss_mb vocab text_tokens scored_tokens min_step_ms
    row="$("${fedmllm[@]}" engine-benchmark --presets "$preset" --steps "$steps" --batch-size "$batch" \
      --skip-aggregation 2>/dev/null | awk -v p="$preset" '$1 == p')"
    read -r _ _ _ ms _ vocab text scored min <<< "$row"
    if [ -n "${PEER_SHAPE:-}" ]; then
      read -r vocab text scored <<< "$PEER_SHAPE"
    fi
    if [ -z "${scored:-}" ]; then
      echo "fedmllm engine-benchmark printed no row with the batch shape for preset $preset: '$row'" >&2
      exit 1
    fi
    echo "fedmllm  $preset batch $batch text $text median_step_ms $ms min ${min:-?}"
    echo "RESULT {\"side\": \"fedmllm\", \"preset\": \"$preset\", \"median_step_ms\": $ms, \"min_step_ms\": ${min:-null}}" >> "$results"
    "$venv/bin/python" "$here/lora_step.py" --preset "$preset" --vocab "$vocab" --text-tokens "$text" \
      --scored-tokens "$scored" --batch-size "$batch" --threads "$threads" --steps "$steps" --warmup 5 \
      | tee -a "$results" | grep -v '^RESULT'
  done
done
"$venv/bin/python" - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(l[len("RESULT "):]) for l in open(sys.argv[1]) if l.startswith("RESULT ")]
for preset in dict.fromkeys(r["preset"] for r in runs):
    side = lambda name, key: [r[key] for r in runs if r["side"] == name and r["preset"] == preset and r.get(key)]
    ours, theirs = statistics.median(side("fedmllm", "median_step_ms")), statistics.median(side("torch", "median_step_ms"))
    line = f"{preset}: median step fedmllm {ours:.1f} ms, torch eager {theirs:.1f} ms, ratio {ours / theirs:.2f} (goal <= 1.0)"
    if side("fedmllm", "min_step_ms"):
        fast, theirs_fast = min(side("fedmllm", "min_step_ms")), min(side("torch", "min_step_ms"))
        line += f"; fastest step {fast:.1f} vs {theirs_fast:.1f} ms, ratio {fast / theirs_fast:.2f}"
    print(line)
PY
