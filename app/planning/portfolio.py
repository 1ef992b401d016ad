"""Portfolio plan: which upgrades to buy across the stock under a budget (docs/planning.md).

Model. An action is one `Option` of one unit: a set of measure keys (a unit measure per unit,
a building measure per building, so a building lift is one key shared by every unit in it)
that makes a set of (unit, need) pairs suitable. Value of a set of actions = the summed
weights of the pairs they make suitable (each pair once); cost = the summed typical cost of
the union of their measure keys (each key once; already planned keys cost 0).

Method. Lazy greedy by marginal value per marginal krone: take the action with the highest
(value of its still unsuitable pairs) / (cost of its not yet bought keys); skip what does not
fit the remaining budget and go on with the rest; when a key is bought, every action sharing
it is re-evaluated (its remaining cost fell). Then the best single affordable action is
compared with the greedy plan, and if it is worth more, the greedy is rerun starting from it.

Guarantee. The plan never exceeds the budget. When no two actions share a measure key, this
is the modified greedy for budgeted maximum coverage (Khuller, Moss and Naor 1999) and its
value is at least (1 - 1/e) / 2 (about 0.316) of the optimum. Shared keys (building measures,
one measure in two options of a unit) make the cost non-additive, where no constant bound is
known; so every plan also carries a proven `upper_bound` on the optimum of its instance (see
`_upper_bound`), and value / upper_bound states how far from optimal this plan can be.
"""

from __future__ import annotations

import gc
import heapq
import math
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager

from app.checklists.model import MeasureCatalogue
from app.errors import Unprocessable
from app.planning.model import CostRange, MeasureKey, Plan, PlanStep, UnitCandidate
from app.planning.problem import Problem, Weights, build_problem
from app.planning.totals import need_totals

METHOD = (
    "Grådig utvelgelse etter verdi per krone, med ny vurdering etter hvert valg (delte "
    "byggtiltak regnes én gang), sammenlignet med det beste enkelttiltaket. Planen holder seg "
    "innenfor budsjettet. Når tiltak ikke deles, er verdien minst (1 - 1/e) / 2 (omtrent 32 %) "
    "av den beste mulige; i alle tilfeller er den beste mulige verdien høyst den oppgitte "
    "øvre grensen."
)


def _check(budget: float, weights: Weights) -> None:
    errors: dict[str, list[str]] = {}
    if isinstance(budget, bool) or not isinstance(budget, int | float) or not budget >= 0:
        errors["budget"] = ["Budsjettet må være et tall større enn eller lik 0"]
    bad = [
        str(k)
        for k, w in weights.items()
        if isinstance(w, bool) or not isinstance(w, int | float) or not w >= 0 or w == math.inf
    ]
    if bad:
        errors["weights"] = [f"Vekten for {k} må være et tall større enn eller lik 0" for k in bad]
    if errors:
        raise Unprocessable("Ugyldig planforespørsel", errors=errors)


class _State:
    """Bought keys, suitable pairs and taken actions of one greedy run."""

    def __init__(self, pr: Problem, covered: bytearray, budget: float):
        self.bought = bytearray(pr.planned)
        self.covered = bytearray(covered)
        self.done = bytearray(len(pr.act_unit))
        self.remaining = budget
        self.value = 0.0
        # (action, new keys, newly suitable pairs, value, cost) per step, in order.
        self.steps: list[tuple[int, list[int], list[int], float, int]] = []


def _value_cost(pr: Problem, st: _State, a: int) -> tuple[float, int]:
    covered, bought, pair_w, key_cost = st.covered, st.bought, pr.pair_w, pr.key_cost
    v = 0.0
    for p in pr.act_pairs[a]:
        if not covered[p]:
            v += pair_w[p]
    c = 0
    for k in pr.act_keys[a]:
        if not bought[k]:
            c += key_cost[k]
    return v, c


