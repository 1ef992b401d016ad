"""Plan exports as Norwegian Excel reads them: CSV with BOM, semicolons and decimal commas;
XLSX with a sheet per level, kr formats, widths, autofilter, frozen header, Norwegian labels."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app.planning import exports
from tests.factories import STEP_FREE_BARRIERS, assessed_unit

NARROW_DOOR = {"entrance.door_clear_width_mm": 700, "bathroom.turning_space": False}
REQUEST = {"budget": 10_000_000, "priorities": {"wheelchair_manual": 2, "deaf": 1, "general": 1}}


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager")


@pytest.fixture
def stock(make_user):
    inspector = make_user("inspector")
    return [
        assessed_unit(inspector, STEP_FREE_BARRIERS, district="Sentrum"),
        assessed_unit(inspector, NARROW_DOOR, district="Idd"),
    ]


def labels(manager):
    names = {x["key"]: x["label"]["nb"] for x in manager.get("/api/v1/limitations").get_json()}
    profiles = manager.get("/api/v1/profiles").get_json()["profiles"]
    names.update({p["key"]: p["label"]["nb"] for p in profiles})
    return names


def test_xlsx_opens_ready_to_filter_with_norwegian_labels(manager, stock):
    plan = manager.post("/api/v1/planning/portfolio", json=REQUEST).get_json()
    assert plan["steps"]
    response = manager.post("/api/v1/planning/portfolio?format=xlsx", json=REQUEST)
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Tiltak", "Per bolig", "Per bydel", "Slik leser du dette"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row))
        assert all(sheet.column_dimensions[c].width >= 7 for c in "AB")
        assert not any(
            isinstance(c.value, str) and c.value.startswith("=")
            for row in sheet.iter_rows()
            for c in row
        )
    steps = book["Tiltak"]
    header = [c.value for c in steps[1]]
    cost = header.index("Kostnad typisk") + 1
    assert steps.cell(2, cost).number_format == '#,##0 "kr"'
    assert isinstance(steps.cell(2, cost).value, int)
    assert steps.column_dimensions["G"].width >= 30  # measure names
    names, keys = labels(manager), set(labels(manager)) | {"general"}
    suitable = header.index("Blir egnet for") + 1
    for (value,) in steps.iter_rows(
        min_row=2, min_col=suitable, max_col=suitable, values_only=True
    ):
        parts = value.split(", ")
        assert not keys & set(parts), value  # labels, never keys
        assert set(parts) <= set(names.values()) | {"Alle beboere"}
    assert {names["wheelchair_manual"]} <= {
        p
        for (v,) in steps.iter_rows(min_row=2, min_col=suitable, max_col=suitable, values_only=True)
        for p in v.split(", ")
    }
    per_unit = book["Per bolig"]
    assert per_unit.max_row - 1 == len({s["unit_id"] for s in plan["steps"]})
    per_district = book["Per bydel"]
    share = [c.value for c in per_district[1]].index("Andel egnet etter planen") + 1
    assert per_district.cell(2, share).number_format == "0.0 %"
    assert 0 <= per_district.cell(2, share).value <= 1
    assert {r[1] for r in per_district.iter_rows(min_row=2, values_only=True)} <= set(
        names.values()
    ) | {"Alle beboere"}


def test_csv_is_what_norwegian_excel_opens(manager, stock):
    response = manager.post("/api/v1/planning/portfolio?format=csv", json=REQUEST)
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert table[0][-1] == "Blir egnet for"
    assert all(len(row) == len(table[0]) for row in table)
    wheelchair = labels(manager)["wheelchair_manual"]
    assert any(wheelchair in row[-1].split(", ") for row in table[1:])
    assert all("_" not in row[-1] for row in table[1:])
    assert {row[8] for row in table[1:]} <= {"Boligen", "Bygget"}


def test_csv_writes_decimal_commas_and_no_formulas():
    sheet = exports.Sheet(
        "x", (exports.Column("Tall", 5), exports.Column("Tekst", 5)), [[1.5, "a;b"], [2, None]]
    )
    text = exports.write_csv(sheet).decode("utf-8-sig")
    assert text.splitlines() == ["Tall;Tekst", '1,5;"a;b"', "2;"]
