"""The planner's candidates flattened to integer-indexed lists, with building bundles."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping

from app.checklists.model import Measure
from app.planning.model import CostRange, UnitCandidate

Weights = Mapping[str, float] | Mapping[tuple[str, str], float]


class Problem:
    """The candidates flattened to integer-indexed lists (the greedy loop's working set)."""

    __slots__ = (
        "act_cost",
        "act_keys",
        "act_option",
        "act_pairs",
        "act_unit",
        "act_value",
        "bundles",
        "key_actions",
        "key_cost",
        "key_price",
        "key_users",
        "keys",
        "pair_need",
        "pair_unit",
        "pair_w",
        "planned",
        "units",
    )

    def __init__(self) -> None:
        self.units: list[UnitCandidate] = []
        self.pair_w: list[float] = []
        self.pair_unit: list[int] = []
        self.pair_need: list[str] = []
        self.act_unit: list[int] = []
        self.act_option: list[int] = []
        self.bundles: dict[int, list[int]] = {}  # bundle action -> its member actions
        self.key_users: list[int] = []  # per key: how many unit actions (not bundles) use it
        self.act_pairs: list[tuple[int, ...]] = []
        self.act_keys: list[tuple[int, ...]] = []
        self.act_value: list[float] = []  # value and cost before anything is planned
        self.act_cost: list[int] = []
        self.keys: list[tuple[str, object, str]] = []  # MeasureKey fields as a plain tuple
        self.key_cost: list[int] = []  # typical
        self.key_price: list[CostRange] = []
        self.key_actions: list[list[int]] = []
        self.planned = bytearray()


def build_problem(
    candidates: Iterable[UnitCandidate],
    weights: Weights,
    catalogue: Mapping[str, Measure],
    districts: Collection[str] | None,
    unit_ids: Collection[object] | None,
) -> Problem:
    """Flatten the candidates that pass the filters; weights are looked up once per pair."""
    pr = Problem()
    keys, key_cost, key_price, key_actions = pr.keys, pr.key_cost, pr.key_price, pr.key_actions
    pair_w, pair_unit, pair_need = pr.pair_w, pr.pair_unit, pr.pair_need
    act_unit, act_option, act_pairs, act_keys = (
        pr.act_unit,
        pr.act_option,
        pr.act_pairs,
        pr.act_keys,
    )
    building_keys: dict[tuple[object, str], int] = {}
    weight_cache: dict[str, dict[str, float]] = {}
    w_get = weights.get
    # Per measure id: (is a building measure, typical cost, cost range), looked up once.
    info = {
        m.id: (
            m.scope == "building",
            m.cost.typical,
            CostRange(m.cost.low, m.cost.typical, m.cost.high),
        )
        for m in catalogue.values()
    }
    act_value, act_cost = pr.act_value, pr.act_cost
    for unit in candidates:
        district = unit.district
        if (districts is not None and district not in districts) or (
            unit_ids is not None and unit.unit_id not in unit_ids
        ):
            continue
        ui = len(pr.units)
        pr.units.append(unit)
        unit_id, building_id, suitable = unit.unit_id, unit.building_id, unit.suitable
        district_weights = weight_cache.get(district)
        if district_weights is None:
            district_weights = weight_cache[district] = {}
        pair_of: dict[str, int] = {}
        unit_keys: dict[str, int] = {}
        for oi, option in enumerate(unit.options):
            pairs = []
            value = 0.0
            for need in option.needs:
                pid = pair_of.get(need)
                if pid is None:
                    if need in suitable:
                        continue
                    w = district_weights.get(need)
                    if w is None:
                        w = w_get((need, district))  # type: ignore[call-overload]
                        if w is None:
                            w = w_get(need, 0.0)  # type: ignore[call-overload]
                        w = district_weights[need] = float(w)
                    pid = pair_of[need] = len(pair_w)
                    pair_w.append(w)
                    pair_unit.append(ui)
                    pair_need.append(need)
                pairs.append(pid)
                value += pair_w[pid]
            ai = len(act_unit)
            kids = []
            cost = 0
            for mid in option.measures:
                found = info.get(mid)
                if found is None:
                    raise ValueError(f"unit {unit_id}: measure {mid!r} is not in the catalogue")
                building, typical, price = found
                kid = building_keys.get((building_id, mid)) if building else unit_keys.get(mid)
                if kid is None:
                    kid = len(keys)
                    if building:
                        building_keys[(building_id, mid)] = kid
                        keys.append(("building", building_id, mid))
                    else:
                        unit_keys[mid] = kid
                        keys.append(("unit", unit_id, mid))
                    key_cost.append(typical)
                    key_price.append(price)
                    key_actions.append([ai])
                else:
                    key_actions[kid].append(ai)
                kids.append(kid)
                cost += typical
            act_unit.append(ui)
            act_option.append(oi)
            act_pairs.append(tuple(pairs))
            act_keys.append(tuple(kids))
            act_value.append(value)
            act_cost.append(cost)
    _add_bundles(pr)
    pr.planned = bytearray(len(keys))
    return pr


def _add_bundles(pr: Problem) -> None:
    """Add one bundle action per building key shared by several unit actions.

    Alone, each unit's action carries the whole cost of a building measure, so a lift that
    would serve twelve units loses to cheaper unit measures. A bundle is the shared key with
    the unit actions that use it, the best-value-per-krone prefix of them (ordered by value
    per krone of what each adds beyond the shared key); taking it takes its members.
    """
    act_value, act_cost, act_keys, act_pairs = pr.act_value, pr.act_cost, pr.act_keys, pr.act_pairs
    pr.key_users = [len(users) for users in pr.key_actions]
    for kid in range(len(pr.keys)):
        users = pr.key_actions[kid]
        if len(users) < 2 or pr.keys[kid][0] != "building":
            continue
        shared = pr.key_cost[kid]
        ranked = sorted(
            users,
            key=lambda a: (
                -act_value[a] / (act_cost[a] - shared) if act_cost[a] > shared else -math.inf
            ),
        )
        best_len, best_ratio, value, cost = 0, -1.0, 0.0, shared
        for n, a in enumerate(ranked, start=1):
            value += act_value[a]
            cost += act_cost[a] - shared
            ratio = value / cost if cost else math.inf
            if ratio > best_ratio:
                best_len, best_ratio = n, ratio
        members = ranked[:best_len]
        if len(members) < 2:
            continue
        bundle = len(pr.act_unit)
        keys = tuple(dict.fromkeys(k for a in members for k in act_keys[a]))
        pairs = tuple(dict.fromkeys(p for a in members for p in act_pairs[a]))
        pr.bundles[bundle] = members
        pr.act_unit.append(-1)
        pr.act_option.append(-1)
        pr.act_pairs.append(pairs)
        pr.act_keys.append(keys)
        act_value.append(sum(pr.pair_w[p] for p in pairs))
        act_cost.append(sum(pr.key_cost[k] for k in keys))
        for k in keys:
            pr.key_actions[k].append(bundle)
