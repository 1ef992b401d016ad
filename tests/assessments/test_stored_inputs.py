"""An assessment keeps its scoring inputs; the explained result is recomputed from them and
always agrees with the stored score rows, before and after `rebuild_all`."""

import pytest
from sqlalchemy import delete, select, text

from app.assessments.models import (
    CLASS_ORDER,
    MATCH_KEYS,
    UnitAssessment,
    UnitBarrier,
    UnitScore,
    unit_match_scores,
)
from app.assessments.rebuild import rebuild_all
from app.extensions import db
from app.units.models import Building
from tests.factories import STEP_FREE_BARRIERS, assessed_unit, publish_heavier_hearing_weights


def _stored(unit_id: int) -> dict[str, tuple[str, float]]:
    rows = db.session.scalars(select(UnitScore).where(UnitScore.unit_id == unit_id))
    return {r.key: (CLASS_ORDER[r.class_rank], r.score) for r in rows}


def _explained(caller, unit_id: int) -> dict[str, tuple[str, float]]:
    body = caller.get(f"/api/v1/units/{unit_id}/accessibility").get_json()
    results = {**body["limitations"], **body["profiles"], "general": body["general"]}
    return {key: (r["class"], r["score"]) for key, r in results.items()}


def _assert_agree(caller, unit_id: int) -> None:
    """The explanation, the score rows and the matching row say the same."""
    stored, explained = _stored(unit_id), _explained(caller, unit_id)
    assert stored.keys() == explained.keys() and len(stored) == 18
    for key, (cls, score) in explained.items():
        assert stored[key][0] == cls, key
        assert abs(stored[key][1] - score) <= 0.05, key
    row = (
        db.session.execute(select(unit_match_scores).where(unit_match_scores.c.unit_id == unit_id))
        .one()
        ._mapping
    )
    for key in MATCH_KEYS:
        assert (CLASS_ORDER[row[f"{key}_rank"]], row[f"{key}_score"]) == stored[key], key


def test_the_explained_result_agrees_with_the_stored_scores(make_user, as_role):
    unit = assessed_unit(
        make_user("inspector"), {**STEP_FREE_BARRIERS, "hearing.doorbell_visual_signal": False}
    )
    officer = as_role("allocation_officer")
    _assert_agree(officer, unit.id)
    body = officer.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    barriers = {b["item_id"] for b in body["barriers"]}
    assert {"entrance.steps_count", "hearing.doorbell_visual_signal"} <= barriers
    stored = db.session.scalars(select(UnitBarrier.item_id).where(UnitBarrier.unit_id == unit.id))
    assert set(stored) == barriers


def test_inputs_hold_the_approved_answers_facts_and_overrides(make_user):
    unit = assessed_unit(make_user("inspector"), {"hearing.doorbell_visual_signal": False})
    inputs = db.session.get(UnitAssessment, unit.id).inputs
    assert inputs["answers"]["hearing.doorbell_visual_signal"] is False
    building = unit.building
    assert inputs["facts"] == {
        k: v
        for k, v in {
            "floor": unit.floor,
            "has_lift": building.has_lift,
            "building_type": building.building_type,
            "storeys": building.storeys,
            "area": None if unit.area is None else float(unit.area),
        }.items()
        if v is not None
    }
    assert inputs["feasibility"] == {}
    assert set(inputs["answers"]).isdisjoint(inputs["not_applicable"])


def test_rebuild_with_new_weights_rewrites_scores_and_explains_with_the_new_version(
    app, make_user, as_role, tmp_path
):
    unit = assessed_unit(make_user("inspector"), {"hearing.doorbell_visual_signal": False})
    officer = as_role("allocation_officer")
    before = _stored(unit.id)
    publish_heavier_hearing_weights(app, tmp_path)
    assert rebuild_all() == 1
    db.session.commit()
    after = _stored(unit.id)
    assert after["senior"][1] < before["senior"][1]
    assert after["hard_of_hearing"] == before["hard_of_hearing"]  # limitations unchanged
    body = officer.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert body["profiles_version"] == 3
    _assert_agree(officer, unit.id)
    assert db.session.get(UnitAssessment, unit.id).plan_input is None  # new definitions


def test_rebuild_without_changes_keeps_scores_and_planner_inputs(make_user, as_role):
    unit = assessed_unit(make_user("inspector"), STEP_FREE_BARRIERS)
    before = _stored(unit.id)
    plan_input = db.session.get(UnitAssessment, unit.id).plan_input
    assert rebuild_all() == 0  # nothing outdated: nothing rescored
    db.session.commit()
    assert _stored(unit.id) == before
    assert db.session.get(UnitAssessment, unit.id).plan_input == plan_input
    _assert_agree(as_role("allocation_officer"), unit.id)


