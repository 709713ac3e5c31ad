#!/usr/bin/env python3
"""Writes the reference outputs the Tensors tests compare against, computed with PyTorch.

Outputs (committed): Tests/Fixtures/Tensors/mixed.safetensors (tensors of several element types written by the
`safetensors` library) and Tests/Fixtures/Tensors/reference.json (layer norm, GELU, softmax, linear and attention
results for small random inputs).
"""
import json
import pathlib

import torch
from safetensors.torch import save_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "Tensors"


def listed(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(7)

    save_file(
        {
            "f32": torch.tensor([[1.5, -2.0, 3.25], [0.0, 1e-3, -7.5]], dtype=torch.float32),
            "f16": torch.tensor([1.0, -0.5, 65504.0, 5.96e-8, -3.140625], dtype=torch.float16),
            "bf16": torch.tensor([[1.0, -2.5], [3.0e10, 0.0078125]], dtype=torch.bfloat16),
            "ids": torch.tensor([101, 1037, 102], dtype=torch.int64),
        },
        str(OUT / "mixed.safetensors"),
        metadata={"format": "pt"},
    )

    x = torch.randn(5, 8) * 3 + 1
    gamma, beta = torch.randn(8), torch.randn(8)
    weight, bias = torch.randn(3, 8), torch.randn(3)
    gelu_in = torch.linspace(-6, 6, 25)
    soft_in = torch.tensor([[1000.0, 999.0, 998.0], [-1.0, 0.0, 1.0]])
    heads, queries, keys = 2, 3, 4
    q, k, v = torch.randn(queries, 8), torch.randn(keys, 8), torch.randn(keys, 8)
    key_mask = torch.tensor([0.0, 0.0, -1e9, 0.0])

    def attention(mask):
        qh = q.view(queries, heads, 4).transpose(0, 1)
        kh = k.view(keys, heads, 4).transpose(0, 1)
        vh = v.view(keys, heads, 4).transpose(0, 1)
        out = torch.nn.functional.scaled_dot_product_attention(qh, kh, vh, attn_mask=mask)
        return out.transpose(0, 1).reshape(queries, 8)

    causal = torch.full((queries, keys), float("-inf")).triu(1 + keys - queries)
    reference = {
        "x": listed(x), "gamma": listed(gamma), "beta": listed(beta),
        "layer_norm_1e-12": listed(torch.nn.functional.layer_norm(x, (8,), gamma, beta, 1e-12)),
        "layer_norm_1e-5": listed(torch.nn.functional.layer_norm(x, (8,), gamma, beta, 1e-5)),
        "weight": listed(weight), "bias": listed(bias),
        "linear": listed(torch.nn.functional.linear(x, weight, bias)),
        "gelu_in": listed(gelu_in), "gelu": listed(torch.nn.functional.gelu(gelu_in)),
        "softmax_in": listed(soft_in), "softmax": listed(torch.softmax(soft_in, dim=-1)),
        "q": listed(q), "k": listed(k), "v": listed(v), "key_mask": listed(key_mask),
        "attention": listed(attention(None)),
        "attention_key_mask": listed(attention(key_mask.expand(queries, keys))),
        "attention_causal": listed(attention(causal)),
    }
    (OUT / "reference.json").write_text(json.dumps(reference, indent=0) + "\n")


if __name__ == "__main__":
    main()
