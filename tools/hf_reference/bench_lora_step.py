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
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--base-dtype", choices=["float32", "float16"], default="float32",
                        help="dtype of the frozen base (LoRA stays float32, as PEFT keeps adapters of a half model)")
    parser.add_argument("--attention", default="eager", help="attn_implementation (eager, sdpa)")
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
    dtype = torch.float16 if args.base_dtype == "float16" else torch.float32
    model = AutoModelForImageTextToText.from_pretrained(args.checkpoint, dtype=dtype,
                                                        attn_implementation=args.attention).to(args.device)
    decoder = "language_model" if model.config.model_type == "llava" else "text_model"
    targets = args.targets.split(",")
    config = peft.LoraConfig(r=args.r, lora_alpha=args.alpha, lora_dropout=0.0, bias="none",
                             target_modules=rf".*{decoder}.*\.({'|'.join(targets)})", task_type="CAUSAL_LM")
    peft_model = peft.get_peft_model(model, config, autocast_adapter_dtype=True)
    for name, p in peft_model.named_parameters():
        if p.requires_grad:
            p.data = p.data.float()
    load_seconds = time.perf_counter() - start
    load_hwm = peak_rss_mib()

    content = ([{"type": "image"}] if args.image else []) + [{"type": "text", "text": args.prompt}]
    text = processor.apply_chat_template([{"role": "user", "content": content}], add_generation_prompt=True)
    images = [Image.open(args.image).convert("RGB")] if args.image else None
    inputs = processor(text=text, images=images, return_tensors="pt", add_special_tokens=False).to(args.device)
    if "pixel_values" in inputs:
        inputs["pixel_values"] = inputs["pixel_values"].to(dtype)
    ids = inputs["input_ids"][0]
    targets_ids = ids[1:].clone()
    targets_ids[targets_ids == model.config.image_token_id] = -100

    times = []
    loss = None
    for i in range(args.warmup + args.steps):
        peft_model.zero_grad(set_to_none=True)
        t0 = time.perf_counter()
        logits = peft_model(**inputs).logits[0, :-1]
        loss = torch.nn.functional.cross_entropy(logits.float(), targets_ids, ignore_index=-100)
        loss.backward()
        if args.device == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
        if i >= args.warmup:
            times.append(seconds)
    median = sorted(times)[len(times) // 2]
    hwm = peak_rss_mib()
    device_mib = None
    if args.device == "cuda":
        free, total = torch.cuda.mem_get_info()
        device_mib = (total - free) / 1048576.0
    trainable = sum(p.numel() for p in peft_model.parameters() if p.requires_grad)
    print(f"transformers {transformers.__version__} + peft {peft.__version__} (torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads): load {load_seconds:.2f} s, {len(ids)} tokens, LoRA r {args.r} on "
          f"{targets} ({trainable} trainable), step (forward+backward) median {median:.3f} s of "
          f"{[round(t, 4) for t in times]} ({len(ids) / median:.1f} tokens/s, {args.device}, {args.base_dtype} base), "
          f"loss {loss.item():.5f}, peak RSS {hwm:.0f} MiB ({load_hwm:.0f} MiB after loading)"
          + ("" if device_mib is None else f", device memory in use {device_mib:.0f} MiB"))
    print("RESULT " + json.dumps({"side": "transformers", "load_seconds": round(load_seconds, 4), "tokens": len(ids),
                                  "step_seconds": [round(t, 5) for t in times], "median_step_seconds": round(median, 5),
                                  "device": args.device, "tokens_per_second": round(len(ids) / median, 3),
                                  "device_memory_mib": None if device_mib is None else round(device_mib, 1),
                                  "loss": round(loss.item(), 6), "vm_hwm_mib": round(hwm, 1),
                                  "load_vm_hwm_mib": round(load_hwm, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
