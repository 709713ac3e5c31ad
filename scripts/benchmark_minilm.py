#!/usr/bin/env python3
"""Benchmarks the native MiniLM encoder against sentence-transformers on the same CPU cores.

    python3 scripts/benchmark_minilm.py [--cores 0,1] [--queries 200] [--rounds 5] [--batch-rounds 3] [--cache DIR]

Builds `textembed-bench` in release mode, generates 1,000 image-caption-like texts (seeded), and times, with two
threads each and pinned to the same cores, the engines taking turns so that both see the same background load:
  - single-query encoding: each of the first --queries texts encoded alone; median per run, median of --rounds runs;
  - batch encoding of all 1,000 texts; median of --batch-rounds runs.
Prints a Markdown table with the ratios. This is a benchmark, not a test: numbers depend on the machine and on
whatever else runs on it (the load average is printed with the result).
"""
import argparse
import json
import os
import pathlib
import random
import statistics
import subprocess
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


def load_sentence_transformers(cache):
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    model = SentenceTransformer(str(cache / "all-MiniLM-L6-v2"), device="cpu")
    return model


def python_single(model, texts):
    for text in texts[:20]:
        model.encode(text)
    latencies = []
    for text in texts:
        start = time.perf_counter()
        model.encode(text)
        latencies.append(time.perf_counter() - start)
    return latencies


def python_batch(model, texts):
    start = time.perf_counter()
    model.encode(texts, batch_size=32)
    return time.perf_counter() - start


def swift_run(bench, cores, texts_path, model_dir, queries, batch_rounds):
    output = subprocess.run(
        ["taskset", "-c", cores, str(bench), "--texts", texts_path, "--model-dir", str(model_dir),
         "--queries", str(queries), "--rounds", "1", "--batch-rounds", str(batch_rounds), "--threads", "2"],
        check=True, capture_output=True, text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "2"},
    ).stdout
    return json.loads(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", default="0,1", help="CPU cores both engines are pinned to")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="alternating single-query runs per engine")
    parser.add_argument("--batch-rounds", type=int, default=3, help="alternating batch runs per engine")
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
    model = load_sentence_transformers(cache)
    model_dir = cache / "all-MiniLM-L6-v2"
    load_before = os.getloadavg()[0]
    swift_single, python_single_ms, swift_batch, python_batch_s = [], [], [], []
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
        f.write("\n".join(texts) + "\n")
        f.flush()
        # Alternate the engines so that both see the same background load.
        for _ in range(options.rounds):
            swift_single.append(swift_run(bench, options.cores, f.name, model_dir, options.queries, 0)
                                ["single_median_ms"])
            python_single_ms.append(statistics.median(python_single(model, texts[:options.queries])) * 1000)
        for _ in range(options.batch_rounds):
            swift_batch.append(swift_run(bench, options.cores, f.name, model_dir, 1, 1)["batch_s"])
            python_batch_s.append(python_batch(model, texts))
    load_after = os.getloadavg()[0]

    swift_ms, python_ms = statistics.median(swift_single), statistics.median(python_single_ms)
    swift_s, python_s = statistics.median(swift_batch), statistics.median(python_batch_s)
    print(f"| measure (2 threads each, cores {options.cores}) | Swift | sentence-transformers | speed-up |")
    print("|---|---|---|---|")
    print(f"| single query, median ms (median of {options.rounds} alternating runs of {options.queries}) "
          f"| {swift_ms:.2f} | {python_ms:.2f} | {python_ms / swift_ms:.1f}× |")
    print(f"| batch of {len(texts)} captions, s (median of {options.batch_rounds}) "
          f"| {swift_s:.2f} | {python_s:.2f} | {python_s / swift_s:.2f}× |")
    print(f"\nload average {load_before:.1f} before, {load_after:.1f} after; runs: "
          f"swift single {['%.2f' % v for v in swift_single]}, python single {['%.2f' % v for v in python_single_ms]}, "
          f"swift batch {['%.2f' % v for v in swift_batch]}, python batch {['%.2f' % v for v in python_batch_s]}")


if __name__ == "__main__":
    main()
