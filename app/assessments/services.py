"""Score approved inspections into each unit's current assessment, and read it back."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import load_only

from app.assessments.feasibility import load_index, overrides_for
from app.assessments.models import CLASS_RANK, UnitAssessment, UnitBarrier, UnitScore
from app.checklists import services as checklists
from app.checklists.model import Catalogue
from app.extensions import db
from app.inspections.models import Answer, Inspection
from app.planning import unit_candidate, upgrade_options
from app.scoring import Answer as ScoringAnswer
from app.scoring import Result, prepare, result_to_dict, score
from app.timeutil import utcnow


def answers_of(rows: Iterable[Answer]) -> dict[str, ScoringAnswer]:
    """Stored answers as the scoring core takes them; unconfirmed carried-over ones count."""
    return {
        a.item_id: ScoringAnswer(None, True) if a.not_applicable else ScoringAnswer(a.value)
        for a in rows
    }


def facts_of(unit) -> dict:
    facts = {"floor": unit.floor, "has_lift": unit.building.has_lift}
    return {k: v for k, v in facts.items() if v is not None}


def prepared_for(catalogue: Catalogue, inspection: Inspection):
    """The impact table of the checklist version the inspection pinned."""
    checklist = catalogue.checklists[(inspection.checklist_key, inspection.checklist_version)]
    return prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)


def plan_input(prepared, answers, facts, feasibility) -> dict:
    """The planner's compact input for one assessment: needs suitable today and the merged
    cheapest upgrade options (computed once here, read by every portfolio plan)."""
    candidate = unit_candidate(0, 0, "", upgrade_options(prepared, answers, facts, feasibility))
    return {
        "suitable": sorted(candidate.suitable),
        "options": [[list(o.measures), list(o.needs)] for o in candidate.options],
    }


def score_inspection(
    inspection: Inspection, *, explain: bool = True, catalogue: Catalogue | None = None
) -> Result:
    catalogue = catalogue or checklists.catalogue()
    prepared = prepared_for(catalogue, inspection)
    return score(
        prepared,
        answers_of(inspection.answers),
        facts_of(inspection.unit),
        feasibility=overrides_for(inspection.unit),
        explain=explain,
    )


def _score_rows(unit_id: int, result: Result) -> list[dict]:
    rows = []
    for kind, results in (("limitation", result.limitations), ("profile", result.profiles)):
        for key, r in results.items():
            rows.append(_row(unit_id, key, kind, r))
    rows.append(_row(unit_id, "general", "general", result.general))
    return rows


def _barrier_rows(unit_id: int, result: Result) -> list[dict]:
    return [{"unit_id": unit_id, "item_id": b.item_id} for b in result.general.barriers]


def _replace_rows(unit_ids: list[int], score_rows: list[dict], barrier_rows: list[dict]) -> None:
    """Swap the filterable rows of these units for the new ones (one statement each)."""
    for model, rows in ((UnitScore, score_rows), (UnitBarrier, barrier_rows)):
        db.session.execute(delete(model).where(model.unit_id.in_(unit_ids)))
        if rows:
            db.session.execute(model.__table__.insert(), rows)


def _row(unit_id, key, kind, r) -> dict:
    return {
        "unit_id": unit_id,
        "key": key,
        "kind": kind,
        "score": round(r.score, 2),
        "suitability": r.suitability,
        "class_rank": CLASS_RANK[r.suitability],
        "coverage": round(r.coverage, 4),
        "problem_score": r.problem_score,
    }


def store_assessment(inspection: Inspection, catalogue: Catalogue | None = None) -> UnitAssessment:
    """Score the inspection and make it the unit's current assessment."""
    catalogue = catalogue or checklists.catalogue()
    # Answers, facts and overrides are read once, for the result and the planner's input.
    prepared = prepared_for(catalogue, inspection)
    answers, facts = answers_of(inspection.answers), facts_of(inspection.unit)
    feasibility = overrides_for(inspection.unit)
    result = score(prepared, answers, facts, feasibility=feasibility)
    planner = plan_input(prepared, answers, facts, feasibility)
    assessment = db.session.get(UnitAssessment, inspection.unit_id) or UnitAssessment(
        unit_id=inspection.unit_id
    )
    assessment.inspection_id = inspection.id
    assessment.checklist_key = inspection.checklist_key
    assessment.checklist_version = inspection.checklist_version
    assessment.profiles_version = catalogue.profiles.version
    assessment.measures_version = catalogue.measures.version
    assessment.result = result_to_dict(result)
    assessment.plan_input = planner
    assessment.scored_at = utcnow()
    db.session.add(assessment)
    _replace_rows(
        [inspection.unit_id],
        _score_rows(inspection.unit_id, result),
        _barrier_rows(inspection.unit_id, result),
    )
    db.session.flush()
    return assessment


