#!/usr/bin/env python3
"""Writes Tests/Fixtures/c2pa/: small JPEG and PNG files carrying C2PA manifest stores, valid and hostile.

The valid stores are hand-built, structurally valid JUMBF (ISO/IEC 19566-5) with CBOR `c2pa.actions.v2`
assertions; they carry no real signature. When c2pa-python can sign with a certificate made here (a
throwaway CA and an ES256 leaf, via the cryptography package), `signed_trainedAlgorithmicMedia.jpg` is
also written by the real C2PA SDK, and the SDK's own reading of it is checked. Needs Pillow and cbor2
(c2pa-python and cryptography are optional); run from anywhere:

    python3 scripts/make_c2pa_fixtures.py
"""
import datetime
import io
import json
import pathlib
import struct
import zlib

import cbor2
from PIL import Image

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "c2pa"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SUFFIX = bytes.fromhex("00110010800000AA00389B71")


def uuid(tag):
    """A C2PA JUMBF content type UUID: four ASCII characters and the ISO suffix."""
    return tag.encode() + SUFFIX


def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def superbox(tag, label, children):
    description = box(b"jumd", uuid(tag) + bytes([0x03]) + label.encode() + b"\0")
    return box(b"jumb", description + b"".join(children))


def cbor_assertion(label, value):
    return superbox("cbor", label, [box(b"cbor", cbor2.dumps(value))])


def actions(*source_types, label="c2pa.actions.v2"):
    entries = [{"action": "c2pa.created", "digitalSourceType": IPTC + code} for code in source_types]
    if not entries:
        entries = [{"action": "c2pa.opened"}]
    return cbor_assertion(label, {"actions": entries})


def manifest(name, assertions):
    claim = {
        "claim_generator_info": [{"name": "imgrec fixture generator", "version": "1"}],
        "instance_id": f"xmp:iid:{name}",
        "signature": f"self#jumbf=/c2pa/{name}/c2pa.signature",
        "created_assertions": [],
    }
    return superbox(
        "c2ma",
        name,
        [
            superbox("c2as", "c2pa.assertions", assertions),
            superbox("c2cl", "c2pa.claim.v2", [box(b"cbor", cbor2.dumps(claim))]),
            superbox("c2cs", "c2pa.signature", [box(b"cbor", cbor2.dumps(cbor2.CBORTag(18, [b"", {}, None, b""])))]),
        ],
    )


def store(*manifests):
    return superbox("c2pa", "c2pa", list(manifests))


