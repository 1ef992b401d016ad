"""The unit register: buildings and the dwellings (units) in them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

OWNERSHIPS = ("owned", "leased")
# `reserved`: offered to a household and waiting for its answer (see app.applicants.offers).
STATUSES = ("vacant", "reserved", "let", "renovation", "inactive")


class Building(db.Model):
    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(200))
    address_key: Mapped[str] = mapped_column(String(200), index=True)  # normalised, for matching
    postal_code: Mapped[str | None] = mapped_column(String(4))
    place: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str] = mapped_column(String(100), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    gnr: Mapped[int | None]
    bnr: Mapped[int | None]
    fnr: Mapped[int | None]
    snr: Mapped[int | None]
    storeys: Mapped[int | None]
    building_type: Mapped[str | None] = mapped_column(String(16))  # BUILDING_TYPES
    has_lift: Mapped[bool | None]
    year_built: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    units: Mapped[list[Unit]] = relationship(back_populates="building")


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("building_id", "unit_number"),
        Index("ix_units_status_bedrooms", "status", "bedrooms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    unit_number: Mapped[str] = mapped_column(String(5), index=True)  # bruksenhetsnummer, H0201
    floor: Mapped[int | None]
    rooms: Mapped[int | None]
    bedrooms: Mapped[int | None]
    area: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))  # BRA, m²
    ownership: Mapped[str] = mapped_column(String(16), default="owned")
    status: Mapped[str] = mapped_column(String(16), default="let")
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    building: Mapped[Building] = relationship(back_populates="units", lazy="joined")
