#!/usr/bin/env bash
# fedmllm vs transformers + PEFT (eager) on the same checkpoint, turn, LoRA settings and thread count: load time,
# peak RSS and one LoRA forward+backward step, in interleaved runs (fresh processes, fedmllm first, ROUNDS times);
# prints each run and the ratio of the medians of the per-run median step times (fedmllm / transformers; goal <= 1.0).
# Usage: tools/hf_reference/bench_lora_step.sh CHECKPOINT_DIR PROMPT [IMAGE]
#   env: THREADS (default 2), ROUNDS (3), STEPS per run (3), R (8), ALPHA (16), TARGETS (q_proj,k_proj,v_proj,o_proj)
# A checkpoint with SmolVLM-256M-Instruct's sizes (about 1 GB, not committed):
#   bin/fedmllm checkpoint init --family smolvlm --preset smolvlm-256m --image-splitting false --out DIR
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 CHECKPOINT_DIR PROMPT [IMAGE]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
"$here/setup_venv.sh" >&2
venv="${FEDMLLM_HF_VENV:-$HOME/.cache/fedmllm/venv-hf}"
threads="${THREADS:-2}"
rounds="${ROUNDS:-3}"
common=(--prompt "$2" --r "${R:-8}" --alpha "${ALPHA:-16}" --targets "${TARGETS:-q_proj,k_proj,v_proj,o_proj}"
  --steps "${STEPS:-3}" --warmup 1)
if [ $# -eq 3 ]; then
  common+=(--image "$3")
fi
# the same intra-op threads on both sides, one inter-op thread, OpenMP threads sleeping when idle
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE HF_HUB_DISABLE_PROGRESS_BARS=1
export FEDMLLM_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "checkpoint $1, $threads threads, $rounds interleaved rounds"
for round in $(seq "$rounds"); do
  "$here/../../bin/fedmllm" checkpoint bench --model "$1" "${common[@]}" | tee -a "$results" | grep -v '^RESULT'
  "$venv/bin/python" "$here/bench_lora_step.py" --checkpoint "$1" --threads "$threads" "${common[@]}" 2>/dev/null \
    | tee -a "$results" | grep -v '^RESULT'
done
"$venv/bin/python" - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(l[len("RESULT "):]) for l in open(sys.argv[1]) if l.startswith("RESULT ")]
def med(side, key):
    return statistics.median(r[key] for r in runs if r["side"] == side)
ours, theirs = med("fedmllm", "median_step_seconds"), med("transformers", "median_step_seconds")
print(f"median step: fedmllm {ours:.3f} s, transformers+PEFT {theirs:.3f} s, ratio {ours / theirs:.2f} (goal <= 1.0)")
print(f"median load: fedmllm {med('fedmllm', 'load_seconds'):.2f} s, transformers+PEFT "
      f"{med('transformers', 'load_seconds'):.2f} s")
print(f"median peak RSS: fedmllm {med('fedmllm', 'vm_hwm_mib'):.0f} MiB, transformers+PEFT "
      f"{med('transformers', 'vm_hwm_mib'):.0f} MiB")
losses = {r["side"]: r["loss"] for r in runs}
print(f"loss of the step: fedmllm {losses['fedmllm']:.6f}, transformers+PEFT {losses['transformers']:.6f}")
PY
