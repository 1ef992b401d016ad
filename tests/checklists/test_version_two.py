"""Checklist v2 beside v1: publishing, carry-over of v1 answers, and the units still on v1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import delete, select

from app.assessments.models import UnitAssessment, UnitScore
from app.checklists import services as checklists
from app.checklists.models import PublishedDefinition
from app.extensions import db
from tests.factories import assess, make_unit
from tests.helpers import assert_problem

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"


@pytest.fixture
def inspector(as_role):
    return as_role("inspector")


def before_v2(tmp_path: Path) -> Path:
    """The definitions as they were before v2: checklist v1 and a measures catalogue that
    names only v1 items (the shipped one, cut down), under version 1."""
    target = tmp_path / "before"
    (target / "uu-bolig").mkdir(parents=True)
    for name in ("limitations.yaml", "profiles.yaml", "uu-bolig/v1.yaml"):
        shutil.copy(SHIPPED / name, target / name)
    v1 = yaml.safe_load((SHIPPED / "uu-bolig/v1.yaml").read_text(encoding="utf-8"))
    v1_items = {i["id"] for s in v1["sections"] for i in s["items"]}
    data = yaml.safe_load((SHIPPED / "measures.yaml").read_text(encoding="utf-8"))
    kept = []
    for m in data["measures"]:
        m["removes"] = [i for i in m["removes"] if i in v1_items]
        for v2_only in ("limits", "feasible_when"):
            m.pop(v2_only, None)
        if m["removes"]:
            kept.append(m)
    text = yaml.safe_dump({"version": 1, "measures": kept}, allow_unicode=True, sort_keys=False)
    (target / "measures.yaml").write_text(text, encoding="utf-8")
    return target


def snapshot(unit_id: int) -> tuple:
    row = db.session.get(UnitAssessment, unit_id)
    scores = db.session.execute(
        select(UnitScore.key, UnitScore.class_rank, UnitScore.score)
        .where(UnitScore.unit_id == unit_id)
        .order_by(UnitScore.key)
    ).all()
    return (row.checklist_version, row.measures_version, row.inputs, tuple(scores))


def test_publishing_v2_leaves_v1_and_stored_v1_assessments_unchanged(app, inspector, tmp_path):
    db.session.execute(delete(PublishedDefinition))  # rolled back after the test
    checklists.publish(before_v2(tmp_path))
    db.session.commit()
    v1 = db.session.scalar(select(PublishedDefinition).filter_by(kind="checklist", version=1))
    v1_before = (v1.id, v1.content_hash, v1.source)
    unit = assess(inspector.user, make_unit(), {"bathroom.step_free_shower": False})
    stored, shown = snapshot(unit.id), inspector.get(f"/api/v1/units/{unit.id}/accessibility")
    assert shown.status_code == 200

    outcomes = {o.file_name: o.status for o in checklists.publish(SHIPPED)}
    db.session.commit()
    assert outcomes["uu-bolig/v1.yaml"] == "unchanged"
    assert outcomes["uu-bolig/v2.yaml"] == outcomes["uu-bolig/map-v1-v2.yaml"] == "published"
    assert outcomes["measures.yaml"] == "published"
    v1 = db.session.get(PublishedDefinition, v1_before[0])
    assert (v1.id, v1.content_hash, v1.source) == v1_before
    assert snapshot(unit.id) == stored and stored[:2] == (1, 1)
    after = inspector.get(f"/api/v1/units/{unit.id}/accessibility")
    assert after.status_code == 200 and after.get_json() == shown.get_json()
    served = inspector.get("/api/v1/checklists/uu-bolig/versions/1").get_json()
    assert served["version"] == 1 and "entrance.steps_count" in {
        i["id"] for s in served["sections"] for i in s["items"]
    }


def test_a_reinspection_under_v2_carries_mapped_v1_answers_and_asks_what_is_new(app, inspector):
    unit = make_unit(floor=1, area=62.0)
    assess(
        inspector.user,
        unit,
        {
            "entrance.unit_door_clear_width_mm": 790,
            "storage.area_m2": 4.0,
            "entrance.steps_count": 3,
            "bathroom.turning_space": False,
        },
    )
    created = inspector.post("/api/v1/inspections", json={"unit_id": unit.id})
    assert created.status_code == 201
    body = created.get_json()
    assert body["checklist_version"] == 2
    answers = {a["item_id"]: a for a in body["answers"]}
    door = answers["unit_door.clear_width_mm"]  # renamed item: same question, same unit
    assert (door["value"], door["carried_over"], door["source"]) == (790, True, "carried")
    assert answers["storage.area_m2"]["value"] == answers["storage.area_small_unit_m2"]["value"]
    assert answers["bathroom.wc_side_clearance_mm"]["carried_over"] is True
    # Changed meaning or new: asked again, never carried.
    for item_id in (
        "entrance.entrance_steps_count",  # v1 counted stairwell steps too
        "bathroom.turning_space_size",  # v1 asked yes/no for Ø 1.5 m only
        "environment.radon_bq_m3",
        "safety.smoke_alarms_working",
    ):
        assert item_id not in answers, item_id
    assert not {"entrance.steps_count", "bathroom.turning_space"} & answers.keys()
    refused = inspector.post(f"/api/v1/inspections/{body['id']}/submit")
    missing = {
        m["item_id"]: m["reason"]
        for section in assert_problem(refused, 422)["missing"].values()
        for m in section
    }
    assert missing["entrance.entrance_steps_count"] == "unanswered"
    assert missing["bathroom.turning_space_size"] == "unanswered"
    assert missing["unit_door.clear_width_mm"] == "carried_over"  # to be confirmed


def test_a_reinspection_under_the_same_version_carries_every_answer(app, inspector):
    unit = make_unit()
    assess(inspector.user, unit, {"entrance.steps_count": 2})
    body = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()
    answers = {a["item_id"]: a for a in body["answers"]}
    assert answers["entrance.steps_count"]["value"] == 2
    assert answers["entrance.steps_count"]["carried_over"] is True


def test_units_still_on_v1_can_be_listed(app, as_role, inspector):
    from app.assessments.services import store_assessment
    from app.inspections import services as inspections
    from tests.factories import passing_answers

    old = assess(inspector.user, make_unit())
    new = make_unit()
    inspection, _ = inspections.create_inspection(inspector.user, {"unit_id": new.id})
    checklist = checklists.catalogue().checklists[("uu-bolig", 2)]
    inspections.upsert_answers(inspector.user, inspection, passing_answers(checklist))
    inspection.status = "approved"
    store_assessment(inspection)
    db.session.commit()
    make_unit()  # never assessed: in neither list
    admin = as_role("admin")
    on_v1 = admin.get("/api/v1/units?checklist_version=1").get_json()
    on_v2 = admin.get("/api/v1/units?checklist_version=2").get_json()
    assert [u["id"] for u in on_v1] == [old.id]
    assert [u["id"] for u in on_v2] == [new.id]
    counted = admin.get("/api/v1/units?checklist_version=1&page_size=10")
    assert '"total": 1' in counted.headers["X-Pagination"]
    assert_problem(admin.get("/api/v1/units?checklist_version=0"), 422)
