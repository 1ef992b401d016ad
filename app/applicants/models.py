"""Applicant households: only their functional needs and practical requirements.

These are health data (GDPR art. 9): no names, no identity numbers, and every access is
audited (see services).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
