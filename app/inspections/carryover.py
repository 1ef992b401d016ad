"""Carrying answers over into a re-inspection, also across checklist versions, instance by
instance: the instances of repeated sections (numbers, labels, order) come along, and each
answer goes to the instance with its number."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.checklists.definitions import Checklist
from app.errors import Unprocessable
from app.extensions import db
from app.inspections.instances import (
    carried_instances,
    instance_problem,
    numbers_from,
    section_by_item,
)
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
    """Start a re-inspection from the last approved answers and instances, marked until
    confirmed. An answer whose instance the new inspection does not have (its section no
    longer repeats, or beyond the section's `max`) is asked again."""
    instances = carried_instances(previous, checklist)
    inspection.section_instances.extend(instances)
    numbers = numbers_from(instances, checklist)
    sections = section_by_item(checklist)
    items = checklist.items
    targets = carried_item_ids(previous, checklist, mappings)
    for old in previous.all_answers:
        for item_id in targets(old.item_id):
            item = items.get(item_id)
            if item is None or (old.not_applicable and not item.not_applicable_allowed):
                continue
            if instance_problem(sections[item_id], item_id, old.instance, numbers):
                continue
            if not old.not_applicable and old.value is not None:
                try:  # a value the newer item's bounds refuse is asked again
                    validate_answer(item, {"item_id": item_id, "value": old.value})
                except Unprocessable:
                    continue
            _carried(inspection, old, item_id)


def _carried(inspection: Inspection, old: Answer, item_id: str) -> None:
    """A copy of `old` as `item_id` of the same instance, marked until the inspector confirms."""
    answer = Answer(
        item_id=item_id,
        instance=old.instance,
        value=old.value,
        not_applicable=old.not_applicable,
        note=old.note,
        answered_at=old.answered_at,
        answered_by_id=old.answered_by_id,
        source="carried",
        carried_over=True,
    )
    if old.instance == 1:
        inspection.answers.append(answer)
    else:  # `answers` holds the first instance only; the others are rows of their own
        answer.inspection_id = inspection.id
        db.session.add(answer)
