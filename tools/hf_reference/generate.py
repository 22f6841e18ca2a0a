"""Builds tiny random-weight Hugging Face multimodal checkpoints and the reference outputs the Java tests compare to.

Run through generate.sh (it creates the pinned venv). Deterministic: every variant seeds torch from its own seed, so
running it again on the same stack rewrites byte-identical files.

For each variant in VARIANTS, OUT/<variant>/ receives
  checkpoint/            complete checkpoint dir: config.json, model.safetensors (or shards + index), tokenizer.json,
                         tokenizer_config.json, chat template, processor config
  image.png              the deterministic test image
  goldens.safetensors    F32 reference tensors (see GOLDEN TENSORS below)
  goldens.json           prompts, shapes, settings, SHA-256 of every checkpoint file
  processor-cases.safetensors  the processor alone on the shared PROCESSOR_CASES images (OUT/processor-cases/*.png):
                         <case>.pixel_values, <case>.input_ids (one user turn: the image, then PROMPT), <case>.grid
                         [rows, cols] of the image split (0, 0 when not split)
GOLDEN TENSORS (all F32; ids stored as exact floats):
  text.input_ids [T]                 chat-templated text-only prompt, tokenized
  text.logits [T, V]                 language model logits of that prompt
  text.labels [T], text.loss []      labels = ids (first position -100), causal LM loss
  mm.input_ids [S], mm.pixel_values  processor output for (image, prompt)
  mm.pixel_attention_mask            SmolVLM only
  mm.logits [S, V]                   full multimodal model logits
  mm.labels [S], mm.loss []          labels = ids with image positions -100
  lora.init.<peft key>               LoRA weights at init (B = 0), PEFT key names
  lora.grad0.<peft key>              gradient of mm.loss at init
  lora.grad1.<peft key>              gradient of mm.loss after one SGD step p -= LORA_LR * grad0 (fp32; A and B both
                                     non-zero there)
  lora.loss1 []                      mm.loss at step1
"""

import argparse
import copy
import hashlib
import json
import os
import shutil
import sys

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file

import peft
import transformers
from tokenizers import Tokenizer, models, pre_tokenizers, trainers, decoders
from transformers import PreTrainedTokenizerFast

HIDDEN = 64
INTERMEDIATE = 96
LAYERS = 2
VOCAB = 300
VISION_HIDDEN = 32
VISION_INTERMEDIATE = 64
IMAGE = 32
PATCH = 8
LORA_R = 4
LORA_ALPHA = 8
LORA_LR = 0.05
LORA_TARGETS = r".*(language_model|text_model).*\.(q_proj|k_proj|v_proj|o_proj)"

SPECIALS = ["<unk>", "<s>", "</s>", "<pad>", "<image>", "<fake_token_around_image>", "<global-img>",
            "<end_of_utterance>", "<|im_start|>"] + [f"<row_{r}_col_{c}>" for r in range(1, 5) for c in range(1, 5)]
CORPUS = [
    "User: What is shown in the picture? Assistant: A red square on a blue background.",
    "Which colour is the circle? Answer with one word. Green.",
    "Describe the image in detail, please. There are three shapes and a line.",
    "USER: How many objects are there? ASSISTANT: There are two objects.",
    "The quick brown fox jumps over the lazy dog while the cat sleeps.",
    "Options: A) left B) right C) top D) bottom. The answer is B.",
]
PROMPT = "What is shown in the picture? Answer briefly."
# extra pictures for the image processor alone: name -> (height, width, seed); portrait, landscape and wide shapes
# take the other resize branches, downscaling and a 1 x 2 tile grid
PROCESSOR_CASES = {"portrait": (45, 27, 101), "landscape": (72, 96, 102), "wide": (30, 100, 103)}

SMOLVLM_TEMPLATE = (
    "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}"
    "{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}"
    "{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}"
    "{% elif line['type'] == 'image' %}{{ '<image>' }}{% endif %}{% endfor %}<end_of_utterance>\n{% endfor %}"
    "{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}")