def test_rebuild_repairs_every_score_and_matching_row_that_differs(make_user, as_role):
    """A rebuild of every unit writes only the rows that differ: changed, missing and extra
    rows alike."""
    unit = assessed_unit(make_user("inspector"), STEP_FREE_BARRIERS)
    before = _stored(unit.id)
    scores, matching = UnitScore.__table__, unit_match_scores
    db.session.execute(
        scores.update()
        .where(scores.c.unit_id == unit.id, scores.c.key == "senior")
        .values(class_rank=0, score=1.0)
    )
    db.session.execute(
        scores.delete().where(scores.c.unit_id == unit.id, scores.c.key == "wheelchair_manual")
    )
    db.session.execute(
        scores.insert().values(unit_id=unit.id, key="withdrawn", class_rank=3, score=5)
    )
    db.session.execute(
        matching.update()
        .where(matching.c.unit_id == unit.id)
        .values(wheelchair_manual_rank=0, general_score=1.0, district="Et annet sted")
    )
    db.session.commit()
    assert rebuild_all() == 0  # the inputs are current: the rows are left as they are
    assert _stored(unit.id)["senior"] == ("unsuitable", 1.0)
    assert rebuild_all(every=True) == 1
    db.session.commit()
    assert _stored(unit.id) == before
    district = db.session.scalar(select(matching.c.district).where(matching.c.unit_id == unit.id))
    assert district == unit.building.district
    _assert_agree(as_role("allocation_officer"), unit.id)


def test_rebuild_takes_todays_facts_into_the_inputs_barriers_and_explanation(make_user, as_role):
    unit = assessed_unit(make_user("inspector"), floor=3)
    building = db.session.get(Building, unit.building.id)
    lift_before = building.has_lift
    building.has_lift = not lift_before
    db.session.commit()
    assert rebuild_all() == 1
    db.session.commit()
    assessment = db.session.get(UnitAssessment, unit.id)
    assert assessment.inputs["facts"]["has_lift"] is (not lift_before)
    assert assessment.plan_input is None  # the facts changed: upgrade options are stale
    officer = as_role("allocation_officer")
    _assert_agree(officer, unit.id)
    body = officer.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    stored = db.session.scalars(select(UnitBarrier.item_id).where(UnitBarrier.unit_id == unit.id))
    assert set(stored) == {b["item_id"] for b in body["barriers"]}


def test_scores_from_an_older_model_are_rebuilt_after_an_upgrade(app, make_user):
    from app.assessments.cli import scores_cli

    unit = assessed_unit(make_user("inspector"), STEP_FREE_BARRIERS)
    runner = app.test_cli_runner()
    assert runner.invoke(scores_cli, ["rebuild", "--if-outdated"]).output == ""
    assessment = db.session.get(UnitAssessment, unit.id)
    assert assessment.model_version == 2
    assessment.model_version = 1  # as migration 0013 leaves assessments scored before it
    db.session.execute(delete(UnitBarrier).where(UnitBarrier.unit_id == unit.id))
    db.session.flush()
    result = runner.invoke(scores_cli, ["rebuild", "--if-outdated"])
    assert "1 vurderinger er beregnet med en eldre modell" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(UnitAssessment, unit.id).model_version == 2
    stored = db.session.scalars(select(UnitBarrier.item_id).where(UnitBarrier.unit_id == unit.id))
    assert "entrance.steps_count" in set(stored)  # a new model rewrites the barriers too


def test_scores_rebuild_command_reports_stale_planner_inputs_and_refreshes_them(
    app, make_user, tmp_path
):
    from app.assessments.cli import scores_cli

    unit = assessed_unit(make_user("inspector"), STEP_FREE_BARRIERS)
    publish_heavier_hearing_weights(app, tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(scores_cli, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert "Omberegnet 1 boliger" in result.output
    assert "Tiltaksgrunnlaget for 1 boliger er utdatert" in result.output
    assert db.session.get(UnitAssessment, unit.id).plan_input is None
    refreshed = runner.invoke(scores_cli, ["refresh-plans"])
    assert refreshed.exit_code == 0, refreshed.output
    assert db.session.get(UnitAssessment, unit.id).plan_input is not None
    again = runner.invoke(scores_cli, ["rebuild"])  # nothing changed since: nothing stale
    assert "Omberegnet 0 boliger" in again.output
    assert "utdatert" not in again.output
    assert db.session.get(UnitAssessment, unit.id).plan_input is not None
    forced = runner.invoke(scores_cli, ["rebuild", "--all"])
    assert "Omberegnet 1 boliger" in forced.output, forced.output


def test_verdicts_follow_the_register_facts(make_user, as_role):
    unit = assessed_unit(make_user("inspector"), {}, has_lift=False)
    manager = as_role("facility_manager")
    body = manager.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert unit.floor == 1 and body["limitations"]["wheelchair_manual"]["class"] == "suitable"
    url = f"/api/v1/units/{unit.id}"
    etag = manager.get(url).headers["ETag"]
    # The register said street level; the unit is on the third floor of a walk-up.
    assert manager.patch(url, json={"floor": 3}, headers={"If-Match": etag}).status_code == 200
    _assert_agree(manager, unit.id)
    body = manager.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert body["limitations"]["wheelchair_manual"]["class"] == "unsuitable"
    assert db.session.get(UnitAssessment, unit.id).inputs["facts"]["floor"] == 3


def test_scores_rebuild_command_gathers_statistics_on_sqlite(app, make_user):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: on PostgreSQL the command runs VACUUM ANALYZE")
    from app.assessments.cli import scores_cli

    assessed_unit(make_user("inspector"), STEP_FREE_BARRIERS)
    db.session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl LIKE 'unit_%'"))
    db.session.commit()
    result = app.test_cli_runner().invoke(scores_cli, ["rebuild"])
    assert result.exit_code == 0, result.output
    analyzed = set(db.session.scalars(text("SELECT tbl FROM sqlite_stat1")))
    assert {"unit_scores", "unit_match_scores", "unit_assessments"} <= analyzed
