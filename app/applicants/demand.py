"""Waiting households per need and district beside the suitable supply (aggregates only).

Counts below SUPPRESS_BELOW are suppressed (null) so that no household can be singled out.
A household without district wishes counts under "alle".
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from app.applicants.models import Applicant
from app.assessments.models import CLASS_RANK, UnitScore
from app.checklists import services as checklists
from app.extensions import db
from app.units.models import Building, Unit

SUPPRESS_BELOW = 5
ANY = "alle"


def _suppress(count: int) -> int | None:
    return count if count >= SUPPRESS_BELOW else None


def waiting_counts(unwished_in: list[str] | None = None, *, suppressed: bool = False) -> Counter:
    """Waiting households per (need, district). A household without district wishes counts
    under "alle", or in each of `unwished_in` when given (the planner spreads it).

    `suppressed`: every published count below SUPPRESS_BELOW (per need and wished district,
    and per need for households without wishes, as `demand()` shows them) is taken as 0
    *before* the spreading adds them up. The result is then a function of exactly what the
    demand statistics publish, so nothing computed from it (planner weights, a plan's order
    and value) can reveal a count under 5, not even by differencing two answers.
    """
    wished: Counter = Counter()
    unwished: Counter = Counter()
    rows = db.session.execute(
        select(Applicant.needs, Applicant.districts).where(Applicant.status == "waiting")
    )
    for needs, districts in rows:
        for need in needs:
            if districts:
                for district in districts:
                    wished[(need["limitation"], district)] += 1
            else:
                unwished[need["limitation"]] += 1
    if suppressed:
        wished = Counter({k: n for k, n in wished.items() if n >= SUPPRESS_BELOW})
        unwished = Counter({k: n for k, n in unwished.items() if n >= SUPPRESS_BELOW})
    counts = Counter(wished)
    for need, count in unwished.items():
        for district in unwished_in or [ANY]:
            counts[(need, district)] += count
    return counts


def supply_counts() -> tuple[Counter, Counter]:
    limitations = [x.key for x in checklists.catalogue().limitations]
    stmt = (
        select(UnitScore.key, Building.district, Unit.status, func.count())
        .join(Unit, Unit.id == UnitScore.unit_id)
        .join(Unit.building)
        .where(UnitScore.key.in_(limitations), UnitScore.class_rank == CLASS_RANK["suitable"])
        .where(Unit.status != "inactive")
        .group_by(UnitScore.key, Building.district, Unit.status)
    )
    total, vacant = Counter(), Counter()
    for key, district, status, count in db.session.execute(stmt):
        total[(key, district)] += count
        total[(key, ANY)] += count
        if status == "vacant":
            vacant[(key, district)] += count
            vacant[(key, ANY)] += count
    return total, vacant


def demand() -> dict:
    waiting = waiting_counts()
    total, vacant = supply_counts()
    needs: dict[str, dict] = {}
    for need, district in sorted(set(waiting) | set(total)):
        needs.setdefault(need, {})[district] = {
            "waiting_households": _suppress(waiting.get((need, district), 0)),
            "suitable_units_vacant": vacant.get((need, district), 0),
            "suitable_units_total": total.get((need, district), 0),
        }
    return {"suppressed_below": SUPPRESS_BELOW, "needs": needs}