LLAVA_TEMPLATE = (
    "{% for message in messages %}{% if message['role'] == 'user' %}USER: {% else %}ASSISTANT: {% endif %}"
    "{% for item in message['content'] %}{% if item['type'] == 'image' %}{{ '<image>\n' }}"
    "{% elif item['type'] == 'text' %}{{ item['text'] }}{% endif %}{% endfor %}"
    "{% if message['role'] == 'user' %}{{ ' ' }}{% else %}{{ eos_token }}{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}")

# name, family, decoder, heads/kv heads, tied head, vision, extra, storage dtype, layout
VARIANTS = [
    dict(name="llava-clip-llama", family="llava", decoder="llama", heads=4, kv_heads=2, tied=False, vision="clip",
         feature_layer=-2, strategy="default", dtype="float16", layout="single", seed=11),
    dict(name="llava-siglip-qwen2", family="llava", decoder="qwen2", heads=4, kv_heads=1, tied=True, vision="siglip",
         feature_layer=-1, strategy="full", dtype="bfloat16", layout="hub-sharded", seed=12),
    dict(name="smolvlm", family="smolvlm", decoder="llama", heads=4, kv_heads=4, tied=True, vision="idefics3",
         splitting=False, dtype="bfloat16", layout="single", seed=13),
    dict(name="smolvlm-split", family="smolvlm", decoder="llama", heads=4, kv_heads=2, tied=True, vision="idefics3",
         splitting=True, dtype="float16", layout="single", seed=14),
]


def build_tokenizer(path):
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB - 20, special_tokens=SPECIALS, show_progress=False)
    tok.train_from_iterator(CORPUS, trainer=trainer)
    assert tok.get_vocab_size() <= VOCAB, tok.get_vocab_size()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", bos_token="<s>", eos_token="</s>",
                                   pad_token="<pad>")
    return fast


def text_config(v):
    common = dict(vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=INTERMEDIATE, num_hidden_layers=LAYERS,
                  num_attention_heads=v["heads"], num_key_value_heads=v["kv_heads"], max_position_embeddings=256,
                  rms_norm_eps=1e-5, tie_word_embeddings=v["tied"], pad_token_id=3, bos_token_id=1, eos_token_id=2)
    if v["decoder"] == "llama":
        return transformers.LlamaConfig(rope_theta=10000.0 if v["seed"] % 2 else 500000.0, **common)
    return transformers.Qwen2Config(rope_theta=1000000.0, **common)


def vision_config(v):
    common = dict(hidden_size=VISION_HIDDEN, intermediate_size=VISION_INTERMEDIATE, num_hidden_layers=LAYERS,
                  num_attention_heads=2, image_size=IMAGE, patch_size=PATCH, num_channels=3)
    if v["vision"] == "clip":
        return transformers.CLIPVisionConfig(projection_dim=VISION_HIDDEN, **common)
    if v["vision"] == "siglip":
        return transformers.SiglipVisionConfig(**common)
    return dict(model_type="smolvlm_vision", **common)


