"""Reading CSV and XLSX bytes: encodings, delimiters, title rows, line numbers, bad files."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from app.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.units.importing import MAX_ROWS, read_table
from tests.units.units_files import HEADER, csv_bytes, unit_row, xlsx_bytes

ROW = unit_row(Adresse="Øvre Høvik 5", Poststed="Kornsjø")


def test_windows_1252_with_norwegian_letters() -> None:
    data = csv_bytes([ROW], encoding="cp1252")
    assert "Ø".encode("cp1252") in data
    table = read_table(data, "eksport.csv")
    assert table.header == tuple(HEADER)
    assert table.header_line == 1
    assert [(row.line, row.cells[2], row.cells[4]) for row in table.rows] == [
        (2, "Øvre Høvik 5", "Kornsjø")
    ]


def test_utf8_with_bom() -> None:
    data = codecs.BOM_UTF8 + csv_bytes([ROW])
    table = read_table(data, "eksport.csv")
    assert table.header[0] == "FDV bygg-id"  # no BOM glued to the first header
    assert table.rows[0].cells[2] == "Øvre Høvik 5"


def test_utf16_unicode_text_export_with_tabs() -> None:
    data = csv_bytes([ROW], delimiter="\t", encoding="utf-16")
    table = read_table(data, "eksport.txt")
    assert table.rows[0].cells[2] == "Øvre Høvik 5"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiter_is_detected(delimiter: str) -> None:
    # A comma inside a quoted address must not confuse a comma-separated file.
    data = csv_bytes([unit_row(Adresse="Storgata 1, inngang B")], delimiter=delimiter)
    table = read_table(data, "eksport.csv")
    assert len(table.header) == len(HEADER)
    assert table.rows[0].cells[2] == "Storgata 1, inngang B"


def test_excel_sep_hint_line() -> None:
    data = b"sep=,\r\n" + csv_bytes([ROW], delimiter=",")
    table = read_table(data, "eksport.csv")
    assert table.header_line == 2
    assert table.rows[0].line == 3


def test_title_rows_and_blank_lines_are_skipped_and_lines_stay_true() -> None:
    header, row = csv_bytes([ROW], encoding="cp1252").split(b"\r\n")[:2]
    lines = [b"Boligliste Halden kommune;;", b"Uttrekk 01.03.2025;;", header, b";;", row, b"", row]
    table = read_table(b"\r\n".join(lines), "eksport.csv")
    assert table.header_line == 3
    assert [r.line for r in table.rows] == [5, 7]
    assert table.rows[0].cells[2] == "Øvre Høvik 5"


def test_quoted_multiline_cell_keeps_later_line_numbers() -> None:
    data = csv_bytes([unit_row(Byggnavn="Gamle\nskolen"), ROW])
    table = read_table(data, "eksport.csv")
    assert [row.line for row in table.rows] == [2, 4]
    assert table.rows[0].cells[1] == "Gamle\nskolen"


def test_xlsx_with_title_row_above_header() -> None:
    data = xlsx_bytes(
        [unit_row(Postnr=150, **{"BRA (m²)": 54.5}), [None] * len(HEADER), ROW],
        title_rows=[["Boligregister Halden kommune"], []],
    )
    table = read_table(data, "register.xlsx")
    assert table.header_line == 3
    assert [row.line for row in table.rows] == [4, 6]
    assert table.rows[0].cells[3] == 150
    assert table.rows[0].cells[9] == 54.5


def test_xlsx_detected_by_content_not_name() -> None:
    table = read_table(xlsx_bytes([ROW]), "eksport.csv")
    assert table.rows[0].cells[2] == "Øvre Høvik 5"


@pytest.mark.parametrize("data", [b"", b"  \r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n;;\r\n"])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(Unprocessable, match=r"^Filen er tom\.$"):
        read_table(data, "eksport.csv")


def test_empty_workbook() -> None:
    with pytest.raises(Unprocessable, match=r"^Filen er tom\.$"):
        read_table(xlsx_bytes([], header=[]), "tom.xlsx")


def test_no_header_row() -> None:
    data = "\r\n".join(f"rad {n};verdi {n}" for n in range(20)).encode()
    with pytest.raises(Unprocessable, match=r"^Fant ingen overskriftsrad\."):
        read_table(data, "eksport.csv")


def test_legacy_xls_is_refused() -> None:
    with pytest.raises(UnsupportedMediaType, match=r"\.xls\) støttes ikke"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "gammel.xls")


def test_binary_junk_is_refused() -> None:
    with pytest.raises(UnsupportedMediaType):
        read_table(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bilde.csv")


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hei")
    with pytest.raises(Unprocessable, match=r"^Filen kunne ikke leses som Excel"):
        read_table(buffer.getvalue(), "register.xlsx")


def test_row_limit() -> None:
    header = b"adresse;bydel;bruksenhetsnummer\n"
    assert MAX_ROWS == 200_000
    read_table(header + b"Storgata 1;Idd;H0101\n" * MAX_ROWS, "stor.csv")
    with pytest.raises(PayloadTooLarge, match="mer enn 200 000 rader"):
        read_table(header + b"Storgata 1;Idd;H0101\n" * (MAX_ROWS + 1), "stor.csv")


def test_header_is_the_row_naming_most_known_columns() -> None:
    # A title row that happens to hold two column names does not win over the real header.
    data = b"Bygg;Status;\r\n" + csv_bytes([ROW])
    table = read_table(data, "eksport.csv")
    assert (table.header_line, table.header) == (2, tuple(HEADER))
    assert [row.line for row in table.rows] == [3]


def test_only_real_line_breaks_split_rows() -> None:
    # U+2028 (from copy-paste) and U+0085 are line breaks to str.splitlines, not to Excel.
    data = csv_bytes([unit_row(Byggnavn="Gamle\u2028skolen\u0085A"), ROW])
    table = read_table(data, "eksport.csv")
    assert [row.line for row in table.rows] == [2, 3]
    assert table.rows[0].cells[1] == "Gamle\u2028skolen\u0085A"
