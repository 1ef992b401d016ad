"""Portfolio statistics from the stored unit scores (aggregates only)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.assessments.models import CLASS_ORDER, UnitAssessment, UnitBarrier, UnitScore
from app.checklists import services as checklists
from app.checklists.serialize import text_to_dict
from app.extensions import db
from app.units.models import Building, Unit

CLASSES = ("suitable", "adaptable", "unsuitable", "unknown")
KOSTRA_KEY = "wheelchair_manual"
TOP_BARRIERS = 15


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def portfolio() -> dict:
    active = Unit.status != "inactive"
    total = db.session.scalar(select(func.count()).select_from(Unit).where(active)) or 0
    by_district_total = dict(
        db.session.execute(
            select(Building.district, func.count())
            .join(Unit.building)
            .where(active)
            .group_by(Building.district)
        ).all()
    )
    rows = db.session.execute(
        select(UnitScore.key, Building.district, UnitScore.class_rank, func.count())
        .join(Unit, Unit.id == UnitScore.unit_id)
        .join(Unit.building)
        .where(active)
        .group_by(UnitScore.key, Building.district, UnitScore.class_rank)
    ).all()
    keys: dict[str, dict] = {}
    for key, district, rank, count in rows:
        suitability = CLASS_ORDER[rank]
        entry = keys.setdefault(key, {"classes": dict.fromkeys(CLASSES, 0), "districts": {}})
        entry["classes"][suitability] += count
        per = entry["districts"].setdefault(district, dict.fromkeys(CLASSES, 0))
        per[suitability] += count
    assessed = max((sum(e["classes"].values()) for e in keys.values()), default=0)
    for entry in keys.values():
        entry["classes"]["not_assessed"] = total - sum(entry["classes"].values())
        entry["shares"] = {c: _share(n, total) for c, n in entry["classes"].items()}
        for district, per in entry["districts"].items():
            per["not_assessed"] = by_district_total.get(district, 0) - sum(per.values())
    barriers = db.session.execute(
        select(UnitBarrier.item_id, func.count())
        .join(Unit, Unit.id == UnitBarrier.unit_id)
        .where(active)
        .group_by(UnitBarrier.item_id)
        .order_by(func.count().desc(), UnitBarrier.item_id)
        .limit(TOP_BARRIERS)
    ).all()
    items = {}
    for checklist in checklists.catalogue().checklists.values():
        items.update(checklist.items)
    wheelchair = keys.get(KOSTRA_KEY, {"classes": {"suitable": 0}})["classes"]["suitable"]
    return {
        "units": total,
        "assessed": assessed,
        "districts": by_district_total,
        "by_key": keys,
        "barriers": [
            {
                "item_id": item_id,
                "question": text_to_dict(items[item_id].question) if item_id in items else None,
                "count": count,
            }
            for item_id, count in barriers
        ],
        "kostra": {
            "description": "Andel kommunalt disponerte boliger som er tilgjengelige for "
            "rullestolbrukere (egnet for manuell rullestol).",
            "wheelchair_accessible": wheelchair,
            "dwellings": total,
            "share": _share(wheelchair, total),
            "assessed_share": _share(assessed, total),
        },
    }


def units_per_checklist() -> dict[tuple[str, int], int]:
    """How many units' current assessments were made with each checklist version."""
    stmt = select(
        UnitAssessment.checklist_key, UnitAssessment.checklist_version, func.count()
    ).group_by(UnitAssessment.checklist_key, UnitAssessment.checklist_version)
    return {(key, version): n for key, version, n in db.session.execute(stmt)}
