"""Inspections (befaringer), their answers and the full history of every answer change.

A repeated section (a bathroom, a bedroom: `Section.repeat` in app/checklists/definitions.py)
is recorded once per instance; every answer, history row, item comment and photo names its
instance. Items of a section that is not repeated, and existing rows, are instance 1.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.timeutil import UTCDateTime, utcnow

STATUSES = ("draft", "submitted", "approved")


class Inspection(db.Model):
    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_unit_status", "unit_id", "status"),
        # One open draft per unit and inspector: a second start opens the first.
        Index(
            "uq_inspections_open_draft",
            "unit_id",
            "inspector_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    checklist_key: Mapped[str] = mapped_column(String(64))
    checklist_version: Mapped[int]
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL")
    )
    return_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    # The first instance's answers: every answer of a section that is not repeated, and
    # instance 1 of a repeated one. This is what scoring, the assessment and the reports read
    # (one answer per item, as before sections could repeat); instances of repeated sections
    # are grouped by `services.answers_by_instance`.
    answers: Mapped[list[Answer]] = relationship(
        primaryjoin="and_(Inspection.id == Answer.inspection_id, Answer.instance == 1)",
        order_by="Answer.item_id",
        cascade="all, delete-orphan",
    )
    # Every answer of every instance (read only: answers of instances above 1 are written
    # as rows of their own).
    all_answers: Mapped[list[Answer]] = relationship(
        order_by="[Answer.item_id, Answer.instance]", viewonly=True
    )
    item_comments: Mapped[list[ItemComment]] = relationship(
        order_by="[ItemComment.item_id, ItemComment.instance]", cascade="all, delete-orphan"
    )
    # The instances of repeated sections, deleted ones included (see SectionInstance).
    section_instances: Mapped[list[SectionInstance]] = relationship(
        order_by="[SectionInstance.section_id, SectionInstance.number]",
        cascade="all, delete-orphan",
    )
    unit = relationship("Unit", lazy="joined")

    # Every UPDATE of the row is a compare-and-set on `version` and bumps it in the same
    # statement; 0 rows (someone else wrote first) raises StaleDataError, answered with 412.
    __mapper_args__ = {"version_id_col": version}


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id", "instance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(String(100))
    instance: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    not_applicable: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16), default="inspector")  # or register, carried
    carried_over: Mapped[bool] = mapped_column(default=False)


class AnswerChange(db.Model):
    """Every change to an answer: who, when, old and new. Never updated, never deleted."""

    __tablename__ = "answer_changes"
    __table_args__ = (Index("ix_answer_changes_inspection_item", "inspection_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(String(100))
    instance: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict] = mapped_column(JSON)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ItemComment(db.Model):
    """A reviewer's comment on one item, sent back to the inspector with the returned
    inspection; the next return replaces the set."""

    __tablename__ = "inspection_item_comments"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id", "instance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(String(100))
    instance: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SectionInstance(db.Model):
    """One instance of a repeated section ("Bad 1", "Bad ved soverom").

    A repeated section without rows has exactly one instance, number 1 with its default
    label; the first change to its instances writes that one down too. Numbers are the
    instances' ids: the phone picks the next one offline and the answers, comments and photos
    name it, so a number is never given to another instance of the same inspection. That is
    why a deleted instance keeps its row, marked `deleted_at` (its answers, comments and
    photos go; the answers' history stays and still names the number)."""

    __tablename__ = "section_instances"

    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    section_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(60))
    position: Mapped[int]
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
