"""Per-unit upgrade options: the cheapest set of feasible measures that makes a unit suitable.

Exact search (branch and bound) over the feasible measures that remove at least one of the
target's barriers, with the scoring engine's `classes_after` as the oracle, so the answer
follows the scoring rules exactly. It relies on one invariant of the scoring model: removing a
barrier never worsens a class (checked by the scoring property tests), hence "suitable" is
upward closed in the set of removed items and the search can prune with it:
- a branch whose measures, together with every measure still undecided, cannot reach suitable
  is cut;
- an item is necessary when removing everything else is not enough; every solution contains
  a measure for it, which gives a lower bound (the cheapest undecided measure for it);
- a measure whose removals are a subset of a no-dearer measure's is dominated and dropped.
Costs are the catalogue's typical costs; low and high are summed alongside.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from app.checklists.definitions import Measure
from app.errors import Unprocessable
from app.planning.records import (
    BlockedItem,
    CostRange,
    Unreachable,
    UnreachableReason,
    UpgradeOption,
    annual_cost_of,
    cost_of,
    flights_of,
    total_cost,
)
from app.scoring import ItemAnswer, LimitationResult, Prepared, ProfileResult, Result, score
from app.scoring import classes_after as _classes_after
from app.scoring.table import BLOCKING

_EMPTY: Mapping[str, Any] = {}
_BY_ID = attrgetter("measure.id")


@dataclass(frozen=True, slots=True)
class _Candidate:
    measure: Measure
    removes: frozenset[str]  # the target's barriers it removes
    cost: int


class _Oracle:
    """Memoised classes after removing items (on top of the paid measures' removals)."""

    def __init__(self, prepared, answers, facts, feasibility, extra_profiles, base_removed):
        self._args = (prepared, answers, facts, feasibility)
        self.facts = facts
        self._extra = extra_profiles
        self._base = base_removed
        self._memo: dict[frozenset[str], dict[str, str]] = {}

    def rescore(self, removed: frozenset[str], explain: bool = False) -> Result:
        """A full score with these items removed (the final score of an option)."""
        prepared, answers, facts, feasibility = self._args
        return score(
            prepared, answers, facts, feasibility, self._extra, self._base | removed, explain
        )

    def classes(self, removed: frozenset[str]) -> dict[str, str]:
        hit = self._memo.get(removed)
        if hit is None:
            hit = self._memo[removed] = _classes_after(
                *self._args, self._base | removed, self._extra
            )
        return hit


def _target_result(result: Result, key: str) -> LimitationResult | ProfileResult | None:
    if key == "general":
        return result.general
    return result.limitations.get(key) or result.profiles.get(key)


def _search(
    candidates: list[_Candidate], ok: Callable[[frozenset[str]], bool], necessary: set[str]
) -> list[_Candidate] | None:
    """Cheapest subset of `candidates` whose removals satisfy `ok` (None if none does)."""
    # Dearest first: deciding the expensive measures early makes the bounds bite soonest.
    cands = sorted(candidates, key=lambda c: (-c.cost, c.measure.id))
    n = len(cands)
    suffix = [frozenset[str]()] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] | cands[i].removes
    # For a necessary item: (cost, index) of the candidates removing it, cheapest last.
    covering = {
        item: [(c.cost, i) for i, c in enumerate(cands) if item in c.removes] for item in necessary
    }
    best_cost = math.inf
    best: list[_Candidate] | None = None

    # Greedy start: cheapest per newly removed item until suitable gives a first upper bound.
    chosen: list[_Candidate] = []
    covered: frozenset[str] = frozenset()
    pool = list(cands)
    while pool and not ok(covered):
        pick = min(pool, key=lambda c: c.cost / max(len(c.removes - covered), 1e-9))
        pool.remove(pick)
        if pick.removes - covered:
            chosen.append(pick)
            covered |= pick.removes
    if ok(covered):
        # Drop measures that turn out redundant, dearest first.
        for c in sorted(chosen, key=lambda c: -c.cost):
            rest = [d for d in chosen if d is not c]
            if ok(frozenset().union(*(d.removes for d in rest))):
                chosen = rest
        best, best_cost = chosen, sum(c.cost for c in chosen)

    def lower_bound(i: int, covered: frozenset[str]) -> float:
        bound = 0.0
        for item in necessary:
            if item in covered:
                continue
            cheapest = min((cost for cost, j in covering[item] if j >= i), default=math.inf)
            bound = max(bound, cheapest)
        return bound

    def dfs(i: int, covered: frozenset[str], cost: int, picked: list[_Candidate]) -> None:
        nonlocal best, best_cost
        if cost >= best_cost:
            return
        if ok(covered):
            best, best_cost = list(picked), cost
            return
        if i == n or cost + lower_bound(i, covered) >= best_cost:
            return
        if not ok(covered | suffix[i]):
            return
        cand = cands[i]
        if not cand.removes <= covered:
            picked.append(cand)
            dfs(i + 1, covered | cand.removes, cost + cand.cost, picked)
            picked.pop()
        dfs(i + 1, covered, cost, picked)

    dfs(0, frozenset(), 0, [])
    return best


