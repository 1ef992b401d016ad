"""Portfolio plans: budget, bound against brute force, shared costs, feasibility, demand."""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.checklists.loader import load_catalogue
from app.errors import Unprocessable
from app.planning import (
    MeasureKey,
    Option,
    UnitCandidate,
    demand_weights,
    plan_portfolio,
    suitable_supply,
    unit_candidate,
    upgrade_options,
)
from tests.planning import reference_plan
from tests.planning.planning_builders import NEEDS, PORTFOLIO_CATALOGUE, portfolios
from tests.planning.test_planning_options import _real_units

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BOUND = (1 - 1 / math.e) / 2
COST = {m.id: m for m in PORTFOLIO_CATALOGUE.measures}
weight_maps = st.dictionaries(
    st.sampled_from(NEEDS), st.sampled_from([0, 0.5, 1, 2, 5]), min_size=1
)


def _key(unit: UnitCandidate, measure_id: str) -> MeasureKey:
    m = COST[measure_id]
    owner = unit.building_id if m.scope == "building" else unit.unit_id
    return MeasureKey(m.scope, owner, measure_id)


def _actions(units):
    return [(u, o) for u in units for o in u.options]


def _pairs(chosen):
    return {(u.unit_id, n) for u, o in chosen for n in o.needs if n not in u.suitable}


def _optimum(units, budget, weights, planned=frozenset()):
    """Best value beyond the baseline over every subset of actions that fits the budget."""
    actions = _actions(units)
    baseline = _pairs((u, o) for u, o in actions if {_key(u, m) for m in o.measures} <= planned)
    best = 0.0
    for size in range(1, len(actions) + 1):
        for subset in itertools.combinations(actions, size):
            keys = {_key(u, m) for u, o in subset for m in o.measures} - planned
            if sum(COST[k.measure_id].cost.typical for k in keys) > budget:
                continue
            value = sum(weights.get(n, 0) for _, n in _pairs(subset) - baseline)
            best = max(best, value)
    return best


def _check_consistent(plan, units, weights, budget):
    """The plan's own figures agree with its steps, and it stays within the budget."""
    assert plan.spent.typical <= budget
    bought = [k for step in plan.steps for k in step.measures]
    assert len(bought) == len(set(bought)), "a measure key is paid twice"
    assert plan.spent.typical == sum(COST[k.measure_id].cost.typical for k in bought)
    assert plan.steps == () or plan.steps[-1].cumulative_cost == plan.spent.typical
    pairs = [(s.unit_id, n) for s in plan.steps for n in s.needs]
    assert len(pairs) == len(set(pairs))
    assert plan.value == pytest.approx(sum(weights.get(n, 0) for _, n in pairs))
    assert plan.value <= plan.upper_bound + 1e-9
    suitable = {u.unit_id: u.suitable for u in units}
    assert all(n not in suitable[uid] for uid, n in pairs)


@SETTINGS
@given(portfolios(shared=False), st.integers(0, 30000), weight_maps)
def test_without_sharing_the_plan_is_within_the_bound_of_the_optimum(units, budget, weights):
    plan = plan_portfolio(units, budget, weights, PORTFOLIO_CATALOGUE)
    _check_consistent(plan, units, weights, budget)
    optimum = _optimum(units, budget, weights)
    assert plan.value >= BOUND * optimum - 1e-9
    assert plan.upper_bound >= optimum - 1e-9


@SETTINGS
@given(portfolios(shared=True), st.integers(0, 60000), weight_maps, st.data())
def test_with_sharing_the_plan_fits_and_the_upper_bound_holds(units, budget, weights, data):
    keys = sorted({_key(u, m) for u, o in _actions(units) for m in o.measures})
    planned = (
        frozenset(data.draw(st.lists(st.sampled_from(keys), max_size=2))) if keys else frozenset()
    )
    plan = plan_portfolio(units, budget, weights, PORTFOLIO_CATALOGUE, already_planned=planned)
    _check_consistent(plan, units, weights, budget)
    assert not {k for s in plan.steps for k in s.measures} & planned
    assert plan.upper_bound >= _optimum(units, budget, weights, planned) - 1e-9


def test_a_shared_building_measure_is_paid_once():
    lift = COST["b0"].cost.typical
    units = [
        UnitCandidate(f"H0{n}01", "B1", "Nord", frozenset(), (Option(("b0",), ("a",)),))
        for n in range(1, 5)
    ]
    plan = plan_portfolio(units, lift, {"a": 1}, PORTFOLIO_CATALOGUE)
    assert plan.spent.typical == lift
    assert len(plan.steps) == 4 and plan.value == 4
    assert [len(s.measures) for s in plan.steps] == [1, 0, 0, 0]
    assert [s.cost.typical for s in plan.steps] == [lift, 0, 0, 0]
    assert all(s.reused == (MeasureKey("building", "B1", "b0"),) for s in plan.steps[1:])
    overall = {t.need: t for t in plan.totals if t.district is None}
    assert (overall["a"].current, overall["a"].after) == (0, 4)


