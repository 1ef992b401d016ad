"""Reviewers' comments per item: written when an inspection is returned, read by the
inspector on the phone at that item. Each return replaces the previous round's comments. An
item of a repeated section is commented per instance ("Bad 2")."""

from __future__ import annotations

from sqlalchemy import delete

from app.errors import Unprocessable
from app.extensions import db
from app.inspections.instances import instance_problem, numbers_of, section_by_item
from app.inspections.models import Inspection, ItemComment


def replace_comments(actor, inspection: Inspection, checklist, entries: list[dict]) -> None:
    """Store `entries` ({item_id, instance, text}; instance 1 when left out) as the
    inspection's item comments; unknown items, instances the inspection does not have, or an
    item (instance) named twice refuse the whole set (422)."""
    sections = section_by_item(checklist)
    numbers = numbers_of(inspection, checklist)
    errors, seen = {}, set()
    for index, entry in enumerate(entries):
        item_id, number = entry["item_id"], entry.get("instance", 1)
        section = sections.get(item_id)
        problem = section and instance_problem(section, item_id, number, numbers)
        if section is None:
            errors[str(index)] = {"item_id": [f"Ukjent punkt: {item_id}"]}
        elif problem:
            errors[str(index)] = {"instance": [problem]}
        elif (item_id, number) in seen:
            errors[str(index)] = {"item_id": ["Punktet har allerede en kommentar."]}
        seen.add((item_id, number))
    if errors:
        raise Unprocessable("Ugyldige kommentarer.", errors={"item_comments": errors})
    db.session.execute(delete(ItemComment).where(ItemComment.inspection_id == inspection.id))
    db.session.expire(inspection, ["item_comments"])
    for entry in entries:
        db.session.add(
            ItemComment(
                inspection_id=inspection.id,
                item_id=entry["item_id"],
                instance=entry.get("instance", 1),
                text=entry["text"].strip(),
                author_id=actor.id,
            )
        )
    db.session.flush()
    db.session.expire(inspection, ["item_comments"])
