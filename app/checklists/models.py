"""Published definitions: the exact YAML source of every checklist, limitations, profiles and
measures version that was ever published. Immutable once written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

KINDS = ("checklist", "limitations", "profiles", "measures", "mapping")


class PublishedDefinition(db.Model):
    __tablename__ = "published_definitions"
    __table_args__ = (UniqueConstraint("kind", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # checklist key; "<key>/v<from>" for a mapping (version = target version); else the kind
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    file_name: Mapped[str] = mapped_column(String(200))  # e.g. "uu-bolig/v1.yaml"
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
