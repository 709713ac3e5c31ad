#!/usr/bin/env python3
"""Reference outputs for the Swift ViT-GPT2 engine, computed with transformers + PyTorch (CPU).

No captioning weights can be downloaded here, so the engine is proven on randomly initialised models of the
same architecture as nlpconnect/vit-gpt2-image-captioning (ViT encoder + GPT-2 decoder with cross-attention).

    python3 scripts/vitgpt2_reference.py fixtures      # rewrites Tests/Fixtures/vitgpt2/ (committed)
    python3 scripts/vitgpt2_reference.py full DIR      # full-size random model folder for the benchmark

`fixtures` builds a tiny model with a small byte-level BPE vocabulary, saves it as a Hugging Face folder
(Tests/Fixtures/vitgpt2/tiny-model/), draws a few small test images with Pillow, and writes for each image
its decoded RGB bytes, the processor's pixel values, the encoder states, the logits of a short teacher-forced
decoder run, and the token ids of greedy and beam-search `generate` calls.
"""
import json
import pathlib
import struct
import sys

import numpy as np
import torch
from PIL import Image, ImageDraw
from tokenizers import ByteLevelBPETokenizer
from transformers import (
    AutoTokenizer,
    GPT2Config,
    ViTConfig,
    VisionEncoderDecoderConfig,
    VisionEncoderDecoderModel,
)
from transformers.models.vit.image_processing_pil_vit import ViTImageProcessorPil

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures" / "vitgpt2"
END_OF_TEXT = "<|endoftext|>"

# Words the tiny tokenizer is trained on, so that merged tokens decode to readable pieces.
CORPUS = [
    "a dog running on the beach", "two dogs looking out of a wooden hut", "a cat sitting on a red sofa",
    "a mountain range with snow", "a bird climbing a tree trunk", "dandelion seeds against orange flowers",
    "a bowl of fruit on a table", "people walking in a city street at night", "a boat on a calm lake",
    "macro of a bright green leaf with parallel veins", "a train crossing a bridge", "it's a café, isn't it?",
]

# The generation settings checked against the Swift engine: (name, num_beams, max_length).
GENERATIONS = [("greedy", 1, 16), ("beam4", 4, 16), ("beam3_len10", 3, 10), ("beam4_len6", 4, 6)]


def write_f32(path, array):
    """Writes a float32 array as raw little-endian bytes (shape documented in manifest.json)."""
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def make_tokenizer(folder):
    """Trains a small byte-level BPE vocabulary and saves GPT-2 style tokenizer files into `folder`."""
    trainer = ByteLevelBPETokenizer()
    trainer.train_from_iterator(CORPUS * 20, vocab_size=330, min_frequency=2, show_progress=False)
    vocab = trainer.get_vocab()
    vocab[END_OF_TEXT] = len(vocab)
    trainer.save_model(str(folder))
    with open(folder / "vocab.json", "w", encoding="utf-8") as handle:
        json.dump(dict(sorted(vocab.items(), key=lambda item: item[1])), handle, ensure_ascii=False)
    config = {
        "tokenizer_class": "GPT2Tokenizer", "bos_token": END_OF_TEXT, "eos_token": END_OF_TEXT,
        "unk_token": END_OF_TEXT, "pad_token": END_OF_TEXT, "model_max_length": 1024,
        "add_prefix_space": False, "clean_up_tokenization_spaces": False,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
    special = {"bos_token": END_OF_TEXT, "eos_token": END_OF_TEXT, "unk_token": END_OF_TEXT,
               "pad_token": END_OF_TEXT}
    (folder / "special_tokens_map.json").write_text(json.dumps(special, indent=2) + "\n")
    return len(vocab), vocab[END_OF_TEXT]


def build_model(vocab_size, eos_id, tiny):
    """A randomly initialised VisionEncoderDecoderModel: tiny for fixtures, ViT-base + GPT-2 base otherwise."""
    if tiny:
        encoder = ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                            image_size=224, patch_size=16)
        decoder = GPT2Config(vocab_size=vocab_size, n_positions=32, n_embd=32, n_layer=2, n_head=4)
    else:
        encoder = ViTConfig()
        decoder = GPT2Config()
    for config in (decoder,):
        config.add_cross_attention = True
        config.is_decoder = True
        config.bos_token_id = config.eos_token_id = config.pad_token_id = eos_id
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
    config.decoder_start_token_id = config.eos_token_id = config.pad_token_id = eos_id
    torch.manual_seed(1234)
    model = VisionEncoderDecoderModel(config=config).eval()
    if tiny:
        # The default 0.02 initialisation gives nearly uniform token distributions. Larger weights, stronger
        # position and cross-attention terms and a bias towards the end-of-text token give peaked,
        # image-dependent choices and sequences that end before max_length, so that greedy and beam search
        # take clearly separated decisions and exercise their end-of-sequence handling.
        with torch.no_grad():
            for name, parameter in model.named_parameters():
                if parameter.dim() >= 2 and "position" not in name:
                    parameter.mul_(6.0)
                if "wpe" in name:
                    parameter.mul_(5.0)
                if "crossattention.c_proj" in name:
                    parameter.mul_(10.0)
            end = model.decoder.transformer.wte.weight[eos_id]
            model.decoder.transformer.ln_f.bias.add_(end / (end @ end))
    model.generation_config.decoder_start_token_id = eos_id
    model.generation_config.eos_token_id = eos_id
    model.generation_config.pad_token_id = eos_id
    model.generation_config.bos_token_id = eos_id
    return model


