"""Totals of a portfolio plan: suitable units per need and district, today, baseline and after."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import compress
from operator import attrgetter

from app.planning.records import NeedTotal, UnitCandidate


def _spread(counts: Counter[tuple[str, str]], need: str, units: Mapping[str, int]) -> float:
    """Max minus min share of suitable units across the districts (0 with one district)."""
    shares = [counts[(need, d)] / n for d, n in units.items() if n]
    return max(shares) - min(shares) if len(shares) > 1 else 0.0


def _count(
    districts: Sequence[str], masks: Sequence[int], names: Sequence[str]
) -> Counter[tuple[str, str]]:
    """Units per (need, district) whose mask has the need's bit (need i is bit 1 << i)."""
    per_mask = Counter(zip(compress(districts, masks), filter(None, masks), strict=True))
    counts: Counter[tuple[str, str]] = Counter()
    for (district, mask), n in per_mask.items():
        for i, need in enumerate(names):
            if mask >> i & 1:
                counts[(need, district)] += n
    return counts


def need_totals(
    units: Sequence[UnitCandidate],
    names: Sequence[str],
    baseline: Sequence[int],
    after: Sequence[int],
    weights: Mapping,
) -> tuple[NeedTotal, ...]:
    """Overall rows per need (with the district spread) first, then one row per need and district.

    `baseline` and `after` give per unit the needs (bit 1 << i for `names[i]`) made suitable
    beyond today by the already planned measures and by the plan (`after` includes
    `baseline`); every need seen in the units or the weights gets rows.
    """
    unit_districts = list(map(attrgetter("district"), units))
    per_district = Counter(unit_districts)
    # Many units share a district and the same set of suitable needs: count the sets.
    sets = Counter(zip(unit_districts, map(attrgetter("suitable"), units), strict=True))
    current: Counter[tuple[str, str]] = Counter()
    needs: set[str] = set(names)
    for (district, suitable), n in sets.items():
        for need in suitable:
            current[(need, district)] += n
        needs |= suitable
    needs.update(k[0] if isinstance(k, tuple) else k for k in weights)
    base = current + _count(unit_districts, baseline, names)
    aft = current + _count(unit_districts, after, names)
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
