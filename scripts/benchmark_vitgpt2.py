#!/usr/bin/env python3
"""Seconds per caption: the Swift ViT-GPT2 engine against PyTorch, side by side, on a full-size random model.

    swift build -c release --product vitgpt2-bench
    python3 scripts/benchmark_vitgpt2.py [--runs 3] [--model /tmp/vitgpt2-full]

Builds (once) a randomly initialised ViT-base + GPT-2 base captioning model (vocabulary 50257) with
scripts/vitgpt2_reference.py, then times preprocessing + encoder + generation of one 320x240 test image with
greedy search and 4 beams, max_length 17 (the start token and 16 new tokens; random weights practically
never choose the end token), PyTorch with torch.set_num_threads(2). Each side runs in its own process so that
its peak resident memory can be read. Writes the results into docs/BENCHMARKS.md.
"""
import argparse
import json
import pathlib
import platform
import resource
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMAGE = ROOT / "Tests" / "Fixtures" / "vitgpt2" / "gradient-320x240.rgb"
WIDTH, HEIGHT, MAX_LENGTH = 320, 240, 17
BEGIN, END = "<!-- vitgpt2-benchmark:begin -->", "<!-- vitgpt2-benchmark:end -->"


def torch_side(model_dir, runs):
    """Runs in a child process: times PyTorch and prints one JSON line."""
    import numpy as np
    import torch
    from PIL import Image
    from transformers import VisionEncoderDecoderModel
    from transformers.models.vit.image_processing_pil_vit import ViTImageProcessorPil

    torch.set_num_threads(2)
    start = time.perf_counter()
    model = VisionEncoderDecoderModel.from_pretrained(model_dir).eval()
    processor = ViTImageProcessorPil.from_pretrained(model_dir)
    report = {"load_s": time.perf_counter() - start}
    image = Image.fromarray(np.fromfile(IMAGE, dtype=np.uint8).reshape(HEIGHT, WIDTH, 3), "RGB")
    for name, beams in (("greedy", 1), ("beam4", 4)):
        def caption():
            pixels = processor(images=image, return_tensors="pt")["pixel_values"]
            with torch.inference_mode():
                return model.generate(pixel_values=pixels, num_beams=beams, max_length=MAX_LENGTH)[0].tolist()
        tokens = caption()
        start = time.perf_counter()
        for _ in range(runs):
            tokens = caption()
        report[f"{name}_s"] = (time.perf_counter() - start) / runs
        report[f"{name}_tokens"] = tokens
    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(report))


def run_json(command):
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", default="/tmp/vitgpt2-full")
    parser.add_argument("--binary", default="/tmp/build-vitgpt2/release/vitgpt2-bench")
    parser.add_argument("--torch-side", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_side:
        return torch_side(args.model, args.runs)

    model_dir = pathlib.Path(args.model)
    if not (model_dir / "model.safetensors").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "vitgpt2_reference.py"), "full", str(model_dir)],
                       check=True)
    swift = run_json([args.binary, str(model_dir), str(IMAGE), str(WIDTH), str(HEIGHT), str(args.runs),
                      str(MAX_LENGTH)])
    torch = run_json([sys.executable, __file__, "--torch-side", "--model", str(model_dir), "--runs", str(args.runs)])

    rows = []
    for name, label in (("greedy", "greedy"), ("beam4", "4 beams")):
        same = "yes" if swift[f"{name}_tokens"] == torch[f"{name}_tokens"] else "no"
        rows.append(f"| {label} | {torch[f'{name}_s']:.3f} | {swift[f'{name}_s']:.3f} | "
                    f"{torch[f'{name}_s'] / swift[f'{name}_s']:.2f}x | {len(swift[f'{name}_tokens']) - 1} | {same} |")
    section = "\n".join([
        BEGIN,
        "## ViT-GPT2 captioning engine (Swift + OpenBLAS vs PyTorch)",
        "",
        "Written by `python3 scripts/benchmark_vitgpt2.py` "
        f"(runs={args.runs}, {platform.machine()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores). "
        "Full-size architecture (ViT-base/16 at 224x224 + GPT-2 base with cross-attention, vocabulary 50257) "
        "with random weights; one 320x240 image; seconds per caption including preprocessing, encoder and "
        f"generation with max_length {MAX_LENGTH} (16 new tokens). PyTorch {torch_version()} with "
        "`torch.set_num_threads(2)`; Swift release build, OpenBLAS with its default threads (all cores).",
        "",
        "| search | PyTorch s/caption | Swift s/caption | speed-up | new tokens | same ids |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Peak resident memory: PyTorch {torch['peak_rss_mib']:.0f} MiB, Swift {swift['peak_rss_mib']:.0f} MiB. "
        f"Model load: PyTorch {torch['load_s']:.1f} s, Swift {swift['load_s']:.1f} s.",
        END,
    ])
    document = ROOT / "docs" / "BENCHMARKS.md"
    document.parent.mkdir(exist_ok=True)
    text = document.read_text() if document.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    document.write_text(text)
    print(section)


def torch_version():
    import torch
    return torch.__version__


if __name__ == "__main__":
    main()
