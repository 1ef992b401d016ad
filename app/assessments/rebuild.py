"""Bulk work over every current assessment: rescore after new definitions are published
(`flask scores rebuild`) and refresh the planner's inputs that this made stale."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, text, update

from app import db_statistics
from app.assessments import derived
from app.assessments.models import UnitAssessment, UnitBarrier
from app.assessments.services import plan_input
from app.checklists import services as checklists
from app.extensions import db
from app.scoring import MODEL_VERSION, score
from app.scoring.inputs import answers_from, prepared_for
from app.timeutil import utcnow
from app.units.facts import facts_from
from app.units.feasibility import load_index
from app.units.models import Building, Unit

_ASSESSMENTS = UnitAssessment.__table__  # bulk writes go past the ORM
_REBUILT = ("unit_scores", "unit_match_scores", "unit_barriers", "unit_assessments")


_TODAYS_FACTS = (
    Unit.building_id,
    Unit.floor,
    Unit.area,
    Building.has_lift,
    Building.building_type,
    Building.storeys,
)

# Stale plan inputs a request computes itself (about 2 ms each); more are left to
# `flask scores refresh-plans`.
ON_THE_FLY = 1000


def _facts_today(row) -> dict:
    return facts_from(row.floor, row.has_lift, row.building_type, row.storeys, row.area)


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
            UnitAssessment.model_version,
            *_TODAYS_FACTS,
            Unit.status,
            Unit.bedrooms,
            Building.district,
        )
        .join(Unit, Unit.id == UnitAssessment.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(UnitAssessment.unit_id.in_(unit_ids))
    ).all()


def _outdated(unit_ids: list[int], newest: tuple, overrides) -> list[int]:
    """The units whose stored scores are not what the newest definitions and model give with
    today's facts and feasibility. Only units scored under the newest definitions and model
    have their stored facts read (parsing the stored inputs costs more than scoring)."""
    stamped = db.session.execute(
        select(
            UnitAssessment.unit_id,
            UnitAssessment.profiles_version,
            UnitAssessment.measures_version,
            UnitAssessment.model_version,
        ).where(UnitAssessment.unit_id.in_(unit_ids))
    ).all()
    outdated = [row.unit_id for row in stamped if tuple(row[1:]) != newest]
    current = [row.unit_id for row in stamped if tuple(row[1:]) == newest]
    if not current:
        return outdated
    inputs = UnitAssessment.inputs
    stored = db.session.execute(
        select(
            UnitAssessment.unit_id,
            inputs["facts"].label("stored_facts"),
            inputs["feasibility"].label("stored_feasibility"),
            *_TODAYS_FACTS,
        )
        .join(Unit, Unit.id == UnitAssessment.unit_id)
        .join(Building, Building.id == Unit.building_id)
        .where(UnitAssessment.unit_id.in_(current))
    ).all()
    return outdated + [
        row.unit_id
        for row in stored
        if row.stored_facts != _facts_today(row)
        or row.stored_feasibility != overrides.effective(row.unit_id, row.building_id)
    ]


def _chunks(unit_ids: list[int], size: int):
    for start in range(0, len(unit_ids), size):
        yield unit_ids[start : start + size]


def outdated_model_count() -> int:
    """Assessments whose stored scores come from an older scoring model."""
    return db.session.scalar(
        select(func.count())
        .select_from(UnitAssessment)
        .where(UnitAssessment.model_version < MODEL_VERSION)
    )


def rebuild_all(batch_size: int = 1000, progress=None, *, every: bool = False) -> int:
    """Rescore the current assessments whose stored scores are outdated: scored under older
    profiles, measures or scoring model, or with unit facts or feasibility overrides that have
    changed since (bulk, from the stored inputs). `every`: rescore all of them (after a fix in
    the scoring code that kept the model version). Returns how many were rescored.

    Only what changed is written: score and matching rows where they differ; a unit's
    barriers, which depend only on its answers and facts, where the facts changed; and the
    assessment's stamp (time, definitions and model), which also marks its planner input
    stale, for `refresh_plan_inputs` (about 2 ms per unit, so a separate step: `flask scores
    refresh-plans`).
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
    newest = (*versions.values(), MODEL_VERSION)
    done = rescored = 0
    for chunk in _chunks(unit_ids, batch_size):
        outdated = chunk if every else _outdated(chunk, newest, overrides)
        score_rows, match_rows, barrier_rows, moved = [], [], [], []
        for row in _stored_inputs(outdated) if outdated else ():
            inputs = row.inputs
            facts = _facts_today(row)
            feasibility = overrides.effective(row.unit_id, row.building_id)
            # A new scoring model may apply items differently: the barriers are rewritten too.
            changed = (
                facts != inputs["facts"]
                or feasibility != inputs["feasibility"]
                or row.model_version != MODEL_VERSION
            )
            result = score(
                prepared_for(catalogue, row),
                answers_from(inputs),
                facts,
                feasibility=feasibility,
                explain=changed,
            )
            score_rows.extend(derived.score_rows(row.unit_id, result))
            register = (row.status, row.bedrooms, row.district)
            match_rows.append(derived.match_row(row.unit_id, register, result))
            if changed:
                moved.append(
                    {
                        "id": row.unit_id,
                        "new": {**inputs, "facts": facts, "feasibility": feasibility},
                    }
                )
                barrier_rows.extend(derived.barrier_rows(row.unit_id, result))
        if outdated:
            derived.write_scores(outdated, score_rows, match_rows)
            moved_ids = [m["id"] for m in moved]
            derived.replace(UnitBarrier.__table__, moved_ids, barrier_rows, derived.BARRIER_COLUMNS)
            _update(moved, "inputs")
            db.session.execute(
                update(_ASSESSMENTS)
                .where(_ASSESSMENTS.c.unit_id.in_(outdated))
                .values(
                    scored_at=utcnow(), model_version=MODEL_VERSION, plan_input=None, **versions
                )
            )
        done += len(chunk)
        rescored += len(outdated)
        if progress:
            progress(done, len(unit_ids))
    db.session.expire_all()  # the rows were written past the ORM
    return rescored


def _update(updates: list[dict], column: str) -> None:
    """Set `column` of each assessment {"id": unit id, "new": value} (one executemany)."""
    if updates:
        db.session.execute(
            update(_ASSESSMENTS)
            .where(_ASSESSMENTS.c.unit_id == bindparam("id"))
            .values({column: bindparam("new")}),
            updates,
        )


def vacuum_scores() -> None:
    """After a rebuild: fresh statistics (committed), and on PostgreSQL a visibility map that
    lets the suitability filters count from the score index alone (what autovacuum does
    later)."""
    if db.engine.dialect.name == "sqlite":
        db_statistics.analyze(*_REBUILT)
        db.session.commit()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE unit_scores, unit_match_scores"))


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
        updates = [
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
        _update(updates, "plan_input")
        done += len(updates)
        if progress:
            progress(done, len(unit_ids))
    db.session.expire_all()
    return done
