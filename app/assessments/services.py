"""Score approved inspections into each unit's current assessment, and read it back.

An assessment stores its scoring inputs (answers, facts, feasibility) and the definition
versions; the explained result is recomputed from them when read. The filterable numbers live
in `unit_scores` (one narrow row per unit and key) and `unit_barriers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import bindparam, delete, func, select, text, update

from app.assessments.feasibility import load_index, overrides_for
from app.assessments.models import (
    CLASS_RANK,
    MATCH_KEYS,
    UnitAssessment,
    UnitBarrier,
    UnitScore,
    unit_match_scores,
)
from app.bulk import insert_rows
from app.checklists import services as checklists
from app.checklists.model import Catalogue
from app.extensions import db
from app.inspections.models import Answer, Inspection
from app.planning import unit_candidate, upgrade_options
from app.scoring import Answer as ScoringAnswer
from app.scoring import Result, prepare, score
from app.timeutil import utcnow
from app.units.models import Building, Unit

_ASSESSMENTS = UnitAssessment.__table__  # bulk writes go past the ORM
_NOT_APPLICABLE = ScoringAnswer(None, True)
_YES = ScoringAnswer(True)  # most answers: one shared record instead of a hundred new ones


def answers_of(rows: Iterable[Answer]) -> dict[str, ScoringAnswer]:
    """Stored answers as the scoring core takes them; unconfirmed carried-over ones count."""
    return {
        a.item_id: _NOT_APPLICABLE if a.not_applicable else ScoringAnswer(a.value) for a in rows
    }


def facts_of(unit) -> dict:
    return _facts(unit.floor, unit.building.has_lift)


def _facts(floor, has_lift) -> dict:
    facts = {"floor": floor, "has_lift": has_lift}
    return {k: v for k, v in facts.items() if v is not None}


def inputs_of(answers: Mapping[str, ScoringAnswer], facts: dict, feasibility: dict) -> dict:
    """What an assessment is scored from, as stored JSON (see `answers_from`)."""
    return {
        "answers": {k: a.value for k, a in answers.items() if not a.not_applicable},
        "not_applicable": sorted(k for k, a in answers.items() if a.not_applicable),
        "facts": facts,
        "feasibility": feasibility,
    }


def answers_from(inputs: dict) -> dict[str, ScoringAnswer]:
    answers = {k: _YES if v is True else ScoringAnswer(v) for k, v in inputs["answers"].items()}
    answers.update(dict.fromkeys(inputs["not_applicable"], _NOT_APPLICABLE))
    return answers


def prepared_for(catalogue: Catalogue, pinned):
    """The impact table of the checklist version an inspection or assessment pinned."""
    checklist = catalogue.checklists[(pinned.checklist_key, pinned.checklist_version)]
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


SCORE_COLUMNS = ("unit_id", "key", "class_rank", "score")


def _score_rows(unit_id: int, result: Result) -> list[tuple]:
    """unit_scores rows (SCORE_COLUMNS) of one result: every limitation, profile, general."""
    rows = [
        (unit_id, key, CLASS_RANK[r.suitability], round(r.score, 2))
        for results in (result.limitations, result.profiles)
        for key, r in results.items()
    ]
    general = result.general
    rows.append((unit_id, "general", CLASS_RANK[general.suitability], round(general.score, 2)))
    return rows


BARRIER_COLUMNS = ("unit_id", "item_id")


def _barrier_rows(unit_id: int, result: Result) -> list[tuple]:
    return [(unit_id, b.item_id) for b in result.general.barriers]


MATCH_COLUMNS = tuple(c.name for c in unit_match_scores.columns)


def _match_row(unit_id: int, result: Result) -> tuple:
    """The unit_match_scores row (MATCH_COLUMNS) of one result."""
    found = {**result.limitations, "general": result.general}
    ranks = [CLASS_RANK[found[key].suitability] for key in MATCH_KEYS]
    return (unit_id, *ranks, *(round(found[key].score, 2) for key in MATCH_KEYS))


def _replace(table, unit_ids: list[int], rows: list[tuple], columns: tuple[str, ...]) -> None:
    """Swap these units' rows of `table` for the new ones (a delete and a bulk insert)."""
    if unit_ids:
        db.session.execute(delete(table).where(table.c.unit_id.in_(unit_ids)))
        insert_rows(table, columns, rows)


def _replace_scores(unit_ids: list[int], score_rows: list[tuple], match_rows: list[tuple]):
    _replace(UnitScore.__table__, unit_ids, score_rows, SCORE_COLUMNS)
    _replace(unit_match_scores, unit_ids, match_rows, MATCH_COLUMNS)


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
    assessment.inputs = inputs_of(answers, facts, feasibility)
    assessment.plan_input = plan_input(prepared, answers, facts, feasibility)
    assessment.scored_at = utcnow()
    db.session.add(assessment)
    unit_ids = [inspection.unit_id]
    unit_id = inspection.unit_id
    _replace_scores(unit_ids, _score_rows(unit_id, result), [_match_row(unit_id, result)])
    _replace(UnitBarrier.__table__, unit_ids, _barrier_rows(unit_id, result), BARRIER_COLUMNS)
    db.session.flush()
    return assessment


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


# -- bulk: rescore every assessment, refresh the planner's inputs -------------------------


