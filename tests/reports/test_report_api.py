"""Report downloads: a real inspection with real photos rendered to PDF and read back."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.factories import make_unit, passing_answers, with_values
from tests.helpers import assert_problem
from tests.inspections.photos.photo_files import encode, jpeg_bytes, quadrants, two_halves
from tests.reports import pdf_checks

DOOR = "entrance.door_clear_width_mm"
STEPS = "entrance.steps_count"
ROUTE = "access.step_free_route"
BARRIERS = {DOOR: 780, STEPS: 3, ROUTE: False}
CAPTIONS = {
    DOOR: "Inngangsdøren, målt 780 mm fra dørblad til karm",
    STEPS: "Tre trinn opp til inngangen",
}


@pytest.fixture
def inspector(as_role):
    return as_role("inspector", name="Ida Befarer")


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager", name="Mona Forvalter")


def upload(caller, inspection_id, item_id, data, caption):
    response = caller.post(
        f"/api/v1/inspections/{inspection_id}/photos",
        data={
            "id": str(uuid.uuid4()),
            "item_id": item_id,
            "caption": caption,
            "file": (io.BytesIO(data), "bilde.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()


def inspect(inspector, unit, values, approve_by=None) -> str:
    """Create, answer, photograph, submit and (optionally) approve an inspection via the API."""
    created = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    )
    assert created.status_code == 201, created.get_json()
    inspection_id = created.get_json()["id"]
    # A re-inspection starts from the carried-over answers: the register's one is confirmed.
    answers = [*with_values(passing_answers(), **values), {"item_id": "unit.floor", "value": 1}]
    response = inspector.put(
        f"/api/v1/inspections/{inspection_id}/answers", json={"answers": answers}
    )
    assert response.status_code == 200, response.get_json()
    upload(inspector, inspection_id, DOOR, jpeg_bytes(quadrants((1600, 1200))), CAPTIONS[DOOR])
    png = encode(two_halves((900, 1200), (40, 40, 40), (230, 230, 230)), "PNG")
    upload(inspector, inspection_id, STEPS, png, CAPTIONS[STEPS])
    upload(inspector, inspection_id, ROUTE, jpeg_bytes(quadrants((800, 600))), "Gangveien")
    submitted = inspector.post(f"/api/v1/inspections/{inspection_id}/submit")
    assert submitted.status_code == 200, submitted.get_json()
    if approve_by is not None:
        approved = approve_by.post(f"/api/v1/inspections/{inspection_id}/approve")
        assert approved.status_code == 200, approved.get_json()
    return inspection_id


@pytest.fixture
def approved(app, inspector, manager):
    unit = make_unit(address="Storgata 12", floor=1, area=54.5)
    inspection_id = inspect(inspector, unit, BARRIERS, approve_by=manager)
    return unit, inspection_id


def pdf_of(response) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["ETag"].startswith('"report-')
    return response.data


def test_unit_report_is_pdfa_and_pdfua_with_everything_the_archive_needs(approved, manager):
    unit, inspection_id = approved
    pdf = pdf_of(manager.get(f"/api/v1/units/{unit.id}/report.pdf"))
    reader = pdf_checks.reader_of(pdf)

    metadata = pdf_checks.xmp(reader)
    assert 'pdfaid:part="2"' in metadata and 'pdfaid:conformance="B"' in metadata
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in metadata  # PDF/A extension schema
    catalog = pdf_checks.catalog(reader)
    assert catalog["/Lang"] == "nb"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "/OutputIntents" in catalog
    fonts = pdf_checks.fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert {name.split("+")[1] for name, _ in fonts} == {"DejaVu-Sans", "DejaVu-Sans-Bold"}

    tree = pdf_checks.structure(reader)
    assert tree.tags.count("H1") == 1 and "H2" in tree.tags and "H3" in tree.tags
    assert tree.table_headers >= 10
    assert tree.cells and tree.cells_with_headers == tree.cells
    assert tree.tags.index("H1") < tree.tags.index("H2") < tree.tags.index("Figure")
    assert len(tree.figures) == 3 and all(tree.figures), tree.figures
    door_alt = next(alt for alt in tree.figures if CAPTIONS[DOOR] in alt)
    assert "Hva er fri bredde i inngangsdøren til bygget?" in door_alt

    text = pdf_checks.text(reader)
    for expected in (
        "Tilgjengelighetsrapport: Storgata 12, bolig H0101",
        "Slik leser du rapporten",
        "780 mm",
        "krav ≥ 860 mm",
        "TEK17 §12-13 (forskrift)",
        "Ikke egnet",
        "Manuell rullestol",
        "Eldre 80+",
        "Ida Befarer",
        "Mona Forvalter",
        "54,5 m²",
        CAPTIONS[STEPS],
        "Rampe ved inngang",
        str(inspection_id),
    ):
        assert expected in text, expected


def test_the_report_agrees_with_the_accessibility_api(approved, manager):
    unit, _ = approved
    api = manager.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    text = pdf_checks.text(
        pdf_checks.reader_of(pdf_of(manager.get(f"/api/v1/units/{unit.id}/report.pdf")))
    )
    barriers = api["barriers"]
    assert f"Hindringer ({len(barriers)})" in text
    for n, barrier in enumerate(barriers, start=1):
        assert f"{n}. {barrier['question']['nb']}" in " ".join(text.split())
    classes = {r["class"] for r in api["limitations"].values()}
    labels = {"suitable": "Egnet", "adaptable": "tilpasning", "unsuitable": "Ikke egnet"}
    for cls in classes & labels.keys():
        assert labels[cls] in text


def test_download_is_audited_with_its_sha256_and_etag_gives_304(approved, manager):
    unit, _ = approved
    response = manager.get(f"/api/v1/units/{unit.id}/report.pdf")
    pdf = pdf_of(response)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.downloaded")
    ).one()
    assert event.object_type == "unit" and event.object_id == str(unit.id)
    assert event.actor_id == manager.user.id
    assert event.details["sha256"] == hashlib.sha256(pdf).hexdigest()

    etag = response.headers["ETag"]
    again = manager.get(f"/api/v1/units/{unit.id}/report.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    fresh = manager.get(f"/api/v1/units/{unit.id}/report.pdf")
    assert fresh.headers["ETag"] == etag and fresh.data == pdf  # same inputs, same bytes
    count = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.downloaded"))
    assert len(count.all()) == 2  # the 304 downloaded nothing


def test_inspection_report_and_reinspection_changes(approved, inspector, manager):
    unit, first_id = approved
    pdf = pdf_of(inspector.get(f"/api/v1/inspections/{first_id}/report.pdf"))
    text = pdf_checks.text(pdf_checks.reader_of(pdf))
    assert "Befaringsrapport: Storgata 12" in text
    assert "Endringer siden forrige befaring" not in text

    etag_before = manager.get(f"/api/v1/units/{unit.id}/report.pdf").headers["ETag"]
    second_id = inspect(inspector, unit, {**BARRIERS, DOOR: 900})
    submitted = pdf_checks.text(
        pdf_checks.reader_of(pdf_of(manager.get(f"/api/v1/inspections/{second_id}/report.pdf")))
    )
    assert "Endringer siden forrige befaring" in submitted
    assert "Sendt inn" in submitted and "Ikke godkjent ennå" in submitted
    flat = " ".join(submitted.split())
    assert "Hva er fri bredde i inngangsdøren til bygget? 780 mm 900 mm" in flat

    manager.post(f"/api/v1/inspections/{second_id}/approve")
    unit_pdf = pdf_of(manager.get(f"/api/v1/units/{unit.id}/report.pdf"))
    assert manager.get(f"/api/v1/units/{unit.id}/report.pdf").headers["ETag"] != etag_before
    assert "Endringer siden forrige befaring" in pdf_checks.text(pdf_checks.reader_of(unit_pdf))


def test_refusals_are_problem_json(app, approved, inspector, manager, as_role, client):
    unit, inspection_id = approved
    draft = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()["id"]
    body = assert_problem(manager.get(f"/api/v1/inspections/{draft}/report.pdf"), 409)
    assert "utkast" in body["detail"]
    assert_problem(manager.get(f"/api/v1/inspections/{uuid.uuid4()}/report.pdf"), 404)
    assert_problem(manager.get("/api/v1/units/999999/report.pdf"), 404)
    assert_problem(manager.get(f"/api/v1/units/{make_unit().id}/report.pdf"), 409)
    # Another inspector does not see this inspection at all; nobody signed out sees anything.
    assert_problem(as_role("inspector").get(f"/api/v1/inspections/{inspection_id}/report.pdf"), 404)
    assert_problem(client.get(f"/api/v1/units/{unit.id}/report.pdf"), 401)
    for role in ("admin", "allocation_officer", "inspector"):
        assert as_role(role).get(f"/api/v1/units/{unit.id}/report.pdf").status_code == 200


def test_a_photo_file_lost_from_storage_is_named_not_a_500(approved, manager):
    from app.inspections.photos.models import Photo
    from app.inspections.photos.services import storage

    unit, inspection_id = approved
    photo = db.session.scalars(
        select(Photo).where(Photo.inspection_id == uuid.UUID(inspection_id), Photo.item_id == DOOR)
    ).one()
    storage().delete(photo.display_key)
    reader = pdf_checks.reader_of(pdf_of(manager.get(f"/api/v1/units/{unit.id}/report.pdf")))
    assert "Bildefilen mangler i lagringen" in pdf_checks.text(reader)
    assert len(pdf_checks.structure(reader).figures) == 2
