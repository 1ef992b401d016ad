"""Feasibility overrides: a facility manager marks a measure (in)feasible for a unit or a
whole building, with a reason. Unit overrides win over building overrides, which win over the
catalogue default. Changing one rescores the affected units at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class FeasibilityOverride(db.Model):
    __tablename__ = "feasibility_overrides"
    __table_args__ = (UniqueConstraint("building_id", "unit_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[str] = mapped_column(String(64))
    feasible: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OverrideIndex:
    """Overrides loaded once, for rescoring many units without a query per unit."""

    def __init__(self, rows) -> None:
        self.by_building: dict[int, dict[str, bool]] = {}
        self.by_unit: dict[int, dict[str, bool]] = {}
        for r in rows:
            if r.unit_id is not None:
                self.by_unit.setdefault(r.unit_id, {})[r.measure_id] = r.feasible
            else:
                self.by_building.setdefault(r.building_id, {})[r.measure_id] = r.feasible

    def effective(self, unit_id: int, building_id: int) -> dict[str, bool]:
        """Building overrides, then unit overrides on top."""
        return {**self.by_building.get(building_id, {}), **self.by_unit.get(unit_id, {})}


def load_index(unit=None) -> OverrideIndex:
    """All overrides, or only those that concern one unit."""
    stmt = select(FeasibilityOverride)
    if unit is not None:
        stmt = stmt.where(
            (FeasibilityOverride.unit_id == unit.id)
            | (FeasibilityOverride.building_id == unit.building_id)
        )
    return OverrideIndex(db.session.scalars(stmt))


def overrides_for(unit) -> dict[str, bool]:
    """The effective feasibility overrides for one unit."""
    return load_index(unit).effective(unit.id, unit.building_id)
