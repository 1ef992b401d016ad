"""Reading a PDF's archival and accessibility structure with pypdf (no renderer involved)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class Structure:
    """What the structure tree holds: tags in reading order, figures' alt texts, heads."""

    tags: list[str] = field(default_factory=list)
    figures: list[str | None] = field(default_factory=list)
    table_headers: int = 0
    cells: int = 0
    cells_with_headers: int = 0  # data cells that name their header cells (/A /Headers)


def reader_of(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def catalog(reader: PdfReader) -> DictionaryObject:
    return reader.trailer["/Root"]


def xmp(reader: PdfReader) -> str:
    return catalog(reader)["/Metadata"].get_object().get_data().decode("utf-8")


def text(reader: PdfReader) -> str:
    """All pages' text, with no-break spaces as plain spaces."""
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


def fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(base font name, embedded?) of every font any page uses."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts", []):
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(
                d is not None
                and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())


def structure(reader: PdfReader) -> Structure:
    root = catalog(reader)["/StructTreeRoot"].get_object()
    result = Structure()
    _walk(root.get("/K"), result)
    return result


def _walk(node, result: Structure) -> None:
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            _walk(child, result)
        return
    if not isinstance(node, DictionaryObject) or node.get("/Type") not in (None, "/StructElem"):
        return
    if "/S" not in node:
        return
    tag = str(node["/S"])[1:]
    result.tags.append(tag)
    if tag == "Figure":
        alt = node.get("/Alt")
        result.figures.append(str(alt) if alt is not None else None)
    if tag == "TH":
        result.table_headers += 1
    if tag == "TD":
        result.cells += 1
        attributes = node.get("/A")
        headers = attributes.get_object().get("/Headers") if attributes is not None else None
        result.cells_with_headers += bool(headers)
    _walk(node.get("/K"), result)
