"""The derived rows of an assessment, which the filters, matching and statistics read:
`unit_scores` (one per unit and key), `unit_match_scores` (one per unit) and
`unit_barriers` (every failed item). Written in bulk: barriers replaced as a whole per unit,
scores and matching rows only where they changed."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select, update

from app.assessments.models import (
    CLASS_RANK,
    MATCH_KEYS,
    UnitBarrier,
    UnitScore,
    unit_match_scores,
)
from app.bulk import insert_rows, select_rows, update_rows
from app.extensions import db
from app.scoring import Result
from app.units.models import Building, Unit

SCORE_COLUMNS = ("unit_id", "key", "class_rank", "score")


def score_rows(unit_id: int, result: Result) -> list[tuple]:
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


def barrier_rows(unit_id: int, result: Result) -> list[tuple]:
    return [(unit_id, b.item_id) for b in result.barriers]


MATCH_COLUMNS = tuple(c.name for c in unit_match_scores.columns)


def match_row(unit_id: int, register: tuple, result: Result) -> tuple:
    """The unit_match_scores row (MATCH_COLUMNS) of one result; `register` is the unit's
    (status, bedrooms, district)."""
    found = {**result.limitations, "general": result.general}
    ranks = [CLASS_RANK[found[key].suitability] for key in MATCH_KEYS]
    return (unit_id, *register, *ranks, *(round(found[key].score, 2) for key in MATCH_KEYS))


def sync_register(unit_ids) -> None:
    """Copy the units' status, bedrooms and district into their matching rows after the
    register changed them (`unit_ids`: a list, or a select of ids; units never assessed have
    no row)."""
    if isinstance(unit_ids, list):
        for start in range(0, len(unit_ids), 10_000):  # within every driver's parameter limit
            _sync(unit_ids[start : start + 10_000])
    else:
        _sync(unit_ids)


def _sync(unit_ids) -> None:
    m = unit_match_scores
    unit = select(Unit).where(Unit.id == m.c.unit_id)
    district = select(Building.district).join(Unit, Unit.building_id == Building.id)
    db.session.execute(
        update(m)
        .where(m.c.unit_id.in_(unit_ids))
        .values(
            status=unit.with_only_columns(Unit.status).scalar_subquery(),
            bedrooms=unit.with_only_columns(Unit.bedrooms).scalar_subquery(),
            district=district.where(Unit.id == m.c.unit_id).scalar_subquery(),
        )
    )


def class_ranks(unit_id: int) -> dict[str, int]:
    """The unit's stored class rank per key (empty when it was never assessed)."""
    return dict(
        db.session.execute(
            select(UnitScore.key, UnitScore.class_rank).where(UnitScore.unit_id == unit_id)
        ).all()
    )


def replace(table, unit_ids: list[int], rows: list[tuple], columns: tuple[str, ...]) -> None:
    """Swap these units' rows of `table` for the new ones (a delete and a bulk insert)."""
    if unit_ids:
        db.session.execute(delete(table).where(table.c.unit_id.in_(unit_ids)))
        insert_rows(table, columns, rows)


def write_scores(unit_ids: list[int], score_rows: list[tuple], match_rows: list[tuple]) -> None:
    """Make the units' stored score and matching rows these (SCORE_COLUMNS, MATCH_COLUMNS),
    writing only the rows that differ: a new definition moves a few keys of each unit, and
    rewriting every row cost most of a rebuild."""
    scores = UnitScore.__table__
    stored = set(select_rows(scores, SCORE_COLUMNS, "unit_id", unit_ids))
    fresh = set(score_rows) - stored
    stale = {row[:2] for row in stored.difference(score_rows)}
    changed = [row for row in fresh if row[:2] in stale]
    gone = stale.difference(row[:2] for row in changed)  # keys no longer scored
    if gone:
        db.session.execute(
            delete(scores).where(
                scores.c.unit_id == bindparam("u"), scores.c.key == bindparam("k")
            ),
            [{"u": unit_id, "k": key} for unit_id, key in gone],
        )
    insert_rows(scores, SCORE_COLUMNS, [row for row in fresh if row[:2] not in stale])
    update_rows(scores, SCORE_COLUMNS[:2], SCORE_COLUMNS[2:], changed)
    matching = unit_match_scores
    kept = {row[0]: row for row in select_rows(matching, MATCH_COLUMNS, "unit_id", unit_ids)}
    insert_rows(matching, MATCH_COLUMNS, [row for row in match_rows if row[0] not in kept])
    changed = [row for row in match_rows if kept.get(row[0], row) != row]
    update_rows(matching, MATCH_COLUMNS[:1], MATCH_COLUMNS[1:], changed)


def replace_unit(unit, result: Result) -> None:
    """All derived rows of one unit, from its (explained) result."""
    register = (unit.status, unit.bedrooms, unit.building.district)
    unit_id = unit.id
    write_scores([unit_id], score_rows(unit_id, result), [match_row(unit_id, register, result)])
    replace(UnitBarrier.__table__, [unit_id], barrier_rows(unit_id, result), BARRIER_COLUMNS)
