"""The register import end to end: dry run, all-or-nothing, idempotent upsert, audit."""

import io
import os
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from app.audit.models import AuditEvent
from app.extensions import db
from app.units.importing import reading
from app.units.models import Building, Unit
from tests.helpers import assert_problem
from tests.units.units_files import csv_bytes, unit_row, xlsx_bytes

HEADER = (
    "FDV-id;Adresse;Postnr;Poststed;Bydel;Bruksenhetsnummer;Antall rom;Soverom;BRA;Heis;Status\n"
)
GOOD = (
    HEADER
    + "E1;Storgata 1;1771;Halden;Sentrum;H0101;3;2;54,5;ja;ledig\n"
    + "E2;Storgata 1;1771;Halden;Sentrum;H0201;2;1;41,0;ja;utleid\n"
    + "E3;Tistedalsgata 4;1792;Tistedal;Tistedal;H0101;4;3;78;nei;utleid\n"
)


def upload(caller, text, dry_run=False, name="eksport.csv", encoding="cp1252"):
    data = {"file": (io.BytesIO(text.encode(encoding)), name)}
    url = "/api/v1/units/import" + ("?dry_run=true" if dry_run else "")
    return caller.post(url, data=data, content_type="multipart/form-data")


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_dry_run_reports_without_writing(as_role):
    manager = as_role("facility_manager")
    response = upload(manager, GOOD, dry_run=True)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["dry_run"] is True
    assert report["summary"]["create"] == 3
    assert report["summary"]["errors"] == 0
    assert count(Unit) == 0


def test_import_then_same_file_again_changes_nothing(as_role):
    manager = as_role("facility_manager")
    first = upload(manager, GOOD).get_json()
    assert first["summary"]["create"] == 3
    assert count(Unit) == 3 and count(Building) == 2
    unit = db.session.scalar(select(Unit).where(Unit.external_id == "E1"))
    assert unit.area == 54.5 and unit.status == "vacant" and unit.building.has_lift is True
    second = upload(manager, GOOD).get_json()
    assert second["summary"]["unchanged"] == 3
    assert second["summary"]["create"] == second["summary"]["update"] == 0
    assert count(Unit) == 3
    changed = upload(manager, GOOD.replace("54,5;ja;ledig", "54,5;ja;utleid")).get_json()
    assert changed["summary"]["update"] == 1 and changed["summary"]["unchanged"] == 2


def test_invalid_file_writes_nothing_and_reports_lines(as_role):
    manager = as_role("facility_manager")
    bad = GOOD + "E4;Storgata 9;1771;Halden;Atlantis;X12;2;1;-4;ja;ledig\n"
    response = upload(manager, bad)
    body = assert_problem(response, 422)
    lines = {(p["line"], p["column"]) for p in body["report"]["problems"]}
    assert {line for line, _ in lines} == {5}
    assert len(body["report"]["problems"]) >= 3  # district, unit number, area
    assert count(Unit) == 0 and count(Building) == 0


def test_import_is_audited(as_role):
    manager = as_role("facility_manager")
    upload(manager, GOOD, name="fdv-2026.csv")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "units.imported"))
    assert event.actor_id == manager.user.id
    assert event.details["file_name"] == "fdv-2026.csv"
    assert event.details["create"] == 3


def test_missing_file_is_named(as_role):
    response = as_role("admin").post(
        "/api/v1/units/import", data={}, content_type="multipart/form-data"
    )
    assert "file" in assert_problem(response, 422)["errors"]


