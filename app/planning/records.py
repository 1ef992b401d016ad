"""Input and output records of the upgrade-planning core.

Frozen dataclasses with slots: per-unit upgrade options (what the cheapest way to make one
unit suitable for one need is, or why there is none), the compact per-unit input of the
portfolio planner, and the plan it returns. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from app.checklists.definitions import Measure, MeasureScope

# The records a plan holds many of (a step per bought option, hundreds of thousands for a
# national-size stock) are NamedTuples: as immutable, and several times cheaper to create
# than frozen dataclasses. The few per-unit records are frozen dataclasses.

# Unit and building ids as the register stores them (database ids or register codes).
UnitId = int | str
BuildingId = int | str

UnreachableReason = Literal["unknown", "no_measure", "infeasible"]


class MeasureKey(NamedTuple):
    """One purchasable measure: a unit measure per unit, a building measure per building; a
    flight measure (a stair lift) is bought for the unit it serves, per flight."""

    scope: MeasureScope
    owner: UnitId | BuildingId  # the unit id for scope "unit" and "flight", else the building
    measure_id: str


def measure_key(measure: Measure, unit_id: UnitId, building_id: BuildingId) -> MeasureKey:
    """The key a plan buys `measure` under for this unit (shared by the building if so scoped)."""
    owner = building_id if measure.scope == "building" else unit_id
    return MeasureKey(measure.scope, owner, measure.id)


class CostRange(NamedTuple):
    """Indicative cost in NOK: low, typical (what plans rank by) and high."""

    low: int = 0
    typical: int = 0
    high: int = 0


NO_COST = CostRange()


def total_cost(costs: Iterable[CostRange]) -> CostRange:
    """The sum of cost ranges, component by component."""
    low = typical = high = 0
    for cost in costs:
        low += cost.low
        typical += cost.typical
        high += cost.high
    return CostRange(low, typical, high)


def flights_of(facts: Mapping[str, Any]) -> int:
    """How many flights of stairs a flight-scope measure serves for a unit: one per storey
    climbed from street level (H01) to the unit's floor, at least one (entrance steps or an
    internal stair). Storeys are counted as one flight each, a conservative reading of
    stairwells with half-landings."""
    floor = facts.get("floor")
    if isinstance(floor, int) and not isinstance(floor, bool) and floor > 2:
        return floor - 1
    return 1


def cost_of(measure: Measure, flights: int = 1) -> CostRange:
    """The one-off catalogue cost of one measure as a CostRange; a flight-scope measure's cost
    is per flight, so it counts `flights` times. Annual costs are apart (`annual_cost_of`)."""
    n = flights if measure.scope == "flight" else 1
    return CostRange(measure.cost.low * n, measure.cost.typical * n, measure.cost.high * n)


def annual_cost_of(measure: Measure) -> CostRange:
    """The measure's recurring cost per year (zero when it has none)."""
    annual = measure.annual_cost
    return NO_COST if annual is None else CostRange(annual.low, annual.typical, annual.high)


@dataclass(frozen=True, slots=True)
class UpgradeOption:
    """The cheapest set of feasible measures that makes one unit suitable for `target`.

    `measures` is empty when the unit is already suitable. `also_suitable` lists the other
    limitations, profiles and "general" that the same measures make suitable (they were not).
    """

    target: str
    class_before: str
    score_before: float
    score_after: float
    measures: tuple[str, ...]
    scopes: tuple[MeasureScope, ...]  # aligned with measures
    removes: tuple[str, ...]  # barrier item ids the measures remove
    cost: CostRange  # one-off; flight-scope measures counted per flight
    also_suitable: tuple[str, ...]
    annual_cost: CostRange = NO_COST  # recurring per year, apart from the one-off cost


@dataclass(frozen=True, slots=True)
class BlockedItem:
    """A barrier no available measure removes: `infeasible` names the measures ruled out."""

    item_id: str
    infeasible: tuple[str, ...]  # empty: the catalogue has no measure for this item


@dataclass(frozen=True, slots=True)
class Unreachable:
    """Why no set of measures makes the unit suitable for `target`.

    reason "unknown": the class is unknown because items are unanswered (`unanswered`), which
    no measure can fix; "no_measure" / "infeasible": barriers (`blocked`) that no feasible
    measure removes ("infeasible" when at least one of them has only infeasible measures).
    `detail` says the same in Norwegian for the user.
    """

    target: str
    class_before: str
    reason: UnreachableReason
    blocked: tuple[BlockedItem, ...]
    unanswered: tuple[str, ...]
    detail: str


@dataclass(frozen=True, slots=True)
class Option:
    """One way to upgrade a unit: buying `measures` makes the unit suitable for `needs`."""

    measures: tuple[str, ...]
    needs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitCandidate:
    """The planner's compact input per unit (see `candidates.unit_candidate`)."""

    unit_id: UnitId
    building_id: BuildingId
    district: str
    suitable: frozenset[str]  # needs the unit is suitable for today
    options: tuple[Option, ...]


class PlanStep(NamedTuple):
    """One ranked step of a portfolio plan: an option bought for one unit."""

    rank: int
    unit_id: UnitId
    building_id: BuildingId
    district: str
    measures: tuple[MeasureKey, ...]  # bought in this step
    reused: tuple[MeasureKey, ...]  # also part of the option, paid earlier or already planned
    cost: CostRange  # paid in this step: the catalogue costs of `measures`
    cumulative_cost: int  # typical, over steps 1..rank
    needs: tuple[str, ...]  # needs of this unit the step makes suitable
    value: float  # sum of the weights of those (unit, need) pairs


class NeedTotal(NamedTuple):
    """Units suitable for one need (in one district, or overall when district is None).

    `current`: today; `baseline`: with the already planned measures; `after`: with the plan.
    `spread_*` (overall rows only): max minus min share of suitable units across districts.
    """

    need: str
    district: str | None
    units: int
    current: int
    baseline: int
    after: int
    spread_baseline: float = 0.0
    spread_after: float = 0.0


@dataclass(frozen=True, slots=True)
class Plan:
    """A budgeted portfolio plan with its guarantee.

    `value` is the weighted number of (unit, need) pairs the steps make suitable;
    `upper_bound` is a proven upper bound on the best value any plan within the budget can
    reach on the same candidates, so value / upper_bound says how far from optimal it can be.
    """

    budget: int
    spent: CostRange
    value: float
    upper_bound: float
    steps: tuple[PlanStep, ...]
    totals: tuple[NeedTotal, ...]  # overall rows first, then per district
    method: str