def test_the_shared_measure_beats_cheaper_separate_ones():
    # Four units of one building: a building measure for 5000 helps all of them, while the
    # unit measures cost 4000 each; 10000 buys the lift and more, not two unit measures.
    units = [
        UnitCandidate(
            f"H0{n}01",
            "B1",
            "Nord",
            frozenset(),
            (Option(("b0",), ("a",)), Option(("u3",), ("a",))),
        )
        for n in range(1, 5)
    ]
    plan = plan_portfolio(units, 10000, {"a": 1}, PORTFOLIO_CATALOGUE)
    assert plan.value == 4 and plan.spent.typical == 5000


def test_already_planned_measures_are_the_baseline():
    units = [
        UnitCandidate("H0101", "B1", "Nord", frozenset(), (Option(("b0",), ("a",)),)),
        UnitCandidate("H0102", "B1", "Nord", frozenset(), (Option(("u0",), ("a", "b")),)),
    ]
    planned = {MeasureKey("building", "B1", "b0")}
    plan = plan_portfolio(units, 0, {"a": 1, "b": 1}, PORTFOLIO_CATALOGUE, already_planned=planned)
    assert plan.steps == ()
    overall = {t.need: t for t in plan.totals if t.district is None}
    assert (overall["a"].current, overall["a"].baseline, overall["a"].after) == (0, 1, 1)


def test_filters_and_totals_per_district():
    units = [
        UnitCandidate("H0101", "B1", "Nord", frozenset({"b"}), (Option(("u0",), ("a",)),)),
        UnitCandidate("H0102", "B2", "Sør", frozenset(), (Option(("u1",), ("a",)),)),
    ]
    plan = plan_portfolio(units, 10**6, {"a": 1}, PORTFOLIO_CATALOGUE, districts={"Sør"})
    assert [s.unit_id for s in plan.steps] == ["H0102"]
    rows = {(t.need, t.district): t for t in plan.totals}
    assert ("a", "Nord") not in rows and rows[("a", "Sør")].after == 1
    plan = plan_portfolio(units, 10**6, {"a": 1}, PORTFOLIO_CATALOGUE, unit_ids={"H0101"})
    assert [s.unit_id for s in plan.steps] == ["H0101"]
    plan = plan_portfolio(units, 1000, {"a": 1}, PORTFOLIO_CATALOGUE)
    rows = {(t.need, t.district): t for t in plan.totals}
    assert rows[("b", "Nord")].current == 1 and rows[("b", None)].spread_after == 1.0
    assert rows[("a", None)].spread_baseline == 0.0 and rows[("a", None)].spread_after == 1.0


def test_invalid_requests_are_refused():
    with pytest.raises(Unprocessable) as raised:
        plan_portfolio([], -1, {"a": -2}, PORTFOLIO_CATALOGUE)
    assert set(raised.value.errors) == {"budget", "weights"}
    with pytest.raises(Unprocessable):
        demand_weights({("a", "Nord"): -1}, {})


def test_demand_weights_follow_the_formula():
    weights = demand_weights(
        {("a", "Nord"): 10, ("a", "Sør"): 10, ("b", "Nord"): 0}, {("a", "Sør"): 9}
    )
    assert weights == {("a", "Nord"): 10.0, ("a", "Sør"): 1.0}


def test_demand_moves_the_plan_to_districts_where_households_wait():
    # Identical units in two districts; households wait in Sør only, and Nord has supply.
    units = [
        UnitCandidate(f"{d}{n}", f"{d}-B{n}", d, frozenset(), (Option(("u0",), ("a",)),))
        for d in ("Nord", "Sør")
        for n in range(5)
    ] + [UnitCandidate("Nord-ok", "Nord-B9", "Nord", frozenset({"a"}), ())]
    supply = suitable_supply(units)
    assert supply == {("a", "Nord"): 1}
    budget = 3 * COST["u0"].cost.typical
    flat = plan_portfolio(units, budget, {"a": 1}, PORTFOLIO_CATALOGUE)
    assert {s.district for s in flat.steps} == {"Nord"}  # input order breaks the tie
    weights = demand_weights({("a", "Nord"): 3, ("a", "Sør"): 3}, supply)
    plan = plan_portfolio(units, budget, weights, PORTFOLIO_CATALOGUE)
    assert {s.district for s in plan.steps} == {"Sør"}
    rows = {(t.need, t.district): t for t in plan.totals}
    assert rows[("a", "Sør")].after == 3 and rows[("a", None)].spread_after < 0.5


