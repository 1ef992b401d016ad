"""JSON-friendly dicts of the catalogue for the API.

An offline client gets everything it needs to show pass/fail the moment a value is typed:
requirement, bands, bounds, unit, condition, severities, choices and the measures per item,
and the table of answer types and condition operators those rules are read with.
Conditions and bands keep the file's own shape ({item: ..., eq: ...}, {at_least: ...}).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.checklists import answer_types
from app.checklists.definitions import (
    Checklist,
    Condition,
    Cost,
    Item,
    Limitation,
    Measure,
    ProfileSet,
    Repeat,
    Text,
)


def text_to_dict(text: Text) -> dict[str, str]:
    return {"nb": text.nb, "en": text.en}


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    """The condition in the same shape as in the YAML file."""
    if condition.kind in ("all", "any"):
        return {condition.kind: [condition_to_dict(child) for child in condition.children]}
    if condition.kind == "not":
        return {"not": condition_to_dict(condition.children[0])}
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    return {condition.kind: condition.target, condition.op: value}


def item_to_dict(item: Item, measures: Sequence[Measure] = ()) -> dict[str, Any]:
    """One item with every rule needed to grade an answer on the device."""
    req = item.requirement
    band_key = "at_least" if req is not None and req.min is not None else "at_most"
    return {
        "id": item.id,
        "section": item.section,
        "type": item.type,
        "question": text_to_dict(item.question),
        "help": text_to_dict(item.help),
        "reference": {
            "source": item.reference.source,
            "clause": item.reference.clause,
            "kind": item.reference.kind,
            "note": item.reference.note,
        },
        "severity": dict(item.severity),
        "not_applicable_allowed": item.not_applicable_allowed,
        "condition": None if item.condition is None else condition_to_dict(item.condition),
        "satisfied_by": None if item.satisfied_by is None else condition_to_dict(item.satisfied_by),
        "photo": item.photo,
        "unit": item.unit,
        "bounds": None if item.bounds is None else list(item.bounds),
        "requirement": None
        if req is None
        else {"min": req.min, "max": req.max, "recommended": req.recommended},
        "bands": [{band_key: band.limit, "severity": dict(band.severity)} for band in item.bands],
        "choices": [
            {
                "key": choice.key,
                "label": text_to_dict(choice.label),
                "passes": choice.passes,
                "severity": None if choice.severity is None else dict(choice.severity),
            }
            for choice in item.choices
        ],
        "register": item.register,
        "no_measure_reason": item.no_measure_reason,
        "measures": [measure.id for measure in measures],
    }


def repeat_to_dict(repeat: Repeat) -> dict[str, Any]:
    return {
        "label": text_to_dict(repeat.label),
        "rule": repeat.rule,
        "min": repeat.min,
        "max": repeat.max,
        "prefill": repeat.prefill,
    }


def checklist_to_dict(
    checklist: Checklist, measures_by_item: Mapping[str, Sequence[Measure]]
) -> dict[str, Any]:
    """The full checklist definition, with the ids of the measures that remove each item and
    the table of answer types and operators (the device judges answers by it, offline too)."""
    return {
        "key": checklist.key,
        "version": checklist.version,
        "title": text_to_dict(checklist.title),
        "sections": [
            {
                "id": section.id,
                "title": text_to_dict(section.title),
                "location": section.location,
                "repeat": repeat_to_dict(section.repeat) if section.repeat else None,
                "items": [
                    item_to_dict(item, measures_by_item.get(item.id, ())) for item in section.items
                ],
            }
            for section in checklist.sections
        ],
        **answer_types.shipped(),
    }


def limitation_to_dict(limitation: Limitation) -> dict[str, Any]:
    return {
        "key": limitation.key,
        "label": text_to_dict(limitation.label),
        "group": limitation.group,
    }


def profile_set_to_dict(profiles: ProfileSet) -> dict[str, Any]:
    return {
        "version": profiles.version,
        "tolerance": profiles.tolerance,
        "min_coverage": profiles.min_coverage,
        "profiles": [
            {"key": p.key, "label": text_to_dict(p.label), "weights": dict(p.weights)}
            for p in profiles.profiles
        ],
    }


def cost_to_dict(cost: Cost) -> dict[str, Any]:
    return {
        "low": cost.low,
        "typical": cost.typical,
        "high": cost.high,
        "basis": cost.basis,
        "year": cost.year,
        "currency": "NOK",
    }


def measure_to_dict(measure: Measure) -> dict[str, Any]:
    when = measure.feasible_when
    return {
        "id": measure.id,
        "name": text_to_dict(measure.name),
        "removes": list(measure.removes),
        "cost": cost_to_dict(measure.cost),
        "annual_cost": None if measure.annual_cost is None else cost_to_dict(measure.annual_cost),
        "scope": measure.scope,
        "feasible_by_default": measure.feasible_by_default,
        "feasible_when": None if when is None else condition_to_dict(when),
        "limits": dict(measure.limits),
        "ns3451": measure.ns3451,
    }
