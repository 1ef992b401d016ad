"""CSV and XLSX written safely: the one place the product writes spreadsheets.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel and LibreOffice (CSV injection, OWASP): an address such as `=HYPERLINK("http://x";"Klikk")`
would become a live link or worse in the facility manager's spreadsheet. Such text gets a
leading apostrophe, the spreadsheet convention for "this is text", and XLSX cells with text are
always written as strings, never as formulas. Numbers stay numbers. Pure: no Flask here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with text that a spreadsheet would read as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [safe_cell(v) for v in row]


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Semicolon-separated, UTF-8 with BOM (Norwegian Excel opens it right), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet, header frozen; every text cell is a string cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in (header, *rows):
        sheet.append(safe_row(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # openpyxl would store "=..." as a formula
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
