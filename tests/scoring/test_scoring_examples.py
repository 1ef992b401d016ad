"""Hand-worked examples on a small synthetic checklist: the numbers are computed by hand."""

from __future__ import annotations

import pytest

from app.checklists.definitions import Checklist, Condition, MeasureCatalogue, Section
from app.errors import Unprocessable
from app.scoring import ItemAnswer, classes_after, prepare, result_to_dict, score
from tests.scoring.scoring_builders import CHECKLIST, GOOD, MEASURES, PROFILES, item, t

GROUND = {"floor": 0, "has_lift": False}
WALK_UP = {"floor": 3, "has_lift": False}


@pytest.fixture
def prepared():
    return prepare(CHECKLIST, PROFILES, MEASURES)


def summary(result, key):
    r = result.limitations[key]
    return round(r.score, 2), r.suitability, round(r.coverage, 3), r.problem_score


def barrier_ids(r):
    return [(b.item_id, b.severity) for b in r.barriers]


def test_fully_accessible_ground_floor_flat(prepared):
    result = score(prepared, GOOD, GROUND)
    for key, r in result.limitations.items():
        assert (r.score, r.suitability, r.coverage, r.problem_score) == (100, "suitable", 1, 0), key
        assert r.barriers == () and r.unanswered == ()
    for key, r in result.profiles.items():
        assert (r.score, r.suitability, r.coverage) == (100, "suitable", 1), key
    assert (result.general.score, result.general.suitability) == (100, "suitable")
    body = result_to_dict(result)
    assert set(body) == {"model_version", "limitations", "profiles", "general", "barriers"}
    assert body["model_version"] == 2
    assert body["general"] == {
        "score": 100.0,
        "class": "suitable",
        "coverage": 1.0,
        "problem_score": 0,
        "barriers": [],
        "unanswered": [],
    }


def test_third_floor_walk_up_without_lift(prepared):
    result = score(prepared, GOOD, WALK_UP)
    # wheelchair_manual: applicable 4+4+4+4+4+3 = 23, the lift barrier 4: 100 * 19 / 23.
    assert summary(result, "wheelchair_manual") == (82.61, "unsuitable", 1, 4)
    assert summary(result, "walking_aid") == (77.78, "unsuitable", 1, 4)  # 14 / 18
    # 9 / 11: one moderate barrier, within the tolerance.
    assert summary(result, "balance") == (81.82, "suitable", 1, 2)
    assert summary(result, "stamina") == (0, "adaptable", 1, 3)
    # 1 / 3: a low score, yet one moderate barrier is tolerated (the score only ranks).
    assert summary(result, "young_child") == (33.33, "suitable", 1, 2)
    assert summary(result, "deaf") == (100, "suitable", 1, 0)
    barriers = result.limitations["wheelchair_manual"].barriers
    assert barrier_ids(result.limitations["wheelchair_manual"]) == [("lift", 4)]
    assert barriers[0].value is False
    assert [(m.id, m.feasible, m.cost.typical) for m in barriers[0].measures] == [
        ("install_lift", False, 2000000)
    ]
    child = result.profiles["child_household"]
    assert (round(child.score, 2), child.suitability) == (33.33, "suitable")
    senior = result.profiles["senior"]
    # (0.5 * 81.818 + 0.5 * 0 + 0.3 * 100 + 0.3 * 100) / 1.6
    assert result_to_dict(result)["profiles"]["senior"]["limitations"]["stamina"] == {
        "weight": 0.5,
        "score": 0.0,
        "class": "adaptable",
        "coverage": 1.0,
    }
    # No weight-1 limitation: the senior profile takes the class of general; the lift barrier
    # still ranks it (and explains the score).
    assert (round(senior.score, 2), senior.suitability) == (63.07, "suitable")
    assert barrier_ids(senior) == [("lift", 3)]
    # General rates the mould and smoke-alarm items only: a walk-up is fine for an adult.
    assert (result.general.score, result.general.suitability) == (100, "suitable")
    assert result.profiles["adult"].suitability == "suitable"
    assert result.profiles["low"].suitability == "suitable"


def test_walk_up_lift_feasible_for_this_building_is_adaptable(prepared):
    result = score(prepared, GOOD, WALK_UP, feasibility={"install_lift": True})
    assert result.limitations["wheelchair_manual"].suitability == "adaptable"
    assert result.limitations["wheelchair_manual"].barriers[0].measures[0].feasible is True


def test_register_answer_is_overridden_by_explicit_answer(prepared):
    answers = {**GOOD, "lift": ItemAnswer(True)}
    result = score(prepared, answers, WALK_UP)
    assert summary(result, "wheelchair_manual") == (100, "suitable", 1, 0)


