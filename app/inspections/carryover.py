"""Carrying answers over into a re-inspection, also across checklist versions."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.checklists.definitions import Checklist
from app.errors import Unprocessable
from app.inspections.models import Answer, Inspection
from app.scoring import validate_answer


def carried_item_ids(
    previous: Inspection, checklist: Checklist, mappings: Mapping
) -> Callable[[str], tuple[str, ...]]:
    """Old item id -> the ids of `checklist` its answer carries over to.

    Under the same checklist version every item carries over as itself. From an older version
    only the answers the version mapping (`<key>/map-v<from>-v<to>.yaml`) names carry over: an
    item whose meaning changed is asked again. Without a mapping nothing carries over.
    """
    if (previous.checklist_key, previous.checklist_version) == (checklist.key, checklist.version):
        return lambda item_id: (item_id,)
    mapping = mappings.get((checklist.key, previous.checklist_version, checklist.version), {})
    return lambda item_id: (
        mapping.get(item_id, ()) if previous.checklist_key == checklist.key else ()
    )


def carry_over(
    inspection: Inspection, previous: Inspection, checklist: Checklist, mappings: Mapping
) -> None:
    """Start a re-inspection from the last approved answers, marked until confirmed."""
    items = checklist.items
    targets = carried_item_ids(previous, checklist, mappings)
    for old in previous.answers:
        for item_id in targets(old.item_id):
            item = items.get(item_id)
            if item is None or (old.not_applicable and not item.not_applicable_allowed):
                continue
            if not old.not_applicable and old.value is not None:
                try:  # a value the newer item's bounds refuse is asked again
                    validate_answer(item, {"item_id": item_id, "value": old.value})
                except Unprocessable:
                    continue
            inspection.answers.append(
                Answer(
                    item_id=item_id,
                    value=old.value,
                    not_applicable=old.not_applicable,
                    note=old.note,
                    answered_at=old.answered_at,
                    answered_by_id=old.answered_by_id,
                    source="carried",
                    carried_over=True,
                )
            )