def test_cli_import_uses_the_same_path(app, tmp_path):
    from app.units.cli import units_cli

    path = tmp_path / "eksport.csv"
    path.write_bytes(GOOD.encode("cp1252"))
    runner = app.test_cli_runner()
    dry = runner.invoke(units_cli, ["import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "create: 3" in dry.output
    assert count(Unit) == 0
    real = runner.invoke(units_cli, ["import", str(path)])
    assert real.exit_code == 0, real.output
    assert count(Unit) == 3
    bad = tmp_path / "feil.csv"
    bad.write_bytes(
        (HEADER + "E9;Storgata 9;1771;Halden;Atlantis;H0101;2;1;40;ja;ledig\n").encode()
    )
    failed = runner.invoke(units_cli, ["import", str(bad)])
    assert failed.exit_code != 0 and "linje 2" in failed.output


def test_building_type_and_storeys_are_register_facts(as_role):
    manager = as_role("facility_manager")
    text = (
        "FDV-id;Adresse;Bydel;Bruksenhetsnummer;Bygningstype;Antall etasjer\n"
        "E1;Storgata 1;Sentrum;H0101;Rekkehus;2\n"
        "E2;Storgata 9;Sentrum;H0101;Omsorgsbolig;1\n"
    )
    assert upload(manager, text).status_code == 200
    unit = db.session.scalar(select(Unit).where(Unit.external_id == "E1"))
    assert (unit.building.building_type, unit.building.storeys) == ("terraced", 2)
    body = manager.get(f"/api/v1/units/{unit.id}").get_json()
    assert body["facts"] == {"floor": 1, "building_type": "terraced", "storeys": 2}
    building = manager.get(f"/api/v1/buildings/{unit.building_id}").get_json()
    assert building["building_type"] == "terraced"


def test_an_unknown_building_type_is_named_and_nothing_is_written(as_role):
    manager = as_role("facility_manager")
    text = (
        "FDV-id;Adresse;Bydel;Bruksenhetsnummer;Bygningstype\nE1;Storgata 1;Sentrum;H0101;Slott\n"
    )
    report = upload(manager, text).get_json()
    assert "Slott" in str(report) and "enebolig" in str(report)
    assert count(Unit) == 0


# -- bombs and lies --------------------------------------------------------------------------


def upload_bytes(caller, data, name="eksport.xlsx", dry_run=False):
    url = "/api/v1/units/import" + ("?dry_run=true" if dry_run else "")
    files = {"file": (io.BytesIO(data), name)}
    return caller.post(url, data=files, content_type="multipart/form-data")


def with_shared_strings(xlsx: bytes, text: str) -> bytes:
    """The workbook with one more shared string, `text` (openpyxl writes at most 32767
    characters to a cell; an attacker's zip has no such limit)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
        sst = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
        target.writestr(
            "xl/sharedStrings.xml", f'{sst} uniqueCount="1"><si><t>{text}</t></si></sst>'
        )
    return out.getvalue()


def test_an_xlsx_that_inflates_far_beyond_its_size_is_refused_unread(as_role):
    manager = as_role("facility_manager")
    bomb = with_shared_strings(xlsx_bytes([unit_row()]), "A" * 5_000_000)  # ~5 KB zipped
    assert len(bomb) < 100_000
    body = assert_problem(upload_bytes(manager, bomb, dry_run=True), 413)
    assert "sharedStrings" in body["detail"]
    assert count(Unit) == 0


def test_xlsx_members_are_measured_before_parsing(as_role, monkeypatch):
    manager = as_role("facility_manager")
    noise = os.urandom(300_000).hex()  # does not compress: only the size limits can catch it
    data = with_shared_strings(xlsx_bytes([unit_row()]), noise)
    monkeypatch.setattr(reading, "MAX_SHARED_STRINGS_BYTES", 500_000)
    assert_problem(upload_bytes(manager, data, dry_run=True), 413)
    monkeypatch.setattr(reading, "MAX_SHARED_STRINGS_BYTES", 64 * 1024 * 1024)
    monkeypatch.setattr(reading, "MAX_XLSX_BYTES", 500_000)
    assert_problem(upload_bytes(manager, data, dry_run=True), 413)


def test_blank_rows_are_counted_and_capped(as_role):
    manager = as_role("facility_manager")
    data = xlsx_bytes([unit_row()])
    sheet = load_workbook(io.BytesIO(data))
    sheet.active.cell(reading.MAX_BLANK_ROWS + 10, 1, "E-9")  # a cell far below: blank between
    buffer = io.BytesIO()
    sheet.save(buffer)
    body = assert_problem(upload_bytes(manager, buffer.getvalue(), dry_run=True), 422)
    assert "tomme rader" in body["detail"]
    blank_csv = csv_bytes([unit_row()]) + b"\r\n" * (reading.MAX_BLANK_ROWS + 1)
    body = assert_problem(upload_bytes(manager, blank_csv, "eksport.csv", dry_run=True), 422)
    assert "tomme rader" in body["detail"]


def test_dry_run_refuses_what_the_real_import_would_fail_on(as_role):
    """Over-long cells and NUL: the dry run reports them per row, and the real import gives
    the same 422 report instead of failing in the database."""
    manager = as_role("facility_manager")
    rows = [
        unit_row(Adresse="Storgata " + "9" * 300),
        unit_row(**{"FDV-id": "E-2", "Bruksenhetsnr": "H0102", "Byggnavn": "Bygg\x00A"}),
        unit_row(**{"FDV-id": "E" * 65, "Bruksenhetsnr": "H0103"}),
        unit_row(**{"FDV-id": "E-4", "Bruksenhetsnr": "H0104", "Poststed": "H" * 101}),
    ]
    data = b"\xef\xbb\xbf" + csv_bytes(rows)
    dry = upload_bytes(manager, data, "eksport.csv", dry_run=True)
    assert dry.status_code == 200, dry.get_json()
    report = dry.get_json()
    problems = {(p["line"], p["column"]) for p in report["problems"]}
    assert problems == {(2, "Adresse"), (3, "Byggnavn"), (4, "FDV-id"), (5, "Poststed")}
    assert report["summary"]["errors"] == 4
    real = assert_problem(upload_bytes(manager, data, "eksport.csv"), 422)
    assert {(p["line"], p["column"]) for p in real["report"]["problems"]} == problems
    assert count(Unit) == 0 and count(Building) == 0


def test_import_gathers_statistics_on_sqlite(as_role):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's autovacuum analyzes by itself")
    db.session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl IN ('units', 'buildings')"))
    db.session.commit()
    assert upload(as_role("facility_manager"), GOOD).status_code == 200
    analyzed = db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")).all()
    assert {"units", "buildings"} <= set(analyzed)
