#!/usr/bin/env bash
# GPU check of the trainer (issue #14), for a user or CI job with an NVIDIA GPU. One command, a few minutes:
#
#   docker run --rm --gpus all -v "$PWD/tools:/tools:ro" --entrypoint bash \
#     ghcr.io/fedmllm/trainer:0.1.0-cu128 /tools/gpu-check.sh
#
# or, outside the image, with a pip-installed torch 2.7.1 (PyPI's CUDA wheel):
#
#   PYTORCH_LIBRARY_PATH=<site-packages>/torch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128 tools/gpu-check.sh
#
# NOT RUN ON A GPU: this script was written on a machine without a GPU (no NVIDIA driver, no container engine), so it
# has never run a CUDA step. Only its plumbing was dry-run there, with --device cpu for both runs and a stand-in
# nvidia-smi (agreement exactly 0, which says nothing about CUDA). It makes no claim about GPU numbers; the numbers
# are the ones it prints on your machine.
#
# What it does, with the same jar and the same libtorch for both devices:
#   1. writes a seeded random SmolVLM-style checkpoint (`fedmllm checkpoint init`, --preset tiny by default);
#   2. trains a LoRA adapter with the federation's local trainer (`checkpoint train-adapter`) once with
#      --device cpu and once with --device cuda (the device a trainer picks for spec.training.device), sampling
#      the GPU's memory with nvidia-smi during the CUDA run;
#   3. compares the two: the batch loss before training (a forward pass, tolerance 1e-4 relative), the loss after
#      it (1e-2 relative) and the adapters (relative Frobenius difference below 5e-2; Adam's first steps amplify
#      float differences of near-zero gradients, so the adapters are compared loosely and the losses tightly).
# It exits non-zero when the CUDA run did not pick a GPU, failed, or disagrees with the CPU run.
#
#   4. one LoRA step's time (tokens/s) and device memory on CUDA with a float32 and a float16 base (the float16 step's
#      loss within 1e-2 relative of the float32 one's), and the same step in transformers + PEFT eager on the same
#      GPU when a Python with them is at hand (FEDMLLM_HF_VENV, default ~/.cache/fedmllm/venv-hf, which
#      tools/hf_reference/setup_venv.sh creates); without one it says so and reports ours only.
#
# Environment: FEDMLLM_JAR (default /opt/fedmllm/fedmllm-trainer.jar when present, else bin/fedmllm builds it),
# GPU_CHECK_BENCH_STEPS (default 5),
# GPU_CHECK_PRESET (tiny | smolvlm-256m), GPU_CHECK_STEPS (default 3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
preset="${GPU_CHECK_PRESET:-tiny}"
steps="${GPU_CHECK_STEPS:-3}"
export DJL_OFFLINE=true OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE

if [[ -n "${FEDMLLM_JAR:-}" ]]; then
  fedmllm=(java -Djava.awt.headless=true -Dai.djl.offline=true -jar "$FEDMLLM_JAR")
elif [[ -f /opt/fedmllm/fedmllm-trainer.jar ]]; then
  fedmllm=(java -Djava.awt.headless=true -Dai.djl.offline=true -jar /opt/fedmllm/fedmllm-trainer.jar)
else
  fedmllm=("$here/../bin/fedmllm")
fi
# GPU_CHECK_DRY_RUN=1 runs the whole script on the CPU ("cuda" runs use --device cpu, a stand-in nvidia-smi): a check
# of the plumbing on a machine without a GPU, which says nothing about CUDA.
gpu_device=cuda
if [[ "${GPU_CHECK_DRY_RUN:-0}" == 1 ]]; then
  echo "gpu-check: DRY RUN on the CPU: every figure below is a CPU figure"
  gpu_device=cpu
  nvidia-smi() { if [[ "$*" == *memory.used* ]]; then echo 0; else echo "0, dry run (no GPU), none, 0 MiB"; fi; }
elif ! command -v nvidia-smi > /dev/null; then
  echo "gpu-check: nvidia-smi not found: run this on a machine (or in a container started with --gpus) with an" \
    "NVIDIA driver" >&2
  exit 2
