"""Inspections: idempotent creation, offline-safe answer sync, review, current assessment."""

import json
import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.inspections.models import AnswerChange
from tests.factories import jpeg_bytes, make_unit, passing_answers, upload_photo, with_values
from tests.helpers import assert_problem

STEPS = "entrance.steps_count"
DOOR = "entrance.door_clear_width_mm"


def create(caller, unit, **body):
    """Create an inspection; under checklist version 1 (whose item ids these tests answer)
    unless `checklist_version` is given (None: the newest)."""
    body = {"unit_id": unit.id, "checklist_version": 1, **body}
    body = {k: v for k, v in body.items() if v is not None}
    response = caller.post("/api/v1/inspections", json=body)
    assert response.status_code in (200, 201), response.get_json()
    return response


def put_answers(caller, inspection_id, answers, **kw):
    return caller.put(
        f"/api/v1/inspections/{inspection_id}/answers", json={"answers": answers}, **kw
    )


def answers_by_item(caller, inspection_id):
    body = caller.get(f"/api/v1/inspections/{inspection_id}").get_json()
    return {a["item_id"]: a for a in body["answers"]}


def test_offline_create_is_idempotent(app, inspector):
    unit = make_unit()
    client_id = str(uuid.uuid4())
    first = create(inspector, unit, id=client_id)
    assert first.status_code == 201
    again = create(inspector, unit, id=client_id)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    other = make_unit()
    assert_problem(
        inspector.post("/api/v1/inspections", json={"id": client_id, "unit_id": other.id}), 409
    )


def test_register_answers_are_filled(app, inspector):
    unit = make_unit(floor=3)
    body = create(inspector, unit).get_json()
    answers = {a["item_id"]: a for a in body["answers"]}
    assert answers["unit.floor"]["value"] == 3
    assert answers["unit.floor"]["source"] == "register"
    assert body["checklist_key"] == "uu-bolig" and body["checklist_version"] == 1


def test_batch_is_validated_whole(app, inspector):
    unit = make_unit()
    inspection = create(inspector, unit).get_json()
    bad = [
        {"item_id": DOOR, "value": 900},
        {"item_id": DOOR.replace("door", "dør"), "value": 1},
        {"item_id": STEPS, "value": -2},
    ]
    body = assert_problem(put_answers(inspector, inspection["id"], bad), 422)
    assert set(body["errors"]["answers"]) == {"1", "2"}
    assert DOOR not in answers_by_item(inspector, inspection["id"])  # nothing written


def test_retry_storm_and_reverse_order(app, inspector):
    unit = make_unit()
    iid = create(inspector, unit).get_json()["id"]
    early = [{"item_id": DOOR, "value": 780, "answered_at": "2026-11-27T08:00:00Z"}]
    late = [
        {"item_id": DOOR, "value": 900, "answered_at": "2026-11-27T08:05:00Z"},
        {"item_id": STEPS, "value": 0, "answered_at": "2026-11-27T08:05:00Z"},
    ]
    for _ in range(5):
        assert put_answers(inspector, iid, late).status_code == 200
    outcome = put_answers(inspector, iid, early).get_json()["outcomes"]
    assert outcome == [{"item_id": DOOR, "outcome": "stale"}]
    for _ in range(5):
        put_answers(inspector, iid, early)
    state = answers_by_item(inspector, iid)
    assert state[DOOR]["value"] == 900 and state[STEPS]["value"] == 0
    changes = db.session.scalars(
        select(AnswerChange).where(AnswerChange.item_id == DOOR).order_by(AnswerChange.id)
    ).all()
    assert [c.new["value"] for c in changes] == [900]  # one real change, no duplicates
    # a later correction is kept in the history with its old value
    put_answers(
        inspector, iid, [{"item_id": DOOR, "value": 850, "answered_at": "2026-11-27T09:00:00Z"}]
    )
    history = db.session.scalars(select(AnswerChange).where(AnswerChange.item_id == DOOR)).all()
    assert [(c.old and c.old["value"], c.new["value"]) for c in history] == [
        (None, 900),
        (900, 850),
    ]


