"""Real image files for the photo tests, generated with Pillow and pillow-heif."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pillow_heif
from PIL import Image, ImageCms

RED = (255, 0, 0)
BLUE = (0, 0, 255)
GREEN = (0, 255, 0)

# GPS of a made-up home: the kind of data that must never reach a stored file.
GPS_LATITUDE = (63.0, 25.0, 12.34)


def two_halves(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]):
    """An RGB image whose top half is `top` and bottom half `bottom`."""
    img = Image.new("RGB", size, bottom)
    img.paste(top, (0, 0, size[0], size[1] // 2))
    return img


def quadrants(size: tuple[int, int]) -> Image.Image:
    """An RGB image with four distinct colour quadrants, so any flip or turn is visible."""
    width, height = size
    img = Image.new("RGB", size, (255, 255, 255))
    img.paste(RED, (0, 0, width // 2, height // 2))
    img.paste(GREEN, (width // 2, 0, width, height // 2))
    img.paste(BLUE, (0, height // 2, width // 2, height))
    return img


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: orientation, make, model and a GPS position."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Telefonprodusent"
    exif[0x0110] = "Modell X"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = (10.0, 23.0, 45.67)
    return exif


def jpeg_bytes(img: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=options.pop("quality", 90), **options)
    return buffer.getvalue()


def encode(img: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def heic_bytes(img: Image.Image, **options: object) -> bytes:
    """A HEIC file encoded by pillow-heif (x265), as an iPhone would send."""
    heif = pillow_heif.from_pillow(img)
    buffer = io.BytesIO()
    heif.save(buffer, quality=options.pop("quality", 80), **options)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming a size, with no pixel data behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def swapped_primaries_icc() -> bytes:
    """An RGB ICC profile whose red and green primaries are swapped: clearly not sRGB."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack(">I", data[128:132])
    for index in range(count):
        entry = 132 + 12 * index
        signature = bytes(data[entry : entry + 4])
        if signature in (b"rXYZ", b"gXYZ"):
            data[entry : entry + 4] = b"gXYZ" if signature == b"rXYZ" else b"rXYZ"
    data[84:100] = bytes(16)  # the profile id is an MD5 of the content: clear it
    return bytes(data)


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    """The leading ISO-BMFF `ftyp` box with the given brands, plus some padding."""
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + bytes(32)


def stored_files(app) -> list[Path]:
    root = Path(app.config["PHOTO_STORAGE_PATH"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
