"""The shipped files in checklists/ load cleanly and satisfy the product's content rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from app.checklists.definitions import Item
from app.checklists.loader import (
    CatalogueError,
    content_hash,
    load_catalogue,
    measures_for_item,
    read_sources,
)
from app.checklists.serialize import (
    checklist_to_dict,
    limitation_to_dict,
    measure_to_dict,
    profile_set_to_dict,
)

DIRECTORY = Path(__file__).resolve().parents[2] / "checklists"
CATALOGUE = load_catalogue(DIRECTORY)
CHECKLIST = CATALOGUE.checklists[("uu-bolig", 1)]
ITEMS = CHECKLIST.items
# Measures may name the items of any published version.
ALL_ITEMS = {i: item for cl in CATALOGUE.checklists.values() for i, item in cl.items.items()}

# id, type, unit, not-applicable allowed (None: either)
CORE_ITEMS = [
    ("access.step_free_route", "yes_no", None, None),
    ("access.route_gradient_percent", "measurement", "%", None),
    ("access.parking_accessible_space", "yes_no", None, True),
    ("entrance.steps_count", "count", None, None),
    ("entrance.door_clear_width_mm", "measurement", "mm", None),
    ("entrance.threshold_height_mm", "measurement", "mm", None),
    ("entrance.lift_to_unit_floor", "yes_no", None, True),
    ("unit.main_functions_on_entry_level", "yes_no", None, None),
    ("unit.internal_door_clear_width_mm", "measurement", "mm", None),
    ("unit.internal_thresholds_step_free", "yes_no", None, None),
    ("living.turning_space", "yes_no", None, None),
    ("kitchen.turning_space", "yes_no", None, None),
    ("bedroom.turning_space", "yes_no", None, None),
    ("bathroom.turning_space", "yes_no", None, None),
    ("bathroom.wc_side_clearance_mm", "measurement", "mm", None),
    ("bathroom.step_free_shower", "yes_no", None, None),
    ("balcony.step_free_access", "yes_no", None, True),
    ("stairs.handrails_both_sides", "yes_no", None, True),
    ("vision.entrance_contrast", "yes_no", None, None),
    ("vision.stair_nosing_contrast", "yes_no", None, True),
    ("hearing.doorbell_visual_signal", "yes_no", None, None),
    ("hearing.smoke_alarm_visual_signal", "yes_no", None, None),
    ("cognition.stove_guard", "yes_no", None, None),
    ("environment.no_moisture_or_mould", "yes_no", None, None),
    ("environment.smoke_free", "yes_no", None, None),
    ("child.window_opening_limiter", "yes_no", None, True),
]
LIMITATION_KEYS = [
    "wheelchair_manual", "wheelchair_electric", "walking_aid", "balance", "stamina", "arm_hand",
    "blind", "low_vision", "deaf", "hard_of_hearing", "cognitive", "asthma_allergy", "young_child",
]  # fmt: skip
MOBILITY = LIMITATION_KEYS[:6]
PRESENCE_ITEMS = {"stairs.stairs_on_route", "stairs.internal_stairs_present", "balcony.present"}


def grade(item: Item, value: float) -> dict[str, int]:
    """Severity of a measurement value by the documented band rule (empty when it passes)."""
    assert item.requirement is not None
    if item.requirement.passes(value):
        return {}
    at_least = item.requirement.min is not None
    for band in item.bands:
        if (value >= band.limit) if at_least else (value <= band.limit):
            return band.severity
    return item.severity


def test_checklist_has_enough_items_in_walk_order():
    assert len(ITEMS) >= 120
    assert [s.id for s in CHECKLIST.sections] == [
        "access", "entrance", "stairs", "unit", "living", "kitchen", "bedroom", "bathroom",
        "storage", "balcony", "controls", "vision", "hearing", "cognition", "environment",
        "child", "neighbourhood",
    ]  # fmt: skip
    for section in CHECKLIST.sections:
        assert section.title.nb and section.title.en and len(section.items) >= 4


@pytest.mark.parametrize(("item_id", "answer_type", "unit", "na"), CORE_ITEMS)
def test_core_item_exists_with_type_and_unit(item_id, answer_type, unit, na):
    item = ITEMS[item_id]
    assert item.type == answer_type
    assert item.unit == unit
    if na is not None:
        assert item.not_applicable_allowed is na
    assert item.severity, "core items are all rated (yes is the good state)"


def test_lift_item_comes_from_the_register_above_street_level():
    item = ITEMS["entrance.lift_to_unit_floor"]
    assert item.register == "has_lift"
    assert (item.condition.kind, item.condition.target, item.condition.op) == (
        "fact",
        "floor",
        "gt",
    )
    assert item.condition.value == 1


def test_limitations_and_profiles_match_the_scoring_model():
    assert [limitation.key for limitation in CATALOGUE.limitations] == LIMITATION_KEYS
    groups = {limitation.key: limitation.group for limitation in CATALOGUE.limitations}
    assert all(groups[key] == "bevegelse" for key in MOBILITY)
    profiles = {p.key: p.weights for p in CATALOGUE.profiles.profiles}
    assert CATALOGUE.profiles.suitable_threshold == 85
    assert CATALOGUE.profiles.min_coverage == 0.9
    assert profiles["child_household"] == {"young_child": 1}
    assert profiles["adult"] == {}
    assert profiles["senior"] == {
        "balance": 0.5, "stamina": 0.5, "low_vision": 0.3, "hard_of_hearing": 0.3, "arm_hand": 0.3,
    }  # fmt: skip
    assert profiles["old_senior"]["balance"] == 1 and profiles["old_senior"]["cognitive"] == 0.3


@pytest.mark.parametrize("key", LIMITATION_KEYS)
def test_every_limitation_is_scoreable(key):
    rating = [item for item in ITEMS.values() if key in item.severity]
    assert len(rating) >= 5
    if key in MOBILITY:
        assert any(item.severity[key] == 4 for item in rating)


@pytest.mark.parametrize("section", ["vision", "hearing", "cognition", "environment"])
def test_non_mobility_sections_are_real(section):
    items = [item for item in ITEMS.values() if item.section == section and item.severity]
    assert len(items) >= 5


def test_every_item_has_a_reference_and_bilingual_text():
    for item in ITEMS.values():
        assert item.reference.source and item.reference.kind
        if item.reference.source == "TEK17":
            assert item.reference.clause.startswith("§")
        assert item.question.nb and item.question.en and item.help.nb and item.help.en


def test_presence_and_text_items_rate_nothing_and_gate_other_items():
    for item_id in PRESENCE_ITEMS:
        assert ITEMS[item_id].type == "yes_no" and not ITEMS[item_id].severity
    referenced = set().union(*(i.condition.item_refs() for i in ITEMS.values() if i.condition))
    assert referenced >= PRESENCE_ITEMS
    assert all(not item.severity for item in ITEMS.values() if item.type == "text")


def test_measures_remove_items_and_blocking_items_have_a_remedy():
    by_item = measures_for_item(CATALOGUE)
    for measure in CATALOGUE.measures.measures:
        assert measure.removes and all(item_id in ALL_ITEMS for item_id in measure.removes)
        assert 0 <= measure.cost.low <= measure.cost.typical <= measure.cost.high
        assert measure.cost.typical > 0
        assert measure.cost.basis and len(measure.ns3451) in (2, 3)
    for item in ITEMS.values():
        if 4 in item.severity.values():
            assert item.id in by_item or item.no_measure_reason, item.id
    lift = next(m for m in CATALOGUE.measures.measures if m.id == "lift_installation")
    assert lift.scope == "building" and not lift.feasible_by_default


def test_measurement_bands_grade_a_narrower_door_as_worse():
    door = ITEMS["entrance.door_clear_width_mm"]
    assert grade(door, 900) == {}
    assert grade(door, 800)["wheelchair_manual"] < grade(door, 700)["wheelchair_manual"] == 4
    steps = ITEMS["entrance.steps_count"]
    assert grade(steps, 1)["stamina"] < grade(steps, 40)["stamina"] == 4
    for item in ITEMS.values():
        if item.type == "measurement":
            assert item.bounds is not None and item.requirement is not None


def test_serialised_checklist_is_json_and_mirrors_the_file():
    data = checklist_to_dict(CHECKLIST, measures_for_item(CATALOGUE))
    decoded = json.loads(json.dumps(data, ensure_ascii=False))
    raw = yaml.safe_load((DIRECTORY / "uu-bolig" / "v1.yaml").read_text(encoding="utf-8"))
    raw_items = {i["id"]: i for s in raw["sections"] for i in s["items"]}
    served = {i["id"]: i for s in decoded["sections"] for i in s["items"]}
    assert served.keys() == raw_items.keys()
    for item_id, item in served.items():
        assert item["condition"] == raw_items[item_id].get("condition")
        assert item["bands"] == raw_items[item_id].get("bands", [])
        assert item["severity"] == raw_items[item_id].get("severity", {})
    assert "unit_door_replacement" in served["entrance.threshold_height_mm"]["measures"]
    assert served["stairs.lift_car_size"]["choices"][2]["severity"]["wheelchair_electric"] == 3
    json.dumps([limitation_to_dict(limitation) for limitation in CATALOGUE.limitations])
    json.dumps([measure_to_dict(m) for m in CATALOGUE.measures.measures])
    assert profile_set_to_dict(CATALOGUE.profiles)["tolerance"] == 4


def test_content_hash_ignores_comments_and_layout_but_not_values():
    text = (DIRECTORY / "profiles.yaml").read_text(encoding="utf-8")
    reformatted = "# a new comment\n" + text.replace("tolerance: 4", "tolerance:   4")
    assert content_hash(text) == content_hash(reformatted)
    assert content_hash(text) != content_hash(text.replace("tolerance: 4", "tolerance: 3"))
    with pytest.raises(CatalogueError):
        content_hash("key: [unclosed")


def test_sources_can_be_rebuilt_from_text_as_stored():
    sources = read_sources(DIRECTORY)
    assert set(sources) == {
        "limitations.yaml",
        "profiles.yaml",
        "measures.yaml",
        "uu-bolig/v1.yaml",
        "uu-bolig/v2.yaml",
        "uu-bolig/map-v1-v2.yaml",
    }