def _stored_inputs(unit_ids: list[int]):
    """Per unit: the pinned checklist, the stored inputs and today's facts (one query)."""
    return db.session.execute(
        select(
            UnitAssessment.unit_id,
            UnitAssessment.checklist_key,
            UnitAssessment.checklist_version,
            UnitAssessment.inputs,
            UnitAssessment.profiles_version,
            UnitAssessment.measures_version,
            Unit.building_id,
            Unit.floor,
            Building.has_lift,
        )
        .join(Unit, Unit.id == UnitAssessment.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(UnitAssessment.unit_id.in_(unit_ids))
    ).all()


def _chunks(unit_ids: list[int], size: int):
    for start in range(0, len(unit_ids), size):
        yield unit_ids[start : start + size]


def rebuild_all(batch_size: int = 1000, progress=None) -> int:
    """Rescore every current assessment under the newest profiles and measures, with today's
    unit facts and feasibility overrides (bulk, from the stored inputs).

    A unit's barriers depend only on its answers and facts, so they are rewritten only where
    the facts changed. The planner's inputs depend on the definitions too: where either
    changed they are marked stale, for `refresh_plan_inputs` (about 2 ms per unit, so a
    separate step: `flask scores refresh-plans`).
    """
    catalogue = checklists.catalogue()
    overrides = load_index()
    unit_ids = db.session.scalars(
        select(UnitAssessment.unit_id).order_by(UnitAssessment.unit_id)
    ).all()
    versions = {
        "profiles_version": catalogue.profiles.version,
        "measures_version": catalogue.measures.version,
    }
    done = 0
    for chunk in _chunks(unit_ids, batch_size):
        score_rows, match_rows, barrier_rows, moved, stale = [], [], [], [], []
        for row in _stored_inputs(chunk):
            inputs = row.inputs
            facts = _facts(row.floor, row.has_lift)
            feasibility = overrides.effective(row.unit_id, row.building_id)
            changed = facts != inputs["facts"] or feasibility != inputs["feasibility"]
            result = score(
                prepared_for(catalogue, row),
                answers_from(inputs),
                facts,
                feasibility=feasibility,
                explain=changed,
            )
            score_rows.extend(_score_rows(row.unit_id, result))
            match_rows.append(_match_row(row.unit_id, result))
            if changed:
                moved.append(
                    {
                        "id": row.unit_id,
                        "new": {**inputs, "facts": facts, "feasibility": feasibility},
                    }
                )
                barrier_rows.extend(_barrier_rows(row.unit_id, result))
            if changed or (row.profiles_version, row.measures_version) != tuple(versions.values()):
                stale.append(row.unit_id)
        _replace_scores(chunk, score_rows, match_rows)
        _replace(UnitBarrier.__table__, [m["id"] for m in moved], barrier_rows, BARRIER_COLUMNS)
        _update(moved, "inputs")
        in_ = _ASSESSMENTS.c.unit_id.in_
        db.session.execute(
            update(_ASSESSMENTS).where(in_(chunk)).values(scored_at=utcnow(), **versions)
        )
        if stale:
            db.session.execute(update(_ASSESSMENTS).where(in_(stale)).values(plan_input=None))
        done += len(chunk)
        if progress:
            progress(done, len(unit_ids))
    db.session.expire_all()  # the rows were written past the ORM
    return done


def _update(rows: list[dict], column: str) -> None:
    """Set `column` of each assessment {"id": unit id, "new": value} (one executemany)."""
    if rows:
        db.session.execute(
            update(_ASSESSMENTS)
            .where(_ASSESSMENTS.c.unit_id == bindparam("id"))
            .values({column: bindparam("new")}),
            rows,
        )


def vacuum_scores() -> None:
    """After a rebuild on PostgreSQL: fresh statistics, and a visibility map that lets the
    suitability filters count from the score index alone (what autovacuum does later)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE unit_scores"))


def stale_plan_inputs() -> int:
    """How many assessments lack the planner's input (after a rebuild)."""
    return db.session.scalar(
        select(func.count()).select_from(UnitAssessment).where(UnitAssessment.plan_input.is_(None))
    )


def refresh_plan_inputs(batch_size: int = 200, progress=None, limit: int | None = None) -> int:
    """Compute the planner's input for every assessment that lacks it (after a rebuild)."""
    catalogue = checklists.catalogue()
    stmt = select(UnitAssessment.unit_id).where(UnitAssessment.plan_input.is_(None))
    unit_ids = db.session.scalars(stmt.order_by(UnitAssessment.unit_id).limit(limit)).all()
    done = 0
    for chunk in _chunks(unit_ids, batch_size):
        rows = [
            {
                "id": row.unit_id,
                "new": plan_input(
                    prepared_for(catalogue, row),
                    answers_from(row.inputs),
                    row.inputs["facts"],
                    row.inputs["feasibility"],
                ),
            }
            for row in _stored_inputs(chunk)
        ]
        _update(rows, "plan_input")
        done += len(rows)
        if progress:
            progress(done, len(unit_ids))
    db.session.expire_all()
    return done


def rescore_units(unit_ids: list[int]) -> None:
    """Rescore the current assessments of these units (after a feasibility change)."""
    for assessment in db.session.scalars(
        select(UnitAssessment).where(UnitAssessment.unit_id.in_(unit_ids))
    ):
        store_assessment(db.session.get(Inspection, assessment.inspection_id))