def test_unknown_lift_fact_makes_the_walk_up_unknown(prepared):
    result = score(prepared, GOOD, {"floor": 3, "has_lift": None})
    assert result.limitations["wheelchair_manual"].suitability == "unknown"
    assert result.limitations["stamina"].coverage == 0
    assert [u.item_id for u in result.limitations["stamina"].unanswered] == ["lift"]
    # Unknown floor: the lift condition cannot be decided, so the lift item is unanswered: a
    # missing register fact gives "unknown", never "unsuitable".
    result = score(prepared, GOOD, {"floor": None, "has_lift": False})
    assert result.limitations["wheelchair_manual"].suitability == "unknown"
    assert [u.item_id for u in result.limitations["stamina"].unanswered] == ["lift"]
    # Answered by hand, the item still waits for the fact that decides whether it applies.
    result = score(prepared, {**GOOD, "lift": ItemAnswer(False)}, {"has_lift": False})
    assert result.limitations["wheelchair_manual"].suitability == "unknown"


@pytest.mark.parametrize(
    ("width", "manual", "electric", "walking"),
    [
        # 1400 mm: in the band (>= 1300): manual 3, electric 4, walking aid 1.
        (1400, (84.21, "adaptable", 1, 3), (77.78, "adaptable", 1, 4), (92.86, "suitable", 1, 1)),
        # 1200 mm: below every band: the full severity.
        (1200, (78.95, "adaptable", 1, 4), (77.78, "adaptable", 1, 4), (85.71, "suitable", 1, 2)),
    ],
)
def test_bathroom_too_small_for_a_wheelchair(prepared, width, manual, electric, walking):
    result = score(prepared, {**GOOD, "bathroom_turning": ItemAnswer(width)}, GROUND)
    assert summary(result, "wheelchair_manual") == manual
    assert summary(result, "wheelchair_electric") == electric
    assert summary(result, "walking_aid") == walking
    assert barrier_ids(result.limitations["wheelchair_electric"]) == [("bathroom_turning", 4)]
    assert result.limitations["balance"].barriers == ()
    blocked = score(
        prepared,
        {**GOOD, "bathroom_turning": ItemAnswer(width)},
        GROUND,
        feasibility={"rebuild_bathroom": False},
    )
    assert blocked.limitations["wheelchair_electric"].suitability == "unsuitable"


def test_no_visual_doorbell_or_smoke_alarm(prepared):
    answers = {
        **GOOD,
        "visual_doorbell": ItemAnswer(False),
        "visual_smoke_alarm": ItemAnswer(False),
    }
    result = score(prepared, answers, GROUND)
    assert summary(result, "deaf") == (0, "adaptable", 1, 8)
    assert summary(result, "hard_of_hearing") == (0, "adaptable", 1, 5)
    assert barrier_ids(result.limitations["hard_of_hearing"]) == [
        ("visual_smoke_alarm", 3),
        ("visual_doorbell", 2),
    ]
    assert summary(result, "wheelchair_manual") == (100, "suitable", 1, 0)
    # senior: hard_of_hearing weighs 0.3 only, so its class does not decide: (50+50+30) / 1.6.
    senior = result.profiles["senior"]
    assert (senior.score, senior.suitability) == (81.25, "suitable")
    low = result.profiles["low"]  # no weight-1 limitation: the class of general (30 / 0.6)
    assert (low.score, low.suitability) == (50, "suitable")
    # General: mould 3 + smoke alarm 2 possible, the smoke alarm (2) within the tolerance.
    assert (round(result.general.score, 2), result.general.suitability) == (60, "suitable")
    assert [b.item_id for b in result.general.barriers] == ["visual_smoke_alarm"]
    assert [b.item_id for b in result.barriers] == ["visual_doorbell", "visual_smoke_alarm"]


def test_half_the_checklist_unanswered(prepared):
    answers = {k: GOOD[k] for k in ("step_free_entrance", "door_width", "visual_doorbell")}
    answers["stove_guard"] = ItemAnswer(True)
    result = score(prepared, answers, GROUND)
    assert summary(result, "wheelchair_manual") == (100, "unknown", 0.421, 0)  # 8 / 19
    assert summary(result, "deaf") == (100, "unknown", 0.5, 0)  # smoke alarm (4) unanswered
    assert summary(result, "cognitive") == (100, "suitable", 1, 0)
    # The handrail condition reads an unanswered item, so the handrail item applies.
    assert [(u.item_id, u.weight) for u in result.limitations["balance"].unanswered] == [
        ("stair_handrails", 3),
        ("floor_surface", 3),
        ("no_internal_stairs", 2),
        ("threshold", 2),
    ]
    assert (result.general.coverage, result.general.suitability) == (0, "unknown")
    assert result.profiles["senior"].suitability == "unknown"
    assert result.profiles["child_household"].suitability == "unknown"  # 1 / 3 answered


