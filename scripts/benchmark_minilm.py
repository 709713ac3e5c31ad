#!/usr/bin/env python3
"""Benchmarks the native MiniLM encoder against sentence-transformers on the same CPU cores.

    python3 scripts/benchmark_minilm.py [--cores 0,1] [--queries 200] [--rounds 3] [--cache DIR]

Builds `textembed-bench` in release mode, generates 1,000 image-caption-like texts (seeded), and times, with two
threads each and pinned to the same cores:
  - single-query encoding: each of the first --queries texts encoded alone (median and p90 of all calls);
  - batch encoding of all 1,000 texts (best of --rounds).
Prints a Markdown table with the ratios. This is a benchmark, not a test: numbers depend on the machine.
"""
import argparse
import json
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

SUBJECTS = ["a dog", "two dogs", "a black cat", "a man", "a woman", "a young girl", "a group of people",
            "an old red truck", "a small boat", "a brown horse", "three children", "a surfer", "a cyclist",
            "a plate of food", "a giraffe", "a flock of birds", "a white building", "a street vendor"]
ACTIONS = ["running", "sitting", "standing", "sleeping", "looking out", "walking", "playing", "parked",
           "riding a wave", "eating", "waiting", "jumping"]
PLACES = ["on the beach", "in a wooden hut", "next to a lake", "on a busy city street", "in the snow",
          "under a cloudy sky", "at the market", "in a green field", "near the mountains at sunset",
          "inside a kitchen", "on top of a hill", "by the harbour"]
EXTRAS = ["", "", "", " with a red ball", " while it rains", " in black and white", " surrounded by trees",
          " and a dog nearby, looking at the camera with curiosity"]


def captions(count, seed=42):
    rng = random.Random(seed)
    return [f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {rng.choice(PLACES)}{rng.choice(EXTRAS)}"
            for _ in range(count)]


def sentence_transformers_timings(cache, texts, queries, rounds):
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    model = SentenceTransformer(str(cache / "all-MiniLM-L6-v2"), device="cpu")
    for text in texts[:20]:
        model.encode(text)
    latencies = []
    for _ in range(rounds):
        for text in texts[:queries]:
            start = time.perf_counter()
            model.encode(text)
            latencies.append(time.perf_counter() - start)
    latencies.sort()
    batch = min(timed(lambda: model.encode(texts, batch_size=32)) for _ in range(rounds))
    return {
        "engine": "sentence-transformers",
        "threads": torch.get_num_threads(),
        "single_median_ms": statistics.median(latencies) * 1000,
        "single_p90_ms": latencies[len(latencies) * 9 // 10] * 1000,
        "batch_s": batch,
    }


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", default="0,1", help="CPU cores both engines are pinned to")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", help="model cache (default $IMGREC_MODEL_DIR or ./models)")
    parser.add_argument("--scratch", default="/tmp/build-textembed", help="SwiftPM scratch path")
    options = parser.parse_args()
    cache = pathlib.Path(options.cache or os.environ.get("IMGREC_MODEL_DIR") or ROOT / "models").resolve()
    cores = {int(c) for c in options.cores.split(",")}
    os.sched_setaffinity(0, cores)

    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", options.scratch,
                    "--product", "textembed-bench"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--scratch-path", options.scratch,
                             "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    bench = pathlib.Path(binary.stdout.strip()) / "textembed-bench"

    texts = captions(1000)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(texts) + "\n")
        texts_path = f.name
    try:
        swift = json.loads(subprocess.run(
            ["taskset", "-c", options.cores, str(bench), "--texts", texts_path, "--model-dir",
             str(cache / "all-MiniLM-L6-v2"), "--queries", str(options.queries), "--rounds", str(options.rounds),
             "--threads", "2"],
            check=True, capture_output=True, text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "2"},
        ).stdout)
    finally:
        os.unlink(texts_path)
    python = sentence_transformers_timings(cache, texts, options.queries, options.rounds)

    single = python["single_median_ms"] / swift["single_median_ms"]
    batch = python["batch_s"] / swift["batch_s"]
    print(f"| measure (2 threads, cores {options.cores}) | Swift | sentence-transformers | speed-up |")
    print("|---|---|---|---|")
    print(f"| single query, median ms | {swift['single_median_ms']:.2f} | {python['single_median_ms']:.2f} "
          f"| {single:.1f}× |")
    print(f"| single query, p90 ms | {swift['single_p90_ms']:.2f} | {python['single_p90_ms']:.2f} "
          f"| {python['single_p90_ms'] / swift['single_p90_ms']:.1f}× |")
    print(f"| batch of {len(texts)} captions, s | {swift['batch_s']:.3f} | {python['batch_s']:.3f} | {batch:.2f}× |")
    print(json.dumps({"swift": swift, "sentence_transformers": python}), file=sys.stderr)


if __name__ == "__main__":
    main()
