"""The planner's candidates flattened to integer-indexed lists, with building bundles.

Actions are numbered unit by unit (unit u's actions are `unit_first[u]` up to
`unit_first[u + 1]`), bundles after all unit actions (from `n_unit_actions` on). A unit's
pairs and unit measures are bits: need i is bit 1 << i of the unit's masks, unit measure j
(its index in the catalogue) bit 1 << j, so what is suitable or bought in a unit is one
integer. Building measures are keys shared by the building's units, numbered in the order
they are first met. The many units whose options look alike share the per-option records
(`Needs`, `Combo`), so flattening a national stock allocates little per unit.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Collection, Iterable, Mapping
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from app.checklists.definitions import Measure
from app.planning.records import UnitCandidate

Weights = Mapping[str, float] | Mapping[tuple[str, str], float]
# A bundle's pairs in one unit: unit, need mask, and the bits and weights of those that weigh
# something (as `Needs.worth_bits`, `Needs.worth_weights`).
Segment = tuple[int, int, tuple[int, ...], tuple[float, ...]]


class Needs:
    """The needs an option makes suitable in a district: names, bits, weights and their sum.

    `worth` (a mask), `worth_bits` and `worth_weights` are the needs that weigh something: a
    value sums only those (adding a zero weight never changes a float sum), and only making
    them suitable lowers other actions' values.
    """

    __slots__ = ("bits", "mask", "names", "value", "worth", "worth_bits", "worth_weights")

    def __init__(self, names: tuple[str, ...], bits: tuple[int, ...], weights: tuple[float, ...]):
        self.names, self.bits = names, bits
        self.mask = self.worth = 0
        worth_bits, worth_weights = [], []
        value = 0.0
        for bit, w in zip(bits, weights, strict=True):
            self.mask |= bit
            if w:
                self.worth |= bit
                worth_bits.append(bit)
                worth_weights.append(w)
                value += w
        self.worth_bits, self.worth_weights = tuple(worth_bits), tuple(worth_weights)
        self.value = value


class Combo:
    """One combination of measures (an option's `measures`, each once), in the option's order.

    Per measure: `bits` is its unit-measure bit, 0 for a building measure; `slots` its
    index in the catalogue for a unit measure, -1 for a building measure; `typicals` its
    typical cost. With at most one building measure, and that one last (`building_last`),
    `head` is the unit measures' typical costs summed as floats: the upper bound's cost of
    the option then is `head` plus the building measure's share.
    """

    __slots__ = (
        "bits",
        "building_last",
        "cost",
        "has_building",
        "head",
        "measures",
        "slots",
        "typicals",
        "umask",
        "unit_slots",
    )

    def __init__(self, measures: tuple[Measure, ...], index: Mapping[str, int]):
        self.measures = measures
        slots, bits, typicals = [], [], []
        umask, head = 0, 0.0
        for m in measures:
            typical = m.cost.typical
            typicals.append(typical)
            if m.scope == "building":
                slots.append(-1)
                bits.append(0)
            else:
                j = index[m.id]
                slots.append(j)
                bits.append(1 << j)
                umask |= 1 << j
                head += float(typical)
        self.slots, self.bits, self.typicals = tuple(slots), tuple(bits), tuple(typicals)
        self.unit_slots = tuple(j for j in slots if j >= 0)
        self.has_building = -1 in slots
        self.building_last = -1 not in slots[:-1]
        self.cost = sum(typicals)
        self.umask, self.head = umask, head


class IndexedCandidates:
    """The candidates flattened to integer-indexed lists (the greedy loop's working set)."""

    __slots__ = (
        "act_bkeys",
        "act_combo",
        "act_cost",
        "act_needs",
        "act_unit",
        "act_value",
        "bit_cost",
        "bkey_actions",
        "bkey_cost",
        "bkey_measure",
        "bkey_owner",
        "bkey_users",
        "bundle_bkeys",
        "bundle_segments",
        "bundle_umasks",
        "bundles",
        "measures",
        "n_unit_actions",
        "need_names",
        "unit_bundles",
        "unit_first",
        "unit_overlap",
        "unit_users",
        "units",
    )

    def __init__(self, measures: list[Measure]) -> None:
        self.measures = measures  # unit measure j is bit 1 << j
        self.bit_cost = {1 << j: m.cost.typical for j, m in enumerate(measures)}
        self.need_names: list[str] = []  # need i is bit 1 << i
        self.units: list[UnitCandidate] = []
        self.unit_first: list[int] = [0]  # per unit: its first action; one more at the end
        self.unit_overlap = bytearray()  # per unit: 1 when two options share a unit measure
        self.unit_users: dict[int, dict[int, int]] = {}  # those units: per bit, how many use it
        self.act_needs: list[Needs] = []
        self.act_combo: list[Combo] = []
        self.act_bkeys: list[tuple[int, ...]] = []  # building keys, in the combo's order
        self.act_unit: list[int] = []  # -1 for a bundle
        self.act_value: list[float] = []  # value and cost before anything is planned
        self.act_cost: list[int] = []
        self.n_unit_actions = 0
        self.bkey_measure: list[Measure] = []
        self.bkey_owner: list[object] = []  # building id
        self.bkey_cost: list[int] = []  # typical
        self.bkey_users: list[int] = []  # per key: how many unit actions (not bundles) use it
        self.bkey_actions: list[list[int]] = []  # per key: the actions using it, bundles last
        # Per bundle (index: action - n_unit_actions): member actions (best first), the pairs
        # as `Segment`s, the building keys and, per unit, the unit measures (bits) it contains.
        self.bundles: list[list[int]] = []
        self.bundle_segments: list[list[Segment]] = []
        self.bundle_bkeys: list[tuple[int, ...]] = []
        self.bundle_umasks: list[dict[int, int]] = []
        self.unit_bundles: dict[int, list[int]] = {}  # unit -> the bundles with its pairs

    def bundle_value(self, b: int, covered: list[int]) -> float:
        """The weights of the bundle's pairs not yet suitable, summed in the bundle's order."""
        v = 0.0
        for u, _, bits, weights in self.bundle_segments[b - self.n_unit_actions]:
            suitable = covered[u]
            for bit, w in zip(bits, weights, strict=True):
                if not suitable & bit:
                    v += w
        return v


def index_candidates(
    candidates: Iterable[UnitCandidate],
    weights: Weights,
    catalogue: Mapping[str, Measure],
    districts: Collection[str] | None,
    unit_ids: Collection[object] | None,
) -> IndexedCandidates:
    """Flatten the candidates that pass the filters; weights are looked up once per need."""
    pr = IndexedCandidates(list(catalogue.values()))
    index = {m.id: j for j, m in enumerate(pr.measures)}
    units, unit_first, overlap = pr.units, pr.unit_first, pr.unit_overlap
    act_needs, act_combo, act_bkeys = pr.act_needs, pr.act_combo, pr.act_bkeys
    bkey_actions = pr.bkey_actions
    building_keys: dict[object, dict[str, int]] = {}  # building id -> measure id -> key
    combos: dict[tuple[str, ...], Combo] = {}
    needs_of: dict[str, dict[tuple[str, ...], Needs]] = {}  # per district
    need_bit = _Lookup(lambda need: 1 << len(need_bit))
    weights_in = _Lookup(lambda district: _weights_in(district, weights))
    if districts is not None or unit_ids is not None:
        candidates = (
            unit
            for unit in candidates
            if (districts is None or unit.district in districts)
            and (unit_ids is None or unit.unit_id in unit_ids)
        )
    # Bound once: the loop below runs once per option of a national stock.
    add_needs, add_combo, add_bkeys, find_combo = (
        act_needs.append,
        act_combo.append,
        act_bkeys.append,
        combos.get,
    )
    n_actions = 0
    for unit in candidates:
        units.append(unit)
        suitable, district = unit.suitable, unit.district
        district_needs = needs_of.get(district)
        if district_needs is None:
            district_needs = needs_of[district] = {}
        find_needs = district_needs.get
        keys = None
        seen = 0
        shared = False
        for option in unit.options:
            names = option.needs
            if suitable and not suitable.isdisjoint(names):
                names = tuple(n for n in names if n not in suitable)
            needs = find_needs(names)
            if needs is None:
                needs = district_needs[names] = _needs(names, need_bit, weights_in[district])
            combo = find_combo(option.measures)
            if combo is None:
                combo = combos[option.measures] = _combo(option.measures, catalogue, index, unit)
            add_needs(needs)
            add_combo(combo)
            umask = combo.umask
            if seen & umask:
                shared = True
            seen |= umask
            if combo.has_building:
                if keys is None:
                    keys = building_keys.get(unit.building_id)
                    if keys is None:
                        keys = building_keys[unit.building_id] = {}
                kids = []
                for m, bit in zip(combo.measures, combo.bits, strict=True):
                    if not bit:
                        kid = keys.get(m.id)
                        if kid is None:
                            kid = keys[m.id] = len(bkey_actions)
                            pr.bkey_measure.append(m)
                            pr.bkey_owner.append(unit.building_id)
                            bkey_actions.append([n_actions])
                        else:
                            bkey_actions[kid].append(n_actions)
                        kids.append(kid)
                add_bkeys(tuple(kids))
            else:
                add_bkeys(())
            n_actions += 1
        if shared:
            users: dict[int, int] = {}
            for combo in act_combo[unit_first[-1] :]:
                for bit in combo.bits:
                    if bit:
                        users[bit] = users.get(bit, 0) + 1
            pr.unit_users[len(units) - 1] = users
        overlap.append(shared)
        unit_first.append(n_actions)
    pr.need_names = sorted(need_bit, key=need_bit.__getitem__)
    per_unit = map(operator.sub, unit_first[1:], unit_first)
    pr.act_unit = list(chain.from_iterable(map(repeat, range(len(units)), per_unit)))
    pr.act_value = list(map(attrgetter("value"), act_needs))
    pr.act_cost = list(map(attrgetter("cost"), act_combo))
    pr.bkey_cost = [m.cost.typical for m in pr.bkey_measure]
    pr.bkey_users = list(map(len, bkey_actions))
    pr.n_unit_actions = n_actions
    _add_bundles(pr)
    return pr


class _Lookup(dict):
    """A dict that fills in a missing key with `make(key)`, so `map` can look keys up."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


def _weights_in(district: str, weights: Weights) -> _Lookup:
    """A district's weight per need: the (need, district) weight, else the need's, else 0."""

    def weight(need: str) -> float:
        w = weights.get((need, district))  # type: ignore[call-overload]
        return float(weights.get(need, 0.0) if w is None else w)  # type: ignore[call-overload]

    return _Lookup(weight)


def _needs(names: tuple[str, ...], need_bit: _Lookup, weight: _Lookup) -> Needs:
    names = tuple(dict.fromkeys(names))  # a need named twice is one pair
    return Needs(
        names, tuple(map(need_bit.__getitem__, names)), tuple(map(weight.__getitem__, names))
    )


def _combo(
    measures: tuple[str, ...],
    catalogue: Mapping[str, Measure],
    index: Mapping[str, int],
    unit: UnitCandidate,
) -> Combo:
    unknown = [mid for mid in measures if mid not in catalogue]
    if unknown:
        raise ValueError(f"unit {unit.unit_id}: measure {unknown[0]!r} is not in the catalogue")
    # A measure named twice is one key, bought once.
    return Combo(tuple(catalogue[mid] for mid in dict.fromkeys(measures)), index)


def bits_of(mask: int) -> list[int]:
    """The bits set in `mask`, lowest first."""
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low)
        mask ^= low
    return bits


def _add_bundles(pr: IndexedCandidates) -> None:
    """Add one bundle action per building key shared by several unit actions.

    Alone, each unit's action carries the whole cost of a building measure, so a lift that
    would serve twelve units loses to cheaper unit measures. A bundle is the shared key with
    the unit actions that use it, the best-value-per-krone prefix of them (ordered by value
    per krone of what each adds beyond the shared key); taking it takes its members. Keys
    are looked at in the order of their ids; a bundle made earlier is one of the users of
    every later key it contains, so it can be a member of a later bundle.
    """
    act_value, act_cost, bkey_actions = pr.act_value, pr.act_cost, pr.bkey_actions
    act_unit, act_combo, act_needs, act_bkeys = (
        pr.act_unit,
        pr.act_combo,
        pr.act_needs,
        pr.act_bkeys,
    )
    bkey_cost, unit_bundles = pr.bkey_cost, pr.unit_bundles
    bundles, bundle_segments, bundle_bkeys, bundle_umasks = (
        pr.bundles,
        pr.bundle_segments,
        pr.bundle_bkeys,
        pr.bundle_umasks,
    )
    n_unit, bit_cost, inf = pr.n_unit_actions, pr.bit_cost, math.inf
    for kid in range(len(bkey_actions)):
        users = bkey_actions[kid]
        if len(users) < 2:
            continue
        shared = bkey_cost[kid]
        ranked = sorted(
            users,
            key=lambda a: -act_value[a] / (act_cost[a] - shared) if act_cost[a] > shared else -inf,
        )
        best_len, best_ratio, value, cost = 0, -1.0, 0.0, shared
        for n, a in enumerate(ranked, start=1):
            value += act_value[a]
            cost += act_cost[a] - shared
            ratio = value / cost if cost else inf
            if ratio > best_ratio:
                best_len, best_ratio = n, ratio
        if best_len < 2:
            continue
        members = ranked[:best_len]
        bkeys: list[int] = []
        umasks: dict[int, int] = {}
        segments: list[Segment] = []
        for a in members:
            if a < n_unit:
                u = act_unit[a]
                bkeys.extend(act_bkeys[a])
                umasks[u] = umasks.get(u, 0) | act_combo[a].umask
                needs = act_needs[a]
                segments.append((u, needs.mask, needs.worth_bits, needs.worth_weights))
            else:
                b = a - n_unit
                bkeys.extend(bundle_bkeys[b])
                for u, mask in bundle_umasks[b].items():
                    umasks[u] = umasks.get(u, 0) | mask
                segments.extend(bundle_segments[b])
        units = {segment[0] for segment in segments}
        if len(units) < len(segments):
            segments = _distinct_pairs(segments)
        bundle = len(act_value)
        keys = tuple(dict.fromkeys(bkeys))
        bundles.append(members)
        bundle_segments.append(segments)
        bundle_bkeys.append(keys)
        bundle_umasks.append(umasks)
        act_unit.append(-1)
        bundle_value = 0.0
        for segment in segments:
            for w in segment[3]:
                bundle_value += w
        act_value.append(bundle_value)
        bundle_cost = 0
        for k in keys:
            bundle_cost += bkey_cost[k]
            bkey_actions[k].append(bundle)
        for mask in umasks.values():
            for bit in bits_of(mask):
                bundle_cost += bit_cost[bit]
        act_cost.append(bundle_cost)
        for u in units:  # a member's unit measures are in its unit, which has a segment
            unit_bundles.setdefault(u, []).append(bundle)


def _distinct_pairs(segments: list[Segment]) -> list[Segment]:
    """The segments without the pairs an earlier segment of the same unit has."""
    seen: dict[int, int] = {}
    out = []
    for segment in segments:
        u, mask, bits, weights = segment
        done = seen.get(u, 0)
        seen[u] = done | mask
        if not done & mask:
            out.append(segment)
            continue
        kept = [(bit, w) for bit, w in zip(bits, weights, strict=True) if not done & bit]
        out.append((u, mask & ~done, tuple(b for b, _ in kept), tuple(w for _, w in kept)))
    return out
