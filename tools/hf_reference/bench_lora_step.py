"""transformers + PEFT peer of `fedmllm checkpoint bench`: load time, peak RSS and one LoRA forward+backward step.

Same work as the Java side: AutoProcessor (image processor on its PIL backend) and AutoModelForImageTextToText in
float32 with eager attention, PEFT LoRA (r, alpha, dropout 0, default init: A Kaiming-uniform, B zero) on the decoder
projections only, one user turn (the image, then the prompt) through the chat template, mean next-token cross entropy
over the non-image positions, backward. The last line is a JSON record in the format of the Java side.
Run through bench_lora_step.sh.
"""

import argparse
import json
import sys
import time

import torch


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--image")
    parser.add_argument("--prompt", required=True)
    parser.add_argument("--r", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16)
    parser.add_argument("--targets", default="q_proj,k_proj,v_proj,o_proj")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)

    import peft
    import transformers
    from PIL import Image
    from transformers import AutoImageProcessor, AutoModelForImageTextToText, AutoProcessor

    start = time.perf_counter()
    processor = AutoProcessor.from_pretrained(args.checkpoint)
    processor.image_processor = AutoImageProcessor.from_pretrained(args.checkpoint, backend="pil")
    model = AutoModelForImageTextToText.from_pretrained(args.checkpoint, dtype=torch.float32,
                                                        attn_implementation="eager")
    decoder = "language_model" if model.config.model_type == "llava" else "text_model"
    targets = args.targets.split(",")
    config = peft.LoraConfig(r=args.r, lora_alpha=args.alpha, lora_dropout=0.0, bias="none",
                             target_modules=rf".*{decoder}.*\.({'|'.join(targets)})", task_type="CAUSAL_LM")
    peft_model = peft.get_peft_model(model, config)
    load_seconds = time.perf_counter() - start
    load_hwm = peak_rss_mib()

    content = ([{"type": "image"}] if args.image else []) + [{"type": "text", "text": args.prompt}]
    text = processor.apply_chat_template([{"role": "user", "content": content}], add_generation_prompt=True)
    images = [Image.open(args.image).convert("RGB")] if args.image else None
    inputs = processor(text=text, images=images, return_tensors="pt", add_special_tokens=False)
    ids = inputs["input_ids"][0]
    targets_ids = ids[1:].clone()
    targets_ids[targets_ids == model.config.image_token_id] = -100

    times = []
    loss = None
    for i in range(args.warmup + args.steps):
        peft_model.zero_grad(set_to_none=True)
        t0 = time.perf_counter()
        logits = peft_model(**inputs).logits[0, :-1]
        loss = torch.nn.functional.cross_entropy(logits, targets_ids, ignore_index=-100)
        loss.backward()
        seconds = time.perf_counter() - t0
        if i >= args.warmup:
            times.append(seconds)
    median = sorted(times)[len(times) // 2]
    hwm = peak_rss_mib()
    trainable = sum(p.numel() for p in peft_model.parameters() if p.requires_grad)
    print(f"transformers {transformers.__version__} + peft {peft.__version__} (torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads): load {load_seconds:.2f} s, {len(ids)} tokens, LoRA r {args.r} on "
          f"{targets} ({trainable} trainable), step (forward+backward) median {median:.3f} s of "
          f"{[round(t, 4) for t in times]}, loss {loss.item():.5f}, peak RSS {hwm:.0f} MiB ({load_hwm:.0f} MiB after "
          f"loading)")
    print("RESULT " + json.dumps({"side": "transformers", "load_seconds": round(load_seconds, 4), "tokens": len(ids),
                                  "step_seconds": [round(t, 5) for t in times], "median_step_seconds": round(median, 5),
                                  "loss": round(loss.item(), 6), "vm_hwm_mib": round(hwm, 1),
                                  "load_vm_hwm_mib": round(load_hwm, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
