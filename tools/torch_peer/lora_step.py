"""PyTorch eager peer of fedmllm's built-in model (presets tiny / small) and its LoRA training step.

The same architecture as trainer-image's io.fedmllm.model (ViT-style vision encoder, two-layer GELU projector,
pre-LayerNorm causal decoder over [image tokens | text tokens] with a head tied to the token embedding, LoRA on the
decoder's q/k/v/o with dropout on each adapter's input), the same loss (mean next-token cross-entropy over the
answer tokens) and the same step (forward, backward, global-norm clipping to 1.0, AdamW(0.9, 0.95, eps 1e-8,
wd 0.1) on the LoRA factors only). Sizes are read from the committed preset JSON. Prints one RESULT line (JSON).
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

PRESETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "trainer-image", "src", "main",
                       "resources", "io", "fedmllm", "model", "presets")


class LoraLinear(nn.Module):
    def __init__(self, inp, out, std, lora=None):
        super().__init__()
        self.base = nn.Linear(inp, out)
        nn.init.normal_(self.base.weight, std=std)
        nn.init.zeros_(self.base.bias)
        self.base.requires_grad_(False)
        self.lora = lora
        if lora is not None:
            r, alpha, dropout = lora
            self.a = nn.Parameter(torch.empty(r, inp).uniform_(-1 / math.sqrt(inp), 1 / math.sqrt(inp)))
            # B starts at zero in training; random here so every gradient is non-trivial (same cost either way)
            self.b = nn.Parameter(torch.randn(out, r) * 0.01)
            self.scale = alpha / r
            self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        y = self.base(x)
        if self.lora is None:
            return y
        return y + (self.dropout(x) @ self.a.t() @ self.b.t()) * self.scale


class Attention(nn.Module):
    def __init__(self, dim, heads, std, lora):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q, self.k, self.v, self.o = (LoraLinear(dim, dim, std, lora) for _ in range(4))

    def forward(self, x, bias):
        b, s, _ = x.shape
        split = lambda t: t.reshape(b, s, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(self.head_dim))
        if bias is not None:
            scores = scores + bias
        ctx = scores.softmax(-1) @ v
        return self.o(ctx.transpose(1, 2).reshape(b, s, self.heads * self.head_dim))


class Layer(nn.Module):
    def __init__(self, dim, heads, mlp, eps, std, lora):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim, eps=eps), nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads, std, lora)
        self.up, self.down = LoraLinear(dim, mlp, std), LoraLinear(mlp, dim, std)

    def forward(self, x, bias=None):
        h = x + self.attn(self.ln1(x), bias)
        return h + self.down(F.gelu(self.up(self.ln2(h))))


class MultimodalLm(nn.Module):
    def __init__(self, c, vocab, lora):
        super().__init__()
        std, eps = c["init_std"], c["layer_norm_eps"]
        self.patch, self.side = c["patch_size"], c["image_size"] // c["patch_size"]
        self.image_tokens = self.side * self.side
        self.patch_embedding = LoraLinear(3 * self.patch ** 2, c["vision_dim"], std)
        self.vision_positions = nn.Parameter(torch.randn(self.image_tokens, c["vision_dim"]) * std)
        self.vision = nn.ModuleList(Layer(c["vision_dim"], c["vision_heads"], c["vision_mlp_dim"], eps, std, None)
                                    for _ in range(c["vision_layers"]))
        self.post_layernorm = nn.LayerNorm(c["vision_dim"], eps=eps)
        self.proj1 = LoraLinear(c["vision_dim"], c["dim"], std)
        self.proj2 = LoraLinear(c["dim"], c["dim"], std)
        self.embed = nn.Parameter(torch.randn(vocab, c["dim"]) * std)
        self.positions = nn.Parameter(torch.randn(self.image_tokens + c["max_text_tokens"], c["dim"]) * std)
        self.layers = nn.ModuleList(Layer(c["dim"], c["heads"], c["mlp_dim"], eps, std, lora)
                                    for _ in range(c["layers"]))
        self.norm = nn.LayerNorm(c["dim"], eps=eps)

    def forward(self, images, image_present, tokens, text_mask):
        b = tokens.shape[0]
        p, s = self.patch, self.side
        patches = images.reshape(b, 3, s, p, s, p).permute(0, 2, 4, 1, 3, 5).reshape(b, s * s, 3 * p * p)
        v = self.patch_embedding(patches) + self.vision_positions
        for layer in self.vision:
            v = layer(v)
        img = self.proj2(F.gelu(self.proj1(self.post_layernorm(v))))
        seq = self.image_tokens + tokens.shape[1]
        h = torch.cat([img, F.embedding(tokens, self.embed)], 1) + self.positions[:seq]
        causal = torch.ones(seq, seq).tril()  # built per step, as an eager model usually does
        key_present = torch.cat([image_present.reshape(b, 1).repeat(1, self.image_tokens), text_mask], 1)
        bias = (key_present.reshape(b, 1, 1, seq) * causal - 1) * 1e9
        for layer in self.layers:
            h = layer(h, bias)
        text = self.norm(h)[:, self.image_tokens:]
        return text @ self.embed.t()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", required=True)
    ap.add_argument("--vocab", type=int, required=True)
    ap.add_argument("--text-tokens", type=int, required=True, help="text positions per sequence (batch width)")
    ap.add_argument("--scored-tokens", type=int, default=2, help="answer tokens per sequence")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--r", type=int, default=8)
    ap.add_argument("--alpha", type=float, default=8)
    ap.add_argument("--dropout", type=float, default=0.05)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    with open(os.path.join(PRESETS, args.preset + ".json")) as f:
        config = json.load(f)
    model = MultimodalLm(config, args.vocab, (args.r, args.alpha, args.dropout))
    for name, p in model.named_parameters():
        p.requires_grad_(name.endswith(".a") or name.endswith(".b"))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    b, t, size = args.batch_size, args.text_tokens, config["image_size"]
    gen = torch.Generator().manual_seed(3)
    images = torch.randn(b, 3, size, size, generator=gen)
    present = torch.ones(b)
    tokens = torch.randint(0, args.vocab, (b, t), generator=gen)
    text_mask = torch.ones(b, t)
    targets = torch.randint(0, args.vocab, (b, t), generator=gen)
    loss_mask = torch.zeros(b, t)
    loss_mask[:, t - 1 - args.scored_tokens:t - 1] = 1
    scored = float(loss_mask.sum())
    times = []
    for step in range(args.warmup + args.steps):
        started = time.perf_counter()
        logits = model(images, present, tokens, text_mask)
        ll = logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        loss = -(ll * loss_mask).sum() / scored
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=False)
        loss.item()
        times.append(time.perf_counter() - started)
    measured = times[args.warmup:]
    median = statistics.median(measured)
    print(f"torch    {args.preset:<6} batch {b} text {t} median_step_ms {median * 1000:.1f} min {min(measured) * 1000:.1f}")
    print("RESULT " + json.dumps({"side": "torch", "preset": args.preset, "median_step_ms": median * 1000,
                                  "min_step_ms": min(measured) * 1000, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