def _take(pr: Problem, st: _State, heap: list, a: int, v: float, c: int) -> None:
    members = pr.bundles.get(a)
    if members is not None:
        st.done[a] = 1
        for member in members:  # best first; the first pays the shared key
            if not st.done[member]:
                mv, mc = _value_cost(pr, st, member)
                if mv > 0:
                    _take(pr, st, heap, member, mv, mc)
        return
    st.done[a] = 1
    new_keys = [k for k in pr.act_keys[a] if not st.bought[k]]
    newly = [p for p in pr.act_pairs[a] if not st.covered[p]]
    for k in new_keys:
        st.bought[k] = 1
    for p in newly:
        st.covered[p] = 1
    st.remaining -= c
    st.value += v
    st.steps.append((a, new_keys, newly, v, c))
    # Actions sharing a key just bought got cheaper: re-evaluate them (their ratio rose).
    done = st.done
    for k in new_keys:
        for other in pr.key_actions[k]:
            if not done[other]:
                ov, oc = _value_cost(pr, st, other)
                if ov > 0:
                    heapq.heappush(heap, (-(ov / oc) if oc else -math.inf, other))
                elif not oc:  # fully bought, worth nothing by weight: still counts in totals
                    done[other] = 1
                    for p in pr.act_pairs[other]:
                        st.covered[p] = 1


def _greedy(pr: Problem, base: bytearray, budget: float, order: list, seed: int | None) -> _State:
    """One lazy greedy run over `order` (the initial ratios, best first) from `seed`."""
    st = _State(pr, base, budget)
    heap: list[tuple[float, int]] = []  # re-evaluated entries; `order` is only read
    if seed is not None:
        _take(pr, st, heap, seed, *_value_cost(pr, st, seed))
    done, pop, push = st.done, heapq.heappop, heapq.heappush
    i, n = 0, len(order)
    while True:
        if heap and (i == n or heap[0] < order[i]):
            neg, a = pop(heap)
        elif i < n:
            neg, a = order[i]
            i += 1
        else:
            break
        if done[a]:
            continue
        v, c = _value_cost(pr, st, a)
        if v <= 0:
            done[a] = 1  # value never comes back: pairs only get covered
            continue
        ratio = v / c if c else math.inf
        if ratio < -neg:  # stale: some of its pairs were made suitable meanwhile
            push(heap, (-ratio, a))
            continue
        if c > st.remaining:
            continue  # pushed again if a shared key it needs gets bought
        _take(pr, st, heap, a, v, c)
    return st


def _upper_bound(pr: Problem, st: _State, budget: float) -> float:
    """A proven upper bound on the best value of any plan within `budget`.

    For the optimal action set T: value(T) <= value(S) + sum over a in T of gain_a(S) (the
    value is a weighted coverage, hence submodular), where S is this plan. Charging each key's
    cost equally to the n_k actions that contain it gives an additive cost that never exceeds
    the true (shared) cost of any set, so T fits the budget under it as well; the best
    fractional knapsack of the gains under that cost bounds the sum.
    """
    # Over the unit actions only: a plan's value is a set of pairs, however it was bought.
    planned, key_cost, users, bundles = pr.planned, pr.key_cost, pr.key_users, pr.bundles
    share = [0.0 if planned[k] else key_cost[k] / users[k] for k in range(len(key_cost))]
    items: list[tuple[float, float]] = []
    free = 0.0
    covered, pair_w, done, act_keys = st.covered, pr.pair_w, st.done, pr.act_keys
    for a, pairs in enumerate(pr.act_pairs):
        if done[a] or a in bundles:
            continue
        gain = 0.0
        for p in pairs:
            if not covered[p]:
                gain += pair_w[p]
        if gain <= 0:
            continue
        cost = 0.0
        for k in act_keys[a]:
            cost += share[k]
        if cost <= 0:
            free += gain
        else:
            items.append((gain / cost, cost))
    items.sort(reverse=True)
    extra, room = free, float(budget)
    for ratio, cost in items:
        if room <= 0:
            break
        take = min(cost, room)
        extra += ratio * take
        room -= take
    return st.value + extra


