"""Score approved inspections into each unit's current assessment, and read it back."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select

from app.assessments.feasibility import load_index, overrides_for
from app.assessments.models import CLASS_RANK, UnitAssessment, UnitScore
from app.checklists import services as checklists
from app.checklists.model import Catalogue
from app.extensions import db
from app.inspections.models import Answer, Inspection
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


def _prepared(catalogue: Catalogue, key: str, version: int):
    checklist = catalogue.checklists[(key, version)]
    return prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)


def score_inspection(
    inspection: Inspection, *, explain: bool = True, catalogue: Catalogue | None = None
) -> Result:
    catalogue = catalogue or checklists.catalogue()
    prepared = _prepared(catalogue, inspection.checklist_key, inspection.checklist_version)
    return score(
        prepared,
        answers_of(inspection.answers),
        facts_of(inspection.unit),
        feasibility=feasibility_for(inspection.unit),
        explain=explain,
    )


def feasibility_for(unit) -> dict[str, bool]:
    """Per-unit measure feasibility: the overrides facility managers set."""
    return overrides_for(unit)


def _score_rows(unit_id: int, result: Result) -> list[dict]:
    rows = []
    for kind, results in (("limitation", result.limitations), ("profile", result.profiles)):
        for key, r in results.items():
            rows.append(_row(unit_id, key, kind, r))
    rows.append(_row(unit_id, "general", "general", result.general))
    return rows


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
    result = score_inspection(inspection, catalogue=catalogue)
    assessment = db.session.get(UnitAssessment, inspection.unit_id) or UnitAssessment(
        unit_id=inspection.unit_id
    )
    assessment.inspection_id = inspection.id
    assessment.checklist_key = inspection.checklist_key
    assessment.checklist_version = inspection.checklist_version
    assessment.profiles_version = catalogue.profiles.version
    assessment.measures_version = catalogue.measures.version
    assessment.result = result_to_dict(result)
    db.session.add(assessment)
    db.session.execute(delete(UnitScore).where(UnitScore.unit_id == inspection.unit_id))
    db.session.execute(UnitScore.__table__.insert(), _score_rows(inspection.unit_id, result))
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


def rebuild_all(batch_size: int = 500, progress=None) -> int:
    """Rescore every current assessment under the newest profiles and measures (bulk)."""
    catalogue = checklists.catalogue()
    overrides = load_index()
    unit_ids = db.session.scalars(
        select(UnitAssessment.unit_id).order_by(UnitAssessment.unit_id)
    ).all()
    done = 0
    for start in range(0, len(unit_ids), batch_size):
        chunk = unit_ids[start : start + batch_size]
        inspections = (
            db.session.scalars(
                select(Inspection)
                .join(UnitAssessment, UnitAssessment.inspection_id == Inspection.id)
                .where(UnitAssessment.unit_id.in_(chunk))
            )
            .unique()
            .all()
        )
        assessments = {
            a.unit_id: a
            for a in db.session.scalars(
                select(UnitAssessment).where(UnitAssessment.unit_id.in_(chunk))
            )
        }
        answers: dict = {}
        for row in db.session.execute(
            select(Answer.inspection_id, Answer.item_id, Answer.value, Answer.not_applicable).where(
                Answer.inspection_id.in_([i.id for i in inspections])
            )
        ):
            answers.setdefault(row.inspection_id, []).append(row)
        score_rows = []
        for inspection in inspections:
            prepared = _prepared(catalogue, inspection.checklist_key, inspection.checklist_version)
            result = score(
                prepared,
                answers_of(answers.get(inspection.id, [])),
                facts_of(inspection.unit),
                feasibility=overrides.effective(inspection.unit_id, inspection.unit.building_id),
            )
            assessment = assessments[inspection.unit_id]
            assessment.result = result_to_dict(result)
            assessment.scored_at = utcnow()
            assessment.profiles_version = catalogue.profiles.version
            assessment.measures_version = catalogue.measures.version
            score_rows.extend(_score_rows(inspection.unit_id, result))
        db.session.execute(delete(UnitScore).where(UnitScore.unit_id.in_(chunk)))
        db.session.execute(UnitScore.__table__.insert(), score_rows)
        db.session.flush()
        db.session.expunge_all()
        done += len(inspections)
        if progress:
            progress(done, len(unit_ids))
    return done
