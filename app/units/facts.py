"""The register facts a checklist reads (see app/checklists/definitions.py FACTS)."""

from __future__ import annotations

# Register fields the checklist reads: a change rescores the unit's verdicts.
BUILDING_FACTS = frozenset({"has_lift", "building_type", "storeys"})
UNIT_FACTS = frozenset({"floor", "area"})


def facts_from(floor, has_lift, building_type=None, storeys=None, area=None) -> dict:
    """The facts of one unit, without the missing ones."""
    facts = {
        "floor": floor,
        "has_lift": has_lift,
        "building_type": building_type,
        "storeys": storeys,
        "area": None if area is None else float(area),
    }
    return {k: v for k, v in facts.items() if v is not None}


def facts_of(unit) -> dict:
    building = unit.building
    return facts_from(
        unit.floor, building.has_lift, building.building_type, building.storeys, unit.area
    )
