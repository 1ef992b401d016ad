"""Everything that is not a decodable photo of a sane size is refused with a clear message."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from app.errors import DomainError, PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.inspections.photos.processing import (
    MSG_CORRUPT,
    MSG_EMPTY,
    MSG_UNSUPPORTED,
    process_photo,
    read_limited,
)
from tests.inspections.photos.photo_files import (
    camera_exif,
    encode,
    ftyp,
    heic_bytes,
    jpeg_bytes,
    png_header_only,
    quadrants,
)

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def refusal(data: bytes, **options: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        process_photo(data, **options)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    "data",
    [
        SVG,
        PDF,
        "Dette er tekst, selv om filen heter bilde.jpg: æøå".encode(),
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00;",
        ftyp(b"avif", b"mif1", b"avif"),
        b"\x00" * 100,
    ],
    ids=["svg", "pdf", "text-named-jpg", "gif", "avif", "nul-bytes"],
)
def test_files_that_are_not_a_supported_image_get_415(data: bytes) -> None:
    error = refusal(data)
    assert isinstance(error, UnsupportedMediaType)
    assert error.status == 415
    assert error.detail == MSG_UNSUPPORTED


def test_zero_bytes_get_415_saying_the_file_is_empty() -> None:
    error = refusal(b"")
    assert isinstance(error, UnsupportedMediaType)
    assert error.detail == MSG_EMPTY


def truncated_jpeg() -> bytes:
    data = jpeg_bytes(quadrants((1600, 1200)), exif=camera_exif(6))
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(
    "data",
    [
        truncated_jpeg(),
        jpeg_bytes(quadrants((1600, 1200)), progressive=True)[:5_000],
        b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20,  # JPEG magic, then garbage
        encode(quadrants((400, 300)), "PNG")[:-200],
        png_header_only(400, 300),  # a header with no pixels behind it
        encode(quadrants((400, 300)), "WEBP")[:300],
        heic_bytes(quadrants((640, 480)))[:2000],
        ftyp(b"heic", b"mif1", b"heic"),  # a HEIC brand and nothing else
    ],
    ids=[
        "truncated-jpeg",
        "truncated-progressive-jpeg",
        "garbage-jpeg",
        "truncated-png",
        "png-without-data",
        "truncated-webp",
        "truncated-heic",
        "heic-header-only",
    ],
)
def test_supported_types_that_do_not_decode_get_422(data: bytes) -> None:
    error = refusal(data)
    assert isinstance(error, Unprocessable)
    assert error.status == 422
    assert error.detail == MSG_CORRUPT
    assert error.errors == {"file": [MSG_CORRUPT]}


def test_decoding_stays_strict_about_truncated_files() -> None:
    import app.reports.render  # noqa: F401  (WeasyPrint's import would make it lenient)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # decoding must stay strict


def test_a_png_header_claiming_30000_by_30000_is_refused_before_decoding() -> None:
    error = refusal(png_header_only(30000, 30000))
    assert isinstance(error, Unprocessable)
    assert "for mange piksler" in error.detail
    assert "60 megapiksler" in error.detail
    assert error.extra == {"max_pixels": 60_000_000}


def test_a_header_just_above_the_limit_names_its_size() -> None:
    error = refusal(png_header_only(8000, 8000))
    assert isinstance(error, Unprocessable)
    assert "8000 × 8000" in error.detail
    assert "60 megapiksler" in error.detail


def test_a_real_10000_by_10000_png_is_refused() -> None:
    data = encode(Image.new("L", (10000, 10000), 128), "PNG")
    error = refusal(data)
    assert isinstance(error, Unprocessable)
    assert "60 megapiksler" in error.detail


def test_the_largest_accepted_image_decodes_without_a_pillow_bomb_warning() -> None:
    # 7700 x 7700 = 59.3 MP: under the limit. Warnings are errors in this test suite.
    data = encode(Image.new("L", (7700, 7700), 200), "PNG")
    photo = process_photo(data)
    assert (photo.original_width, photo.original_height) == (7700, 7700)
    assert (photo.width, photo.height) == (1925, 1925)


def test_a_custom_pixel_limit_applies() -> None:
    error = refusal(jpeg_bytes(quadrants((1000, 1000))), max_pixels=999_999)
    assert isinstance(error, Unprocessable)
    assert "1000 × 1000" in error.detail


def test_a_pixel_limit_above_pillows_own_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="max_pixels"):
        process_photo(jpeg_bytes(quadrants((10, 10))), max_pixels=500_000_000)


def test_bodies_over_the_byte_limit_get_413() -> None:
    data = jpeg_bytes(quadrants((400, 300)))
    for body in (data, io.BytesIO(data)):
        error = refusal(body, max_bytes=len(data) - 1)  # type: ignore[arg-type]
        assert isinstance(error, PayloadTooLarge)
        assert error.status == 413
        assert "Filen er for stor" in error.detail
    assert process_photo(io.BytesIO(data), max_bytes=len(data)).width == 400


def test_read_limited_stops_reading_after_the_default_25_mb() -> None:
    limit = 25 * 1024 * 1024
    stream = io.BytesIO(bytes(limit + 4096))
    with pytest.raises(PayloadTooLarge, match="Største tillatte størrelse er 25 MB"):
        read_limited(stream)
    assert stream.tell() == limit + 1  # it never asked for more than one byte past the limit
    assert len(read_limited(io.BytesIO(bytes(limit)))) == limit


def test_a_small_byte_limit_is_named_in_kilobytes() -> None:
    with pytest.raises(PayloadTooLarge, match="er 2 kB"):
        read_limited(io.BytesIO(bytes(5000)), 2048)