def plain_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 140, 160)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def plain_png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (160, 140, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with(jumbf, packet_size=65_000):
    """A JPEG with `jumbf` split into APP11 JPEG XT packets right after SOI; later packets repeat the header."""
    header, payload = jumbf[:8], jumbf[8:]
    segments = []
    for sequence, start in enumerate(range(0, len(payload), packet_size), start=1):
        body = b"JP" + struct.pack(">HI", 1, sequence) + header + payload[start : start + packet_size]
        segments.append(b"\xff\xeb" + struct.pack(">H", len(body) + 2) + body)
    image = plain_jpeg()
    return image[:2] + b"".join(segments) + image[2:]


def png_with(jumbf):
    """A PNG with `jumbf` in a `caBX` chunk right after IHDR."""
    image = plain_png()
    chunk = struct.pack(">I", len(jumbf)) + b"caBX" + jumbf + struct.pack(">I", zlib.crc32(b"caBX" + jumbf))
    end_of_ihdr = 8 + 8 + 13 + 4
    return image[:end_of_ihdr] + chunk + image[end_of_ihdr:]


def deep(levels):
    inner = box(b"json", b"{}")
    for level in range(levels):
        inner = superbox("c2pa", f"d{level}", [inner])
    return inner


def hostile():
    valid = store(manifest("urn:c2pa:hostile", [actions("digitalCapture")]))
    xl = b"\x00\x00\x00\x01jumb" + struct.pack(">Q", 1 << 62) + valid[8:]
    too_long = struct.pack(">I", len(valid) + 1000) + valid[4:]
    huge_string = b"\xa1\x67actions\x81\xa1\x71digitalSourceType\x7b" + struct.pack(">Q", 1 << 63) + b"x"
    nested_indefinite = b"\xa1\x67actions" + b"\x9f" * 100_000
    endless_chunks = b"\xa1\x67actions\x81\xa1\x71digitalSourceType\x7f" + b"\x60" * 100_000 + b"\xff"
    raw = lambda label, cbor: store(
        manifest("urn:c2pa:hostile", [superbox("cbor", label, [box(b"cbor", cbor)])])
    )
    return {
        "hostile_truncated_box.png": valid[: len(valid) // 2],
        "hostile_lbox_too_large.png": too_long,
        "hostile_xlbox_huge.png": xl,
        "hostile_deep_nesting.png": deep(1000),
        "hostile_cbor_string_2e63.png": raw("c2pa.actions.v2", huge_string),
        "hostile_cbor_indefinite_nesting.png": raw("c2pa.actions.v2", nested_indefinite),
        "hostile_cbor_indefinite_chunks.png": raw("c2pa.actions.v2", endless_chunks),
    }


def webp_with(jumbf):
    """A lossless WebP with `jumbf` in a `C2PA` chunk after the image data (RIFF size updated)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (140, 160, 120)).save(buffer, "WEBP", lossless=True)
    image = buffer.getvalue()
    chunk = b"C2PA" + struct.pack("<I", len(jumbf)) + jumbf + (b"\0" if len(jumbf) % 2 else b"")
    body = image[8:] + chunk
    return b"RIFF" + struct.pack("<I", len(body)) + body


def valid_files():
    one = lambda *codes: store(manifest("urn:c2pa:fixture", [actions(*codes)]))
    return {
        "trainedAlgorithmicMedia.jpg": jpeg_with(one("trainedAlgorithmicMedia"), packet_size=100),
        "digitalCapture.jpg": jpeg_with(one("digitalCapture")),
        "computationalCapture.png": png_with(one("computationalCapture")),
        "compositeWithTrainedAlgorithmicMedia.png": png_with(one("compositeWithTrainedAlgorithmicMedia")),
        "trainedAlgorithmicMedia.webp": webp_with(one("trainedAlgorithmicMedia")),
        "no_source_type.jpg": jpeg_with(one()),
        "two_manifests_active_ai.jpg": jpeg_with(
            store(
                manifest("urn:c2pa:first", [actions("digitalCapture")]),
                manifest(
                    "urn:c2pa:active",
                    [
                        cbor_assertion("c2pa.hash.data", {"name": "jumbf manifest"}),
                        actions("trainedAlgorithmicMedia", label="c2pa.actions.v2__1"),
                    ],
                ),
            )
        ),
    }


def signed_file():
    """A JPEG signed by the real C2PA SDK, or None when c2pa-python or cryptography is missing or fails."""
    try:
        import c2pa
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as error:
        print(f"not signing: {error}")
        return None

    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    name = lambda text: x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder().subject_name(name("imgrec fixture CA")).issuer_name(name("imgrec fixture CA"))
        .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder().subject_name(name("imgrec fixture signer")).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(2).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    definition = {
        "claim_generator_info": [{"name": "imgrec fixture generator", "version": "1"}],
        "title": "signed fixture",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [{"action": "c2pa.created", "digitalSourceType": IPTC + "trainedAlgorithmicMedia"}]
                },
            }
        ],
    }
    try:
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain, pem_key, None))
        builder = c2pa.Builder(json.dumps(definition))
        output = io.BytesIO()
        builder.sign(signer, "image/jpeg", io.BytesIO(plain_jpeg()), output)
        signed = output.getvalue()
        report = json.loads(c2pa.Reader("image/jpeg", io.BytesIO(signed)).json())
    except Exception as error:  # the SDK raises its own error types; any failure means "no signed file"
        print(f"not signing: {error}")
        return None
    active = report["manifests"][report["active_manifest"]]
    found = [
        action.get("digitalSourceType")
        for assertion in active["assertions"]
        if assertion["label"].startswith("c2pa.actions")
        for action in assertion["data"]["actions"]
    ]
    assert IPTC + "trainedAlgorithmicMedia" in found, found
    print(f"signed with c2pa-python {c2pa.sdk_version()}: active manifest actions {found}")
    return signed


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    files = valid_files()
    for name, jumbf in hostile().items():
        files[name] = png_with(jumbf)
    signed = signed_file()
    if signed is not None:
        files["signed_trainedAlgorithmicMedia.jpg"] = signed
    for name, data in sorted(files.items()):
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
