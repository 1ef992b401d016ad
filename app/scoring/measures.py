"""Whether a measure removes a given barrier for a given unit, in one call.

A measure removes an item only when the item is in its `removes`, the failing value is within
the measure's `limits` (a ramp serves a small rise only) and the measure is feasible for the
unit: the unit's override if any, else `feasible_by_default` unless the unit's register facts
contradict `feasible_when` (a bathroom remodel to TEK17 space does not fit a unit under about
35 m²; a stair lift does not go into a block's stairwell). A missing fact leaves the default
in force. The engine's own rules (`app.scoring.table`) decide each part; this composes them for
callers outside the engine (planning, tests over the catalogue).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.checklists.definitions import Item, Measure
from app.scoring.table import measure_feasible, measure_reaches


def measure_applies(
    measure: Measure,
    item: Item,
    value: Any,
    facts: Mapping[str, Any],
    feasibility: Mapping[str, bool] | None = None,
) -> bool:
    """True when `measure` removes the barrier `item` answered `value` in a unit with `facts`
    (and the planner's per-unit feasibility overrides, measure id -> bool)."""
    return (
        item.id in measure.removes
        and measure_reaches(measure, item, value)
        and measure_feasible(measure, feasibility or {}, facts)
    )