def current_assessment(unit_id: int) -> UnitAssessment | None:
    return db.session.get(UnitAssessment, unit_id)


def suits(result: dict) -> dict:
    """Which household types a unit suits: the limitations and age groups rated `suitable`."""
    return {
        "limitations": sorted(
            k for k, r in result["limitations"].items() if r["class"] == "suitable"
        ),
        "profiles": sorted(k for k, r in result["profiles"].items() if r["class"] == "suitable"),
    }


def _batches(unit_ids: list[int], batch_size: int):
    """Inspections with their answers, a chunk of units at a time (no query per unit)."""
    for start in range(0, len(unit_ids), batch_size):
        chunk = unit_ids[start : start + batch_size]
        assessments = {
            a.unit_id: a
            for a in db.session.scalars(
                select(UnitAssessment)
                .options(load_only(UnitAssessment.unit_id, UnitAssessment.inspection_id))
                .where(UnitAssessment.unit_id.in_(chunk))
            )
        }  # the stored results are replaced, never read: not loading them halves the work
        inspections = (
            db.session.scalars(
                select(Inspection).where(
                    Inspection.id.in_([a.inspection_id for a in assessments.values()])
                )
            )
            .unique()
            .all()
        )
        answers: dict = {}
        for row in db.session.execute(
            select(Answer.inspection_id, Answer.item_id, Answer.value, Answer.not_applicable).where(
                Answer.inspection_id.in_([i.id for i in inspections])
            )
        ):
            answers.setdefault(row.inspection_id, []).append(row)
        yield (
            chunk,
            [
                (
                    inspection,
                    assessments[inspection.unit_id],
                    answers_of(answers.get(inspection.id, [])),
                )
                for inspection in inspections
            ],
        )


def rebuild_all(batch_size: int = 500, progress=None) -> int:
    """Rescore every current assessment under the newest profiles and measures (bulk).

    The planner's inputs depend on the same definitions; they are marked stale here and
    recomputed by `refresh_plan_inputs` (much slower per unit, so a separate step)."""
    catalogue = checklists.catalogue()
    overrides = load_index()
    unit_ids = db.session.scalars(
        select(UnitAssessment.unit_id).order_by(UnitAssessment.unit_id)
    ).all()
    done = 0
    for chunk, rows in _batches(unit_ids, batch_size):
        score_rows, barrier_rows = [], []
        for inspection, assessment, answers in rows:
            feasibility = overrides.effective(inspection.unit_id, inspection.unit.building_id)
            result = score(
                prepared_for(catalogue, inspection),
                answers,
                facts_of(inspection.unit),
                feasibility=feasibility,
            )
            assessment.result = result_to_dict(result)
            assessment.plan_input = None
            assessment.scored_at = utcnow()
            assessment.profiles_version = catalogue.profiles.version
            assessment.measures_version = catalogue.measures.version
            score_rows.extend(_score_rows(inspection.unit_id, result))
            barrier_rows.extend(_barrier_rows(inspection.unit_id, result))
        _replace_rows(chunk, score_rows, barrier_rows)
        db.session.flush()
        db.session.expunge_all()
        done += len(rows)
        if progress:
            progress(done, len(unit_ids))
    return done


def refresh_plan_inputs(batch_size: int = 200, progress=None, limit: int | None = None) -> int:
    """Compute the planner's input for every assessment that lacks it (after a rebuild)."""
    catalogue = checklists.catalogue()
    overrides = load_index()
    stmt = select(UnitAssessment.unit_id).where(UnitAssessment.plan_input.is_(None))
    unit_ids = db.session.scalars(stmt.order_by(UnitAssessment.unit_id).limit(limit)).all()
    done = 0
    for _chunk, rows in _batches(unit_ids, batch_size):
        for inspection, assessment, answers in rows:
            feasibility = overrides.effective(inspection.unit_id, inspection.unit.building_id)
            prepared = prepared_for(catalogue, inspection)
            assessment.plan_input = plan_input(
                prepared, answers, facts_of(inspection.unit), feasibility
            )
        db.session.flush()
        db.session.expunge_all()
        done += len(rows)
        if progress:
            progress(done, len(unit_ids))
    return done


def rescore_units(unit_ids: list[int]) -> None:
    """Rescore the current assessments of these units (after a feasibility change)."""
    for assessment in db.session.scalars(
        select(UnitAssessment).where(UnitAssessment.unit_id.in_(unit_ids))
    ):
        store_assessment(db.session.get(Inspection, assessment.inspection_id))
