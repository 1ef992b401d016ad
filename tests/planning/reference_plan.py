"""The portfolio method stated plainly, for comparison with the fast planner in tests.

Everything is summed again whenever it is looked at, and every step scans every action: slow,
but short enough to check by reading against docs/planning.md. Same inputs, same order of
float additions, so a correct planner agrees with it exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.checklists.definitions import MeasureCatalogue
from app.planning import MeasureKey, UnitCandidate


@dataclass
class Action:
    keys: tuple[MeasureKey, ...]  # in the option's order
    pairs: tuple[tuple[object, str], ...]  # (unit id, need), in the option's order
    unit: UnitCandidate | None = None  # None for a bundle
    members: list[int] = field(default_factory=list)


@dataclass
class Result:
    steps: list[tuple]  # (unit id, keys bought, keys reused, needs made suitable, value)
    value: float
    upper_bound: float
    after: set[tuple[object, str]]  # pairs suitable with the plan


def plan(
    units: list[UnitCandidate],
    budget: float,
    weights: dict,
    catalogue: MeasureCatalogue,
    planned: frozenset[MeasureKey] = frozenset(),
) -> Result:
    measures = {m.id: m for m in catalogue.measures}

    def weight(unit, need) -> float:
        w = weights.get((need, unit.district))
        return float(weights.get(need, 0.0) if w is None else w)

    actions: list[Action] = []
    w: dict[tuple[object, str], float] = {}
    for unit in units:
        for option in unit.options:
            keys = tuple(
                MeasureKey(
                    m.scope, unit.building_id if m.scope == "building" else unit.unit_id, m.id
                )
                for m in (measures[mid] for mid in dict.fromkeys(option.measures))
            )
            needs = [n for n in dict.fromkeys(option.needs) if n not in unit.suitable]
            for n in needs:
                w[(unit.unit_id, n)] = weight(unit, n)
            actions.append(Action(keys, tuple((unit.unit_id, n) for n in needs), unit))
    key_cost = {k: measures[k.measure_id].cost.typical for a in actions for k in a.keys}
    users = {k: sum(k in a.keys for a in actions) for k in key_cost}

    def value(a: Action, covered) -> float:
        v = 0.0
        for p in a.pairs:
            if p not in covered:
                v += w[p]
        return v

    def cost(a: Action, bought) -> int:
        return sum(key_cost[k] for k in a.keys if k not in bought)

    _add_bundles(actions, key_cost, lambda a: value(a, ()), lambda a: cost(a, ()))
    base = {p for a in actions if a.keys and set(a.keys) <= planned for p in a.pairs}

    def run(seed: int | None):
        bought, covered = set(planned), set(base)
        taken: set[int] = set()
        dropped: set[int] = set()
        state = {"remaining": budget, "total": 0.0}
        steps: list[tuple] = []

        def take(i: int) -> None:
            a = actions[i]
            taken.add(i)
            if a.unit is None:
                for m in a.members:
                    if m not in taken and value(actions[m], covered) > 0:
                        take(m)
                return
            v, c = value(a, covered), cost(a, bought)
            new = [k for k in a.keys if k not in bought]
            newly = [p[1] for p in a.pairs if p not in covered]
            steps.append((a.unit.unit_id, new, [k for k in a.keys if k in bought], newly, v))
            bought.update(a.keys)
            covered.update(a.pairs)
            state["remaining"] -= c
            state["total"] += v
            dropped.difference_update(j for j, b in enumerate(actions) if set(b.keys) & set(new))

        def settle() -> None:
            """An action whose keys are all bought but is worth nothing makes its pairs
            suitable (they count in the totals)."""
            for j, b in enumerate(actions):
                if j not in taken and not cost(b, bought) and value(b, covered) <= 0:
                    covered.update(b.pairs)
                    taken.add(j)

        if seed is not None:
            take(seed)
            settle()
        while True:
            best, best_ratio = None, -1.0
            for j, b in enumerate(actions):
                if j in taken or j in dropped:
                    continue
                v, c = value(b, covered), cost(b, bought)
                ratio = v / c if c else math.inf
                if v > 0 and ratio > best_ratio:
                    best, best_ratio = j, ratio
            if best is None:
                break
            if cost(actions[best], bought) > state["remaining"]:
                dropped.add(best)
                continue
            take(best)
            settle()
        return steps, state["total"], covered, taken

    singles = [
        (value(a, base), -i)
        for i, a in enumerate(actions)
        if value(a, base) > 0 and cost(a, planned) <= budget
    ]
    steps, total, covered, taken = run(None)
    if singles and max(singles)[0] > total:
        steps, total, covered, taken = run(-max(singles)[1])
    share = {k: 0.0 if k in planned else c / users[k] for k, c in key_cost.items()}
    items, free = [], 0.0
    for j, a in enumerate(actions):
        gain = value(a, covered)
        if a.unit is None or j in taken or gain <= 0:
            continue
        c = 0.0
        for k in a.keys:
            c += share[k]
        if c <= 0:
            free += gain
        else:
            items.append((gain / c, c))
    extra, room = free, float(budget)
    for ratio, c in sorted(items, reverse=True):
        if room <= 0:
            break
        extra += ratio * min(c, room)
        room -= min(c, room)
    return Result(steps, total, max(total + extra, total), covered)


def _add_bundles(actions: list[Action], key_cost: dict, value, cost) -> None:
    """A bundle per building key used by several actions (docs/planning.md), in key order."""
    keys = list(dict.fromkeys(k for a in actions for k in a.keys if k.scope == "building"))
    for key in keys:
        users = [i for i, a in enumerate(actions) if key in a.keys]
        if len(users) < 2:
            continue
        shared = key_cost[key]

        def per_krone(i: int, shared: int = shared) -> float:
            v, c = value(actions[i]), cost(actions[i])
            return -v / (c - shared) if c > shared else -math.inf

        ranked = sorted(users, key=per_krone)
        best_len, best_ratio, v, c = 0, -1.0, 0.0, shared
        for n, i in enumerate(ranked, start=1):
            v += value(actions[i])
            c += cost(actions[i]) - shared
            if (v / c if c else math.inf) > best_ratio:
                best_len, best_ratio = n, v / c if c else math.inf
        if best_len < 2:
            continue
        members = ranked[:best_len]
        bundle_keys = tuple(dict.fromkeys(k for i in members for k in actions[i].keys))
        pairs = tuple(dict.fromkeys(p for i in members for p in actions[i].pairs))
        actions.append(Action(bundle_keys, pairs, None, members))
