"""Reviewers' comments per item: written when an inspection is returned, read by the
inspector on the phone at that item. Each return replaces the previous round's comments."""

from __future__ import annotations

from sqlalchemy import delete

from app.errors import Unprocessable
from app.extensions import db
from app.inspections.models import Inspection, ItemComment


def replace_comments(actor, inspection: Inspection, checklist, entries: list[dict]) -> None:
    """Store `entries` ({item_id, text}) as the inspection's item comments; unknown items
    or an item named twice refuse the whole set (422)."""
    known = {item.id for section in checklist.sections for item in section.items}
    errors, seen = {}, set()
    for index, entry in enumerate(entries):
        if entry["item_id"] not in known:
            errors[str(index)] = {"item_id": [f"Ukjent punkt: {entry['item_id']}"]}
        elif entry["item_id"] in seen:
            errors[str(index)] = {"item_id": ["Punktet har allerede en kommentar."]}
        seen.add(entry["item_id"])
    if errors:
        raise Unprocessable("Ugyldige kommentarer.", errors={"item_comments": errors})
    db.session.execute(delete(ItemComment).where(ItemComment.inspection_id == inspection.id))
    db.session.expire(inspection, ["item_comments"])
    for entry in entries:
        db.session.add(
            ItemComment(
                inspection_id=inspection.id,
                item_id=entry["item_id"],
                text=entry["text"].strip(),
                author_id=actor.id,
            )
        )
    db.session.flush()
    db.session.expire(inspection, ["item_comments"])