def draw_images():
    """Small synthetic test images: gradients and shapes at sizes that shrink, stretch and mix both."""
    images = {}
    sizes = {"gradient-320x240": (320, 240), "shapes-97x61": (97, 61), "stripes-451x130": (451, 130)}
    for index, (name, (width, height)) in enumerate(sizes.items()):
        x = np.linspace(0, 1, width)[None, :]
        y = np.linspace(0, 1, height)[:, None]
        red = 255 * x * np.ones_like(y)
        green = 255 * y * np.ones_like(x)
        blue = 127 + 120 * np.sin(9 * x + 5 * y + index)
        if name.startswith("stripes"):
            red = np.where((np.arange(width) // 3) % 2 == 0, 250.0, 10.0)[None, :] * np.ones_like(y)
        array = np.stack([red, green, blue], axis=-1).round().clip(0, 255).astype(np.uint8)
        image = Image.fromarray(array, "RGB")
        draw = ImageDraw.Draw(image)
        draw.ellipse((width * 0.2, height * 0.2, width * 0.6, height * 0.7), fill=(240, 200, 30))
        draw.rectangle((width * 0.55, height * 0.5, width * 0.9, height * 0.9), fill=(20, 40, 160))
        draw.line((0, height - 1, width - 1, 0), fill=(255, 255, 255), width=2)
        images[name] = image
    return images


def fixtures():
    model_dir = FIXTURES / "tiny-model"
    model_dir.mkdir(parents=True, exist_ok=True)
    vocab_size, eos_id = make_tokenizer(model_dir)
    model = build_model(vocab_size, eos_id, tiny=True)
    model.save_pretrained(model_dir)
    processor = ViTImageProcessorPil()
    processor.save_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)

    manifest = {"model": "tiny-model", "images": [], "generations": []}
    teacher = [eos_id] + tokenizer.encode(" a dog on the beach")[:6]
    for name, image in draw_images().items():
        image.save(FIXTURES / f"{name}.png")
        rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
        rgb.tofile(FIXTURES / f"{name}.rgb")
        pixels = processor(images=image, return_tensors="pt")["pixel_values"]
        write_f32(FIXTURES / f"{name}.pixels.f32", pixels[0].numpy())

        with torch.no_grad():
            encoder_states = model.encoder(pixel_values=pixels).last_hidden_state
            logits = model(pixel_values=pixels, decoder_input_ids=torch.tensor([teacher])).logits
        write_f32(FIXTURES / f"{name}.encoder.f32", encoder_states[0].numpy())
        write_f32(FIXTURES / f"{name}.logits.f32", logits[0].numpy())

        entry = {"name": name, "width": image.width, "height": image.height,
                 "pixels_shape": list(pixels.shape[1:]), "encoder_shape": list(encoder_states.shape[1:]),
                 "teacher_tokens": teacher, "logits_shape": list(logits.shape[1:]), "generated": {}}
        for label, beams, max_length in GENERATIONS:
            with torch.no_grad():
                ids = model.generate(pixel_values=pixels, num_beams=beams, max_length=max_length,
                                     early_stopping=False, length_penalty=1.0)[0].tolist()
            entry["generated"][label] = {"tokens": ids,
                                         "text": tokenizer.decode(ids, skip_special_tokens=True)}
        manifest["images"].append(entry)
    manifest["decoding"] = []
    for text in ["it's a café, isn't it?", " two dogs looking out of a wooden hut", "naïve 🐕 dog"]:
        ids = [eos_id] + tokenizer.encode(text) + [eos_id]
        manifest["decoding"].append({"tokens": ids, "text": tokenizer.decode(ids, skip_special_tokens=True)})
    manifest["generations"] = [{"name": n, "num_beams": b, "max_length": m} for n, b, m in GENERATIONS]
    (FIXTURES / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    write_dtype_fixture()
    print(json.dumps({image["name"]: {k: v["text"] for k, v in image["generated"].items()}
                      for image in manifest["images"]}, indent=1))


def write_dtype_fixture():
    """A small safetensors file with the same values stored as F32, F16 and BF16."""
    from safetensors.torch import save_file

    values = torch.tensor([[0.0, 1.0, -2.5, 3.140625], [65504.0, -0.0009765625, 1e-4, 100.0]])
    save_file({"as_f32": values, "as_f16": values.half(), "as_bf16": values.bfloat16()},
              str(FIXTURES / "dtypes.safetensors"))
    expected = {"as_f16": values.half().float().flatten().tolist(),
                "as_bf16": values.bfloat16().float().flatten().tolist(),
                "as_f32": values.flatten().tolist(), "shape": [2, 4]}
    (FIXTURES / "dtypes.json").write_text(json.dumps(expected) + "\n")


def full(folder):
    """Saves a full-size random ViT-base + GPT-2 base captioning model (vocab 50257) into `folder`."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    eos_id = 50256
    model = build_model(50257, eos_id, tiny=False)
    model.save_pretrained(folder)
    ViTImageProcessorPil().save_pretrained(folder)
    # A vocabulary of the right size: byte tokens first, then placeholder words; good enough to decode ids.
    byte_tokens = list(_bytes_to_unicode().values())
    vocab = {token: index for index, token in enumerate(byte_tokens)}
    while len(vocab) < eos_id:
        vocab[f"w{len(vocab)}"] = len(vocab)
    vocab[END_OF_TEXT] = eos_id
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    return model


def _bytes_to_unicode():
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    mapping, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            mapping[byte] = chr(byte)
        else:
            mapping[byte] = chr(256 + extra)
            extra += 1
    return mapping


if __name__ == "__main__":
    torch.set_num_threads(2)
    if len(sys.argv) >= 2 and sys.argv[1] == "fixtures":
        fixtures()
    elif len(sys.argv) >= 3 and sys.argv[1] == "full":
        full(sys.argv[2])
    else:
        sys.exit(__doc__)
