"""Photo evidence attached to an inspection (and usually to one item of one instance)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow


class Photo(db.Model):
    """One photo on one item (of one instance of a repeated section; 1 otherwise). The same
    bytes on another item or instance of the inspection are another row that shares the first
    row's files (stored once); files go when their last row goes."""

    __tablename__ = "photos"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id", "instance", "sha256"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the device's UUID
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str | None] = mapped_column(String(100))
    instance: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    caption: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))  # of the uploaded bytes
    media_type: Mapped[str] = mapped_column(String(32))  # as uploaded (detected)
    width: Mapped[int]
    height: Mapped[int]
    display_key: Mapped[str] = mapped_column(String(100))
    thumbnail_key: Mapped[str] = mapped_column(String(100))
    original_key: Mapped[str | None] = mapped_column(String(100))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def storage_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.display_key, self.thumbnail_key, self.original_key) if k)
