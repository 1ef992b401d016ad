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

Code. `indexed.py` flattens the candidates (with the bundles of shared building measures),
`greedy.py` makes one run; this module adds the planned baseline, the bound, the step records
and the totals.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from itertools import compress

from app.checklists.definitions import MeasureCatalogue
from app.errors import Unprocessable
from app.planning.greedy import Base, Run, cover, greedy
from app.planning.indexed import IndexedCandidates, Weights, bits_of, index_candidates
from app.planning.records import CostRange, MeasureKey, Plan, PlanStep, UnitCandidate
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


_OPEN = bytes.maketrans(b"\0\1\2", b"\1\0\0")  # an action's state to 1 when it is open


def _upper_bound(pr: IndexedCandidates, run: Run, base: Base, budget: float) -> float:
    """A proven upper bound on the best value of any plan within `budget`.

    For the optimal action set T: value(T) <= value(S) + sum over a in T of gain_a(S) (the
    value is a weighted coverage, hence submodular), where S is this plan. Charging each key's
    cost equally to the n_k actions that contain it gives an additive cost that never exceeds
    the true (shared) cost of any set, so T fits the budget under it as well; the best
    fractional knapsack of the gains under that cost bounds the sum.
    """
    # Over the unit actions only: a plan's value is a set of pairs, however it was bought.
    share = [
        0.0 if planned else cost / users
        for planned, cost, users in zip(base.bought, pr.bkey_cost, pr.bkey_users, strict=True)
    ]
    owned, unit_users, overlap = base.owned, pr.unit_users, pr.unit_overlap
    simple = not any(owned)
    items: list[tuple[float, float]] = []
    free = 0.0
    stale, values, current = run.stale, run.value, run.current
    act_combo, act_unit, act_bkeys = pr.act_combo, pr.act_unit, pr.act_bkeys
    for a in compress(range(pr.n_unit_actions), run.done.translate(_OPEN)):
        gain = current(pr, a) if stale[a] else values[a]
        if gain <= 0:
            continue
        combo = act_combo[a]
        u = act_unit[a]
        if simple and combo.building_last and not overlap[u]:
            # Each key's share, summed in the option's order: the unit measures' whole
            # costs, then the one building measure's share.
            bkeys = act_bkeys[a]
            cost = combo.head + share[bkeys[0]] if bkeys else combo.head
        else:
            users = unit_users.get(u)
            planned, bkeys = owned[u], iter(act_bkeys[a])
            cost = 0.0
            for bit, typical in zip(combo.bits, combo.typicals, strict=True):
                if not bit:
                    cost += share[next(bkeys)]
                elif planned & bit:
                    cost += 0.0
                else:
                    cost += typical / (users[bit] if users else 1)
        if cost <= 0:
            free += gain
        else:
            items.append((gain / cost, cost))
    return run.total + _fractional_knapsack(items, float(budget), free)


def _fractional_knapsack(items: list[tuple[float, float]], room: float, extra: float) -> float:
    """`extra` plus the best fractional knapsack of (ratio, cost) items within `room`.

    Items are taken best ratio first (dearest first among equals) until the room is used.
    Usually a small share of them fills it: a sample of every 16th item gives a ratio above
    which the items should fill it twice over; those are sorted alone, and only when they
    do not fill it after all are all items sorted.
    """
    if len(items) > 4096:
        need = 2 * room / 16
        for ratio, cost in sorted(items[::16], reverse=True):
            need -= cost
            if need <= 0:
                best = [item for item in items if item[0] >= ratio]
                total, left = _fill(best, room, extra)
                if left <= 0:
                    return total
                break
    return _fill(items, room, extra)[0]


def _fill(items: list[tuple[float, float]], room: float, total: float) -> tuple[float, float]:
    """Take `items` best first into `room`: the value reached and the room left."""
    items.sort(reverse=True)
    for ratio, cost in items:
        if room <= 0:
            break
        take = min(cost, room)
        total += ratio * take
        room -= take
    return total, room


def _steps(pr: IndexedCandidates, run: Run) -> tuple[tuple[PlanStep, ...], CostRange]:
    """The run's steps as records, with the costs paid (of the measures bought in them)."""
    steps = []
    low = typical = high = 0
    building_keys: dict[int, MeasureKey] = {}
    units, act_unit, act_combo, act_needs = pr.units, pr.act_unit, pr.act_combo, pr.act_needs
    new = tuple.__new__  # the records' own constructors, without their keyword handling
    free = CostRange(0, 0, 0)
    for rank, (a, owned, before, new_bkeys, value) in enumerate(run.steps, start=1):
        unit, combo, needs = units[act_unit[a]], act_combo[a], act_needs[a]
        bkeys = iter(pr.act_bkeys[a])
        bought, reused = [], []
        step_low = step_typical = step_high = 0
        for measure, bit in zip(combo.measures, combo.bits, strict=True):
            if bit:
                key = new(MeasureKey, ("unit", unit.unit_id, measure.id))
                paid = not owned & bit
            else:
                k = next(bkeys)
                key = building_keys.get(k)  # type: ignore[assignment]
                if key is None:
                    key = new(MeasureKey, ("building", unit.building_id, measure.id))
                    building_keys[k] = key
                paid = k in new_bkeys
            if paid:
                cost = measure.cost
                step_low += cost.low
                step_typical += cost.typical
                step_high += cost.high
                bought.append(key)
            else:
                reused.append(key)
        low += step_low
        typical += step_typical
        high += step_high
        made = tuple(
            [n for n, bit in zip(needs.names, needs.bits, strict=True) if not before & bit]
        )
        cost = new(CostRange, (step_low, step_typical, step_high)) if bought else free
        step = (rank, unit.unit_id, unit.building_id, unit.district, tuple(bought))
        steps.append(new(PlanStep, (*step, tuple(reused), cost, typical, made, value)))
    return tuple(steps), CostRange(low, typical, high)


