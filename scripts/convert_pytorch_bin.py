#!/usr/bin/env python3
"""Converts a Hugging Face model folder's `pytorch_model.bin` into `model.safetensors` beside it.

    python3 scripts/convert_pytorch_bin.py MODEL_DIR

The ViT-GPT2 engine reads only safetensors (a pickle can run code when loaded). The checkpoint's tensors are
written unchanged; a tied `decoder.lm_head.weight` that shares storage with the token embeddings is cloned so
safetensors can store it. Needs torch and safetensors, at set-up time only.
"""
import pathlib
import sys

import torch
from safetensors.torch import save_file


def convert(folder):
    folder = pathlib.Path(folder)
    source = folder / "pytorch_model.bin"
    target = folder / "model.safetensors"
    state = torch.load(source, map_location="cpu", weights_only=True)
    tensors = {name: tensor.detach().clone().contiguous() for name, tensor in state.items()}
    save_file(tensors, str(target), metadata={"format": "pt"})
    print(f"wrote {target} ({len(tensors)} tensors)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    convert(sys.argv[1])
