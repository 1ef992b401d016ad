"""Totals of a portfolio plan: suitable units per need and district, today, baseline and after."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from app.planning.model import NeedTotal, UnitCandidate


def _spread(counts: Counter[tuple[str, str]], need: str, units: Mapping[str, int]) -> float:
    """Max minus min share of suitable units across the districts (0 with one district)."""
    shares = [counts[(need, d)] / n for d, n in units.items() if n]
    return max(shares) - min(shares) if len(shares) > 1 else 0.0


def need_totals(
    units: Sequence[UnitCandidate],
    pair_unit: Sequence[int],
    pair_need: Sequence[str],
    baseline: bytearray,
    after: bytearray,
    weights: Mapping,
) -> tuple[NeedTotal, ...]:
    """Overall rows per need (with the district spread) first, then one row per need and district.

    `baseline` and `after` flag the (unit, need) pairs suitable with the already planned
    measures and with the plan; every need seen in the units or the weights gets rows.
    """
    per_district: Counter[str] = Counter()
    # Many units share a district and the same set of suitable needs: count the sets.
    sets: Counter[tuple[str, frozenset[str]]] = Counter()
    for unit in units:
        per_district[unit.district] += 1
        sets[(unit.district, unit.suitable)] += 1
    current: Counter[tuple[str, str]] = Counter()
    needs: set[str] = set(pair_need)
    for (district, suitable), n in sets.items():
        for need in suitable:
            current[(need, district)] += n
        needs |= suitable
    needs.update(k[0] if isinstance(k, tuple) else k for k in weights)
    base, aft = Counter(current), Counter(current)
    for p, flag in enumerate(after):
        if flag:
            key = (pair_need[p], units[pair_unit[p]].district)
            aft[key] += 1
            if baseline[p]:
                base[key] += 1
    districts = sorted(per_district)
    total_units = len(units)
    rows = [
        NeedTotal(
            need=need,
            district=None,
            units=total_units,
            current=sum(current[(need, d)] for d in districts),
            baseline=sum(base[(need, d)] for d in districts),
            after=sum(aft[(need, d)] for d in districts),
            spread_baseline=_spread(base, need, per_district),
            spread_after=_spread(aft, need, per_district),
        )
        for need in sorted(needs)
    ]
    rows.extend(
        NeedTotal(need, d, per_district[d], current[(need, d)], base[(need, d)], aft[(need, d)])
        for need in sorted(needs)
        for d in districts
    )
    return tuple(rows)
