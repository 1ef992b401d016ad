"""Report context in, PDF bytes out: Jinja2 HTML rendered by WeasyPrint as PDF/A-2b, tagged.

WeasyPrint writes one conformance identification per file; the finisher below adds PDF/UA-1's
to the XMP metadata next to PDF/A-2b's, with the extension schema PDF/A requires for the
`pdfuaid` namespace. The fonts (DejaVu Sans, Debian package fonts-dejavu-core) are embedded
as subsets. Nothing is fetched from outside: the URL fetcher serves the fonts and the photo
bytes given, and refuses every other address.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pydyf
import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.css import ColorProfile
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint turns on Pillow's lenient decoding of truncated files for the whole
# process. Photo uploads must stay strict (a truncated file is refused,
# tests/inspections/photos), and reports embed only photos that passed that check: switch it
# back.
ImageFile.LOAD_TRUNCATED_IMAGES = False

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
TEMPLATES = Path(__file__).parent / "templates"
_RGB = (["r"], ["g"], ["b"])
PDF_OPTIONS = {"pdf_variant": "pdf/a-2b", "pdf_tags": True}

_PDFUA = (
    b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
    b"<pdfuaid:part>1</pdfuaid:part></rdf:Description>"
    b'<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
    b' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
    b' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    b'<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    b"<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    b'<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    b"<pdfaProperty:name>part</pdfaProperty:name>"
    b"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    b"<pdfaProperty:category>internal</pdfaProperty:category>"
    b"<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
    b"</pdfaProperty:description>"
    b"</rdf:li></rdf:Seq></pdfaSchema:property>"
    b"</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
)


class ReportFetcher(URLFetcher):
    """Serves `report:font/NAME` and `report:photo/ID` from memory; nothing else."""

    def __init__(self, resources: Mapping[str, tuple[bytes, str]]):
        super().__init__(fail_on_errors=True)
        self._resources = resources

    def fetch(self, url, headers=None):
        if url not in self._resources:
            raise ValueError(f"Reports fetch nothing from outside: {url}")
        body, media_type = self._resources[url]
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@functools.cache
def _fonts(font_dir: Path) -> dict[str, tuple[bytes, str]]:
    return {f"report:font/{name}": ((font_dir / name).read_bytes(), "font/ttf") for name in FONTS}


@functools.cache
def fingerprint() -> str:
    """Changes whenever the templates or the renderer do (part of every report's ETag)."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    for path in sorted(TEMPLATES.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def html_of(context: dict) -> str:
    return _environment().get_template("report.html").render(**context)


def render_pdf(context: dict, photos: Mapping[str, bytes], *, font_dir: Path = FONT_DIR) -> bytes:
    """The report as PDF/A-2b + PDF/UA-1 bytes. `photos` maps photo id to JPEG bytes."""
    served = dict(_fonts(font_dir))
    served.update(
        {f"report:photo/{photo_id}": (data, "image/jpeg") for photo_id, data in photos.items()}
    )
    html = HTML(string=html_of(context), base_url="report:", url_fetcher=ReportFetcher(served))
    # The sRGB output intent PDF/A asks for, given as a profile of our own: WeasyPrint's
    # built-in "srgb" leaves its ICC file open (a ResourceWarning on every render).
    srgb = ColorProfile(io.BytesIO(_srgb()), "sRGB2014.icc", "relative-colorimetric", _RGB)
    return html.write_pdf(
        finisher=_identify_pdfua,
        color_profiles={"report-srgb": srgb},
        output_intent="report-srgb",
        **PDF_OPTIONS,
    )


@functools.cache
def _srgb() -> bytes:
    return (resources.files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def _identify_pdfua(document, pdf: pydyf.PDF) -> None:
    """Add PDF/UA-1 identification (and its PDF/A extension schema) inside the XMP packet
    WeasyPrint wrote for PDF/A-2b: one rdf:RDF, as XMP requires."""
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    packet = b"".join(metadata.stream)
    metadata.stream = [packet.replace(b"</rdf:RDF>", _PDFUA + b"</rdf:RDF>", 1)]
