"""Demand weights: a suitable unit counts most where households wait and suitable units are few.

weight(need, district) = waiting(need, district) / (supply(need, district) + 1)

that is, the number of waiting households per suitable unit the district already has (plus
one: the unit the plan would add). A (need, district) with nobody waiting weighs 0, so the
plan spends nothing there; ten households waiting for a wheelchair unit in a district with
none weigh 10, the same ten in a district with nine such units weigh 1. The weights are the
planner's value per (unit, need) pair made suitable, so the plan maximises "households'
waiting relieved" per krone and moves towards the districts where the shortage is.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.errors import Unprocessable


def demand_weights(
    waiting: Mapping[tuple[str, str], int], supply: Mapping[tuple[str, str], int]
) -> dict[tuple[str, str], float]:
    """Weights per (need, district) from waiting households and suitable units (see module)."""
    problems = [
        f"{need} i {district}: antallet må være et heltall større enn eller lik 0"
        for counts in (waiting, supply)
        for (need, district), count in counts.items()
        if isinstance(count, bool) or not isinstance(count, int) or count < 0
    ]
    if problems:
        raise Unprocessable("Ugyldige tall for etterspørsel", errors={"demand": problems})
    return {
        key: households / (supply.get(key, 0) + 1)
        for key, households in waiting.items()
        if households > 0
    }
