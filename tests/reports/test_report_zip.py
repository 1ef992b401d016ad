"""A district's unit reports as one ZIP: real PDFs in a real archive, the limit, the refusals."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.reports.district import safe_name
from tests.factories import assessed_unit, make_unit
from tests.helpers import assert_problem
from tests.reports import pdf_checks

URL = "/api/v1/reports/district.zip"
DISTRICT = "Tistedal"


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager", name="Mona Forvalter")


@pytest.fixture
def district(app, make_user):
    """Two assessed units and one never inspected in Tistedal; an assessed one elsewhere."""
    inspector = make_user("inspector")
    first = assessed_unit(inspector, district=DISTRICT, address="Brødløsveien 3")
    second = assessed_unit(
        inspector, {"entrance.steps_count": 3}, district=DISTRICT, address="Storgata 12"
    )
    waiting = make_unit(district=DISTRICT, address="Åsveien 7", floor=2)
    assessed_unit(inspector, district="Idd", address="Iddeveien 1")
    db.session.commit()
    return first, second, waiting


def download(caller, district_name):
    """The ZIP's bytes; the response is closed, as a WSGI server closes it (its spooled
    temporary file goes with it)."""
    response = caller.get(URL, query_string={"district": district_name})
    response.get_data()  # read to the end, then close
    response.close()
    return response


def zip_downloads():
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.zip_downloaded")
    ).all()


def test_the_zip_holds_one_report_per_assessed_unit_and_names_the_rest(district, manager):
    first, second, waiting = district
    response = download(manager, DISTRICT)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=tilgjengelighetsrapporter-Tistedal.zip"
    )

    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    assert archive.namelist() == [
        "Broedloesveien-3_H0101.pdf",
        "Storgata-12_H0101.pdf",
        "les-meg.txt",
    ]
    for name, address in (
        ("Broedloesveien-3_H0101.pdf", "Brødløsveien 3"),
        ("Storgata-12_H0101.pdf", "Storgata 12"),
    ):
        pdf = archive.read(name)
        assert pdf.startswith(b"%PDF")
        text = pdf_checks.text(pdf_checks.reader_of(pdf))
        assert f"Tilgjengelighetsrapport: {address}, bolig H0101" in text
        assert "Iddeveien" not in text

    readme = archive.read("les-meg.txt").decode("utf-8")
    assert "Tilgjengelighetsrapporter for bydelen Tistedal" in readme
    assert f"Åsveien 7, bolig H0201 (bolig-id {waiting.id})" in readme
    assert "uten godkjent vurdering" in readme
    assert "Iddeveien" not in readme and "Forvalter" not in readme  # nothing personal

    # The same bytes as the single download (which is audited on its own).
    single = manager.get(f"/api/v1/units/{second.id}/report.pdf")
    assert single.status_code == 200 and single.data == archive.read("Storgata-12_H0101.pdf")

    (event,) = zip_downloads()
    assert event.actor_id == manager.user.id
    assert event.object_type == "district" and event.object_id == DISTRICT
    assert event.details["unit_ids"] == [first.id, second.id]
    assert event.details["not_assessed_unit_ids"] == [waiting.id]
    assert event.details["sha256"] == hashlib.sha256(response.data).hexdigest()
    assert event.details["bytes"] == len(response.data)
    singles = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.downloaded")
    ).all()
    assert [e.object_id for e in singles] == [str(second.id)]  # only the single download


def test_above_the_limit_the_zip_is_refused_before_anything_is_rendered(
    app, district, manager, monkeypatch
):
    monkeypatch.setitem(app.config, "REPORT_ZIP_MAX_UNITS", 1)
    rendered = []
    monkeypatch.setattr("app.reports.services.pdf_of", rendered.append)
    body = assert_problem(manager.get(URL, query_string={"district": DISTRICT}), 422)
    assert "2 boliger med godkjent vurdering" in body["detail"]
    assert "høyst 1 rapport." in body["detail"]
    assert "én og én" in body["detail"]
    assert body["reports"] == 2 and body["limit"] == 1
    assert body["errors"]["district"]
    assert rendered == [] and zip_downloads() == []


def test_only_facility_managers_and_administrators_download_a_district(
    app, as_role, client, make_user
):
    for role in ("inspector", "allocation_officer"):
        body = assert_problem(as_role(role).get(URL, query_string={"district": DISTRICT}), 403)
        assert body["detail"] == "Rollen din gir ikke tilgang til dette."
    assert_problem(client.get(URL, query_string={"district": DISTRICT}), 401)
    assessed_unit(make_user("inspector"), district="Berg", address="Bergveien 2")
    response = download(as_role("admin"), "Berg")
    assert response.status_code == 200 and response.mimetype == "application/zip"


@pytest.mark.parametrize("query", [{}, {"district": ""}, {"district": "Atlantis"}])
def test_a_missing_or_unknown_district_is_named(app, manager, query):
    body = assert_problem(manager.get(URL, query_string=query), 422)
    assert list(body["errors"]) == ["district"]


def test_a_district_without_any_assessed_unit_is_a_conflict_in_norwegian(app, manager):
    make_unit(district="Rokke", address="Rokkeveien 1")
    db.session.commit()
    body = assert_problem(manager.get(URL, query_string={"district": "Rokke"}), 409)
    assert "Ingen boliger i bydelen Rokke har en godkjent vurdering" in body["detail"]
    assert "(1 bolig i bydelen)" in body["detail"]
    assert body["units"] == 1 and body["reports"] == 0
    body = assert_problem(manager.get(URL, query_string={"district": "Kornsjø"}), 409)
    assert body["units"] == 0
    assert zip_downloads() == []


def test_file_names_are_safe_ascii():
    assert safe_name("Brødløs gate 3/5") == "Broedloes-gate-3-5"
    assert safe_name("../../etc/passwd") == "etc-passwd"
    assert safe_name("Ærlig vei 1 A") == "Aerlig-vei-1-A"
    assert safe_name("Rue de l'Église 4") == "Rue-de-l-Eglise-4"
    assert safe_name("///") == "uten-navn"
    assert len(safe_name("x" * 300)) == 80


def test_head_checks_without_rendering_or_recording_a_download(app, district, manager, monkeypatch):
    rendered = []
    monkeypatch.setattr("app.reports.services.pdf_of", rendered.append)
    head = manager.head(URL, query_string={"district": DISTRICT})
    assert head.status_code == 200 and head.data == b""
    assert head.mimetype == "application/zip"
    assert "tilgjengelighetsrapporter-Tistedal.zip" in head.headers["Content-Disposition"]
    unit = district[0]
    single = manager.head(f"/api/v1/units/{unit.id}/report.pdf")
    assert single.status_code == 200 and single.data == b""
    assert single.mimetype == "application/pdf" and single.headers["ETag"]
    monkeypatch.setitem(app.config, "REPORT_ZIP_MAX_UNITS", 1)
    assert manager.head(URL, query_string={"district": DISTRICT}).status_code == 422
    downloads = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action.in_(["report.downloaded", "report.zip_downloaded"])
        )
    ).all()
    assert rendered == [] and downloads == []
