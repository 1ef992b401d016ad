"""Instances of repeated sections: which ones an inspection has, which answers may name them,
and the ones a new inspection starts with.

A section with `repeat` (app/checklists/definitions.py) is recorded once per instance: "Bad 1",
"Bad ved soverom". An instance is named by its number, which the phone picks offline (the
highest it knows + 1) and which answers, comments and photos carry. A repeated section with no
`section_instances` rows has exactly one instance, number 1 with its default label, so every
inspection started before instances existed, or with nothing to prefill, still has one.
Everything outside repeated sections is instance 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from app.checklists.definitions import Checklist, Section
from app.inspections.models import Inspection, SectionInstance


class Instance(NamedTuple):
    number: int
    label: str
    position: int


def implicit(section: Section) -> Instance:
    """The single instance of a repeated section that has no rows."""
    return Instance(1, section.repeat.default_label(1), 1)


def rows_by_section(inspection: Inspection) -> dict[str, dict[int, SectionInstance]]:
    """The inspection's instance rows (deleted ones too) by section and number."""
    return _by_section(inspection.section_instances)


def _by_section(rows: Iterable[SectionInstance]) -> dict[str, dict[int, SectionInstance]]:
    grouped: dict[str, dict[int, SectionInstance]] = {}
    for row in rows:
        grouped.setdefault(row.section_id, {})[row.number] = row
    return grouped


def live(rows: Mapping[int, SectionInstance] | None, section: Section) -> list[Instance]:
    """A repeated section's instances, by position then number (the order the inspector set)."""
    if not rows:
        return [implicit(section)]
    kept = [Instance(r.number, r.label, r.position) for r in rows.values() if r.deleted_at is None]
    return sorted(kept, key=lambda i: (i.position, i.number))


def instances_of(inspection: Inspection, checklist: Checklist) -> dict[str, list[Instance]]:
    """Every repeated section of the checklist with its instances (the implicit one included)."""
    return instances_from(inspection.section_instances, checklist)


def instances_from(
    rows: Iterable[SectionInstance], checklist: Checklist
) -> dict[str, list[Instance]]:
    """`instances_of` for given rows, also those an inspection would start with (not stored)."""
    grouped = _by_section(rows)
    return {sid: live(grouped.get(sid), s) for sid, s in checklist.repeated.items()}


def numbers_of(inspection: Inspection, checklist: Checklist) -> dict[str, set[int]]:
    """The instance numbers of each repeated section: those an answer may name."""
    return numbers_from(inspection.section_instances, checklist)


def numbers_from(rows: Iterable[SectionInstance], checklist: Checklist) -> dict[str, set[int]]:
    found = instances_from(rows, checklist)
    return {section_id: {i.number for i in listed} for section_id, listed in found.items()}


def section_by_item(checklist: Checklist) -> dict[str, Section]:
    return {item.id: section for section in checklist.sections for item in section.items}


def instance_problem(
    section: Section, item_id: str, number: int, numbers: Mapping[str, set[int]]
) -> str | None:
    """Why `number` is not an instance the item can be answered (commented, photographed) in,
    in words for the inspector; None when it is."""
    if section.repeat is None:
        if number == 1:
            return None
        return (
            f"Punktet {item_id} er i seksjonen «{section.title.nb}», som ikke gjentas; "
            f"den har bare instans 1, ikke {number}."
        )
    if number in numbers.get(section.id, ()):
        return None
    return f"Punktet {item_id}: seksjonen «{section.title.nb}» har ingen instans {number}."


def named(item_id: str, number: int, section: Section) -> str:
    """An item as the messages name it: with its instance where its section repeats."""
    return item_id if section.repeat is None else f"{item_id} (instans {number})"


# -- starting ----------------------------------------------------------------------------


def carried_instances(previous: Inspection, checklist: Checklist) -> list[SectionInstance]:
    """The previous inspection's instances (numbers, labels, positions) of the sections that
    repeat in `checklist`, as far as its `max` allows; a section the previous one recorded once
    starts with its single implicit instance."""
    rows = rows_by_section(previous)
    carried = []
    for section_id, section in checklist.repeated.items():
        if section_id not in rows:
            continue
        for instance in live(rows[section_id], section):
            if instance.number <= section.repeat.max:
                carried.append(_row(section_id, instance))
    return carried


def prefilled_instances(
    checklist: Checklist, facts: Mapping[str, int | None]
) -> list[SectionInstance]:
    """Instances 1..n of each repeated section with `prefill`, n being the unit's register
    fact (bathrooms, bedrooms) kept within the section's min and max; default labels. Without
    the fact a section starts with its `min` instances (one: the implicit one, no rows)."""
    made = []
    for section_id, section in checklist.repeated.items():
        repeat = section.repeat
        fact = facts.get(repeat.prefill) if repeat.prefill else None
        count = repeat.min if fact is None else min(max(fact, repeat.min), repeat.max)
        if fact is None and count == 1:
            continue
        made.extend(
            _row(section_id, Instance(n, repeat.default_label(n), n)) for n in range(1, count + 1)
        )
    return made


def instance_facts(unit) -> dict[str, int | None]:
    """The register facts that say how many instances a unit has (see INSTANCE_FACTS)."""
    return {"bathrooms": unit.bathrooms, "bedrooms": unit.bedrooms}


def starting_instances(
    checklist: Checklist, unit, previous: Inspection | None
) -> list[SectionInstance]:
    """The instances a new inspection starts with: carried from the previous approved one,
    or, when there is none, prefilled from the register."""
    if previous is not None:
        return carried_instances(previous, checklist)
    return prefilled_instances(checklist, instance_facts(unit))


def _row(section_id: str, instance: Instance) -> SectionInstance:
    return SectionInstance(
        section_id=section_id,
        number=instance.number,
        label=instance.label,
        position=instance.position,
    )
