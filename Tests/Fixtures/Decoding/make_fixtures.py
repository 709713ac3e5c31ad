"""Writes the tiny decoding fixtures in this folder. Run once with Pillow installed; the outputs are committed.

corners.*    4x3 pixels: top-left red, top-right green, bottom-left blue, bottom-right yellow, the rest grey.
blocks.jpg   16x16 JPEG: left half red, right half blue (JPEG blurs single pixels, so colours come in blocks).
gray.jpg     8x8 single-channel JPEG, mid grey.
alpha.*      2x1 RGBA: a fully transparent black pixel, then opaque red.
huge.*       headers that claim enormous canvases: PNG 100000x100000 (signature and IHDR only), WebP VP8X
             100000x100000 (header chunks only), JPEG 65000x65000 (a real 8x8 JPEG with its SOF patched).
"""
import io
import struct
import zlib

from PIL import Image

RED, GREEN, BLUE, YELLOW, GREY = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (128, 128, 128)


def corners():
    image = Image.new("RGB", (4, 3), GREY)
    image.putpixel((0, 0), RED)
    image.putpixel((3, 0), GREEN)
    image.putpixel((0, 2), BLUE)
    image.putpixel((3, 2), YELLOW)
    return image


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def main():
    corners().save("corners.png")
    corners().save("corners.webp", lossless=True)

    blocks = Image.new("RGB", (16, 16), BLUE)
    blocks.paste(RED, (0, 0, 8, 16))
    blocks.save("blocks.jpg", quality=95, subsampling=0)
    Image.new("L", (8, 8), 128).save("gray.jpg", quality=95)

    alpha = Image.new("RGBA", (2, 1))
    alpha.putpixel((0, 0), (0, 0, 0, 0))
    alpha.putpixel((1, 0), (255, 0, 0, 255))
    alpha.save("alpha.png")
    alpha.save("alpha.webp", lossless=True)

    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    with open("huge.png", "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr))

    vp8x = bytes([0, 0, 0, 0]) + (100000 - 1).to_bytes(3, "little") + (100000 - 1).to_bytes(3, "little")
    vp8x_chunk = b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    with open("huge.webp", "wb") as out:
        out.write(b"RIFF" + struct.pack("<I", 4 + len(vp8x_chunk)) + b"WEBP" + vp8x_chunk)

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), GREY).save(buffer, "JPEG", quality=90)
    jpeg = bytearray(buffer.getvalue())
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    with open("huge.jpg", "wb") as out:
        out.write(bytes(jpeg))


if __name__ == "__main__":
    main()
