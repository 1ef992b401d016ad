"""Applicant households: only their functional needs and practical requirements.

These are health data (GDPR art. 9): no names, no identity numbers, and every access is
audited (see services).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

STATUSES = ("waiting", "offered", "housed", "withdrawn")
CLOSED = ("housed", "withdrawn")


class Applicant(db.Model):
    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(64), unique=True)
    household: Mapped[dict] = mapped_column(JSON, default=dict)
    needs: Mapped[list] = mapped_column(JSON, default=list)  # [{limitation, level}]
    min_bedrooms: Mapped[int] = mapped_column(default=0)
    districts: Mapped[list] = mapped_column(JSON, default=list)
    districts_required: Mapped[bool] = mapped_column(default=False)
    earliest_move_in: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": version}  # UPDATE ... WHERE version = :loaded


OFFER_STATUSES = ("offered", "accepted", "declined", "withdrawn")
OPEN = "offered"


class Offer(db.Model):
    """A unit offered to a household: offered, then accepted, declined or withdrawn.

    `open_unit_id` and `open_applicant_id` hold the unit and household while the offer is
    open and are cleared when it is decided: their unique constraints let the database
    refuse a second open offer of the same unit, or to the same household, even in a race.
    """

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    open_unit_id: Mapped[int | None] = mapped_column(unique=True)
    open_applicant_id: Mapped[int | None] = mapped_column(unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    unit = relationship("Unit", lazy="joined")
