"""Turn uploaded photo bytes into an upright, sRGB, metadata-free display image and thumbnail.

Error mapping (every message reaches the client, in Norwegian):
- zero bytes, or bytes that are not JPEG/PNG/WebP/HEIC/HEIF (SVG, PDF, text, AVIF...): 415;
- a supported type that cannot be fully decoded (truncated, corrupt): 422;
- more pixels than `max_pixels`, read from the header before any decoding: 422;
- more bytes than `max_bytes`: 413 (the web layer should refuse by Content-Length first).
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageFile

from app.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.inspections.photos.colour import to_srgb
from app.inspections.photos.sniff import HEIC, HEIF, JPEG, PNG, SNIFF_BYTES, WEBP, sniff

pillow_heif.register_heif_opener()

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_PIXELS = 60_000_000

# Pillow plugin names, so that Image.open never tries another decoder than the sniffed one.
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "HEIF", HEIF: "HEIF"}

# Reduced-scale JPEG decoding (and box reduction for other formats) may land this far below
# `display_max`; the result is then used as is (4032 px / 2 = 2016 px) instead of decoding all
# 12 MP and resampling to 2048 px, which costs four times as much for no visible difference.
_DRAFT_SLACK = 0.9
_RESAMPLE = Image.Resampling.LANCZOS
_REDUCING_GAP = 2.0  # box-reduce by an integer first, then Lanczos (as Image.thumbnail)
_WHITE = (255, 255, 255, 255)

# EXIF orientation -> the transpose that makes the image upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = frozenset({5, 6, 7, 8})
_EXIF_ORIENTATION = 0x0112

# What Pillow and pillow-heif raise for bytes they cannot decode.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

MSG_EMPTY = "Filen er tom."
MSG_UNSUPPORTED = "Filen er ikke et bilde i et støttet format (JPEG, PNG, WebP, HEIC)."
MSG_CORRUPT = "Bildet er skadet eller ufullstendig og kan ikke leses."
FIELD = "file"  # the multipart field named in 422 `errors`


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """The result of one ingest: JPEG bytes ready to store, and facts for the database row."""

    sha256: str  # hex digest of the original bytes, for deduplicating retried uploads
    media_type: str  # detected from the bytes, never from the name or declared type
    width: int  # of the display image
    height: int
    display: bytes
    thumbnail: bytes
    original_width: int  # as seen upright, i.e. after the EXIF orientation
    original_height: int
    thumbnail_width: int
    thumbnail_height: int


def read_limited(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole upload stream, refusing it (413) once it passes `max_bytes`."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PayloadTooLarge(_too_large_message(max_bytes), max_bytes=max_bytes)
    return data


def process_photo(
    stream: BinaryIO | bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    display_max: int = 2048,
    thumb_max: int = 400,
    quality: int = 85,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ProcessedPhoto:
    """Validate, decode, orient, resize, convert to sRGB and strip one uploaded photo."""
    _check_pixel_limit_setting(max_pixels)
    data = stream if isinstance(stream, bytes) else read_limited(stream, max_bytes)
    if len(data) > max_bytes:
        raise PayloadTooLarge(_too_large_message(max_bytes), max_bytes=max_bytes)
    if not data:
        raise UnsupportedMediaType(MSG_EMPTY)
    media_type = sniff(data[:SNIFF_BYTES])
    if media_type is None:
        raise UnsupportedMediaType(MSG_UNSUPPORTED)

    img = _open(data, media_type, max_pixels)
    orientation = _orientation(img)
    original_size = (img.height, img.width) if orientation in _SWAPS_AXES else img.size
    if media_type == JPEG:
        _draft(img, display_max)
    try:
        img.load()  # a full decode: truncated or corrupt data fails here, not later
    except _DECODE_ERRORS as exc:
        raise _corrupt() from exc

    display = _normalise(img, display_max)
    del img  # let a large decoded image go before encoding
    # Orientation last: a transpose is exact, so doing it on the small image changes nothing.
    if orientation in _TRANSPOSE:
        display = display.transpose(_TRANSPOSE[orientation])
    thumb = _fit(display, thumb_max)
    return ProcessedPhoto(
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        width=display.width,
        height=display.height,
        display=_encode(display, quality),
        thumbnail=_encode(thumb, quality),
        original_width=original_size[0],
        original_height=original_size[1],
        thumbnail_width=thumb.width,
        thumbnail_height=thumb.height,
    )


def _open(data: bytes, media_type: str, max_pixels: int) -> ImageFile.ImageFile:
    """Read only the header with the sniffed decoder, and refuse too many pixels."""
    try:
        img = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[media_type]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own global limit fired first (only above ours); same refusal, size unknown.
        raise _too_many_pixels(max_pixels, None) from exc
    except _DECODE_ERRORS as exc:
        raise _corrupt() from exc
    width, height = img.size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels, (width, height))
    return img


def _orientation(img: Image.Image) -> int:
    """Return the EXIF orientation (1 to 8), treating a missing or broken tag as upright."""
    try:
        value = img.getexif().get(_EXIF_ORIENTATION, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _draft(img: ImageFile.ImageFile, display_max: int) -> None:
    """Ask libjpeg to decode at 1/2, 1/4 or 1/8 scale when that still fills the display size."""
    scale = _reduction(img.size, display_max)
    if scale > 1:
        img.draft("RGB", (img.width // scale, img.height // scale))


def _reduction(size: tuple[int, int], display_max: int) -> int:
    """Return the largest of 8, 4, 2 that keeps the long side near `display_max`, else 1."""
    longest = max(size)
    for scale in (8, 4, 2):
        if longest / scale >= display_max * _DRAFT_SLACK:
            return scale
    return 1


def _normalise(img: Image.Image, display_max: int) -> Image.Image:
    """Bring a decoded image to an opaque sRGB RGB image no larger than `display_max`."""
    icc_profile = img.info.get("icc_profile")
    img = _to_working_mode(img)
    # Formats without reduced-scale decoding get the same cheap integer box reduction.
    scale = _reduction(img.size, display_max)
    if scale > 1:
        img = img.reduce(scale)
    img = _fit(img, display_max)
    if img.mode in ("RGBA", "LA"):
        img = Image.alpha_composite(Image.new("RGBA", img.size, _WHITE), img.convert("RGBA"))
    return to_srgb(img.convert("RGB") if img.mode == "RGBA" else img, icc_profile)


def _to_working_mode(img: Image.Image) -> Image.Image:
    """Convert rare modes (palette, 1-bit, 16-bit, ...) to L, LA, RGB, RGBA or CMYK."""
    mode = img.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return img
    if mode == "P":
        return img.convert("RGBA" if "transparency" in img.info else "RGB")
    if mode == "1":
        return img.convert("L")
    if mode.startswith(("I", "F")):
        # 16-bit and float greyscale: scale to 8 bits instead of clipping at 255.
        return img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return img.convert("RGBA" if "A" in mode or "a" in mode else "RGB")


def _fit(img: Image.Image, max_side: int) -> Image.Image:
    """Shrink so that the long side is at most `max_side`; never enlarge."""
    width, height = img.size
    longest = max(width, height)
    if longest <= max_side:
        return img
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return img.resize(size, _RESAMPLE, reducing_gap=_REDUCING_GAP)


def _encode(img: Image.Image, quality: int) -> bytes:
    """Save as baseline JPEG with no EXIF, ICC, XMP or comment: only pixels leave this module."""
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=quality, optimize=False, exif=b"", comment=b"")
    return buffer.getvalue()


def _check_pixel_limit_setting(max_pixels: int) -> None:
    """Refuse a limit above Pillow's global bomb limit, which would make Pillow warn first."""
    pillow_limit = Image.MAX_IMAGE_PIXELS
    if max_pixels <= 0 or (pillow_limit is not None and max_pixels > pillow_limit):
        raise ValueError(f"max_pixels must be between 1 and {pillow_limit}")


def _too_large_message(max_bytes: int) -> str:
    if max_bytes >= 1_048_576:
        limit = f"{max_bytes / 1_048_576:.0f} MB"
    else:
        limit = f"{max(1, round(max_bytes / 1024))} kB"
    return f"Filen er for stor. Største tillatte størrelse er {limit}."


def _corrupt() -> Unprocessable:
    return Unprocessable(MSG_CORRUPT, errors={FIELD: [MSG_CORRUPT]})


def _too_many_pixels(max_pixels: int, size: tuple[int, int] | None) -> Unprocessable:
    limit = f"Største tillatte er {max_pixels / 1_000_000:g} megapiksler ({max_pixels} piksler)."
    if size is None:
        message = f"Bildet har for mange piksler. {limit}"
    else:
        width, height = size
        message = f"Bildet har for mange piksler ({width} × {height}). {limit}"
    return Unprocessable(message, errors={FIELD: [message]}, max_pixels=max_pixels)