def test_if_match_detects_a_concurrent_edit(app, inspector):
    unit = make_unit()
    created = create(inspector, unit)
    iid, etag = created.get_json()["id"], created.headers["ETag"]
    first = put_answers(
        inspector, iid, [{"item_id": DOOR, "value": 900}], headers={"If-Match": etag}
    )
    assert first.status_code == 200
    assert first.headers["ETag"] != etag
    second = put_answers(
        inspector, iid, [{"item_id": DOOR, "value": 700}], headers={"If-Match": etag}
    )
    body = assert_problem(second, 412)
    current = {a["item_id"]: a["value"] for a in body["current"]["answers"]}
    assert current[DOOR] == 900
    assert answers_by_item(inspector, iid)[DOOR]["value"] == 900


def test_two_devices_without_if_match_newest_wins_and_history_keeps_both(app, inspector, as_role):
    unit = make_unit()
    iid = create(inspector, unit).get_json()["id"]
    put_answers(
        inspector, iid, [{"item_id": DOOR, "value": 800, "answered_at": "2026-11-27T10:00:00Z"}]
    )
    put_answers(
        inspector, iid, [{"item_id": DOOR, "value": 760, "answered_at": "2026-11-27T10:02:00Z"}]
    )
    put_answers(
        inspector, iid, [{"item_id": DOOR, "value": 810, "answered_at": "2026-11-27T10:01:00Z"}]
    )
    assert answers_by_item(inspector, iid)[DOOR]["value"] == 760
    count = db.session.scalar(
        select(func.count()).select_from(AnswerChange).where(AnswerChange.item_id == DOOR)
    )
    assert count == 2


def test_inspector_sees_and_edits_only_own(app, inspector, as_role):
    unit = make_unit()
    iid = create(inspector, unit).get_json()["id"]
    other = as_role("inspector")
    assert_problem(other.get(f"/api/v1/inspections/{iid}"), 404)
    assert_problem(put_answers(other, iid, [{"item_id": DOOR, "value": 900}]), 404)
    assert other.get("/api/v1/inspections").get_json() == []
    assert len(inspector.get("/api/v1/inspections?assigned_to=me&status=draft").get_json()) == 1
    assert_problem(other.post(f"/api/v1/inspections/{iid}/approve"), 403)


def test_managers_assign_and_officers_only_read(app, manager, inspector, as_role):
    unit = make_unit()
    body = create(manager, unit, inspector_id=inspector.user.id).get_json()
    assert body["inspector_id"] == inspector.user.id
    officer = as_role("allocation_officer")
    assert officer.get(f"/api/v1/inspections/{body['id']}").status_code == 200
    assert_problem(put_answers(officer, body["id"], [{"item_id": DOOR, "value": 900}]), 403)
    assert_problem(officer.post("/api/v1/inspections", json={"unit_id": unit.id}), 403)
    assert_problem(
        inspector.post(
            "/api/v1/inspections", json={"unit_id": unit.id, "inspector_id": manager.user.id}
        ),
        403,
    )


def test_submit_lists_missing_items_by_section(app, inspector):
    unit = make_unit()
    iid = create(inspector, unit).get_json()["id"]
    put_answers(inspector, iid, passing_answers(skip={DOOR, "hearing.doorbell_visual_signal"}))
    body = assert_problem(inspector.post(f"/api/v1/inspections/{iid}/submit"), 422)
    missing = {(s, m["item_id"]) for s, items in body["missing"].items() for m in items}
    assert ("entrance", DOOR) in missing
    assert ("hearing", "hearing.doorbell_visual_signal") in missing


def _complete(caller, unit, answers=None, photos=()):
    iid = create(caller, unit).get_json()["id"]
    response = put_answers(caller, iid, answers or passing_answers())
    assert response.status_code == 200, response.get_json()
    for n, item_id in enumerate(photos):
        assert upload_photo(caller, iid, item_id, jpeg_bytes((n * 40, 80, 80))).status_code == 201
    submitted = caller.post(f"/api/v1/inspections/{iid}/submit")
    assert submitted.status_code == 200, submitted.get_json()
    return iid


