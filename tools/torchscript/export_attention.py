"""Writes the TorchScript attention modules the trainer runs through DJL (trainer-image resources io/fedmllm/hf/nn/).

PyTorch's fused scaled-dot-product attention (flash / memory-efficient kernels on CUDA, a fused kernel on CPU) is not
among DJL 0.36's NDArray operations, but DJL runs TorchScript modules with autograd. Each module is one call of
torch.nn.functional.scaled_dot_product_attention with the default scale 1/sqrt(head_dim), on q, k, v of shape
[batch, heads, seq, head_dim]: `attention_causal.pt` (is_causal=True, the decoder: right-padded batches need no other
mask) and `attention_full.pt` (the vision tower). Run with the pinned torch 2.7.1 (tools/hf_reference/setup_venv.sh):

    ~/.cache/fedmllm/venv-hf/bin/python tools/torchscript/export_attention.py OUT_DIR
"""

import os
import sys

import torch
import torch.nn.functional as F


class CausalAttention(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)


class FullAttention(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return F.scaled_dot_product_attention(q, k, v)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    assert torch.__version__.startswith("2.7.1"), f"torch {torch.__version__}: DJL 0.36 runs libtorch 2.7.1"
    for name, module in (("attention_causal", CausalAttention()), ("attention_full", FullAttention())):
        path = os.path.join(out, name + ".pt")
        torch.jit.script(module).save(path)
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
