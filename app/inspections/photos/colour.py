"""Colour normalisation: every stored image is 8-bit sRGB, whatever the camera tagged it with."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_SRGB_COLORANTS = (
    _SRGB.profile.red_colorant,
    _SRGB.profile.green_colorant,
    _SRGB.profile.blue_colorant,
)
_COLORANT_TOLERANCE = 0.003  # sRGB profiles from different vendors differ in the 4th decimal


def to_srgb(img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert an L, RGB or CMYK image to RGB in sRGB, honouring an embedded ICC profile."""
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if not _is_srgb(source):
                converted = ImageCms.profileToProfile(img, source, _SRGB, outputMode="RGB")
                assert converted is not None  # inPlace=False always returns an image
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # unreadable profile, or one that does not fit the image: treat as sRGB
    return img if img.mode == "RGB" else img.convert("RGB")


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    """Tell whether an RGB matrix/TRC profile has sRGB's primaries, so conversion can be skipped."""
    core = profile.profile
    if core.xcolor_space.strip() != "RGB" or not core.is_matrix_shaper:
        return False
    colorants = (core.red_colorant, core.green_colorant, core.blue_colorant)
    for actual, expected in zip(colorants, _SRGB_COLORANTS, strict=True):
        if actual is None or expected is None:
            return False
        pairs = zip(actual[0], expected[0], strict=True)
        if any(abs(a - e) > _COLORANT_TOLERANCE for a, e in pairs):
            return False
    return True
