#!/usr/bin/env bash
# Fused (PyTorch's scaled_dot_product_attention through TorchScript, the default) vs composed attention
# (-Dfedmllm.attention=eager) in our LoRA step: `fedmllm checkpoint bench` in fresh processes, interleaved ROUNDS
# times; prints each run and the ratio of the medians (fused / composed) of the per-run median step times and peak RSS.
# Usage: tools/hf_reference/bench_attention.sh CHECKPOINT_DIR PROMPT [IMAGE]
#   env: THREADS (default 2), ROUNDS (3), STEPS per run (3)
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 CHECKPOINT_DIR PROMPT [IMAGE]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
threads="${THREADS:-2}"
args=(checkpoint bench --model "$1" --prompt "$2" --steps "${STEPS:-3}" --warmup 1)
if [ $# -eq 3 ]; then
  args+=(--image "$3")
fi
export OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY=PASSIVE
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "checkpoint $1, $threads threads, ${ROUNDS:-3} interleaved rounds"
for round in $(seq "${ROUNDS:-3}"); do
  for mode in eager fused; do
    FEDMLLM_JAVA_OPTS="-Xmx8g -Dfedmllm.attention=$mode -Dai.djl.pytorch.num_threads=$threads \
-Dai.djl.pytorch.num_interop_threads=1" "$here/../../bin/fedmllm" "${args[@]}" 2>/dev/null \
      | sed "s/^RESULT /RESULT $mode /" | tee -a "$results" | grep -v '^RESULT' | sed "s/^/$mode: /"
  done
done
python3 - "$results" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        _, mode, record = line.split(" ", 2)
        runs.setdefault(mode, []).append(json.loads(record))
med = lambda mode, key: statistics.median(r[key] for r in runs[mode])
for key, what in (("median_step_seconds", "step"), ("vm_hwm_mib", "peak RSS")):
    fused, eager = med("fused", key), med("eager", key)
    print(f"median {what}: fused {fused:.3f}, composed {eager:.3f}, ratio {fused / eager:.2f}")
PY