def test_infeasible_measures_never_appear_in_a_plan():
    prepared, units = _real_units(12, 11)
    catalogue = load_catalogue(Path(__file__).resolve().parents[2] / "checklists")
    infeasible = {"entrance_ramp": False, "platform_lift": False, "lift_installation": False}
    candidates = []
    for n, (answers, facts) in enumerate(units):
        options = upgrade_options(prepared, answers, facts, infeasible)
        candidates.append(unit_candidate(n, n // 3, f"d{n % 2}", options))
    assert any(c.options for c in candidates)
    plan = plan_portfolio(candidates, 10**9, dict.fromkeys(prepared.keys, 1), catalogue.measures)
    used = {k.measure_id for s in plan.steps for k in (*s.measures, *s.reused)}
    assert used and not used & set(infeasible)
    assert plan.value == plan.upper_bound  # an unlimited budget buys every option


def _agrees_with_reference(units, budget, weights, planned=frozenset()):
    plan = plan_portfolio(units, budget, weights, PORTFOLIO_CATALOGUE, already_planned=planned)
    ref = reference_plan.plan(units, budget, weights, PORTFOLIO_CATALOGUE, planned)
    steps = [
        (s.unit_id, list(s.measures), list(s.reused), list(s.needs), s.value) for s in plan.steps
    ]
    assert steps == ref.steps
    assert (plan.value, plan.upper_bound) == (ref.value, ref.upper_bound)
    after = {(t.need, t.district): t.after - t.current for t in plan.totals}
    for district in {u.district for u in units}:
        suitable = [
            n for (uid, n) in ref.after if {u.unit_id: u.district for u in units}[uid] == district
        ]
        for need in {n for n, d in after if d == district}:
            assert after[(need, district)] == suitable.count(need)


@SETTINGS
@given(portfolios(shared=True), st.integers(0, 60000), weight_maps, st.data())
def test_the_plan_is_the_plainly_stated_method(units, budget, weights, data):
    keys = sorted({_key(u, m) for u, o in _actions(units) for m in o.measures})
    planned = (
        frozenset(data.draw(st.lists(st.sampled_from(keys), max_size=2))) if keys else frozenset()
    )
    _agrees_with_reference(units, budget, weights, planned)


def test_larger_plans_are_the_plainly_stated_method():
    # Twenty to forty units in a few buildings, shared building measures, needs that weigh
    # nothing, weights per district: bundles of bundles and ties come up.
    rng = random.Random(7)
    for _ in range(40):
        units = []
        for n in range(rng.randint(20, 40)):
            options = []
            for _ in range(rng.randint(0, 4)):
                pool = [m.id for m in PORTFOLIO_CATALOGUE.measures]
                measures = tuple(sorted(set(rng.sample(pool, rng.randint(1, 3)))))
                needs = tuple(sorted(set(rng.choices((*NEEDS, "d"), k=rng.randint(1, 3)))))
                options.append(Option(measures, needs))
            suitable = frozenset(rng.sample(NEEDS, rng.randint(0, 1)))
            district = rng.choice(["Nord", "Sør"])
            units.append(UnitCandidate(n, rng.randrange(4), district, suitable, tuple(options)))
        weights = {(n, d): rng.choice([0, 0, 1, 2.5]) for n in NEEDS for d in ("Nord", "Sør")}
        budget = rng.choice([5000, 30000, 80000, 10**8])
        _agrees_with_reference(units, budget, weights)


def test_totals_count_what_the_bought_measures_make_suitable_even_unweighted():
    # u0 makes "a" suitable first; the option (u1) for "a" and "b" is then worth nothing by
    # weight, but buying u1 for "c" later makes the unit suitable for "b" all the same.
    unit = UnitCandidate(
        "H0101",
        "B1",
        "Nord",
        frozenset(),
        (Option(("u1",), ("a", "b")), Option(("u0",), ("a",)), Option(("u1", "u2"), ("c",))),
    )
    plan = plan_portfolio([unit], 10**6, {"a": 1, "c": 1}, PORTFOLIO_CATALOGUE)
    assert [s.measures[0].measure_id for s in plan.steps] == ["u0", "u1"]
    overall = {t.need: t.after for t in plan.totals if t.district is None}
    assert overall == {"a": 1, "b": 1, "c": 1}


def test_a_measure_named_twice_is_paid_once():
    unit = UnitCandidate("H0101", "B1", "Nord", frozenset(), (Option(("u0", "u0"), ("a",)),))
    plan = plan_portfolio([unit], COST["u0"].cost.typical, {"a": 1}, PORTFOLIO_CATALOGUE)
    assert plan.value == 1 and plan.spent.typical == COST["u0"].cost.typical
    assert len(plan.steps[0].measures) == 1