def build_model(v, tokenizer):
    image_id = tokenizer.convert_tokens_to_ids("<image>")
    if v["family"] == "llava":
        config = transformers.LlavaConfig(vision_config=vision_config(v), text_config=text_config(v),
                                          image_token_id=image_id, vision_feature_layer=v["feature_layer"],
                                          vision_feature_select_strategy=v["strategy"], projector_hidden_act="gelu",
                                          tie_word_embeddings=v["tied"])
        model_cls = transformers.LlavaForConditionalGeneration
    else:
        config = transformers.SmolVLMConfig(vision_config=vision_config(v), text_config=text_config(v).to_dict(),
                                            image_token_id=image_id, scale_factor=2, tie_word_embeddings=v["tied"])
        model_cls = transformers.SmolVLMForConditionalGeneration
    torch.manual_seed(v["seed"])
    model = model_cls(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1 and ("norm" in name or "layernorm" in name or "layrnorm" in name):
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            elif p.dim() == 1:
                p.copy_(0.05 * torch.randn_like(p))
            else:
                p.copy_(0.08 * torch.randn_like(p))
        # weights representable in the storage dtype, so the goldens are what the saved file holds
        store = getattr(torch, v["dtype"])
        for p in model.parameters():
            p.copy_(p.to(store).to(torch.float32))
    if v["tied"]:
        model.tie_weights()
    return model


def build_processor(v, tokenizer):
    if v["family"] == "llava":
        if v["vision"] == "clip":
            ip = transformers.CLIPImageProcessorPil(size={"shortest_edge": IMAGE},
                                                 crop_size={"height": IMAGE, "width": IMAGE})
            extra = 1
        else:
            ip = transformers.SiglipImageProcessorPil(size={"height": IMAGE, "width": IMAGE})
            extra = 0
        return transformers.LlavaProcessor(image_processor=ip, tokenizer=tokenizer, patch_size=PATCH,
                                           vision_feature_select_strategy=v["strategy"],
                                           num_additional_image_tokens=extra, chat_template=LLAVA_TEMPLATE,
                                           image_token="<image>")
    ip = transformers.SmolVLMImageProcessorPil(do_image_splitting=v["splitting"], size={"longest_edge": 2 * IMAGE},
                                            max_image_size={"longest_edge": IMAGE}, do_resize=True)
    seq = (IMAGE // PATCH) ** 2 // 4
    return transformers.SmolVLMProcessor(image_processor=ip, tokenizer=tokenizer, video_processor=transformers.SmolVLMVideoProcessor(), image_seq_len=seq,
                                         chat_template=SMOLVLM_TEMPLATE)


def test_image(seed, height=40, width=52):
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    return Image.fromarray(arr, "RGB")


# PIL.Image.resize of the case pictures with every filter to sizes that take both pass orders (Pillow 13 resizes
# vertically first when the height shrinks much more than the width), up- and downscaling, one axis unchanged
RESAMPLE_FILTERS = {"lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}
RESAMPLE_SIZES = {"portrait": [(13, 50), (40, 11), (27, 20), (31, 52), (9, 9)],
                  "landscape": [(32, 32), (96, 9), (20, 40)]}


def write_processor_case_images(out_root):
    out = os.path.join(out_root, "processor-cases")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name, (h, w, seed) in PROCESSOR_CASES.items():
        test_image(seed, h, w).save(os.path.join(out, name + ".png"))
    resized = {}
    for name, sizes in RESAMPLE_SIZES.items():
        image = Image.open(os.path.join(out, name + ".png")).convert("RGB")
        for filter_name, code in RESAMPLE_FILTERS.items():
            for w, h in sizes:
                values = np.array(image.resize((w, h), resample=code), dtype=np.float32)
                resized[f"{name}.{filter_name}.{w}x{h}"] = torch.from_numpy(values).to(torch.float16)
    # [height, width, 3] uint8 values as F16 (exact for 0..255)
    save_file(resized, os.path.join(out, "resized.safetensors"))


def processor_cases(processor, mm_prompt, out):
    cases = {}
    for name, (h, w, seed) in PROCESSOR_CASES.items():
        image = Image.open(os.path.join(os.path.dirname(out), "processor-cases", name + ".png")).convert("RGB")
        inputs = processor(text=mm_prompt, images=[image], return_tensors="pt", add_special_tokens=False)
        cases[name + ".pixel_values"] = inputs["pixel_values"].float().contiguous()
        cases[name + ".input_ids"] = inputs["input_ids"][0].float()
        ip = processor.image_processor
        if getattr(ip, "do_image_splitting", False):
            grid = ip(images=[image], return_row_col_info=True)
            cases[name + ".grid"] = torch.tensor([grid["rows"][0][0], grid["cols"][0][0]], dtype=torch.float32)
        else:
            cases[name + ".grid"] = torch.zeros(2)
    save_file(cases, os.path.join(out, "processor-cases.safetensors"))


# transformers 5.24 saves LLaVA as language_model.model.* / multi_modal_projector.* / vision_tower.*; hub checkpoints
# (llava-1.5) have one more level in the vision tower.
HUB_RENAMES = [("vision_tower.", "vision_tower.vision_model.")]


def rewrite_hub_sharded(ckpt):
    """Rewrites model.safetensors with hub-style names into two shards plus model.safetensors.index.json."""
    tensors = load_file(os.path.join(ckpt, "model.safetensors"))
    renamed = {}
    for name, t in tensors.items():
        for src, dst in HUB_RENAMES:
            if name.startswith(src):
                name = dst + name[len(src):]
                break
        renamed[name] = t
    names = sorted(renamed)
    shards = [names[: len(names) // 2], names[len(names) // 2:]]
    weight_map = {}
    total = 0
    for i, part in enumerate(shards):
        file = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        save_file({n: renamed[n].contiguous() for n in part}, os.path.join(ckpt, file), metadata={"format": "pt"})
        for n in part:
            weight_map[n] = file
            total += renamed[n].numel() * renamed[n].element_size()
    os.remove(os.path.join(ckpt, "model.safetensors"))
    with open(os.path.join(ckpt, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)


def lm_loss(logits, labels):
    return torch.nn.functional.cross_entropy(logits[:-1].float(), labels[1:], ignore_index=-100)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def generate(v, out_root):
    out = os.path.join(out_root, v["name"])
    ckpt = os.path.join(out, "checkpoint")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(ckpt)
    tokenizer = build_tokenizer(ckpt)
    built = build_model(v, tokenizer)
    processor = build_processor(v, tokenizer)
    # a copy: Module.to converts in place, buffers (rotary inv_freq) included
    copy.deepcopy(built).to(getattr(torch, v["dtype"])).save_pretrained(ckpt)
    processor.save_pretrained(ckpt)
    if v["layout"] == "hub-sharded":
        rewrite_hub_sharded(ckpt)
    model_cls = type(built)
    model = model_cls.from_pretrained(ckpt, dtype=torch.float32).eval()
    reference = built
    torch.set_num_threads(1)

    goldens = {}
    image = test_image(v["seed"])
    image.save(os.path.join(out, "image.png"))
    text_messages = [{"role": "user", "content": [{"type": "text", "text": PROMPT}]}]
    mm_messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": PROMPT}]}]
    text_prompt = processor.apply_chat_template(text_messages, add_generation_prompt=True)
    mm_prompt = processor.apply_chat_template(mm_messages, add_generation_prompt=True)

    with torch.no_grad():
        ids = tokenizer(text_prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
        logits = model(input_ids=ids).logits[0]
        ref_logits = reference(input_ids=ids).logits[0]
        assert torch.equal(logits, ref_logits), "reloaded checkpoint differs from the built model"
        labels = ids[0].clone()
        labels[0] = -100
        goldens["text.input_ids"] = ids[0].float()
        goldens["text.logits"] = logits
        goldens["text.labels"] = labels.float()
        goldens["text.loss"] = lm_loss(logits, labels)

    inputs = processor(text=mm_prompt, images=[image], return_tensors="pt", add_special_tokens=False)
    image_id = model.config.image_token_id
    mm_labels = inputs["input_ids"][0].clone()
    mm_labels[mm_labels == image_id] = -100
    mm_labels[0] = -100
    with torch.no_grad():
        mm_logits = model(**inputs).logits[0]
    goldens["mm.input_ids"] = inputs["input_ids"][0].float()
    goldens["mm.pixel_values"] = inputs["pixel_values"].float()
    if "pixel_attention_mask" in inputs:
        goldens["mm.pixel_attention_mask"] = inputs["pixel_attention_mask"].float()
    goldens["mm.logits"] = mm_logits
    goldens["mm.labels"] = mm_labels.float()
    goldens["mm.loss"] = lm_loss(mm_logits, mm_labels)

    torch.manual_seed(v["seed"] + 1000)
    lora_config = peft.LoraConfig(r=LORA_R, lora_alpha=LORA_ALPHA, lora_dropout=0.0, bias="none",
                                  target_modules=LORA_TARGETS, task_type="CAUSAL_LM")
    peft_model = peft.get_peft_model(model, lora_config)
    peft_model.eval()
    lora_params = {n: p for n, p in peft_model.named_parameters() if p.requires_grad}
    assert lora_params and all("lora_" in n for n in lora_params), sorted(lora_params)
    assert not any("vision" in n for n in lora_params), "LoRA reached the vision tower"

    def peft_key(n):
        return n.replace(".default", "")

    for n, p in lora_params.items():
        goldens["lora.init." + peft_key(n)] = p.detach().clone()
    loss0 = lm_loss(peft_model(**inputs).logits[0], mm_labels)
    assert torch.allclose(loss0, goldens["mm.loss"], atol=0, rtol=0), "LoRA at init changed the loss"
    loss0.backward()
    with torch.no_grad():
        for n, p in lora_params.items():
            goldens["lora.grad0." + peft_key(n)] = p.grad.clone()
            p -= LORA_LR * p.grad
            p.grad = None
    loss1 = lm_loss(peft_model(**inputs).logits[0], mm_labels)
    loss1.backward()
    for n, p in lora_params.items():
        goldens["lora.grad1." + peft_key(n)] = p.grad.clone()
    goldens["lora.loss1"] = loss1.detach()

    save_file({k: t.detach().float().contiguous() for k, t in goldens.items()},
              os.path.join(out, "goldens.safetensors"))
    processor_cases(processor, mm_prompt, out)
    files = sorted(f for f in os.listdir(ckpt) if os.path.isfile(os.path.join(ckpt, f)))
    meta = {
        "variant": v,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "peft": peft.__version__},
        "text_prompt": text_prompt,
        "mm_prompt": mm_prompt,
        "image_token_id": image_id,
        "lora": {"r": LORA_R, "alpha": LORA_ALPHA, "lr": LORA_LR, "target_modules": LORA_TARGETS},
        "checkpoint_files": [{"name": f, "size": os.path.getsize(os.path.join(ckpt, f)),
                              "sha256": sha256(os.path.join(ckpt, f))} for f in files],
        "state_dict_names": sorted(load_names(ckpt)),
        # per stored tensor, from the fp32 values it widens to: [float64 sum, float64 sum of squares, first element]
        "tensor_sums": tensor_sums(ckpt),
    }
    with open(os.path.join(out, "goldens.json"), "w") as f:
        json.dump(meta, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{v['name']}: {len(files)} files, text tokens {ids.shape[1]}, mm tokens {inputs['input_ids'].shape[1]}, "
          f"pixel_values {list(inputs['pixel_values'].shape)}, loss {goldens['mm.loss'].item():.6f}, "
          f"lora tensors {len(lora_params)}")


def tensor_sums(ckpt):
    sums = {}
    for f in sorted(os.listdir(ckpt)):
        if f.endswith(".safetensors"):
            for name, t in load_file(os.path.join(ckpt, f)).items():
                x = t.to(torch.float64).flatten()
                sums[name] = [x.sum().item(), (x * x).sum().item(), x[0].item()]
    return sums


def load_names(ckpt):
    names = []
    for f in os.listdir(ckpt):
        if f.endswith(".safetensors"):
            names.extend(load_file(os.path.join(ckpt, f)).keys())
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="output directory (the test resources hf-goldens dir)")
    parser.add_argument("--only", help="generate one variant")
    args = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    write_processor_case_images(args.out)
    for v in VARIANTS:
        if args.only is None or v["name"] == args.only:
            generate(v, args.out)


if __name__ == "__main__":
    sys.exit(main())
