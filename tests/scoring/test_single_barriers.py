"""One barrier at a time in an otherwise perfect dwelling: never "suitable" for the group it hits.

Each case names, per published checklist version, the item and the recorded value. Version 1's
data (published, immutable) grades some of these as moderate; those cases are expected to fail
there and are fixed in version 2's severities.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.checklists.loader import load_catalogue
from app.scoring import ItemAnswer, prepare, score

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "checklists")
# A third-floor flat in a block with a lift: the lift items apply.
FACTS = {"floor": 3, "has_lift": True, "building_type": "block", "storeys": 4, "area": 60.0}
PRESENCE = {
    "stairs.stairs_on_route",
    "stairs.internal_stairs_present",
    "stairs.internal_stairs",
    "stairs.common_stairs_on_route",
}

# case: (groups it must not be suitable for, {version: (item id, value)})
CASES = {
    "one entrance step": (
        ("wheelchair_manual", "wheelchair_electric"),
        {1: ("entrance.steps_count", 1), 2: ("entrance.entrance_steps_count", 1)},
    ),
    "internal doors 700 mm": (
        ("wheelchair_manual", "wheelchair_electric"),
        {
            1: ("unit.internal_door_clear_width_mm", 700),
            2: ("unit.internal_door_clear_width_mm", 700),
        },
    ),
    "unit door 750 mm": (
        ("wheelchair_manual", "wheelchair_electric"),
        {
            1: ("entrance.unit_door_clear_width_mm", 750),
            2: ("unit_door.clear_width_mm", 750),
        },
    ),
    "lift door 750 mm": (
        ("wheelchair_manual", "wheelchair_electric"),
        {1: ("stairs.lift_door_clear_width_mm", 750), 2: ("stairs.lift_door_clear_width_mm", 750)},
    ),
    "approach route 1:10": (
        ("wheelchair_manual", "wheelchair_electric"),
        {1: ("access.route_gradient_percent", 10), 2: ("access.route_gradient_percent", 10)},
    ),
    "threshold 40 mm": (
        ("wheelchair_manual", "wheelchair_electric"),
        {1: ("entrance.threshold_height_mm", 40), 2: ("unit_door.threshold_height_mm", 40)},
    ),
    "no stove guard": (
        ("cognitive",),
        {1: ("cognition.stove_guard", False), 2: ("cognition.stove_guard", False)},
    ),
    "bathtub as the only bathing": (
        ("walking_aid",),
        {1: ("bathroom.step_free_shower", False), 2: ("bathroom.step_free_shower", False)},
    ),
}
# Version 1 grades these as minor or moderate for some of the groups (checklists/uu-bolig/v1.yaml).
V1_DATA = {
    "internal doors 700 mm": "band at_least 700: manual wheelchair 2",
    "unit door 750 mm": "band at_least 750: manual wheelchair 2",
    "lift door 750 mm": "band at_least 700: manual wheelchair 2",
    "approach route 1:10": "band at_most 12 %: electric wheelchair 2",
    "threshold 40 mm": "band at_most 40 mm: manual 2, electric 1",
}


def passing(item):
    if item.type == "yes_no":
        return item.id not in PRESENCE
    if item.type == "choice":
        return next(choice.key for choice in item.choices if choice.passes)
    if item.type == "text":
        return "Ingen merknader"
    req = item.requirement
    if req is None:
        return item.bounds[0] if item.bounds else 0
    value = req.min if req.min is not None else req.max
    if req.min is not None and req.max is not None:
        value = (req.min + req.max) / 2
    return int(value) if item.type == "count" else value


def params():
    for key, version in sorted(CATALOGUE.checklists):
        for name, (groups, per_version) in CASES.items():
            if version not in per_version:
                continue
            marks = ()
            if version == 1 and name in V1_DATA:
                marks = pytest.mark.xfail(strict=True, reason=f"v1 data: {V1_DATA[name]}")
            yield pytest.param(
                (key, version),
                name,
                groups,
                per_version[version],
                marks=marks,
                id=f"{key}-v{version}-{name}",
            )


@pytest.mark.parametrize(("version", "name", "groups", "barrier"), list(params()))
def test_one_barrier_is_never_suitable_for_the_group_it_hits(version, name, groups, barrier):
    checklist = CATALOGUE.checklists[version]
    prepared = prepare(checklist, CATALOGUE.profiles, CATALOGUE.measures, CATALOGUE.limitations)
    answers = {i.id: ItemAnswer(passing(i)) for i in checklist.items.values() if not i.register}
    perfect = score(prepared, answers, FACTS)
    item_id, value = barrier
    for group in groups:
        assert perfect.limitations[group].suitability == "suitable", (name, group)
    result = score(prepared, {**answers, item_id: ItemAnswer(value)}, FACTS)
    assert [b.item_id for b in result.barriers] == [item_id]
    for group in groups:
        assert result.limitations[group].suitability != "suitable", (name, group)


def test_the_version_2_checklist_is_covered_when_published():
    versions = {version for _, version in CATALOGUE.checklists}
    if 2 not in versions:
        pytest.skip("checklists/uu-bolig/v2.yaml is not published yet")
    assert all(2 in per_version for _, per_version in CASES.values())