def _undominated(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop a candidate when another removes a superset for no more money."""
    kept = []
    for c in candidates:
        dominated = any(
            d is not c
            and c.removes <= d.removes
            and (d.cost, len(c.removes), d.measure.id) < (c.cost, len(d.removes), c.measure.id)
            for d in candidates
        )
        if not dominated:
            kept.append(c)
    return kept


def _listed(texts: list[str], most: int = 5) -> str:
    shown = "; ".join(texts[:most])
    return shown + (f" og {len(texts) - most} til" if len(texts) > most else "")


def _unreachable_detail(reason: str, blocked, unanswered, questions, catalogue) -> str:
    """The user's explanation, in Norwegian, naming questions and measures (not ids)."""
    if reason == "unknown":
        return (
            "Egnetheten er ikke vurdert fordi punkter mangler svar: "
            + _listed([questions.get(item, item) for item in unanswered])
            + ". Ingen tiltak kan erstatte manglende opplysninger; fullfør befaringen først."
        )
    parts = [
        f"«{questions.get(b.item_id, b.item_id)}» (tiltak vurdert som ikke gjennomførbart: "
        + ", ".join(catalogue[m].name.nb if m in catalogue else m for m in b.infeasible)
        + ")"
        if b.infeasible
        else f"«{questions.get(b.item_id, b.item_id)}» (ingen tiltak i tiltakskatalogen)"
        for b in blocked
    ]
    return "Ingen gjennomførbare tiltak fjerner disse barrierene: " + _listed(parts) + "."


def _one(
    key: str,
    result: Result,
    classes: dict[str, str],
    oracle: _Oracle,
    catalogue: Mapping[str, Measure],
    paid: frozenset[str],
) -> UpgradeOption | Unreachable:
    """The cheapest upgrade for one key, or why there is none."""
    target = _target_result(result, key)
    assert target is not None
    before = classes[key]
    if before == "suitable":
        return UpgradeOption(key, before, target.score, target.score, (), (), (), CostRange(), ())
    if before == "unknown":  # coverage: removing barriers cannot answer the missing items
        unanswered = tuple(u.item_id for u in target.unanswered)
        questions = {u.item_id: u.question.nb for u in target.unanswered}
        detail = _unreachable_detail("unknown", (), unanswered, questions, catalogue)
        return Unreachable(key, before, "unknown", (), unanswered, detail)
    barrier_ids = frozenset(b.item_id for b in target.barriers)
    # What each measure can remove here: the barriers that list it (a measure's `limits`
    # keep it from barriers beyond its reach, such as a ramp for a full storey of steps).
    reach: dict[str, set[str]] = {}
    for barrier in result.barriers:
        for option in barrier.measures:
            reach.setdefault(option.id, set()).add(barrier.item_id)
    severity = {b.item_id: b.severity for b in target.barriers}
    usable: dict[str, Measure] = {}
    blocked: list[BlockedItem] = []
    for barrier in target.barriers:
        # MeasureOption.feasible already applies this unit's feasibility overrides.
        feasible = [o.id for o in barrier.measures if o.feasible and o.id not in paid]
        usable.update((mid, catalogue[mid]) for mid in feasible)
        if not feasible:
            ruled_out = tuple(o.id for o in barrier.measures if not o.feasible)
            blocked.append(BlockedItem(barrier.item_id, ruled_out))
    flights = flights_of(oracle.facts)
    candidates = [
        _Candidate(m, frozenset(reach.get(m.id, ())) & barrier_ids, cost_of(m, flights).typical)
        for m in usable.values()
    ]
    removable = frozenset().union(*(c.removes for c in candidates))

    def ok(removed: frozenset[str]) -> bool:
        return oracle.classes(removed)[key] == "suitable"

    if not ok(removable):
        # Name the blocking barriers left when there are some: they alone decide the class.
        worst = [b for b in blocked if severity[b.item_id] >= BLOCKING]
        blocked = worst or blocked
        reason: UnreachableReason = (
            "infeasible" if any(b.infeasible for b in blocked) else "no_measure"
        )
        questions = {b.item_id: b.question.nb for b in target.barriers}
        detail = _unreachable_detail(reason, blocked, (), questions, catalogue)
        return Unreachable(key, before, reason, tuple(blocked), (), detail)
    necessary = {item for item in removable if not ok(removable - {item})}
    chosen = sorted(_search(_undominated(candidates), ok, necessary) or [], key=_BY_ID)
    # The measures remove every item they list, not only the target's barriers: the side
    # effects (also_suitable) follow from all of it.
    removed = frozenset(item for c in chosen for item in reach.get(c.measure.id, ()))
    after = oracle.classes(removed)
    also = tuple(
        k for k, cls in after.items() if k != key and cls == "suitable" and classes[k] != cls
    )
    rescored = _target_result(oracle.rescore(removed), key)
    assert rescored is not None
    return UpgradeOption(
        target=key,
        class_before=before,
        score_before=target.score,
        score_after=rescored.score,
        measures=tuple(c.measure.id for c in chosen),
        scopes=tuple(c.measure.scope for c in chosen),
        removes=tuple(sorted(removed)),
        cost=total_cost(cost_of(c.measure, flights) for c in chosen),
        also_suitable=also,
        annual_cost=total_cost(annual_cost_of(c.measure) for c in chosen),
    )


def upgrade_options(
    prepared: Prepared,
    answers: Mapping[str, ItemAnswer],
    facts: Mapping[str, Any] = _EMPTY,
    feasibility: Mapping[str, bool] = _EMPTY,
    keys: Collection[str] | None = None,
    extra_profiles: Mapping[str, Mapping[str, float]] | None = None,
    paid_measures: Collection[str] = frozenset(),
) -> dict[str, UpgradeOption | Unreachable]:
    """Cheapest upgrade per key (default: every limitation, profile and "general").

    One call for all keys shares the scoring work; this is what to precompute per unit.
    `feasibility` is the unit's effective {measure_id: feasible}; `paid_measures` are measure
    ids already bought or planned for this unit (their removals count, at no cost).
    """
    extra = extra_profiles or _EMPTY
    catalogue = {m.id: m for m in prepared.measures.measures}
    unknown_paid = [mid for mid in paid_measures if mid not in catalogue]
    if unknown_paid:
        raise Unprocessable(
            "Ukjente tiltak", errors={"measures": [f"Ukjent tiltak: {m}" for m in unknown_paid]}
        )
    paid = frozenset(
        mid for mid in paid_measures if feasibility.get(mid, catalogue[mid].feasible_by_default)
    )
    base = frozenset(item for mid in paid for item in catalogue[mid].removes)
    oracle = _Oracle(prepared, answers, facts, feasibility, extra, base)
    result = oracle.rescore(frozenset(), explain=True)
    classes = oracle.classes(frozenset())
    wanted = list(classes) if keys is None else list(keys)
    missing = [k for k in wanted if k not in classes]
    if missing:
        raise Unprocessable(
            "Ukjent behov eller profil",
            errors={"profile": [f"Ukjent behov eller profil: {k}" for k in missing]},
        )
    return {k: _one(k, result, classes, oracle, catalogue, paid) for k in wanted}


def cheapest_upgrade(
    prepared: Prepared,
    answers: Mapping[str, ItemAnswer],
    facts: Mapping[str, Any],
    feasibility: Mapping[str, bool],
    target_key: str,
    extra_profiles: Mapping[str, Mapping[str, float]] | None = None,
    paid_measures: Collection[str] = frozenset(),
) -> UpgradeOption | Unreachable:
    """The cheapest set of feasible measures that makes the unit suitable for `target_key`.

    `target_key` is a limitation, a profile (age group or an `extra_profiles` key) or
    "general"; raises Unprocessable for an unknown key.
    """
    options = upgrade_options(
        prepared, answers, facts, feasibility, (target_key,), extra_profiles, paid_measures
    )
    return options[target_key]
