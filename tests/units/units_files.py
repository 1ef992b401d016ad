"""Builders for realistic unit-register import files (CSV bytes in several encodings, XLSX)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

DISTRICTS = ["Sentrum", "Brødløs", "Tistedal", "Idd", "Kornsjø"]

HEADER = [
    "FDV bygg-id",
    "Byggnavn",
    "Adresse",
    "Postnr",
    "Poststed",
    "Bydel",
    "Bruksenhetsnr",
    "Antall rom",
    "Soverom",
    "BRA (m²)",
    "Heis",
    "Byggeår",
    "Eierform",
    "Status",
    "FDV-id",
]


def unit_row(**overrides: object) -> list[object]:
    """One valid unit row under HEADER; keyword arguments replace cells by header name."""
    row: dict[str, object] = {
        "FDV bygg-id": "B-100",
        "Byggnavn": "Tistedalsgata borettslag",
        "Adresse": "Tistedalsgata 12",
        "Postnr": "1772",
        "Poststed": "Halden",
        "Bydel": "Tistedal",
        "Bruksenhetsnr": "H0101",
        "Antall rom": "3",
        "Soverom": "2",
        "BRA (m²)": "54,5",
        "Heis": "nei",
        "Byggeår": "1967",
        "Eierform": "eid",
        "Status": "utleid",
        "FDV-id": "E-1",
    }
    row.update({key.replace("_", " "): value for key, value in overrides.items()})
    return [row[name] for name in HEADER]


def csv_bytes(
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> bytes:
    """Write rows the way Excel's "CSV (semikolondelt)" does; cells with the delimiter quoted."""

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        if delimiter in text or '"' in text or "\n" in text:
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [delimiter.join(cell(v) for v in row) for row in [list(header), *rows]]
    return (newline.join(lines) + newline).encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    title_rows: Sequence[Sequence[object]] = (),
) -> bytes:
    """An XLSX workbook with optional title rows above the header row."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [*title_rows, list(header), *rows]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
