"""Media type detection from magic bytes: the only thing that decides what an upload is."""

from __future__ import annotations

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
HEIC = "image/heic"
HEIF = "image/heif"

SUPPORTED_MEDIA_TYPES = frozenset({JPEG, PNG, WEBP, HEIC, HEIF})

# How many leading bytes `sniff` needs to see; enough for an ftyp box with many brands.
SNIFF_BYTES = 64

# HEVC-coded HEIF brands (ISO/IEC 23008-12); `heic`/`heix` are what phones write.
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"})
# Structural brands: a HEIF file that says nothing about the codec in its major brand.
_HEIF_BRANDS = frozenset({b"mif1", b"msf1", b"mif2"})
# AV1-coded HEIF: refused, this build's libheif has no AV1 decoder.
_AVIF_BRANDS = frozenset({b"avif", b"avis"})


def sniff(data_head: bytes) -> str | None:
    """Return the media type of an image from its first bytes, or None if not supported."""
    if data_head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data_head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data_head) >= 12 and data_head[:4] == b"RIFF" and data_head[8:12] == b"WEBP":
        return WEBP
    return _sniff_heif(data_head)


def _sniff_heif(head: bytes) -> str | None:
    """Classify an ISO base media file by the brands of its leading `ftyp` box."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(head[:4], "big")
    if box_size < 16 or box_size % 4:
        return None
    major = head[8:12]
    # Compatible brands follow the minor version; only those inside the box and the head count.
    end = min(box_size, len(head))
    brands = {major} | {head[i : i + 4] for i in range(16, end - 3, 4)}
    if major in _AVIF_BRANDS:
        return None
    if major in _HEIC_BRANDS or (major in _HEIF_BRANDS and brands & _HEIC_BRANDS):
        return HEIC
    if major in _HEIF_BRANDS and not brands & _AVIF_BRANDS:
        return HEIF
    return None
