"""The register listed with its verdicts (`GET /units`): filters, search, sorting by address
or by score, and pages that carry each unit's class and score for the asked keys. It reads the
units (app.units) and their stored score rows (`derived.py`)."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, contains_eager

from app.api.smorest import Listing
from app.assessments.models import CLASS_ORDER, CLASS_RANK, UnitAssessment, UnitScore
from app.checklists import services as checklists
from app.errors import Unprocessable
from app.extensions import db
from app.units.models import Building, Unit
from app.units.services import search, search_count, search_rank

SORTS = {
    "address": (Building.address_key, Unit.unit_number),
    "bedrooms": (Unit.bedrooms, Unit.id),
    "area": (Unit.area, Unit.id),
    "id": (Unit.id,),
    "district": (Building.district, Building.address_key, Unit.unit_number),
    "status": (Unit.status, Building.address_key, Unit.unit_number),
}


UNIT_FILTERS = ("district", "status", "building_id", "min_bedrooms", "q", "checklist_version")


# From this many matches a search page walks the address index in order and checks each
# unit (a page is found after a few thousand units at most); below it the matches are found
# through the term and unit-number indexes first and then sorted. Either choice made the
# wrong way round costs tens of milliseconds at 110,000 units (bench/register_db.py).
WALK_FROM = 2_000


def unit_query(query: dict) -> Listing:
    """The select behind `GET /units`: filters and sorting, paginated by the caller."""
    stmt, count, scores = _filtered(query)
    sort = query.get("sort") or ("score" if scores else "address")
    if sort.lstrip("-") == "score":
        if not scores:
            raise Unprocessable(
                "Ugyldige data.", errors={"sort": ["Sortering på poeng krever suitable_for."]}
            )
        first = scores[0][0]
        # Ties by newest unit first: the exact order of the score index read backwards, so a
        # page is read off the index without sorting every tied unit (thousands share 100).
        columns = (first.class_rank.desc(), first.score.desc(), first.unit_id.desc())
        if sort.startswith("-"):  # worst first: the same order reversed
            columns = (first.class_rank, first.score, first.unit_id)
    else:
        columns = SORTS[sort.lstrip("-")]
        if sort.startswith("-"):
            columns = tuple(c.desc() for c in columns)
    if not query.get("q") or sort.lstrip("-") != "address":
        return Listing(stmt.order_by(*columns, Unit.id), count)
    # A search in address order. With no order asked for, the addresses that start with the
    # first word come first ("storgata" before "nedre storgata").
    rank = None if query.get("sort") else search_rank(query["q"])

    def parts(total: int) -> tuple:
        """The search's rows as parts, each read in the address index's order (a CASE in
        ORDER BY would sort every match): the units ranked first, then the others."""
        walked = _filtered(query, walk=True)[0] if total >= WALK_FROM else stmt
        if rank is None:
            return (walked.order_by(*columns, Unit.id),)
        return tuple(walked.where(part).order_by(*columns, Unit.id) for part in (rank, ~rank))

    ranked = columns if rank is None else (case((rank, 0), else_=1), *columns)
    return Listing(stmt.order_by(*ranked, Unit.id), count, parts)


def _filtered(query: dict, *, walk: bool = False):
    """The listing's select with its filters and suitability joins, the statement that counts
    it, and the joined score rows."""
    unit_conditions, building_conditions = [], []
    if "district" in query:
        building_conditions.append(Building.district == query["district"])
    if "status" in query:
        unit_conditions.append(Unit.status == query["status"])
    if "building_id" in query:
        unit_conditions.append(Unit.building_id == query["building_id"])
    if "min_bedrooms" in query:
        unit_conditions.append(Unit.bedrooms >= query["min_bedrooms"])
    if query.get("q"):
        unit_conditions.append(search(query["q"], walk=walk))
    if "checklist_version" in query:
        assessed = select(UnitAssessment.unit_id).where(
            UnitAssessment.checklist_version == query["checklist_version"]
        )
        unit_conditions.append(Unit.id.in_(assessed))
    # One join serves the filters, the sort and the loaded building (no second eager join).
    stmt = select(Unit).join(Unit.building).options(contains_eager(Unit.building))
    stmt = stmt.where(*unit_conditions, *building_conditions)
    scores = []
    if "suitable_for" in query:
        stmt, scores = with_suitability(stmt, query)
    if scores and not any(name in query for name in UNIT_FILTERS):
        return stmt, _score_count(scores), scores
    searched_only = len(unit_conditions) == 1 and query.get("q") and not scores
    count = search_count(query["q"], *building_conditions) if searched_only else None
    if count is not None:
        return stmt, count, scores
    count = select(func.count()).select_from(Unit)
    if building_conditions:
        count = count.join(Unit.building)
    count = count.where(*unit_conditions, *building_conditions)
    for score, condition in scores:
        count = count.join(score, (score.unit_id == Unit.id) & condition)
    return stmt, count, scores


def _score_count(scores: list):
    """With only suitability filters, the score rows alone give the count (an index range)."""
    (first, _), *others = scores
    count = select(func.count()).select_from(first)
    for other, _ in others:
        count = count.join(other, other.unit_id == first.unit_id)
    return count.where(*(condition for _, condition in scores))


def with_suitability(stmt, query: dict):
    """Join one stored score row per key: the unit's class is at least `class` (default
    suitable) and its score at least `min_score`. Units never assessed never match."""
    catalogue = checklists.catalogue()
    known = {x.key for x in catalogue.limitations} | {p.key for p in catalogue.profiles.profiles}
    unknown = [key for key in query["suitable_for"] if key not in known | {"general"}]
    if unknown:
        raise Unprocessable(
            "Ugyldige data.", errors={"suitable_for": [f"Ukjent nøkkel: {k}" for k in unknown]}
        )
    rank = CLASS_RANK[query.get("class", "suitable")]
    scores = []
    for key in dict.fromkeys(query["suitable_for"]):
        score = aliased(UnitScore)
        condition = (score.key == key) & (score.class_rank >= rank)
        if "min_score" in query:
            condition &= score.score >= query["min_score"]
        stmt = stmt.join(score, (score.unit_id == Unit.id) & condition)
        scores.append((score, condition))
    return stmt, scores


class ScoredUnit:
    """A listed unit with its `scores` beside it (the ORM object itself stays untouched)."""

    def __init__(self, unit: Unit, scores: dict):
        self._unit, self.scores = unit, scores

    def __getattr__(self, name):
        return getattr(self._unit, name)


def attach_scores(units: list[Unit], keys: list[str]) -> list[ScoredUnit]:
    """Each listed unit with `scores` {key: {class, score}} for the asked keys (one read per
    page); units never assessed get an empty dict."""
    ids = [unit.id for unit in units]
    found: dict[int, dict] = {i: {} for i in ids}
    if ids and keys:
        stmt = select(UnitScore).where(UnitScore.unit_id.in_(ids), UnitScore.key.in_(keys))
        for row in db.session.scalars(stmt):
            found[row.unit_id][row.key] = {
                "class": CLASS_ORDER[row.class_rank],
                "score": round(row.score, 1),
            }
    return [ScoredUnit(unit, found[unit.id]) for unit in units]
