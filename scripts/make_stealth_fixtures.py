#!/usr/bin/env python3
"""Writes Tests/Fixtures/stealth/: small PNG and WebP images with generation parameters hidden in
their pixels' least-significant bits ("stealth pnginfo"), valid and hostile, plus expected.json with
what a reader must find in each.

The stream, written column by column (x outer, y inner): a 15-byte ASCII signature, a 32-bit big-endian
count of payload bits, the payload; most significant bit first. Alpha signatures (`stealth_pnginfo`,
`stealth_pngcomp`) use the low bit of alpha, RGB ones (`stealth_rgbinfo`, `stealth_rgbcomp`) the low bits
of red, green and blue. `...comp` payloads are gzip-compressed. Every file is read back with an
independent reader below before it is written. Needs Pillow; run from anywhere:

    python3 scripts/make_stealth_fixtures.py
    python3 scripts/make_stealth_fixtures.py --only rgb_plain_4096x16.png   # that file and its entry only
"""
import argparse
import gzip
import io
import json
import pathlib
import random
import struct
import zlib

from PIL import Image, PngImagePlugin

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "stealth"
# Most payload bytes a reader accepts, before and after decompression.
LIMIT = 1 << 20

PROMPTS = {
    "rgb_plain": "a lighthouse on a cliff at dusk\nNegative prompt: blurry\n"
    "Steps: 24, Sampler: DPM++ 2M, CFG scale: 6.5, Seed: 1234, Size: 64x64, Model: testModel",
    "rgb_compressed": "a red fox in fresh snow, (detailed fur:1.2)\nNegative prompt: lowres, watermark\n"
    "Steps: 30, Sampler: Euler a, CFG scale: 7, Seed: 987654321, Size: 64x64, Version: v1.10.1",
    "alpha_compressed": "a bowl of ramen, steam rising\nNegative prompt: text\n"
    "Steps: 20, Sampler: Euler, Schedule type: Automatic, CFG scale: 7, Seed: 42, Size: 64x64",
    "alpha_tall": "a tall narrow window with ivy\nNegative prompt: people\n"
    "Steps: 25, Sampler: DDIM, CFG scale: 5, Seed: 7, Size: 48x200",
    "webp": "a paper boat on a puddle\nNegative prompt: dark\n"
    "Steps: 18, Sampler: Heun, CFG scale: 4, Seed: 99, Size: 40x160",
    "interlaced": "a copper kettle on a stove\nNegative prompt: rust\n"
    "Steps: 22, Sampler: LMS, CFG scale: 8, Seed: 5, Size: 64x64",
    "thin": "a very long rope bridge\nNegative prompt: fog\n"
    "Steps: 12, Sampler: Euler, CFG scale: 3, Seed: 3, Size: 1x1000001",
    "short_wide": "a long panorama of a harbour at night, city lights on the water\nNegative prompt: blur\n"
    "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 8, Size: 4096x16",
    # Long enough that the stream runs on from column 0 into column 1 of a 7000-row image.
    "upscaled": "masterpiece, best quality, ultra detailed, an enormous gothic cathedral interior at golden hour, "
    "rays of light through stained glass windows, dust motes in the air, marble floor with reflections, "
    "rows of wooden pews, a lone figure in a red cloak walking down the nave, towering columns, ribbed vaults, "
    "intricate carvings, candles on iron stands, flowers on the altar, a pipe organ in the distance, "
    "volumetric lighting, cinematic composition, wide angle, 35mm, film grain, sharp focus, highly detailed "
    "textures, photorealistic, 8k wallpaper, award winning photograph, (dramatic shadows:1.2), "
    "(warm colour palette:1.1), <lora:cathedral_style_v2:0.7>, <lora:add_detail:0.4>\n"
    "Negative prompt: lowres, bad anatomy, bad hands, text, error, missing fingers, extra digit, fewer digits, "
    "cropped, worst quality, low quality, normal quality, jpeg artifacts, signature, watermark, username, "
    "blurry, deformed, disfigured, oversaturated, plastic, cartoon, 3d render, duplicate, out of frame\n"
    "Steps: 35, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 2718281828, Size: 1000x875, "
    "Model hash: 0123456789, Model: cathedralXL_v3, Denoising strength: 0.35, Hires upscale: 8, "
    "Hires steps: 15, Hires upscaler: 4x-UltraSharp, Ultimate SD upscale: 8000x7000, Version: v1.10.1",
}