def test_approval_makes_the_current_assessment(app, inspector, manager, as_role):
    unit = make_unit(floor=1)
    officer = as_role("allocation_officer")
    before = officer.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert before["assessed"] is False
    iid = _complete(inspector, unit)
    assert_problem(put_answers(inspector, iid, [{"item_id": DOOR, "value": 700}]), 409)
    assert manager.post(f"/api/v1/inspections/{iid}/approve").status_code == 200
    result = officer.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert result["assessed"] is True and result["inspection_id"] == iid
    assert result["limitations"]["wheelchair_manual"]["class"] == "suitable"
    assert "wheelchair_manual" in result["suits"]["limitations"]
    found = officer.get("/api/v1/units?suitable_for=wheelchair_manual&class=suitable").get_json()
    assert [u["id"] for u in found] == [unit.id]
    assert (
        officer.get("/api/v1/units?suitable_for=wheelchair_manual&min_score=101").status_code == 422
    )
    assert_problem(officer.get("/api/v1/units?suitable_for=flying"), 422)


def test_a_barrier_shows_in_results_and_filters(app, inspector, manager, as_role):
    unit = make_unit(floor=1)
    answers = with_values(passing_answers(), **{STEPS: 4, "access.step_free_route": False})
    iid = _complete(inspector, unit, answers, photos=[STEPS, "access.step_free_route"])
    manager.post(f"/api/v1/inspections/{iid}/approve")
    officer = as_role("allocation_officer")
    result = officer.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    wheelchair = result["limitations"]["wheelchair_manual"]
    assert wheelchair["class"] in ("adaptable", "unsuitable")
    barriers = {b["item_id"]: b for b in wheelchair["barriers"]}
    assert set(barriers) >= {STEPS, "access.step_free_route"}
    assert len(barriers[STEPS]["photo_ids"]) == 1  # the evidence is shown with the barrier
    assert result["limitations"]["deaf"]["class"] == "suitable"
    assert officer.get("/api/v1/units?suitable_for=wheelchair_manual").get_json() == []
    assert len(officer.get("/api/v1/units?suitable_for=deaf").get_json()) == 1
    stats = officer.get("/api/v1/stats/portfolio").get_json()
    assert stats["by_key"]["deaf"]["classes"]["suitable"] >= 1
    assert "share" in stats["kostra"]
    frequent = {b["item_id"]: b for b in stats["barriers"]}
    assert frequent[STEPS]["count"] == 1 and frequent[STEPS]["question"]["nb"]


def test_return_to_draft_with_comment(app, inspector, manager):
    unit = make_unit()
    iid = _complete(inspector, unit)
    returned = manager.post(
        f"/api/v1/inspections/{iid}/return", json={"comment": "Mål døren på nytt"}
    )
    assert returned.get_json()["status"] == "draft"
    assert returned.get_json()["return_comment"] == "Mål døren på nytt"
    assert put_answers(inspector, iid, [{"item_id": DOOR, "value": 880}]).status_code == 200


def test_reinspection_carries_over_and_shows_changes(app, inspector, manager):
    unit = make_unit()
    first = _complete(inspector, unit)
    manager.post(f"/api/v1/inspections/{first}/approve")
    second = create(inspector, unit).get_json()
    answers = {a["item_id"]: a for a in second["answers"]}
    assert answers[DOOR]["carried_over"] is True and answers[DOOR]["source"] == "carried"
    body = assert_problem(inspector.post(f"/api/v1/inspections/{second['id']}/submit"), 422)
    assert any(m["reason"] == "carried_over" for items in body["missing"].values() for m in items)
    put_answers(inspector, second["id"], [{"item_id": DOOR, "value": 790}])
    changes = inspector.get(f"/api/v1/inspections/{second['id']}/changes").get_json()
    assert changes["previous_inspection_id"] == first
    door = next(c for c in changes["changes"] if c["item_id"] == DOOR)
    assert door["current"]["value"] == 790 and door["carried_over"] is False


