#!/usr/bin/env python3
"""Writes the PNG text-chunk fixtures of Tests/Fixtures/metadata that hide generation parameters behind the
metadata reader's inflation limits (8 MiB a chunk, 32 MiB a file). Only the files named here are written;
zlib_bomb.png is older and left as it is.

    python3 scripts/make_metadata_fixtures.py
"""
import pathlib
import struct
import zlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "metadata"
PARAMETERS = (
    "a lighthouse on a cliff at dawn\n"
    "Negative prompt: blurry\n"
    "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1234, Size: 512x512, Model: sd_xl_base_1.0"
)
PADDING = 9 << 20  # over the 8 MiB a chunk may inflate to


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(text_chunks):
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1 greyscale
    pixels = zlib.compress(b"\x00\x80")
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    for keyword, text in text_chunks:
        out += chunk(b"zTXt", keyword.encode("latin-1") + b"\x00\x00" + zlib.compress(text.encode("latin-1"), 9))
    return out + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


FIXTURES = {
    # The settings line survives in the first 8 MiB: read from the prefix.
    "parameters_padded_end.png": [("parameters", PARAMETERS + " " * PADDING)],
    # Only spaces in the first 8 MiB: the settings line is past the limit.
    "parameters_padded_front.png": [("parameters", " " * PADDING + PARAMETERS)],
    # Four comments of just under 8 MiB spend the file's 32 MiB; the parameters after them are not inflated.
    "parameters_after_spent_budget.png": [("Comment", "\x00" * ((8 << 20) - 1))] * 4 + [("parameters", PARAMETERS)],
}

for name, chunks in FIXTURES.items():
    data = png(chunks)
    (OUT / name).write_bytes(data)
    print(f"{name}: {len(data):,} bytes")
