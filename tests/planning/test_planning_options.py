"""Per-unit upgrade options: exact minimum against brute force, reasons, the real catalogue."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.checklists.definitions import MeasureCatalogue
from app.checklists.loader import load_catalogue
from app.errors import Unprocessable
from app.planning import Unreachable, UpgradeOption, cheapest_upgrade, upgrade_options
from app.scoring import ItemAnswer, classes_after, prepare, score
from tests.planning.planning_builders import (
    CHECKLIST,
    ITEMS,
    KEYS,
    PROFILES,
    answer_sets,
    catalogues,
    measure,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _prepared(measures: MeasureCatalogue):
    return prepare(CHECKLIST, PROFILES, measures, KEYS)


def _brute_force(prepared, answers, feasibility, key):
    """Cheapest typical cost over every subset of feasible measures, None if none works."""
    feasible = [
        m for m in prepared.measures.measures if feasibility.get(m.id, m.feasible_by_default)
    ]
    best = None
    for size in range(len(feasible) + 1):
        for subset in itertools.combinations(feasible, size):
            cost = sum(m.cost.typical for m in subset)
            if best is not None and cost >= best:
                continue
            removed = {i for m in subset for i in m.removes}
            if classes_after(prepared, answers, {}, feasibility, removed)[key] == "suitable":
                best = cost
    return best


@SETTINGS
@given(catalogues(), answer_sets(), st.data())
def test_options_are_the_true_minimum(measures, answers, data):
    prepared = _prepared(measures)
    ids = [m.id for m in measures.measures]
    feasibility = data.draw(st.dictionaries(st.sampled_from(ids), st.booleans()))
    options = upgrade_options(prepared, answers, {}, feasibility)
    before = classes_after(prepared, answers, {}, feasibility)
    assert set(options) == set(before)
    for key, option in options.items():
        best = _brute_force(prepared, answers, feasibility, key)
        if best is None:
            assert isinstance(option, Unreachable), (key, option)
            continue
        assert isinstance(option, UpgradeOption), (key, option)
        assert option.cost.typical == best
        by_id = {m.id: m for m in measures.measures}
        chosen = [by_id[mid] for mid in option.measures]
        assert all(feasibility.get(m.id, m.feasible_by_default) for m in chosen)
        removed = {i for m in chosen for i in m.removes}
        after = classes_after(prepared, answers, {}, feasibility, removed)
        assert after[key] == "suitable"
        expected_also = {
            k for k, c in after.items() if k != key and c == "suitable" and before[k] != c
        }
        assert set(option.also_suitable) == expected_also
        assert option.cost.low <= option.cost.typical <= option.cost.high
        assert option.score_after >= option.score_before


def test_already_suitable_costs_nothing():
    answers = {it.id: ItemAnswer(900 if it.type == "measurement" else True) for it in ITEMS}
    prepared = _prepared(MeasureCatalogue(1, (measure("m0", ("i0",), 1000),)))
    option = cheapest_upgrade(prepared, answers, {}, {}, "l0")
    assert isinstance(option, UpgradeOption)
    assert option.measures == () and option.cost.typical == 0
    assert option.class_before == "suitable"


def _all_pass_but(**barriers) -> dict[str, ItemAnswer]:
    answers = {it.id: ItemAnswer(900 if it.type == "measurement" else True) for it in ITEMS}
    answers.update({k: ItemAnswer(v) for k, v in barriers.items()})
    return answers


def test_picks_the_cheaper_combination_and_names_the_side_effects():
    # i1 (blocking for l0) is removed by a dear single measure or by a cheap one; a combined
    # measure that also removes i3 (blocking for l1) costs more but would make l1 suitable.
    measures = MeasureCatalogue(
        1,
        (
            measure("dear", ("i1",), 30000),
            measure("cheap", ("i1",), 5000),
            measure("combo", ("i1", "i3"), 20000),
        ),
    )
    prepared = _prepared(measures)
    answers = _all_pass_but(i1=False)
    option = cheapest_upgrade(prepared, answers, {}, {}, "l0")
    assert isinstance(option, UpgradeOption)
    assert option.measures == ("cheap",)
    assert option.cost.typical == 5000 and option.cost.low == 2500 and option.cost.high == 10000
    assert option.scopes == ("unit",)
    assert "major" in option.also_suitable  # the profile with l0 as its major limitation
    # Marking the cheap measure infeasible for this unit moves the answer at once.
    option = cheapest_upgrade(prepared, answers, {}, {"cheap": False}, "l0")
    assert isinstance(option, UpgradeOption) and option.measures == ("combo",)


def test_paid_measures_cost_nothing_and_count_as_done():
    measures = MeasureCatalogue(1, (measure("ramp", ("i1",), 5000), measure("door", ("i0",), 8000)))
    prepared = _prepared(measures)
    answers = _all_pass_but(i0=False, i1=False)
    option = cheapest_upgrade(prepared, answers, {}, {}, "l0")
    assert isinstance(option, UpgradeOption) and option.cost.typical == 13000
    option = cheapest_upgrade(prepared, answers, {}, {}, "l0", paid_measures={"ramp"})
    assert isinstance(option, UpgradeOption)
    assert option.measures == ("door",) and option.cost.typical == 8000


def test_unreachable_names_infeasible_measures_and_missing_measures():
    measures = MeasureCatalogue(1, (measure("lift", ("i1",), 900000, feasible=False),))
    prepared = _prepared(measures)
    answers = _all_pass_but(i1=False, i0=False)
    option = cheapest_upgrade(prepared, answers, {}, {}, "l0")
    assert isinstance(option, Unreachable)
    assert option.reason == "infeasible"
    blocked = {b.item_id: b.infeasible for b in option.blocked}
    assert blocked == {"i1": ("lift",), "i0": ()}
    assert "lift" in option.detail and "ingen tiltak" in option.detail
    # With the lift marked feasible only i0 is left: no measure exists for it.
    option = cheapest_upgrade(prepared, answers, {}, {"lift": True}, "l0")
    assert isinstance(option, Unreachable) and option.reason == "no_measure"
    assert [b.item_id for b in option.blocked] == ["i0"]


def test_unknown_class_cannot_be_fixed_by_measures():
    measures = MeasureCatalogue(1, (measure("m0", ("i0",), 1000),))
    answers = _all_pass_but()
    del answers["i1"]  # blocking for l0 and unanswered
    option = cheapest_upgrade(_prepared(measures), answers, {}, {}, "l0")
    assert isinstance(option, Unreachable)
    assert option.reason == "unknown" and option.unanswered == ("i1",)
    assert "mangler svar" in option.detail


def test_unknown_key_is_refused():
    prepared = _prepared(MeasureCatalogue(1, (measure("m0", ("i0",), 1000),)))
    with pytest.raises(Unprocessable) as raised:
        cheapest_upgrade(prepared, _all_pass_but(), {}, {}, "nope")
    assert raised.value.errors == {"profile": ["Ukjent behov eller profil: nope"]}
    with pytest.raises(Unprocessable):
        cheapest_upgrade(prepared, _all_pass_but(), {}, {}, "l0", paid_measures={"ghost"})


def test_extra_profiles_are_targets_too():
    measures = MeasureCatalogue(1, (measure("m0", ("i3",), 1000),))
    answers = _all_pass_but(i3=False)
    option = cheapest_upgrade(
        _prepared(measures), answers, {}, {}, "applicant", extra_profiles={"applicant": {"l1": 1}}
    )
    assert isinstance(option, UpgradeOption) and option.measures == ("m0",)


def _real_units(count: int, seed: int):
    catalogue = load_catalogue(ROOT / "checklists")
    checklist = catalogue.checklists[("uu-bolig", 1)]
    prepared = prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)
    rng = random.Random(seed)
    units = []
    for _ in range(count):
        answers = {}
        for it in checklist.items.values():
            if it.register:
                continue
            if it.type == "yes_no":
                answers[it.id] = ItemAnswer(rng.random() < 0.85)
            elif it.type == "choice":
                answers[it.id] = ItemAnswer(rng.choice(it.choices).key)
            elif it.type in ("measurement", "count") and it.requirement is not None:
                low, high = it.bounds or (0, 10000)
                answers[it.id] = ItemAnswer(round(rng.uniform(low, high)))
            else:
                answers[it.id] = (
                    ItemAnswer(None, not_applicable=True)
                    if it.not_applicable_allowed
                    else ItemAnswer("x")
                )
        units.append((answers, {"floor": rng.choice([0, 1, 3]), "has_lift": rng.random() < 0.5}))
    return prepared, units


def test_real_catalogue_options_make_the_unit_suitable():
    prepared, units = _real_units(15, 7)
    infeasible = {"entrance_ramp": False, "lift_installation": False}
    reachable = 0
    for answers, facts in units:
        options = upgrade_options(prepared, answers, facts, infeasible)
        for key, option in options.items():
            if not isinstance(option, UpgradeOption) or not option.measures:
                continue
            reachable += 1
            assert not set(option.measures) & set(infeasible)
            removed = {
                i for m in prepared.measures.measures if m.id in option.measures for i in m.removes
            }
            result = score(prepared, answers, facts, infeasible, removed_items=removed)
            classes = {**{k: r.suitability for k, r in result.limitations.items()}}
            classes |= {k: r.suitability for k, r in result.profiles.items()}
            classes["general"] = result.general.suitability
            assert classes[key] == "suitable"
    assert reachable > 0