def _planned_base(pr: IndexedCandidates, already_planned: Collection[MeasureKey]) -> Base:
    """Mark the already planned keys bought and make suitable what they fully buy.

    The build's values and costs assumed nothing planned: they are summed again.
    """
    base = Base(pr)
    if not already_planned:
        return base
    building = {
        (owner, m.id): k
        for k, (m, owner) in enumerate(zip(pr.bkey_measure, pr.bkey_owner, strict=True))
    }
    unit_index = {unit.unit_id: u for u, unit in enumerate(pr.units)}
    bit_of = {m.id: 1 << j for j, m in enumerate(pr.measures) if m.scope != "building"}
    touched: dict[int, None] = {}  # the actions with a planned key
    for scope, owner, measure_id in already_planned:
        if scope == "building":
            k = building.get((owner, measure_id))
            if k is not None:
                base.bought[k] = 1
                touched.update(dict.fromkeys(pr.bkey_actions[k]))
        elif scope in ("unit", "flight"):  # a flight measure is bought for its unit
            u, bit = unit_index.get(owner), bit_of.get(measure_id)
            if u is not None and bit is not None:
                base.owned[u] |= bit
                for a in range(pr.unit_first[u], pr.unit_first[u + 1]):
                    if pr.act_combo[a].umask & bit:
                        touched[a] = None
                for b in pr.unit_bundles.get(u, ()):
                    if pr.bundle_umasks[b - pr.n_unit_actions].get(u, 0) & bit:
                        touched[b] = None
    for a in touched:
        if not _open_cost(pr, base, a):
            cover(pr, base.covered, a)
    n_unit = pr.n_unit_actions
    for a in range(len(pr.act_cost)):
        if a < n_unit:
            needs, covered = pr.act_needs[a], base.covered[pr.act_unit[a]]
            v = 0.0
            for bit, w in zip(needs.worth_bits, needs.worth_weights, strict=True):
                if not covered & bit:
                    v += w
            pr.act_value[a] = v
        else:
            pr.act_value[a] = pr.bundle_value(a, base.covered)
        pr.act_cost[a] = _open_cost(pr, base, a)
    return base


def _open_cost(pr: IndexedCandidates, base: Base, a: int) -> int:
    """The typical cost of the keys of `a` that are not bought."""
    if a < pr.n_unit_actions:
        bkeys, umasks = pr.act_bkeys[a], {pr.act_unit[a]: pr.act_combo[a].umask}
    else:
        b = a - pr.n_unit_actions
        bkeys, umasks = pr.bundle_bkeys[b], pr.bundle_umasks[b]
    cost = sum(pr.bkey_cost[k] for k in bkeys if not base.bought[k])
    for u, mask in umasks.items():
        cost += sum(pr.bit_cost[bit] for bit in bits_of(mask & ~base.owned[u]))
    return cost


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
    with no_cyclic_gc():
        return _plan(candidates, budget, weights, measures, already_planned, districts, unit_ids)


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while planning (or writing a plan out).

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
    pr = index_candidates(candidates, weights, catalogue, districts, unit_ids)
    base = _planned_base(pr, already_planned)
    act_value, act_cost, inf = pr.act_value, pr.act_cost, math.inf
    neg = [-(v / c) if c else -inf for v, c in zip(act_value, act_cost, strict=True)]
    # Stable: equal ratios stay in action order, as (minus ratio, action) pairs would sort.
    order = sorted(compress(range(len(neg)), [v > 0 for v in act_value]), key=neg.__getitem__)
    run = greedy(pr, base, budget, order, neg, None)
    if max(act_value, default=0.0) > run.total:  # a single action might be worth more
        affordable = [v if c <= budget else 0.0 for v, c in zip(act_value, act_cost, strict=True)]
        best = max(range(len(affordable)), key=affordable.__getitem__)  # the first of equals
        if affordable[best] > run.total:
            run = greedy(pr, base, budget, order, neg, best)
    steps, spent = _steps(pr, run)
    return Plan(
        budget=int(budget),
        spent=spent,
        value=run.total,
        upper_bound=max(_upper_bound(pr, run, base, budget), run.total),
        steps=steps,
        totals=need_totals(pr.units, pr.need_names, base.covered, run.covered, weights),
        method=METHOD,
    )