def picture(width, height, alpha, seed):
    """A deterministic noisy gradient, so the low bits start out random as in a real picture."""
    rng = random.Random(seed)
    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, (width, height))
    pixels = image.load()
    for x in range(width):
        for y in range(height):
            red = (x * 255 // max(width - 1, 1) + rng.randrange(8)) & 0xFF
            green = (y * 255 // max(height - 1, 1) + rng.randrange(8)) & 0xFF
            blue = rng.randrange(256)
            pixels[x, y] = (red, green, blue, 250 + rng.randrange(6)) if alpha else (red, green, blue)
    return image


def bits_of(data):
    return [(byte >> (7 - offset)) & 1 for byte in data for offset in range(8)]


def embed(image, signature, payload, declared_bits=None):
    """Writes signature + length + payload into the low bits; stops quietly where the image ends."""
    declared = len(payload) * 8 if declared_bits is None else declared_bits
    stream = bits_of(signature.encode("ascii")) + bits_of(struct.pack(">I", declared)) + bits_of(payload)
    alpha = signature.startswith("stealth_png")
    width, height = image.size
    pixels = image.load()
    index = 0
    for x in range(width):
        for y in range(height):
            if index >= len(stream):
                return image
            sample = list(pixels[x, y])
            channels = [3] if alpha else [0, 1, 2]
            for channel in channels:
                if index < len(stream):
                    sample[channel] = (sample[channel] & 0xFE) | stream[index]
                    index += 1
            pixels[x, y] = tuple(sample)
    return image


def read_back(image):
    """An independent reader: the (signature, text) in an image's low bits, or None. Reads only the bits
    it needs, pixel by pixel in column order, so a large flat image costs no more than a small one."""
    rgba = image.convert("RGBA")
    width, height = rgba.size
    pixels = rgba.load()
    for alpha in (True, False):
        per_pixel = 1 if alpha else 3

        def bit(index):
            pixel, channel = divmod(index, per_pixel)
            x, y = divmod(pixel, height)
            return pixels[x, y][3 if alpha else channel] & 1

        def take(start, count):
            return bytes(
                int("".join(str(bit(i + offset)) for offset in range(8)), 2)
                for i in range(start, start + count * 8, 8)
            )

        available = width * height * per_pixel
        if available < 152:
            continue
        signature = take(0, 15).decode("latin-1")
        if signature not in ("stealth_pnginfo", "stealth_pngcomp", "stealth_rgbinfo", "stealth_rgbcomp"):
            continue
        if (signature.startswith("stealth_png")) != alpha:
            continue
        length = struct.unpack(">I", take(120, 4))[0]
        if length == 0 or length % 8 or length > LIMIT * 8 or length > available - 152:
            return None
        payload = take(152, length // 8)
        if signature.endswith("comp"):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                payload = inflater.decompress(payload, LIMIT + 1)
            except zlib.error:
                return None
            if len(payload) > LIMIT or not inflater.eof:
                return None
        try:
            return signature, payload.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def interlaced_png(image):
    """The RGBA image as an Adam7-interlaced PNG (Pillow writes only non-interlaced ones)."""
    rgba = image.convert("RGBA")
    width, height = rgba.size
    raw = rgba.tobytes()
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    data = bytearray()
    for x0, y0, dx, dy in passes:
        columns = range(x0, width, dx)
        if not columns:
            continue
        for y in range(y0, height, dy):
            data.append(0)
            for x in columns:
                data += raw[(y * width + x) * 4 : (y * width + x) * 4 + 4]

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(data), 9)) + chunk(
        b"IEND", b""
    )


def gzip_fixed(data):
    """gzip with a zero modification time, so the fixtures are byte-for-byte reproducible."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as handle:
        handle.write(data)
    return buffer.getvalue()


def main(only=None):
    """Writes every fixture and expected.json, or with `only` just those files and their entries."""
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {} if only is None else json.loads((OUT / "expected.json").read_text(encoding="utf-8"))

    def save(name, image, found, data=None, text_chunk=None):
        if only is not None and name not in only:
            return
        path = OUT / name
        if data is not None:
            path.write_bytes(data)
        elif name.endswith(".webp"):
            image.save(path, lossless=True, exact=True, quality=100, method=6)
        else:
            info = PngImagePlugin.PngInfo()
            if text_chunk is not None:
                info.add_text("parameters", text_chunk)
            image.save(path, optimize=True, pnginfo=info)
        reread = read_back(Image.open(path))
        assert reread == found, (name, repr(reread)[:200])
        expected[name] = None if found is None else {"signature": found[0], "text": found[1]}

    def valid(name, size, alpha, signature, text, seed, **options):
        payload = text.encode("utf-8")
        if signature.endswith("comp"):
            payload = gzip_fixed(payload)
        image = embed(picture(*size, alpha, seed), signature, payload)
        save(name, image, (signature, text), **options)
        return image

    valid("rgb_plain.png", (64, 64), False, "stealth_rgbinfo", PROMPTS["rgb_plain"], 1)
    valid("rgb_compressed.png", (64, 64), False, "stealth_rgbcomp", PROMPTS["rgb_compressed"], 2)
    valid("alpha_compressed.png", (64, 64), True, "stealth_pngcomp", PROMPTS["alpha_compressed"], 3)
    valid("alpha_plain_tall.png", (48, 200), True, "stealth_pnginfo", PROMPTS["alpha_tall"], 4)
    valid("alpha_plain_tall.webp", (40, 160), True, "stealth_pnginfo", PROMPTS["webp"], 5)
    # A text chunk and hidden bits at once: a classifier that finds the chunk need not decode pixels.
    valid(
        "parameters_chunk_and_rgb_plain.png", (64, 64), False, "stealth_rgbinfo", PROMPTS["rgb_plain"], 14,
        text_chunk=PROMPTS["rgb_compressed"],
    )
    interlaced = embed(picture(64, 64, True, 6), "stealth_pngcomp", gzip_fixed(PROMPTS["interlaced"].encode()))
    found = ("stealth_pngcomp", PROMPTS["interlaced"])
    save("alpha_compressed_interlaced.png", None, found, interlaced_png(interlaced))

    # Odd sizes reach the edges of every Adam7 pass; opaque, so a full decoder's colours are the stored ones.
    odd = embed(picture(61, 53, False, 15), "stealth_rgbinfo", PROMPTS["rgb_plain"].encode())
    save("rgb_plain_interlaced_odd.png", None, ("stealth_rgbinfo", PROMPTS["rgb_plain"]), interlaced_png(odd))

    # Taller than libpng's default limit of 1,000,000 rows: the reader's pixel limit must decide, not
    # libpng's, or a long thin image would hide its parameters just by being refused. Flat, so it stays small.
    thin_text = PROMPTS["thin"]
    flat = Image.new("RGBA", (1, 1_000_001), (90, 140, 200, 254))
    thin = embed(flat, "stealth_pngcomp", gzip_fixed(thin_text.encode()))
    save("alpha_compressed_1x1000001.png", thin, ("stealth_pngcomp", thin_text))

    # A tall, wide upscale over the decoder's 50-million-pixel limit whose stream takes the first 2 of its
    # 8000 columns: a reader need not keep the rest. Flat elsewhere, so it stays small on disk.
    if only is None or "alpha_plain_8000x7000.png" in only:
        upscaled = Image.new("RGBA", (8000, 7000), (180, 150, 120, 255))
        upscaled = embed(upscaled, "stealth_pnginfo", PROMPTS["upscaled"].encode())
        save("alpha_plain_8000x7000.png", upscaled, ("stealth_pnginfo", PROMPTS["upscaled"]))
    # Shorter than a signature's 40 RGB pixels: signature and length run across columns 0 to 3.
    short = Image.new("RGB", (4096, 16), (60, 90, 30))
    short = embed(short, "stealth_rgbinfo", PROMPTS["short_wide"].encode())
    save("rgb_plain_4096x16.png", short, ("stealth_rgbinfo", PROMPTS["short_wide"]))

    rng = random.Random(11)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    save("bogus_length.png", embed(picture(64, 64, True, 7), "stealth_pngcomp", noise, 0xFFFFFFFF), None)
    text = PROMPTS["alpha_compressed"].encode() * 4
    save("truncated_payload.png", embed(picture(32, 32, True, 8), "stealth_pnginfo", text), None)
    bomb = gzip_fixed(bytes(3 << 20))
    assert len(bomb) * 8 + 152 <= 96 * 96 * 3, len(bomb)
    save("gzip_bomb.png", embed(picture(96, 96, False, 9), "stealth_rgbcomp", bomb), None)
    cut = gzip_fixed(PROMPTS["alpha_compressed"].encode())[:-20]
    save("invalid_gzip.png", embed(picture(64, 64, True, 10), "stealth_pngcomp", cut), None)
    save("random_lsb.png", picture(64, 64, True, 12), None)
    save("smaller_than_signature.png", embed(picture(8, 8, True, 13), "stealth_pnginfo", b"x"), None)

    (OUT / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--only", nargs="+", metavar="FILE", help="write only these fixtures")
    only = arguments.parse_args().only
    main(set(only) if only else None)
