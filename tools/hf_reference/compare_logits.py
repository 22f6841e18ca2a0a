"""Compares `fedmllm logits` output with transformers (and PEFT) on the same checkpoint, image and prompt.

Run through check_checkpoint.sh / check_peft_adapter.sh, which create the venv and run fedmllm first.

Without --adapter: transformers' processor (PIL backend) and model, loaded with the Auto classes as a user would
(AutoProcessor, AutoModelForImageTextToText, float32), must give the token ids of --ours exactly and its logits
within --tolerance (max abs diff).
With --adapter: PeftModel.from_pretrained puts the adapter on that model; its logits must equal --ours (fedmllm logits
--adapter), and the change the adapter causes (vs --ours-base, fedmllm logits without it, itself checked against
transformers) must exceed --min-change: PEFT loads tensors whose names match no module with only a warning and no
effect, so a check whose adapter changes nothing proves nothing.
"""

import argparse
import sys
import warnings

import torch
from PIL import Image
from safetensors.torch import load_file
from transformers import AutoImageProcessor, AutoModelForImageTextToText, AutoProcessor


def max_abs_diff(a, b):
    return (a.float() - b.float()).abs().max().item()


def transformers_inputs(processor, image_path, prompt):
    content = ([{"type": "image"}] if image_path else []) + [{"type": "text", "text": prompt}]
    text = processor.apply_chat_template([{"role": "user", "content": content}], add_generation_prompt=True)
    images = [Image.open(image_path).convert("RGB")] if image_path else None
    return processor(text=text, images=images, return_tensors="pt", add_special_tokens=False)


def ours(path):
    tensors = load_file(path)
    return tensors["input_ids"].long(), tensors["logits"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--image")
    parser.add_argument("--prompt", required=True)
    parser.add_argument("--ours", required=True, help="fedmllm logits output (with --adapter when given)")
    parser.add_argument("--adapter", help="PEFT adapter directory")
    parser.add_argument("--ours-base", help="fedmllm logits output without the adapter (with --adapter)")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--min-change", type=float, default=1e-2)
    parser.add_argument("--dtype", choices=["float32", "float16"], default="float32",
                        help="dtype transformers loads the model in (fedmllm logits --base-dtype the same)")
    args = parser.parse_args()
    torch.set_num_threads(1)

    import peft
    import transformers
    print(f"stack: torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}")
    processor = AutoProcessor.from_pretrained(args.checkpoint)
    # PIL's resampling, which the checkpoint names (the torchvision backend falls back to bicubic for LANCZOS and
    # antialiases differently); only the image processor has a PIL backend, not SmolVLM's video processor
    processor.image_processor = AutoImageProcessor.from_pretrained(args.checkpoint, backend="pil")
    dtype = torch.float16 if args.dtype == "float16" else torch.float32
    model = AutoModelForImageTextToText.from_pretrained(args.checkpoint, dtype=dtype).eval()
    print(f"checkpoint {args.checkpoint}: {type(model).__name__}, {type(processor).__name__} with "
          f"{type(processor.image_processor).__name__}")
    inputs = transformers_inputs(processor, args.image, args.prompt)
    if "pixel_values" in inputs:
        inputs["pixel_values"] = inputs["pixel_values"].to(dtype)
    ids = inputs["input_ids"][0]
    with torch.no_grad():
        base = model(**inputs).logits[0].float()

    failures = []
    our_ids, our_logits = ours(args.ours_base if args.adapter else args.ours)
    if not torch.equal(our_ids, ids):
        failures.append(f"input_ids differ: ours {our_ids.tolist()} vs transformers {ids.tolist()}")
    tolerance = args.tolerance
    if args.dtype == "float16":
        # half precision's own rounding, measured: transformers in float16 against transformers in float32; ours in
        # float16 must be as close to transformers' float16 logits as that (twice it, plus the float32 tolerance)
        full = AutoModelForImageTextToText.from_pretrained(args.checkpoint, dtype=torch.float32).eval()
        full_inputs = transformers_inputs(processor, args.image, args.prompt)
        with torch.no_grad():
            gap = max_abs_diff(full(**full_inputs).logits[0], base)
        tolerance = 2 * gap + args.tolerance
        print(f"transformers float16 vs float32: max abs diff {gap:.3e}")
    base_diff = max_abs_diff(our_logits, base) if our_logits.shape == base.shape else float("inf")
    print(f"base model ({args.dtype}): {len(ids)} tokens, logits {list(base.shape)}, max abs diff ours vs transformers "
          f"{base_diff:.3e} (tolerance {tolerance:.3g}; largest |logit| {base.abs().max().item():.3e})")
    if not base_diff <= tolerance:
        failures.append(f"base logits differ by {base_diff:.3e}")

    if args.adapter:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            adapted_model = peft.PeftModel.from_pretrained(model, args.adapter).eval()
        for w in caught:
            if issubclass(w.category, (DeprecationWarning, FutureWarning)):
                continue
            message = str(w.message) if len(str(w.message)) <= 300 else str(w.message)[:300] + " ..."
            print(f"PEFT warning: {message}")
            if "missing" in message.lower() or "unexpected" in message.lower():
                failures.append(f"PEFT did not load every adapter tensor: {message}")
        stored = [k for k in load_file(f"{args.adapter}/adapter_model.safetensors") if "lora_A" in k]
        wrapped = [n for n, m in adapted_model.named_modules() if hasattr(m, "lora_A") and "default" in m.lora_A]
        vision = [n for n in wrapped if "vision" in n]
        print(f"adapter {args.adapter}: {len(stored)} lora_A tensors stored, PEFT wrapped {len(wrapped)} modules "
              f"({len(vision)} in the vision tower)")
        if len(wrapped) != len(stored):
            failures.append(f"PEFT wrapped {len(wrapped)} modules for {len(stored)} stored adapters")
        if vision:
            failures.append(f"target_modules reached the vision tower: {vision[:3]}")
        with torch.no_grad():
            adapted = adapted_model(**inputs).logits[0].float()
        our_ids, our_adapted = ours(args.ours)
        if not torch.equal(our_ids, ids):
            failures.append("input_ids of the adapter run differ")
        diff = max_abs_diff(our_adapted, adapted) if our_adapted.shape == adapted.shape else float("inf")
        change = max_abs_diff(adapted, base)
        our_change = max_abs_diff(our_adapted, our_logits)
        print(f"with adapter: max abs diff ours vs PEFT {diff:.3e} (tolerance {args.tolerance:g})")
        print(f"logit change the adapter causes: PEFT {change:.3e}, ours {our_change:.3e} (must exceed "
              f"{args.min_change:g})")
        if not diff <= args.tolerance:
            failures.append(f"adapted logits differ by {diff:.3e}")
        if not change > args.min_change:
            failures.append(f"the adapter changes the logits by only {change:.3e}: the check proves nothing")

    for f in failures:
        print(f"FAIL: {f}")
    print("RESULT: " + ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
