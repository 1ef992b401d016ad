"""Score approved inspections into each unit's current assessment, and read it back.

An assessment stores its scoring inputs (answers, facts, feasibility) and the definition
versions; the explained result is recomputed from them when read. The filterable numbers live
in the derived rows (`derived.py`); bulk rescoring is in `rebuild.py`.
"""

from __future__ import annotations

from sqlalchemy import select

from app.assessments import derived
from app.assessments.models import CLASS_ORDER, UnitAssessment
from app.checklists import services as checklists
from app.checklists.definitions import Catalogue
from app.extensions import db
from app.inspections.models import Inspection
from app.planning import unit_candidate, upgrade_options
from app.scoring import Result, score
from app.scoring.inputs import answers_from, answers_of, inputs_of, prepared_for
from app.timeutil import utcnow
from app.units.facts import facts_of
from app.units.feasibility import overrides_for
from app.webhooks import events
from app.webhooks import services as webhooks


def plan_input(prepared, answers, facts, feasibility) -> dict:
    """The planner's compact input for one assessment: needs suitable today and the merged
    cheapest upgrade options (computed once here, read by every portfolio plan)."""
    candidate = unit_candidate(0, 0, "", upgrade_options(prepared, answers, facts, feasibility))
    return {
        "suitable": sorted(candidate.suitable),
        "options": [[list(o.measures), list(o.needs)] for o in candidate.options],
    }


def store_assessment(inspection: Inspection, catalogue: Catalogue | None = None) -> UnitAssessment:
    """Score the inspection and make it the unit's current assessment."""
    catalogue = catalogue or checklists.catalogue()
    # Answers, facts and overrides are read once, for the scores and the planner's input.
    prepared = prepared_for(catalogue, inspection)
    answers, facts = answers_of(inspection.answers), facts_of(inspection.unit)
    feasibility = overrides_for(inspection.unit)
    result = score(prepared, answers, facts, feasibility=feasibility)
    assessment = db.session.get(UnitAssessment, inspection.unit_id) or UnitAssessment(
        unit_id=inspection.unit_id
    )
    assessment.inspection_id = inspection.id
    assessment.checklist_key = inspection.checklist_key
    assessment.checklist_version = inspection.checklist_version
    assessment.profiles_version = catalogue.profiles.version
    assessment.measures_version = catalogue.measures.version
    assessment.model_version = result.model_version
    assessment.inputs = inputs_of(answers, facts, feasibility)
    assessment.plan_input = plan_input(prepared, answers, facts, feasibility)
    assessment.scored_at = utcnow()
    db.session.add(assessment)
    before = derived.class_ranks(inspection.unit_id)
    derived.replace_unit(inspection.unit, result)
    _tell_suitability_changes(inspection.unit_id, before, derived.score_rows(0, result))
    db.session.flush()
    return assessment


def _tell_suitability_changes(unit_id: int, before: dict[str, int], after: list[tuple]) -> None:
    """The `unit.suitability_changed` webhook: the keys whose class changed (from null
    when the unit had no assessment)."""
    changes = [
        {
            "key": key,
            "from": CLASS_ORDER[before[key]] if key in before else None,
            "to": CLASS_ORDER[rank],
        }
        for _, key, rank, _score in after
        if before.get(key) != rank
    ]
    if changes:
        webhooks.emit(events.UNIT_SUITABILITY_CHANGED, {"unit_id": unit_id, "changes": changes})


def current_assessment(unit_id: int) -> UnitAssessment | None:
    return db.session.get(UnitAssessment, unit_id)


def assessment_result(assessment: UnitAssessment, catalogue: Catalogue | None = None) -> Result:
    """The explained result of a stored assessment: its inputs scored again under the
    definition versions it was scored with (`catalogue`, if given, must be of those versions),
    so it matches its stored scores exactly."""
    catalogue = catalogue or checklists.catalogue(
        assessment.profiles_version, assessment.measures_version
    )
    inputs = assessment.inputs
    return score(
        prepared_for(catalogue, assessment),
        answers_from(inputs),
        inputs["facts"],
        feasibility=inputs["feasibility"],
    )


def suits(result: dict) -> dict:
    """Which household types a unit suits: the limitations and age groups rated `suitable`."""
    return {
        "limitations": sorted(
            k for k, r in result["limitations"].items() if r["class"] == "suitable"
        ),
        "profiles": sorted(k for k, r in result["profiles"].items() if r["class"] == "suitable"),
    }


def rescore_changed_facts(unit_ids) -> int:
    """Rescore the current assessments whose unit's register facts (floor, lift, building type,
    storeys, area) differ from those they were scored with; returns how many."""
    count = 0
    for assessment in db.session.scalars(
        select(UnitAssessment).where(UnitAssessment.unit_id.in_(unit_ids))
    ):
        inspection = db.session.get(Inspection, assessment.inspection_id)
        if facts_of(inspection.unit) != assessment.inputs.get("facts"):
            store_assessment(inspection)
            count += 1
    return count


def rescore_units(unit_ids: list[int]) -> None:
    """Rescore the current assessments of these units (after a feasibility change)."""
    for assessment in db.session.scalars(
        select(UnitAssessment).where(UnitAssessment.unit_id.in_(unit_ids))
    ):
        store_assessment(db.session.get(Inspection, assessment.inspection_id))
