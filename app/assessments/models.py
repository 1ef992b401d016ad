"""A unit's current assessment: the scored result of its newest approved inspection.

The assessment keeps the scoring inputs (the approved answers, the unit facts and the
feasibility overrides it was scored with) and the definition versions; the explained result
is recomputed from them on read (about 0.1 ms), so it always matches the stored scores and a
rebuild rewrites no explanations. `unit_scores` holds one narrow row per unit and
limitation/profile key ("general" too), indexed so that `GET /units?suitable_for=...&class=...`
and matching are answered from it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.checklists.definitions import LIMITATION_KEYS
from app.extensions import db
from app.scoring.results import CLASS_ORDER, CLASS_RANK
from app.timeutil import UTCDateTime, utcnow

# "At least this class" compares ranks: higher is better; CLASS_ORDER[rank] is the class.
__all__ = [
    "CLASS_ORDER",
    "CLASS_RANK",
    "MATCH_KEYS",
    "UnitAssessment",
    "UnitBarrier",
    "UnitScore",
    "unit_match_scores",
]


class UnitAssessment(db.Model):
    __tablename__ = "unit_assessments"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    inspection_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("inspections.id"))
    checklist_key: Mapped[str] = mapped_column(String(64))
    checklist_version: Mapped[int]
    profiles_version: Mapped[int]
    measures_version: Mapped[int]
    # The scoring model (docs/scoring.md) of the stored scores; rows written before model 2
    # carry 1 until `flask scores rebuild`.
    model_version: Mapped[int] = mapped_column(server_default="1")
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The planner's compact input: needs suitable today and the cheapest upgrade options.
    plan_input: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # {"answers": {item: value}, "not_applicable": [item], "facts": {...}, "feasibility": {...}}
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)


class UnitScore(db.Model):
    __tablename__ = "unit_scores"
    # Serves "class at least X (and score at least Y) for key K" and yields the unit ids.
    __table_args__ = (
        Index("ix_unit_scores_key_rank_score_unit", "key", "class_rank", "score", "unit_id"),
    )

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    class_rank: Mapped[int]  # CLASS_RANK of the class
    score: Mapped[float]


class UnitBarrier(db.Model):
    """The items that are barriers in a unit's current assessment (for "most frequent")."""

    __tablename__ = "unit_barriers"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


# Matching filters on the unit's status, bedrooms and district and ranks every candidate by a
# weighted sum over limitation scores. One row per unit with those register facts and a class
# rank and score column per stable limitation key (and general) lets it read one narrow row per
# candidate, with no join, instead of one score row per candidate and weighted key. The register
# facts are copies, kept in step by the unit register's writes (`rows.sync_register`).
MATCH_KEYS = (*LIMITATION_KEYS, "general")
unit_match_scores = Table(
    "unit_match_scores",
    db.metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("bedrooms", Integer),
    Column("district", String(100), nullable=False),
    *(Column(f"{key}_rank", SmallInteger, nullable=False) for key in MATCH_KEYS),
    *(Column(f"{key}_score", Float, nullable=False) for key in MATCH_KEYS),
    Index("ix_unit_match_scores_status_bedrooms", "status", "bedrooms"),
)
