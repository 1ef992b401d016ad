"""Media type detection looks at bytes only, and refuses anything that is not a photo format."""

from __future__ import annotations

import pytest

from app.inspections.photos.sniff import HEIC, HEIF, JPEG, PNG, WEBP, sniff
from tests.inspections.photos.photo_files import ftyp


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", JPEG),
        (b"\xff\xd8\xff\xe1\x12\x34Exif\x00\x00", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", PNG),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", WEBP),
        (ftyp(b"heic", b"mif1", b"heic"), HEIC),
        (ftyp(b"heix", b"mif1"), HEIC),
        (ftyp(b"hevc", b"msf1"), HEIC),
        (ftyp(b"heim"), HEIC),
        (ftyp(b"heis"), HEIC),
        (ftyp(b"mif1", b"mif1", b"heic"), HEIC),  # what some Samsung phones write
        (ftyp(b"msf1", b"hevc"), HEIC),
        (ftyp(b"mif1", b"mif1"), HEIF),
    ],
)
def test_supported_types_are_recognised(head: bytes, expected: str) -> None:
    assert sniff(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"\xff\xd8",  # too short to be sure
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<svg width='10' height='10'></svg>",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        b"Dette er en tekstfil med feil filendelse .jpg",
        b"GIF89a\x01\x00\x01\x00",
        b"II*\x00\x08\x00\x00\x00",  # TIFF
        b"BM6\x00\x00\x00",  # BMP
        b"RIFF\x24\x00\x00\x00WAVEfmt ",
        ftyp(b"avif", b"mif1", b"avif"),
        ftyp(b"avis", b"msf1"),
        ftyp(b"mif1", b"mif1", b"avif"),  # AV1-coded HEIF: no decoder here
        ftyp(b"isom", b"mp41"),  # an MP4 video
        ftyp(b"qt  "),
        b"\x00\x00\x00\x0bftypheic",  # box size smaller than its own header
    ],
)
def test_everything_else_is_refused(head: bytes) -> None:
    assert sniff(head) is None


def test_brands_beyond_the_ftyp_box_do_not_count() -> None:
    box = ftyp(b"mif1", b"avif")
    # The box ends before the padding; a "heic" written after it is not a brand.
    assert sniff(box[: int.from_bytes(box[:4], "big")] + b"heic" + bytes(16)) is None
