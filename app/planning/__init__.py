"""Upgrade-planning core: cheapest upgrades per unit and budgeted portfolio plans (pure)."""

from app.planning.candidates import suitable_supply, unit_candidate
from app.planning.demand import demand_weights
from app.planning.options import cheapest_upgrade, upgrade_options
from app.planning.portfolio import plan_portfolio
from app.planning.records import (
    BlockedItem,
    CostRange,
    MeasureKey,
    NeedTotal,
    Option,
    Plan,
    PlanStep,
    UnitCandidate,
    Unreachable,
    UpgradeOption,
    measure_key,
)

__all__ = [
    "BlockedItem",
    "CostRange",
    "MeasureKey",
    "NeedTotal",
    "Option",
    "Plan",
    "PlanStep",
    "UnitCandidate",
    "Unreachable",
    "UpgradeOption",
    "cheapest_upgrade",
    "demand_weights",
    "measure_key",
    "plan_portfolio",
    "suitable_supply",
    "unit_candidate",
    "upgrade_options",
]
