"""Whether a measure removes a given barrier for a given unit: pure helpers over the model.

A measure removes an item only when the item is in its `removes`, the failing value is within
the measure's `limits` (a ramp serves a small rise only), and the measure is feasible for the
unit. Feasibility: when `feasible_when` can be decided from the unit's register facts, it
decides (a bathroom remodel to TEK17 space does not fit a unit under about 35 m²; a stair
lift fits a terraced house but not a block's stairwell); when it cannot (a fact is missing)
or there is none, `feasible_by_default` holds. Per-unit feasibility overrides recorded by a
planner are the caller's: they replace `feasible_for`, never `within_limits`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.checklists.model import Item, Measure
from app.scoring.conditions import evaluate


def feasible_for(measure: Measure, facts: Mapping[str, Any]) -> bool:
    """The measure's feasibility for a unit with these register facts (no override)."""
    if measure.feasible_when is None:
        return measure.feasible_by_default
    decided = evaluate(measure.feasible_when, {}, facts)
    return measure.feasible_by_default if decided is None else decided


def within_limits(measure: Measure, item: Item, value: Any) -> bool:
    """The failing `value` of `item` is one the measure can fix (always, without a limit).

    The limit is on the far side of the item's one-sided requirement: with `max` the value must
    be at most the limit (steps, rise), with `min` at least the limit (a width). A value that is
    not a number cannot be shown to be within a limit.
    """
    limit = measure.limits.get(item.id)
    if limit is None:
        return True
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    requirement = item.requirement
    if requirement is not None and requirement.max is not None:
        return value <= limit
    return value >= limit


def measure_applies(measure: Measure, item: Item, value: Any, facts: Mapping[str, Any]) -> bool:
    """True when `measure` removes the barrier `item` answered `value` in a unit with `facts`."""
    return (
        item.id in measure.removes
        and within_limits(measure, item, value)
        and feasible_for(measure, facts)
    )
