"""Matching reads copies of each unit's status, bedrooms and district: every way the
register changes them (unit and building edits, the import) keeps the copies in step."""

import io

from sqlalchemy import select

from app.assessments.models import unit_match_scores
from app.extensions import db
from app.units.models import Unit
from tests.factories import assess, assessed_unit


def _register_copy(unit_id: int) -> tuple:
    m = unit_match_scores.c
    return db.session.execute(
        select(m.status, m.bedrooms, m.district).where(m.unit_id == unit_id)
    ).one()


def _matched(officer, applicant_id: int) -> list[int]:
    body = officer.get(f"/api/v1/applicants/{applicant_id}/matches").get_json()
    return [m["unit_id"] for m in body["matches"]]


def _household(officer, **fields) -> int:
    body = {"case_reference": "2026/2001", "household": {"adults": 1}, **fields}
    return officer.post("/api/v1/applicants", json=body).get_json()["id"]


def _patch(caller, url: str, body: dict) -> None:
    etag = caller.get(url).headers["ETag"]
    response = caller.patch(url, json=body, headers={"If-Match": etag})
    assert response.status_code == 200, response.get_json()


def test_unit_and_building_edits_reach_matching(make_user, as_role):
    unit = assessed_unit(make_user("inspector"), district="Idd", bedrooms=2)
    manager, officer = as_role("facility_manager"), as_role("allocation_officer")
    must_idd = _household(officer, districts=["Idd"], districts_required=True, min_bedrooms=2)
    assert _matched(officer, must_idd) == [unit.id]

    _patch(manager, f"/api/v1/units/{unit.id}", {"status": "let"})
    assert _register_copy(unit.id) == ("let", 2, "Idd")
    assert _matched(officer, must_idd) == []  # matches offer vacant units by default

    _patch(manager, f"/api/v1/units/{unit.id}", {"status": "vacant", "rooms": 2, "bedrooms": 1})
    assert _matched(officer, must_idd) == []  # too few bedrooms now

    _patch(manager, f"/api/v1/units/{unit.id}", {"bedrooms": 2, "rooms": 3})
    assert _matched(officer, must_idd) == [unit.id]

    _patch(manager, f"/api/v1/buildings/{unit.building_id}", {"district": "Berg"})
    assert _register_copy(unit.id) == ("vacant", 2, "Berg")
    assert _matched(officer, must_idd) == []
    must_berg = _household(
        officer, case_reference="2026/2002", districts=["Berg"], districts_required=True
    )
    assert _matched(officer, must_berg) == [unit.id]


def test_the_import_reaches_matching(make_user, as_role):
    manager, officer = as_role("facility_manager"), as_role("allocation_officer")
    header = "FDV-id;Adresse;Postnr;Poststed;Bydel;Bruksenhetsnummer;Antall rom;Soverom;Status\n"

    def upload(line: str) -> None:
        data = {"file": (io.BytesIO((header + line).encode("cp1252")), "eksport.csv")}
        response = manager.post(
            "/api/v1/units/import", data=data, content_type="multipart/form-data"
        )
        assert response.status_code == 200, response.get_json()

    upload("E1;Storgata 1;1771;Halden;Sentrum;H0101;3;2;ledig\n")
    unit = db.session.scalar(select(Unit).where(Unit.external_id == "E1"))
    assess(make_user("inspector"), unit)
    anyone = _household(officer)
    assert unit.id in _matched(officer, anyone)

    upload("E1;Storgata 1;1771;Halden;Sentrum;H0101;3;2;utleid\n")
    assert _register_copy(unit.id)[0] == "let"
    assert unit.id not in _matched(officer, anyone)

    upload("E1;Storgata 1;1771;Halden;Idd;H0101;3;2;ledig\n")  # the building moves district
    assert _register_copy(unit.id) == ("vacant", 2, "Idd")
    assert unit.id in _matched(officer, anyone)