def _steps(pr: Problem, st: _State) -> tuple[tuple[PlanStep, ...], CostRange]:
    steps = []
    low = typical = high = 0
    key_objects: dict[int, MeasureKey] = {}
    for rank, (a, new_keys, newly, value, _) in enumerate(st.steps, start=1):
        unit = pr.units[pr.act_unit[a]]
        bought, reused = [], []
        step_low = step_typical = step_high = 0
        for k in pr.act_keys[a]:
            key = key_objects.get(k)
            if key is None:
                key = key_objects[k] = MeasureKey(*pr.keys[k])  # type: ignore[arg-type]
            if k in new_keys:
                price = pr.key_price[k]
                step_low += price.low
                step_typical += price.typical
                step_high += price.high
                bought.append(key)
            else:
                reused.append(key)
        low += step_low
        typical += step_typical
        high += step_high
        steps.append(
            PlanStep(
                rank,
                unit.unit_id,
                unit.building_id,
                unit.district,
                tuple(bought),
                tuple(reused),
                CostRange(step_low, step_typical, step_high),
                typical,
                tuple([pr.pair_need[p] for p in newly]),
                value,
            )
        )
    return tuple(steps), CostRange(low, typical, high)


def _fully_bought(
    pr: Problem, keys: Iterable[int], bought: bytearray, covered: bytearray
) -> bytearray:
    """`covered` plus the pairs of every action of `keys` whose keys are all bought."""
    out = bytearray(covered)
    for k in keys:
        for a in pr.key_actions[k]:
            if all(bought[j] for j in pr.act_keys[a]):
                for p in pr.act_pairs[a]:
                    out[p] = 1
    return out


def plan_portfolio(
    candidates: Iterable[UnitCandidate],
    budget: float,
    weights: Weights,
    measures: MeasureCatalogue,
    already_planned: Collection[MeasureKey] = (),
    districts: Collection[str] | None = None,
    unit_ids: Collection[object] | None = None,
) -> Plan:
    """A ranked plan of upgrades within `budget` (NOK, typical costs) and its totals.

    `weights` gives the value of making one (unit, need) pair suitable: keyed by need, or by
    (need, district) as from `demand_weights` (a (need, district) weight wins over a need
    weight; missing means 0). `already_planned` keys cost nothing and their effect is the
    baseline. `districts` and `unit_ids` restrict the plan to those units.
    """
    _check(budget, weights)
    with _no_cyclic_gc():
        return _plan(candidates, budget, weights, measures, already_planned, districts, unit_ids)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while planning.

    Planning a national-size stock creates a few million acyclic lists and tuples, which
    reference counting frees; meanwhile the cyclic collector would rescan every long-lived
    object (the candidates among them) again and again, a quarter to a third of the run time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _plan(
    candidates: Iterable[UnitCandidate],
    budget: float,
    weights: Weights,
    measures: MeasureCatalogue,
    already_planned: Collection[MeasureKey],
    districts: Collection[str] | None,
    unit_ids: Collection[object] | None,
) -> Plan:
    catalogue = {m.id: m for m in measures.measures}
    pr = build_problem(candidates, weights, catalogue, districts, unit_ids)
    planned: list[int] = []
    if already_planned:
        index = {key: k for k, key in enumerate(pr.keys)}
        planned = [k for k in map(index.get, map(tuple, already_planned)) if k is not None]
    for k in planned:
        pr.planned[k] = 1
    base = _fully_bought(pr, planned, pr.planned, bytearray(len(pr.pair_w)))
    if planned:  # the build's values and costs assumed nothing planned
        probe = _State(pr, base, budget)
        for a in range(len(pr.act_unit)):
            pr.act_value[a], pr.act_cost[a] = _value_cost(pr, probe, a)
    order = []
    best_single, best_value = None, 0.0
    for a, (v, c) in enumerate(zip(pr.act_value, pr.act_cost, strict=True)):
        if v > 0:
            order.append((-(v / c) if c else -math.inf, a))
            if c <= budget and v > best_value:
                best_single, best_value = a, v
    order.sort()
    state = _greedy(pr, base, budget, order, None)
    if best_single is not None and best_value > state.value:
        state = _greedy(pr, base, budget, order, best_single)
    steps, spent = _steps(pr, state)
    after = state.covered  # _take covered what the bought keys give for free
    return Plan(
        budget=int(budget),
        spent=spent,
        value=state.value,
        upper_bound=max(_upper_bound(pr, state, budget), state.value),
        steps=steps,
        totals=need_totals(pr.units, pr.pair_unit, pr.pair_need, base, after, weights),
        method=METHOD,
    )