def test_not_applicable_answers_leave_the_item_out(prepared):
    answers = {
        **GOOD,
        "no_internal_stairs": ItemAnswer(False),
        "stair_handrails": ItemAnswer(None, True),
    }
    result = score(prepared, answers, GROUND)
    # balance: 2+2+3+2 = 9 applicable, stairs barrier 2: within the tolerance of 4.
    assert summary(result, "balance") == (77.78, "suitable", 1, 2)
    # Answering "pass" where "not applicable" was allowed changes the score, not the class.
    passed = score(prepared, {**answers, "stair_handrails": ItemAnswer(True)}, GROUND)
    assert summary(passed, "balance") == (83.33, "suitable", 1, 2)


def test_removed_items_count_as_passes(prepared):
    result = score(prepared, GOOD, WALK_UP, removed_items={"lift"})
    assert summary(result, "wheelchair_manual") == (100, "suitable", 1, 0)
    classes = classes_after(prepared, GOOD, WALK_UP)
    assert classes["wheelchair_manual"] == "unsuitable"
    assert classes["stamina"] == "adaptable" and classes["general"] == "suitable"
    classes = classes_after(prepared, GOOD, WALK_UP, removed_items={"lift"})
    assert set(classes.values()) == {"suitable"}


def test_applicant_profile(prepared):
    extra = {"applicant": {"wheelchair_manual": 1, "deaf": 1}}
    result = score(prepared, GOOD, WALK_UP, extra_profiles=extra)
    applicant = result.profiles["applicant"]
    assert (round(applicant.score, 2), applicant.suitability) == (91.3, "unsuitable")
    assert applicant.weights == {"wheelchair_manual": 1.0, "deaf": 1.0}


def test_bad_input_is_named(prepared):
    with pytest.raises(Unprocessable) as exc:
        score(prepared, {"nope": ItemAnswer(True)}, {"floor": "3"})
    assert exc.value.errors == {
        "answers": ["Ukjent punkt: nope"],
        "floor": ["Etasje må være et heltall"],
    }
    with pytest.raises(Unprocessable) as exc:
        score(prepared, GOOD, extra_profiles={"a": {"flying": 1, "deaf": 2}, "senior": {}})
    assert exc.value.errors == {
        "profiles": {
            "a": [
                "Ukjent funksjonsnedsettelse: flying",
                "Vekten for deaf må være et tall mellom 0 og 1",
            ],
            "senior": ["Profilnavnet senior er allerede i bruk"],
        }
    }


def test_prepare_is_cached_per_object(prepared):
    assert prepare(CHECKLIST, PROFILES, MEASURES) is prepared
    copy = type(PROFILES)(PROFILES.version, 85, 0.9, PROFILES.profiles, tolerance=1)
    other = prepare(CHECKLIST, copy, MEASURES)
    assert other is not prepared and other.profiles is copy
    # The lift barrier is moderate (2) for balance: within 4, beyond a tolerance of 1.
    assert score(prepared, GOOD, WALK_UP).limitations["balance"].suitability == "suitable"
    assert score(other, GOOD, WALK_UP).limitations["balance"].suitability == "adaptable"


def test_met_another_way_undecided_for_a_missing_fact_is_unknown_never_a_barrier():
    """Steps are met another way by a lift whose item applies only above the ground floor.
    With the floor unknown, whether the lift counts is undecided: failing steps are unknown
    (not a barrier, so never "unsuitable"); passing steps pass whatever the lift."""
    lift = item(
        "lift",
        condition=Condition("fact", target="floor", op="ge", value=1),
        severity={"wheelchair_manual": 2},
    )
    steps = item(
        "steps",
        satisfied_by=Condition("item", target="lift", op="eq", value=True),
        severity={"wheelchair_manual": 4},
    )
    checklist = Checklist("x", 1, t("X"), (Section("s", t("S"), (lift, steps)),))
    prepared = prepare(checklist, PROFILES, MeasureCatalogue(1, ()))
    answers = {"lift": ItemAnswer(True), "steps": ItemAnswer(False)}

    known = score(prepared, answers, {"floor": 2}).limitations["wheelchair_manual"]
    assert (known.suitability, known.barriers) == ("suitable", ())
    unknown = score(prepared, answers, {"floor": None}).limitations["wheelchair_manual"]
    assert (unknown.suitability, unknown.barriers) == ("unknown", ())
    assert [u.item_id for u in unknown.unanswered] == ["steps", "lift"]
    passing = score(prepared, {**answers, "steps": ItemAnswer(True)}, {"floor": None})
    assert [u.item_id for u in passing.limitations["wheelchair_manual"].unanswered] == ["lift"]