fi
if [[ "$gpu_device" == cuda && ( "${PYTORCH_FLAVOR:-}" != cu* || -z "${PYTORCH_LIBRARY_PATH:-}" ) ]]; then
  echo "gpu-check: PYTORCH_LIBRARY_PATH and PYTORCH_FLAVOR=cu128 must point DJL at a CUDA libtorch (the GPU image" \
    "sets them; see trainer-image/Dockerfile)" >&2
  exit 2
fi

work="$(mktemp -d)"
sampler=""
cleanup() {
  if [[ -n "$sampler" ]]; then kill "$sampler" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader
"${fedmllm[@]}" checkpoint init --family smolvlm --preset "$preset" --out "$work/checkpoint"

train() { # name [device, default the name]
  "${fedmllm[@]}" checkpoint train-adapter --model "$work/checkpoint" --out "$work/adapter-$1" --steps "$steps" \
    --device "${2:-$1}" > "$work/$1.out" 2> "$work/$1.err" || { cat "$work/$1.err" >&2; return 1; }
  grep '^device: ' "$work/$1.err" || true
  cat "$work/$1.out"
}

start=$(date +%s%N)
train cpu
cpu_nanos=$(( $(date +%s%N) - start ))

nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 -lms 200 > "$work/memory.csv" &
sampler=$!
start=$(date +%s%N)
train cuda "$gpu_device"
cuda_nanos=$(( $(date +%s%N) - start ))
kill "$sampler" 2> /dev/null || true
sampler=""
if [[ "$gpu_device" == cuda ]] && ! grep -q '^device: gpu' "$work/cuda.err"; then
  echo "gpu-check: FAIL: --device cuda did not put the model on a GPU" >&2
  exit 1
fi

python3 - "$work" "$cpu_nanos" "$cuda_nanos" << 'EOF'
import json, math, re, struct, sys
from array import array

work, cpu_seconds, cuda_seconds = sys.argv[1], int(sys.argv[2]) / 1e9, int(sys.argv[3]) / 1e9

def tensors(path):
    """float32 tensors of a safetensors file, by name (stdlib only)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            sys.exit(f"{path}: {name} is {entry['dtype']}, expected F32")
        start, end = entry["data_offsets"]
        values = array("f")
        values.frombytes(data[start:end])
        if sys.byteorder != "little":
            values.byteswap()
        out[name] = values
    return out

def losses(device):
    text = open(f"{work}/{device}.out").read()
    m = re.search(r"batch loss ([0-9.eE+-]+) -> ([0-9.eE+-]+)", text)
    if not m:
        sys.exit(f"no loss line in the {device} run: {text}")
    return float(m.group(1)), float(m.group(2))

def memory_mib():
    values = [int(v) for v in open(f"{work}/memory.csv").read().split() if v.strip().isdigit()]
    return (min(values), max(values)) if values else (None, None)

cpu, cuda = tensors(f"{work}/adapter-cpu/adapter_model.safetensors"), tensors(f"{work}/adapter-cuda/adapter_model.safetensors")
if cpu.keys() != cuda.keys():
    sys.exit(f"FAIL: the adapters hold different tensors: {sorted(cpu.keys() ^ cuda.keys())[:5]}")
diff2 = norm2 = 0.0
max_abs = 0.0
for name in cpu:
    for a, b in zip(cpu[name], cuda[name]):
        diff2 += (a - b) ** 2
        norm2 += a * a
        max_abs = max(max_abs, abs(a - b))
relative = math.sqrt(diff2 / norm2) if norm2 > 0 else math.sqrt(diff2)
(cpu_before, cpu_after), (cuda_before, cuda_after) = losses("cpu"), losses("cuda")
rel = lambda x, y: abs(x - y) / max(abs(x), 1e-12)
low, peak = memory_mib()
print(f"loss before training: cpu {cpu_before:.6f}  cuda {cuda_before:.6f}  relative difference {rel(cpu_before, cuda_before):.2e}")
print(f"loss after training:  cpu {cpu_after:.6f}  cuda {cuda_after:.6f}  relative difference {rel(cpu_after, cuda_after):.2e}")
print(f"adapters: relative Frobenius difference {relative:.2e}, max abs difference {max_abs:.2e}")
print(f"process wall time (JVM start, load, train): cpu {cpu_seconds:.1f} s, cuda {cuda_seconds:.1f} s")
if peak is not None:
    print(f"GPU 0 memory used during the cuda run (nvidia-smi, whole device): {low} -> peak {peak} MiB")
failures = []
if rel(cpu_before, cuda_before) > 1e-4:
    failures.append("loss before training differs by more than 1e-4 relative")
if rel(cpu_after, cuda_after) > 1e-2:
    failures.append("loss after training differs by more than 1e-2 relative")
if relative > 5e-2:
    failures.append("adapters differ by more than 5e-2 (relative Frobenius)")
if failures:
    sys.exit("gpu-check: FAIL: " + "; ".join(failures))
print("gpu-check: PASS: CUDA and CPU agree")
EOF

# 4. tokens/s and device memory, ours and transformers + PEFT eager on the same GPU
venv="${FEDMLLM_HF_VENV:-$HOME/.cache/fedmllm/venv-hf}"
peer=""
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import transformers, peft, PIL' 2> /dev/null; then
  peer="$venv/bin/python"
fi
prompt="Describe the picture in one short sentence, then say whether it is hateful."
image_args=()
if [[ -n "$peer" ]]; then
  "$peer" -c 'import sys; from PIL import Image; Image.radial_gradient("L").convert("RGB").resize((512, 512)).save(sys.argv[1])' \
    "$work/image.png"
  image_args=(--image "$work/image.png")
fi
bench_steps="${GPU_CHECK_BENCH_STEPS:-5}"
for dtype in float32 float16; do
  "${fedmllm[@]}" checkpoint bench --model "$work/checkpoint" --prompt "$prompt" "${image_args[@]}" --device "$gpu_device" \
    --base-dtype "$dtype" --steps "$bench_steps" 2> /dev/null | tee "$work/bench-ours-$dtype.txt" | grep -v '^RESULT'
  if [[ -n "$peer" ]]; then
    "$peer" "$here/hf_reference/bench_lora_step.py" --checkpoint "$work/checkpoint" --prompt "$prompt" \
      "${image_args[@]}" --device "$gpu_device" --base-dtype "$dtype" --steps "$bench_steps" 2> /dev/null \
      | tee "$work/bench-peer-$dtype.txt" | grep -v '^RESULT'
  fi
done
if [[ -z "$peer" ]]; then
  echo "gpu-check: no Python with transformers + peft at $venv: transformers' tokens/s not measured" \
    "(tools/hf_reference/setup_venv.sh creates one)"
fi
python3 - "$work" "$peer" << 'EOF'
import json, sys
work, peer = sys.argv[1], sys.argv[2]
def result(path):
    for line in open(path):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.exit(f"gpu-check: FAIL: no result in {path}")
ours = {d: result(f"{work}/bench-ours-{d}.txt") for d in ("float32", "float16")}
for d, r in ours.items():
    line = f"ours {d} base: {r['tokens_per_second']:.1f} tokens/s, device memory in use {r['device_memory_mib']} MiB"
    if peer:
        p = result(f"{work}/bench-peer-{d}.txt")
        line += (f"; transformers+PEFT eager {p['tokens_per_second']:.1f} tokens/s, {p['device_memory_mib']} MiB; "
                 f"step time ratio ours/theirs {r['median_step_seconds'] / p['median_step_seconds']:.2f}")
    print(line)
relative = abs(ours["float16"]["loss"] - ours["float32"]["loss"]) / abs(ours["float32"]["loss"])
print(f"float16 vs float32 base: step loss {ours['float16']['loss']:.5f} vs {ours['float32']['loss']:.5f} "
      f"({relative:.1e} relative)")
if relative > 1e-2:
    sys.exit("gpu-check: FAIL: the float16 base's loss differs from the float32 base's by more than 1e-2")
print("gpu-check: PASS: benchmark")
EOF