def test_a_draft_on_version_1_keeps_working_after_version_2(app, inspector):
    unit = make_unit()
    iid = create(inspector, unit).get_json()["id"]  # pinned to version 1
    assert put_answers(inspector, iid, passing_answers()).status_code == 200
    assert inspector.post(f"/api/v1/inspections/{iid}/submit").get_json()["checklist_version"] == 1
    # Without a version a new inspection takes the newest published one.
    assert (
        create(inspector, make_unit(), checklist_version=None).get_json()["checklist_version"] == 2
    )


def test_scores_rebuild_follows_new_weights(app, make_user, tmp_path):
    from app.assessments.models import UnitAssessment, UnitScore
    from app.assessments.rebuild import rebuild_all, refresh_plan_inputs
    from tests.factories import assessed_unit, publish_heavier_hearing_weights

    unit = assessed_unit(make_user("inspector"), {"hearing.doorbell_visual_signal": False})
    senior = db.session.get(UnitScore, (unit.id, "senior"))
    before = senior.score
    publish_heavier_hearing_weights(app, tmp_path)
    assert rebuild_all() == 1
    db.session.commit()
    assert db.session.get(UnitScore, (unit.id, "senior")).score < before
    assessment = db.session.get(UnitAssessment, unit.id)
    assert assessment.profiles_version == 3
    assert assessment.plan_input is None  # stale until refreshed
    assert refresh_plan_inputs() == 1
    assert db.session.get(UnitAssessment, unit.id).plan_input is not None


def test_suitability_listing_sorts_by_score_and_counts_right(app, make_user, as_role):
    from tests.factories import STEP_FREE_BARRIERS, assessed_unit

    inspector = make_user("inspector")
    best = assessed_unit(inspector, district="Idd")
    weaker = assessed_unit(inspector, {"hearing.doorbell_visual_signal": False}, district="Idd")
    blocked = assessed_unit(inspector, STEP_FREE_BARRIERS, district="Sentrum", status="let")
    officer = as_role("allocation_officer")

    def listing(query):
        response = officer.get(f"/api/v1/units?{query}")
        assert response.status_code == 200, response.get_json()
        total = json.loads(response.headers["X-Pagination"])["total"]
        return [u["id"] for u in response.get_json()], total

    ids, total = listing("suitable_for=deaf")
    # Steps are no barrier for a deaf resident: equal scores, the newest unit first.
    assert ids == [blocked.id, best.id] and total == 2 and weaker.id not in ids
    ids, total = listing("suitable_for=deaf&class=adaptable")
    assert ids == [blocked.id, best.id, weaker.id] and total == 3
    assert listing("suitable_for=deaf&class=adaptable&sort=-score")[0] == ids[::-1]
    ids, total = listing("suitable_for=deaf,young_child&status=vacant")
    assert blocked.id not in ids and total == len(ids)
    ids, total = listing("suitable_for=wheelchair_manual&class=adaptable&sort=-address")
    assert blocked.id in ids and total == len(ids) == 3
    assert_problem(officer.get("/api/v1/units?sort=score"), 422)


def test_an_admin_cannot_approve_what_they_inspected(app, as_role, monkeypatch):
    admin, other_admin = as_role("admin"), as_role("admin")
    iid = _complete(admin, make_unit(floor=1))
    body = assert_problem(admin.post(f"/api/v1/inspections/{iid}/approve"), 403)
    assert "selv" in body["detail"]
    assert admin.get(f"/api/v1/inspections/{iid}").get_json()["status"] == "submitted"
    assert other_admin.post(f"/api/v1/inspections/{iid}/approve").status_code == 200


def test_four_eyes_can_be_turned_off(app, as_role, monkeypatch):
    monkeypatch.setitem(app.config, "APPROVAL_FOUR_EYES", False)
    admin = as_role("admin")
    iid = _complete(admin, make_unit(floor=1))
    assert admin.post(f"/api/v1/inspections/{iid}/approve").status_code == 200
