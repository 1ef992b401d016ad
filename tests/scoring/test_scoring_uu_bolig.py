"""Hand-worked examples on the real uu-bolig v1 checklist, profiles and measures.

All other items pass, so each limitation's possible weight is the sum of its full severities
over the applicable items (pinned below from the checklist file); a change to the file that
moves these numbers is meant to make a test fail and be looked at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.checklists.loader import load_catalogue
from app.scoring import ItemAnswer, prepare, result_to_dict, score

ROOT = Path(__file__).resolve().parents[2]
GROUND = {"floor": 0, "has_lift": False}
WALK_UP = {"floor": 3, "has_lift": False, "building_type": "block"}
# Items that say whether stairs exist: false is the accessible state.
PRESENCE = ("stairs.stairs_on_route", "stairs.internal_stairs_present")
# Possible weight per limitation on a third floor without a lift (everything applicable).
# The opening-force item counts as passed when the automatic opener passes (model 2).
POSSIBLE = {"wheelchair_manual": 163, "walking_aid": 97, "balance": 79, "stamina": 49}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT / "checklists")


@pytest.fixture(scope="module")
def prepared(catalogue):
    checklist = catalogue.checklists[("uu-bolig", 1)]
    keys = [lim.key for lim in catalogue.limitations]
    return prepare(checklist, catalogue.profiles, catalogue.measures, keys)


def passing(item):
    if item.type == "yes_no":
        return item.id not in PRESENCE
    if item.type == "choice":
        return next(choice.key for choice in item.choices if choice.passes)
    if item.type == "text":
        return "Ingen merknader"
    req = item.requirement
    if req is None:
        return item.bounds[0]
    value = req.min if req.min is not None else req.max
    if req.min is not None and req.max is not None:
        value = (req.min + req.max) / 2
    return int(value) if item.type == "count" else value


@pytest.fixture(scope="module")
def good(prepared):
    items = prepared.checklist.items.values()
    return {item.id: ItemAnswer(passing(item)) for item in items if not item.register}


def test_fully_accessible_ground_floor_flat(prepared, good):
    result = score(prepared, good, GROUND)
    assert len(result.limitations) == 13
    profiles = result.profiles
    for key, r in [
        *result.limitations.items(),
        *[(k, profiles[k]) for k in ("child_household", "old_senior")],
    ]:
        assert (r.score, r.suitability, r.coverage, r.problem_score) == (100, "suitable", 1, 0), key
    assert set(result.profiles) == {"child_household", "adult", "senior", "old_senior"}
    # Version 1 rates no item for every resident, so it cannot say an adult (or a senior,
    # whose profile has no weight-1 limitation) is suitable: unknown until re-inspected.
    assert (result.general.score, result.general.suitability) == (100, "unknown")
    assert profiles["adult"].suitability == profiles["senior"].suitability == "unknown"


def test_third_floor_walk_up_without_lift(prepared, good):
    result = score(prepared, good, WALK_UP)
    lims = result.limitations
    for key, penalty in (("wheelchair_manual", 4), ("walking_aid", 4), ("stamina", 4)):
        assert lims[key].problem_score == penalty
        assert lims[key].score == pytest.approx(100 * (1 - penalty / POSSIBLE[key]))
        assert lims[key].suitability == "unsuitable"  # the lift cannot be installed by default
    assert lims["balance"].score == pytest.approx(100 * (1 - 3 / POSSIBLE["balance"]))
    assert lims["balance"].suitability == "adaptable"  # a severe (3) barrier
    assert lims["deaf"].suitability == "suitable"
    (barrier,) = lims["wheelchair_manual"].barriers
    assert (barrier.item_id, barrier.value, barrier.severity) == (
        "entrance.lift_to_unit_floor",
        False,
        4,
    )
    # Neither a stair lift in the stairwell nor a new lift is feasible by default.
    assert [(m.id, m.feasible, m.cost.typical) for m in barrier.measures] == [
        ("stair_lift_to_storey", False, 95_000),
        ("lift_installation", False, 3_200_000),
    ]
    profiles = result.profiles
    assert profiles["old_senior"].suitability == "unsuitable"  # stamina weighs 1
    assert profiles["senior"].suitability == "unknown"  # no weight 1: general, unknown in v1
    assert profiles["child_household"].suitability == "suitable"  # young_child 2: tolerated
    assert [b.item_id for b in profiles["old_senior"].barriers] == ["entrance.lift_to_unit_floor"]
    # The lift measure made feasible for this building: adaptable instead.
    feasible = score(prepared, good, WALK_UP, feasibility={"lift_installation": True})
    assert feasible.limitations["wheelchair_manual"].suitability == "adaptable"
    assert feasible.profiles["old_senior"].suitability == "adaptable"


def test_bathroom_too_small_for_a_wheelchair(prepared, good):
    answers = {
        **good,
        "bathroom.turning_space": ItemAnswer(False),
        "bathroom.wc_side_clearance_mm": ItemAnswer(500),  # band >= 400: manual 3, electric 3
    }
    result = score(prepared, answers, GROUND)
    manual = result.limitations["wheelchair_manual"]
    assert manual.problem_score == 7
    assert manual.suitability == "adaptable"  # blocking, removed by a feasible remodel
    assert [(b.item_id, b.severity) for b in manual.barriers] == [
        ("bathroom.turning_space", 4),
        ("bathroom.wc_side_clearance_mm", 3),
    ]
    assert result.limitations["walking_aid"].problem_score == 3  # 2 + band 1
    assert result.limitations["deaf"].suitability == "suitable"
    no_remodel = score(prepared, answers, GROUND, feasibility={"bathroom_remodel": False})
    assert no_remodel.limitations["wheelchair_manual"].suitability == "unsuitable"
    assert no_remodel.limitations["walking_aid"].suitability == "suitable"


def test_no_visual_doorbell_or_smoke_alarm(prepared, good):
    answers = {
        **good,
        "hearing.doorbell_visual_signal": ItemAnswer(False),
        "hearing.smoke_alarm_visual_signal": ItemAnswer(False),
    }
    result = score(prepared, answers, GROUND)
    deaf, hoh = result.limitations["deaf"], result.limitations["hard_of_hearing"]
    assert (deaf.problem_score, deaf.suitability) == (7, "adaptable")
    assert (hoh.problem_score, hoh.suitability) == (5, "adaptable")
    assert [(b.item_id, b.severity, b.measures[0].id) for b in deaf.barriers] == [
        ("hearing.smoke_alarm_visual_signal", 4, "visual_smoke_alarm"),
        ("hearing.doorbell_visual_signal", 3, "visual_doorbell"),
    ]
    assert result.limitations["wheelchair_manual"].suitability == "suitable"
    # old_senior weighs hard_of_hearing 0.5: it lowers the score, balance and stamina decide.
    old_senior = result.profiles["old_senior"]
    assert (old_senior.suitability, old_senior.score < 100) == ("suitable", True)
    body = result_to_dict(result)["limitations"]["deaf"]["barriers"][0]
    assert body["item_id"] == "hearing.smoke_alarm_visual_signal"
    assert body["measures"][0]["cost"]["typical"] == 6500


def test_half_the_checklist_unanswered(prepared, good):
    answers = {k: v for index, (k, v) in enumerate(good.items()) if index % 2 == 0}
    result = score(prepared, answers, GROUND)
    for key, r in result.limitations.items():
        if r.coverage < 0.9:
            assert r.suitability == "unknown", key
            assert r.unanswered, key
            weights = [u.weight for u in r.unanswered]
            assert weights == sorted(weights, reverse=True), key
    assert result.limitations["wheelchair_manual"].suitability == "unknown"
    assert result.general.suitability == "unknown"
    assert {p.suitability for p in result.profiles.values()} == {"unknown"}
    # Missing answers never make a limitation look worse than "unknown" or better either.
    assert all(r.problem_score == 0 for r in result.limitations.values())


def test_editing_the_checklist_files_changes_results_without_code_changes(tmp_path, good):
    shutil.copytree(ROOT / "checklists", tmp_path / "checklists")
    profiles = tmp_path / "checklists" / "profiles.yaml"
    text = profiles.read_text(encoding="utf-8")
    assert "balance: 1, stamina: 1," in text
    profiles.write_text(text.replace("balance: 1, stamina: 1,", "balance: 1, stamina: 0.5,"))
    edited = load_catalogue(tmp_path / "checklists")
    checklist = edited.checklists[("uu-bolig", 1)]
    keys = [lim.key for lim in edited.limitations]
    prepared = prepare(checklist, edited.profiles, edited.measures, keys)
    old_senior = score(prepared, good, WALK_UP).profiles["old_senior"]
    # Stamina no longer weighs 1, so its unsuitable class no longer decides the profile:
    # balance does (a severe barrier, the missing lift).
    assert old_senior.suitability == "adaptable"
