"""Building the planner's compact per-unit input from stored per-unit upgrade options."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from app.planning.records import (
    BuildingId,
    Option,
    UnitCandidate,
    UnitId,
    Unreachable,
    UpgradeOption,
)


def unit_candidate(
    unit_id: UnitId,
    building_id: BuildingId,
    district: str,
    options: Mapping[str, UpgradeOption | Unreachable],
    needs: Iterable[str] | None = None,
) -> UnitCandidate:
    """One unit's planner input from its `upgrade_options` (computed once per assessment).

    Needs already suitable go to `suitable`; every reachable option becomes one `Option`,
    and options with the same measures are merged (their needs united), which keeps the
    planner's input small. `needs` limits which keys count (default: all of `options`).
    """
    wanted = set(options) if needs is None else set(needs)
    suitable = frozenset(
        k
        for k, o in options.items()
        if k in wanted and isinstance(o, UpgradeOption) and not o.measures
    )
    merged: dict[tuple[str, ...], set[str]] = {}
    for key, option in options.items():
        if key not in wanted or not isinstance(option, UpgradeOption) or not option.measures:
            continue
        made = {key, *option.also_suitable} & wanted
        merged.setdefault(option.measures, set()).update(made - suitable)
    return UnitCandidate(
        unit_id=unit_id,
        building_id=building_id,
        district=district,
        suitable=suitable,
        options=tuple(
            Option(measures, tuple(sorted(made))) for measures, made in sorted(merged.items())
        ),
    )


def suitable_supply(candidates: Iterable[UnitCandidate]) -> dict[tuple[str, str], int]:
    """Units suitable today per (need, district): the supply side of `demand_weights`."""
    supply: Counter[tuple[str, str]] = Counter()
    for unit in candidates:
        district = unit.district
        supply.update((need, district) for need in unit.suitable)
    return dict(supply)
