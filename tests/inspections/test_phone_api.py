"""What the phone relies on: one open draft per unit and inspector, starting points for an
offline start, the previous answers beside carried ones, and what a submit would refuse."""

import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.inspections.models import Inspection
from tests.factories import jpeg_bytes, make_unit, passing_answers, upload_photo, with_values
from tests.helpers import assert_problem

DOOR = "entrance.door_clear_width_mm"
ROUTE = "access.step_free_route"


def start(caller, unit, **body):
    return caller.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1, **body}
    )


def drafts_of(unit) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Inspection)
        .where(Inspection.unit_id == unit.id, Inspection.status == "draft")
    )


def test_a_second_open_draft_is_refused_with_the_first_ones_id(app, inspector):
    unit = make_unit()
    first = start(inspector, unit, id=str(uuid.uuid4()))
    assert first.status_code == 201
    again = start(inspector, unit, id=first.get_json()["id"])
    assert again.status_code == 200  # the same client UUID again: the idempotent create
    body = assert_problem(start(inspector, unit, id=str(uuid.uuid4())), 409)
    assert body["open_draft_id"] == first.get_json()["id"]
    assert "åpen befaring" in body["detail"]
    assert drafts_of(unit) == 1


def test_another_inspector_may_have_their_own_draft(app, inspector, as_role):
    unit = make_unit()
    assert start(inspector, unit).status_code == 201
    assert start(as_role("inspector"), unit).status_code == 201
    assert drafts_of(unit) == 2


def test_a_new_draft_is_allowed_once_the_first_is_submitted(app, inspector):
    unit = make_unit()
    iid = start(inspector, unit).get_json()["id"]
    inspector.put(f"/api/v1/inspections/{iid}/answers", json={"answers": passing_answers()})
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    second = start(inspector, unit)
    assert second.status_code == 201, second.get_json()
    assert drafts_of(unit) == 1


def test_return_is_refused_while_another_draft_is_open(app, inspector, manager):
    unit = make_unit()
    iid = start(inspector, unit).get_json()["id"]
    inspector.put(f"/api/v1/inspections/{iid}/answers", json={"answers": passing_answers()})
    inspector.post(f"/api/v1/inspections/{iid}/submit")
    second = start(inspector, unit).get_json()["id"]
    body = assert_problem(
        manager.post(f"/api/v1/inspections/{iid}/return", json={"comment": "Mål på nytt"}), 409
    )
    assert body["open_draft_id"] == second
    assert db.session.get(Inspection, uuid.UUID(iid)).status == "submitted"


def _approved(inspector, manager, unit, answers):
    iid = start(inspector, unit).get_json()["id"]
    inspector.put(f"/api/v1/inspections/{iid}/answers", json={"answers": answers})
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    assert manager.post(f"/api/v1/inspections/{iid}/approve").status_code == 200
    return iid


def test_starting_points_carry_the_last_approved_answers_and_the_open_draft(
    app, inspector, manager
):
    unit, fresh = make_unit(), make_unit()
    first = _approved(inspector, manager, unit, with_values(passing_answers(), **{DOOR: 910}))
    points = inspector.get(f"/api/v1/inspections/starting-points?unit_id={unit.id}").get_json()
    assert len(points) == 1
    point = points[0]
    assert point["unit"]["id"] == unit.id and point["unit"]["address"] == unit.building.address
    assert point["previous_inspection_id"] == first and point["open_draft_id"] is None
    previous = {a["item_id"]: a["value"] for a in point["previous_answers"]}
    assert previous[DOOR] == 910
    # A new inspection starts on the newest version; the answers carry over through its map.
    assert (point["checklist_key"], point["checklist_version"]) == ("uu-bolig", 2)

    draft = start(inspector, fresh).get_json()["id"]
    mine = inspector.get("/api/v1/inspections/starting-points").get_json()
    by_unit = {p["unit"]["id"]: p for p in mine}
    assert set(by_unit) == {unit.id, fresh.id}  # the inspector's own units by default
    assert by_unit[fresh.id]["open_draft_id"] == draft
    assert by_unit[fresh.id]["previous_answers"] == []


def test_starting_points_refuse_unknown_units(app, inspector):
    body = assert_problem(inspector.get("/api/v1/inspections/starting-points?unit_id=999999"), 422)
    assert "unit_id" in body["errors"]
    assert_problem(inspector.get("/api/v1/inspections/starting-points?unit_id=abc"), 422)


def test_detail_shows_the_previous_answers_beside_the_carried_ones(app, inspector, manager):
    unit = make_unit()
    _approved(inspector, manager, unit, with_values(passing_answers(), **{DOOR: 905}))
    second = start(inspector, unit).get_json()
    previous = {a["item_id"]: a["value"] for a in second["previous_answers"]}
    assert previous[DOOR] == 905
    inspector.put(
        f"/api/v1/inspections/{second['id']}/answers",
        json={"answers": [{"item_id": DOOR, "value": 780}]},
    )
    detail = inspector.get(f"/api/v1/inspections/{second['id']}").get_json()
    assert {a["item_id"]: a["value"] for a in detail["previous_answers"]}[DOOR] == 905
    assert {a["item_id"]: a["value"] for a in detail["answers"]}[DOOR] == 780


def test_missing_counts_what_submit_refuses_including_photos(app, inspector):
    unit = make_unit()
    iid = start(inspector, unit).get_json()["id"]
    answers = with_values(passing_answers(), **{ROUTE: False})
    inspector.put(f"/api/v1/inspections/{iid}/answers", json={"answers": answers})
    report = inspector.get(f"/api/v1/inspections/{iid}/missing").get_json()
    assert report["count"] == 1
    assert report["missing"] == {"access": [{"item_id": ROUTE, "reason": "photo_required"}]}
    refused = assert_problem(inspector.post(f"/api/v1/inspections/{iid}/submit"), 422)
    assert refused["missing"] == report["missing"]
    assert upload_photo(inspector, iid, ROUTE, jpeg_bytes()).status_code == 201
    assert inspector.get(f"/api/v1/inspections/{iid}/missing").get_json()["count"] == 0
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").status_code == 200
    assert inspector.get(f"/api/v1/inspections/{iid}/missing").get_json() == {
        "missing": {},
        "count": 0,
    }
