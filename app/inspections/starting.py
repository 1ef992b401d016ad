"""Re-inspection and starting offline. What a phone needs to start an inspection with no
network, per unit: the unit, the newest checklist version, the last approved answers (the
carried-over starting point), the instances of repeated sections the inspection will start
with, and the caller's open draft, if any; and how an inspection differs from the one before
it, item by item and instance by instance."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.checklists import services as checklists
from app.errors import Unprocessable
from app.extensions import db
from app.inspections.instances import instances_from, starting_instances
from app.inspections.models import Inspection
from app.inspections.services import latest_approved, open_draft_of
from app.units.models import Unit

MAX_UNITS = 50


def previous_answers(inspection: Inspection | None) -> list[dict]:
    if inspection is None:
        return []
    return [
        {
            "item_id": a.item_id,
            "instance": a.instance,
            "value": a.value,
            "not_applicable": a.not_applicable,
        }
        for a in inspection.all_answers
    ]


def assigned_unit_ids(actor: User) -> list[int]:
    """The caller's units: those of their inspections, most recently worked first."""
    rows = db.session.execute(
        select(Inspection.unit_id, func.max(Inspection.updated_at).label("last"))
        .where(Inspection.inspector_id == actor.id)
        .group_by(Inspection.unit_id)
        .order_by(func.max(Inspection.updated_at).desc())
        .limit(MAX_UNITS)
    ).all()
    return [row.unit_id for row in rows]


def starting_points(actor: User, unit_ids: list[int] | None) -> list[dict]:
    ids = unit_ids if unit_ids else assigned_unit_ids(actor)
    if len(ids) > MAX_UNITS:
        raise Unprocessable(
            "Ugyldige data.", errors={"unit_id": [f"Høyst {MAX_UNITS} boliger om gangen."]}
        )
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    unknown = [i for i in ids if i not in units]
    if unknown:
        raise Unprocessable(
            "Ugyldige data.", errors={"unit_id": [f"Boligen finnes ikke: {unknown[0]}"]}
        )
    catalogue = checklists.catalogue()
    checklist = catalogue.newest("uu-bolig")
    version = checklist.version
    points = []
    for unit_id in ids:
        previous = latest_approved(unit_id)
        draft = open_draft_of(unit_id, actor.id)
        instances = starting_instances(checklist, units[unit_id], previous)
        points.append(
            {
                "unit": units[unit_id],
                "checklist_key": "uu-bolig",
                "checklist_version": version,
                "previous_inspection_id": previous.id if previous else None,
                "previous_approved_at": previous.approved_at if previous else None,
                "previous_answers": previous_answers(previous),
                "instances": instances_from(instances, checklist),
                "open_draft_id": draft.id if draft else None,
            }
        )
    return points


def previous_of(inspection: Inspection) -> Inspection | None:
    """The approved inspection this one follows: the one it carried over from, or else the
    unit's latest approved one (never itself)."""
    previous = (
        db.session.get(Inspection, inspection.previous_id) if inspection.previous_id else None
    )
    if previous is None:
        previous = latest_approved(inspection.unit_id)
        if previous is not None and previous.id == inspection.id:
            previous = None
    return previous


def changes_since_previous(inspection: Inspection) -> dict:
    """Differences from the unit's previous approved inspection, by item and instance."""
    previous = previous_of(inspection)
    before = {(a.item_id, a.instance): a for a in previous.all_answers} if previous else {}
    after = {(a.item_id, a.instance): a for a in inspection.all_answers}
    changes = []
    for item_id, number in sorted(before.keys() | after.keys()):
        old, new = before.get((item_id, number)), after.get((item_id, number))
        old_state = (
            None if old is None else {"value": old.value, "not_applicable": old.not_applicable}
        )
        new_state = (
            None if new is None else {"value": new.value, "not_applicable": new.not_applicable}
        )
        if old_state != new_state or (new is not None and new.carried_over):
            changes.append(
                {
                    "item_id": item_id,
                    "instance": number,
                    "previous": old_state,
                    "current": new_state,
                    "carried_over": bool(new and new.carried_over),
                }
            )
    return {"previous_inspection_id": previous.id if previous else None, "changes": changes}
