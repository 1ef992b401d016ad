"""Phone photos come out upright, in sRGB, small enough, and with no metadata left."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image, ImageOps

from app.inspections.photos.processing import ProcessedPhoto, process_photo
from app.inspections.photos.sniff import HEIC, JPEG, PNG, WEBP
from tests.inspections.photos.photo_files import (
    BLUE,
    GPS_LATITUDE,
    GREEN,
    RED,
    camera_exif,
    encode,
    heic_bytes,
    jpeg_bytes,
    quadrants,
    srgb_icc,
    swapped_primaries_icc,
    two_halves,
)


def reopen(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def assert_close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 24) -> None:
    assert all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)), (
        actual,
        expected,
    )


def assert_stripped(data: bytes) -> None:
    """A stored JPEG carries pixels only: no EXIF, GPS, ICC, XMP or comment."""
    img = reopen(data)
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert not img.getexif()
    assert not {"exif", "icc_profile", "xmp", "comment", "photoshop"} & img.info.keys()
    assert [marker for marker, _ in img.applist if marker != "APP0"] == []
    for needle in (b"Exif", b"GPS", b"Telefonprodusent", b"Modell X", b"http://ns.adobe.com"):
        assert needle not in data


def assert_sizes(photo: ProcessedPhoto, display_max: int = 2048, thumb_max: int = 400) -> None:
    display, thumb = reopen(photo.display), reopen(photo.thumbnail)
    assert display.size == (photo.width, photo.height)
    assert thumb.size == (photo.thumbnail_width, photo.thumbnail_height)
    assert max(display.size) <= display_max
    assert max(thumb.size) <= thumb_max


def test_phone_jpeg_with_orientation_6_and_gps_is_stored_upright_and_stripped() -> None:
    # The sensor stored the scene lying down; orientation 6 says "turn 90 degrees clockwise".
    stored = two_halves((4032, 3024), top=RED, bottom=BLUE)
    data = jpeg_bytes(stored, exif=camera_exif(orientation=6), quality=92)
    assert reopen(data).getexif().get_ifd(0x8825)[2] == GPS_LATITUDE  # the input has GPS

    photo = process_photo(data)

    assert photo.media_type == JPEG
    assert (photo.original_width, photo.original_height) == (3024, 4032)
    assert photo.height > photo.width  # portrait, as the phone was held
    assert (photo.width, photo.height) == (1512, 2016)  # a 1/2-scale decode, no resampling
    assert_sizes(photo)
    for data_out in (photo.display, photo.thumbnail):
        assert_stripped(data_out)
        img = reopen(data_out)
        # The stored top edge (red) is now the right edge, as exif_transpose would show it.
        assert_close(img.getpixel((img.width * 3 // 4, img.height // 2)), RED)
        assert_close(img.getpixel((img.width // 4, img.height // 2)), BLUE)
    assert photo.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_exif_transpose(orientation: int) -> None:
    stored = quadrants((640, 480))
    data = jpeg_bytes(stored, exif=camera_exif(orientation))
    expected = ImageOps.exif_transpose(reopen(data))

    photo = process_photo(data, display_max=320, thumb_max=100)

    for data_out in (photo.display, photo.thumbnail):
        img = reopen(data_out)
        assert img.size[0] * expected.height == img.size[1] * expected.width
        for fx, fy in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)):
            want = expected.getpixel((int(expected.width * fx), int(expected.height * fy)))
            assert_close(img.getpixel((int(img.width * fx), int(img.height * fy))), want)


def test_heic_from_an_iphone_is_decoded_resized_and_stripped() -> None:
    scene = two_halves((4032, 3024), top=RED, bottom=BLUE)
    data = heic_bytes(scene, exif=camera_exif(orientation=1).tobytes())
    assert reopen(data).getexif().get_ifd(0x8825)[2] == GPS_LATITUDE  # the input has GPS

    photo = process_photo(data)

    assert photo.media_type == HEIC
    assert (photo.original_width, photo.original_height) == (4032, 3024)
    assert (photo.width, photo.height) == (2016, 1512)
    assert_sizes(photo)
    assert_stripped(photo.display)
    assert_stripped(photo.thumbnail)
    img = reopen(photo.display)
    assert_close(img.getpixel((1000, 300)), RED, tolerance=40)
    assert_close(img.getpixel((1000, 1200)), BLUE, tolerance=40)


def test_heic_rotation_is_applied_once() -> None:
    # pillow-heif writes the EXIF orientation as a HEIF rotation that libheif applies on
    # decoding, and resets the tag: turning the image again would be wrong.
    stored = two_halves((800, 600), top=RED, bottom=BLUE)
    photo = process_photo(heic_bytes(stored, exif=camera_exif(orientation=6).tobytes()))

    img = reopen(photo.display)
    assert img.size == (600, 800)
    assert_close(img.getpixel((450, 400)), RED, tolerance=40)
    assert_close(img.getpixel((150, 400)), BLUE, tolerance=40)


def test_png_alpha_is_composited_on_white() -> None:
    img = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    img.paste((255, 0, 0, 255), (0, 0, 300, 400))
    photo = process_photo(encode(img, "PNG"))

    assert photo.media_type == PNG
    out = reopen(photo.display)
    assert out.size == (600, 400)  # never enlarged
    assert_close(out.getpixel((100, 200)), RED)
    assert_close(out.getpixel((500, 200)), (255, 255, 255))
    assert_stripped(photo.display)


def test_palette_png_with_transparency_and_16_bit_grey_png() -> None:
    palette = Image.new("P", (50, 50), 1)
    palette.putpalette([0, 0, 0, 0, 128, 0] + [0] * 762)
    palette.info["transparency"] = 1
    out = reopen(process_photo(encode(palette, "PNG", transparency=1)).display)
    assert_close(out.getpixel((25, 25)), (255, 255, 255))

    grey16 = Image.new("I;16", (50, 50), 32768)
    out = reopen(process_photo(encode(grey16, "PNG")).display)
    assert_close(out.getpixel((25, 25)), (128, 128, 128), tolerance=2)


def test_webp_and_cmyk_jpeg_are_accepted() -> None:
    photo = process_photo(encode(quadrants((300, 200)), "WEBP", quality=90))
    assert photo.media_type == WEBP
    assert_close(reopen(photo.display).getpixel((75, 50)), RED)

    cmyk = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # red ink
    out = reopen(process_photo(jpeg_bytes(cmyk)).display)
    assert out.mode == "RGB"
    assert_close(out.getpixel((150, 100)), RED, tolerance=40)


def test_a_non_srgb_profile_is_converted_and_an_srgb_one_left_alone() -> None:
    red = Image.new("RGB", (200, 200), RED)
    converted = reopen(process_photo(jpeg_bytes(red, icc_profile=swapped_primaries_icc())).display)
    assert_close(converted.getpixel((100, 100)), GREEN, tolerance=40)
    assert_stripped(process_photo(jpeg_bytes(red, icc_profile=swapped_primaries_icc())).display)

    kept = reopen(process_photo(jpeg_bytes(red, icc_profile=srgb_icc())).display)
    assert_close(kept.getpixel((100, 100)), RED)


def test_comment_and_xmp_do_not_survive() -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com"/>'
    data = jpeg_bytes(quadrants((400, 300)), comment=b"hjemme hos Kari", xmp=xmp)
    photo = process_photo(data)
    assert b"Kari" not in photo.display
    assert_stripped(photo.display)


def test_48_megapixel_jpeg_uses_quarter_scale_decoding() -> None:
    data = jpeg_bytes(two_halves((8064, 6048), top=RED, bottom=BLUE), quality=80)
    photo = process_photo(data)
    assert (photo.original_width, photo.original_height) == (8064, 6048)
    assert (photo.width, photo.height) == (2016, 1512)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (400, 300)


def test_a_size_between_decoder_scales_is_resampled_to_the_limit() -> None:
    # 3000 px halves to 1500 (too small), so the full decode is resized to 2048.
    photo = process_photo(jpeg_bytes(quadrants((3000, 2000))))
    assert (photo.width, photo.height) == (2048, 1365)
    photo = process_photo(encode(quadrants((3000, 2000)), "PNG"))
    assert (photo.width, photo.height) == (2048, 1365)


def test_processing_is_deterministic_and_accepts_a_stream() -> None:
    data = jpeg_bytes(quadrants((1200, 900)), exif=camera_exif(orientation=3))
    first = process_photo(data)
    second = process_photo(io.BytesIO(data))
    assert first == second
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert process_photo(data + b"\x00").sha256 != first.sha256  # hash of the bytes as sent
