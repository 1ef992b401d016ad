"""ETags (app.api.etag): every answer that has one, the reads answered with 304 when the
client already holds the content, the writes refused with 412 when If-Match names an older
version, and how the OpenAPI document describes all three."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.api import etag
from app.checklists import answer_types
from app.checklists import services as checklists
from app.extensions import db
from app.inspections.models import Inspection
from app.inspections.photos.models import Photo
from app.reports import services as reports
from tests.factories import assessed_unit, make_unit, passing_answers, upload_photo
from tests.helpers import assert_problem

CHECKLIST = "/api/v1/checklists/uu-bolig/versions/1"


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager")


@pytest.fixture
def inspector(as_role):
    return as_role("inspector")


@pytest.fixture
def officer(as_role):
    return as_role("allocation_officer")


def version_tag(kind: str, body: dict) -> str:
    return f'"{kind}-{body["id"]}-v{body["version"]}"'


# -- a row's version ---------------------------------------------------------------------


def test_buildings_and_units_carry_their_version(manager):
    created = manager.post(
        "/api/v1/buildings",
        json={"address": "Etaggata 1", "postal_code": "1771", "district": "Sentrum"},
    )
    assert created.status_code == 201, created.get_json()
    building = created.get_json()
    assert created.headers["ETag"] == version_tag("building", building)
    url = f"/api/v1/buildings/{building['id']}"
    assert manager.get(url).headers["ETag"] == created.headers["ETag"]
    changed = manager.patch(
        url, json={"notes": "Ny"}, headers={"If-Match": created.headers["ETag"]}
    )
    assert changed.headers["ETag"] == version_tag("building", changed.get_json())
    assert changed.headers["ETag"] != created.headers["ETag"]

    unit = make_unit()
    url = f"/api/v1/units/{unit.id}"
    read = manager.get(url)
    assert read.headers["ETag"] == f'"unit-{unit.id}-v1"'
    changed = manager.patch(url, json={"notes": "Ny"}, headers={"If-Match": read.headers["ETag"]})
    assert changed.headers["ETag"] == f'"unit-{unit.id}-v2"'
    body = {**manager.get(url).get_json(), "unit_number": "H0102"}
    body = {k: body[k] for k in ("building_id", "unit_number", "floor", "rooms", "bedrooms")}
    created = manager.post("/api/v1/units", json=body)
    assert created.status_code == 201, created.get_json()
    assert created.headers["ETag"] == version_tag("unit", created.get_json())


def test_applicants_carry_their_version(officer):
    created = officer.post(
        "/api/v1/applicants", json={"case_reference": "2026/8001", "min_bedrooms": 1}
    )
    assert created.status_code == 201, created.get_json()
    assert created.headers["ETag"] == version_tag("applicant", created.get_json())
    url = f"/api/v1/applicants/{created.get_json()['id']}"
    assert officer.get(url).headers["ETag"] == created.headers["ETag"]
    changed = officer.patch(
        url, json={"min_bedrooms": 2}, headers={"If-Match": created.headers["ETag"]}
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.headers["ETag"] == version_tag("applicant", changed.get_json())


def test_every_inspection_answer_carries_its_version(inspector, manager):
    unit = make_unit()
    client_id = str(uuid.uuid4())
    body = {"id": client_id, "unit_id": unit.id, "checklist_version": 1}
    created = inspector.post("/api/v1/inspections", json=body)
    assert created.status_code == 201
    again = inspector.post("/api/v1/inspections", json=body)
    assert again.status_code == 200 and again.headers["ETag"] == created.headers["ETag"]
    base = f"/api/v1/inspections/{client_id}"
    synced = inspector.put(
        f"{base}/answers",
        json={"answers": passing_answers()},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert synced.status_code == 200, synced.get_json()
    steps = [
        synced,
        inspector.post(f"{base}/submit"),
        manager.post(f"{base}/return", json={"comment": "Mål døren på nytt"}),
        inspector.post(f"{base}/submit"),
        manager.post(f"{base}/approve"),
    ]
    for response in [created, *steps]:
        assert response.status_code in (200, 201), response.get_json()
        detail = response.get_json().get("inspection", response.get_json())
        assert response.headers["ETag"] == version_tag("inspection", detail)
    assert inspector.get(base).headers["ETag"] == steps[-1].headers["ETag"]
    assert len({r.headers["ETag"] for r in steps}) == len(steps)  # each write moved it


def test_a_versioned_read_is_answered_in_full_whatever_if_none_match_says(manager):
    unit = make_unit()
    url = f"/api/v1/units/{unit.id}"
    current = manager.get(url).headers["ETag"]
    again = manager.get(url, headers={"If-None-Match": current})
    assert again.status_code == 200 and again.get_json()["id"] == unit.id
    assert again.headers["ETag"] == current


def _stale_writes(manager, inspector, officer):
    """(caller, method, url, body, current state expected) per write that checks If-Match,
    each read once so that its version is 1 and `v0` names an older one."""
    unit = make_unit()
    inspection = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()
    applicant = officer.post(
        "/api/v1/applicants", json={"case_reference": "2026/8002", "min_bedrooms": 1}
    ).get_json()
    answers = {"answers": passing_answers()[:2]}
    return [
        (manager, "patch", f"/api/v1/units/{unit.id}", {"notes": "x"}, True),
        (manager, "patch", f"/api/v1/buildings/{unit.building_id}", {"notes": "x"}, True),
        (officer, "patch", f"/api/v1/applicants/{applicant['id']}", {"min_bedrooms": 2}, False),
        (inspector, "put", f"/api/v1/inspections/{inspection['id']}/answers", answers, True),
    ]


def test_a_write_based_on_another_version_is_412_with_the_current_one(manager, inspector, officer):
    for caller, method, url, body, with_state in _stale_writes(manager, inspector, officer):
        reader = officer if "applicants" in url else manager
        current = reader.get(url.removesuffix("/answers")).headers["ETag"]
        stale = current.replace("-v1", "-v0")
        refused = getattr(caller, method)(url, json=body, headers={"If-Match": stale})
        problem = assert_problem(refused, 412)
        assert refused.headers["ETag"] == problem["current_etag"] == current, url
        assert ("current" in problem) is with_state, url
        if with_state:
            assert version_tag(current.split("-")[0].strip('"'), problem["current"]) == current
        assert reader.get(url.removesuffix("/answers")).headers["ETag"] == current  # unwritten
        weak = getattr(caller, method)(url, json=body, headers={"If-Match": f"W/{current}"})
        assert weak.status_code == 200, (url, weak.get_json())  # If-Match ignores W/


# -- a content hash ----------------------------------------------------------------------


def test_a_checklist_definition_is_tagged_by_its_hash_and_answered_304(inspector):
    content = checklists.checklist_definition("uu-bolig", 1).content_hash
    measures = checklists.catalogue().measures.version
    # The body carries the table of answer types and the measures too.
    tag = f'"{content}-m{measures}-{answer_types.fingerprint()}"'
    full = inspector.get(CHECKLIST)
    assert full.status_code == 200 and full.get_json()["key"] == "uu-bolig"
    assert full.headers["ETag"] == tag
    assert full.headers["Cache-Control"] == "no-cache"
    for held in (tag, f'"other", {tag}', f"W/{tag}", "*"):
        for send in (inspector.get, inspector.head):
            cached = send(CHECKLIST, headers={"If-None-Match": held})
            assert cached.status_code == 304 and cached.data == b"", held
            assert cached.headers["ETag"] == tag
            assert cached.headers["Cache-Control"] == full.headers["Cache-Control"]
    assert inspector.get(CHECKLIST, headers={"If-None-Match": '"other"'}).status_code == 200


def test_reports_are_tagged_by_their_content_and_answered_304_unrendered(
    app, inspector, manager, monkeypatch
):
    unit = assessed_unit(inspector.user)
    inspection_id = db.session.scalar(select(Inspection.id).where(Inspection.unit_id == unit.id))
    for url in (
        f"/api/v1/units/{unit.id}/report.pdf",
        f"/api/v1/inspections/{inspection_id}/report.pdf",
    ):
        head = manager.head(url)
        assert head.status_code == 200 and head.headers["ETag"].startswith('"report-')
        assert head.headers["Cache-Control"] == "private, no-cache"
        tag = head.headers["ETag"]

        def unrendered(report):
            raise AssertionError("a 304 renders nothing")

        with monkeypatch.context() as patched:
            patched.setattr(reports, "render", unrendered)
            for send in (manager.get, manager.head):
                cached = send(url, headers={"If-None-Match": tag})
                assert cached.status_code == 304 and cached.data == b"", url
                assert cached.headers["ETag"] == tag
                assert cached.headers["Cache-Control"] == "private, no-cache"
        full = manager.get(url, headers={"If-None-Match": '"report-other"'})
        assert full.status_code == 200 and full.mimetype == "application/pdf"
        assert full.headers["ETag"] == tag and full.data.startswith(b"%PDF")


def test_photos_are_tagged_by_their_hash_and_answered_304(inspector):
    unit = make_unit()
    inspection = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()["id"]
    body = upload_photo(inspector, inspection).get_json()
    photo = db.session.get(Photo, uuid.UUID(body["id"]))
    for url, suffix in ((body["url"], "d"), (body["thumbnail_url"], "t")):
        tag = f'"{photo.sha256[:32]}-{suffix}"'
        with inspector.get(url) as full:
            assert full.status_code == 200 and full.mimetype == "image/jpeg"
            assert full.headers["ETag"] == tag
            assert full.headers["Cache-Control"] == "private, no-store"
        for held in (tag, f"W/{tag}", "*"):
            with inspector.get(url, headers={"If-None-Match": held}) as cached:
                assert cached.status_code == 304 and cached.data == b"", held
                assert cached.headers["ETag"] == tag
                assert cached.headers["Cache-Control"] == "private, no-store"


# -- the mechanism and the document -------------------------------------------------------


def test_a_conditional_view_must_name_its_etag(app):
    untagged = etag.conditional(cache_control="no-cache")(lambda: {"ok": True})
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError, match="no ETag"):
            untagged()
        with pytest.raises(RuntimeError, match="outside"):
            etag.tag('"x"')


VERSIONED = {
    ("post", "/api/v1/buildings"),
    ("get", "/api/v1/buildings/{building_id}"),
    ("patch", "/api/v1/buildings/{building_id}"),
    ("post", "/api/v1/units"),
    ("get", "/api/v1/units/{unit_id}"),
    ("patch", "/api/v1/units/{unit_id}"),
    ("post", "/api/v1/applicants"),
    ("get", "/api/v1/applicants/{applicant_id}"),
    ("patch", "/api/v1/applicants/{applicant_id}"),
    ("post", "/api/v1/inspections"),
    ("get", "/api/v1/inspections/{inspection_id}"),
    ("put", "/api/v1/inspections/{inspection_id}/answers"),
    ("put", "/api/v1/inspections/{inspection_id}/sections/{section_id}/instances/{number}"),
    ("delete", "/api/v1/inspections/{inspection_id}/sections/{section_id}/instances/{number}"),
    ("post", "/api/v1/inspections/{inspection_id}/submit"),
    ("post", "/api/v1/inspections/{inspection_id}/approve"),
    ("post", "/api/v1/inspections/{inspection_id}/return"),
}
CONDITIONAL = {
    ("get", "/api/v1/checklists/{key}/versions/{version}"),
    ("get", "/api/v1/units/{unit_id}/report.pdf"),
    ("get", "/api/v1/inspections/{inspection_id}/report.pdf"),
    ("get", "/api/v1/photos/{photo_id}"),
    ("get", "/api/v1/photos/{photo_id}/thumbnail"),
}


def test_the_document_tells_which_answers_carry_an_etag_and_what_it_is_for(client):
    spec = client.get("/api/openapi.json").get_json()
    tagged, not_modified, checked = set(), set(), set()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            success = [r for status, r in responses.items() if status.startswith("2")]
            if any("ETag" in r.get("headers", {}) for r in success):
                assert all("ETag" in r.get("headers", {}) for r in success), (method, path)
                tagged.add((method, path))
            if "304" in responses:
                assert "If-None-Match" in headers and "ETag" in responses["304"]["headers"]
                not_modified.add((method, path))
            if "If-Match" in headers:
                assert responses["412"] == {"$ref": "#/components/responses/PRECONDITION_FAILED"}
                checked.add((method, path))
    assert tagged == VERSIONED | CONDITIONAL
    assert not_modified == CONDITIONAL
    assert checked == {(m, p) for m, p in VERSIONED if m in ("put", "patch")}
    if_match = next(
        p
        for p in spec["paths"]["/api/v1/units/{unit_id}"]["patch"]["parameters"]
        if p["name"] == "If-Match"
    )
    assert if_match["required"] is False  # without it a change is not checked
