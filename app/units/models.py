"""The unit register: buildings and the dwellings (units) in them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    delete,
    event,
    inspect,
)
from sqlalchemy import insert as sql_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow
from app.units.search_terms import TERM_LENGTH, terms_of

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

    __mapper_args__ = {"version_id_col": version}  # UPDATE ... WHERE version = :loaded


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("building_id", "unit_number"),
        Index("ix_units_status_bedrooms", "status", "bedrooms"),
        # Search by unit number, counted per building from the index alone.
        Index("ix_units_unit_number_building_id", "unit_number", "building_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    unit_number: Mapped[str] = mapped_column(String(5))  # bruksenhetsnummer, H0201
    floor: Mapped[int | None]
    rooms: Mapped[int | None]
    bedrooms: Mapped[int | None]
    bathrooms: Mapped[int | None]  # 0..10; how many instances a bathroom section starts with
    area: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))  # BRA, m²
    ownership: Mapped[str] = mapped_column(String(16), default="owned")
    status: Mapped[str] = mapped_column(String(16), default="let")
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    building: Mapped[Building] = relationship(back_populates="units", lazy="joined")

    __mapper_args__ = {"version_id_col": version}  # UPDATE ... WHERE version = :loaded


class AddressTerm(db.Model):
    """A word (or a word's suffix) of a building's address, place or district: the index that
    address search reads (see app/units/search_terms.py)."""

    __tablename__ = "address_terms"

    # Code point order on PostgreSQL too, whatever the database's default collation: a word's
    # range holds exactly the terms that start with it, and the planner can estimate it.
    term: Mapped[str] = mapped_column(
        String(TERM_LENGTH).with_variant(String(TERM_LENGTH, collation="C"), "postgresql"),
        primary_key=True,
    )
    building_id: Mapped[int] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class BuildingUnitCount(db.Model):
    """How many units a building has, kept by the database's triggers on `units` (migration
    0021) and never written here: address search sums these instead of counting the units of
    every matching building. No row: no units. A migration that rebuilds `units` on SQLite
    (batch "recreate") must create those triggers again."""

    __tablename__ = "building_unit_counts"

    building_id: Mapped[int] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), primary_key=True
    )
    units: Mapped[int]


SEARCHED = ("address", "place", "district")


def term_rows(building_id: int, address: str, place, district) -> list[dict]:
    return [{"term": t, "building_id": building_id} for t in terms_of(address, place, district)]


@event.listens_for(Session, "after_flush")
def _keep_address_terms(session: Session, _context) -> None:
    """Every way a building is written through the ORM (API, import, demo) keeps its terms."""
    changed = [
        b
        for b in (*session.new, *session.dirty)
        if isinstance(b, Building)
        and (b in session.new or any(inspect(b).attrs[a].history.has_changes() for a in SEARCHED))
    ]
    if not changed:
        return
    connection = session.connection()
    ids = [b.id for b in changed]
    connection.execute(delete(AddressTerm).where(AddressTerm.building_id.in_(ids)))
    rows = [r for b in changed for r in term_rows(b.id, b.address, b.place, b.district)]
    if rows:
        connection.execute(sql_insert(AddressTerm), rows)
