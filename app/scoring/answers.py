"""Answers to checklist items and their validation against the item definitions.

Raw answers arrive as API JSON (`{"item_id": ..., "value": ...}` or
`{"item_id": ..., "not_applicable": true}`); validation turns them into `ItemAnswer` values the
scoring engine trusts, or raises `Unprocessable` naming every bad answer in Norwegian.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import Checklist, Item
from app.errors import Unprocessable

MAX_TEXT_LENGTH = 2000

AnswerValue = bool | float | int | str | None


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    """One item's answer: a typed value, or not applicable; `ItemAnswer()` means unanswered."""

    value: AnswerValue = None
    not_applicable: bool = False


class _Invalid(Exception):
    """Internal: one answer's problems as {field: [messages]}."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems


def _fmt(number: float) -> str:
    """Format a bound the Norwegian way (decimal comma, no trailing .0)."""
    if float(number).is_integer():
        return str(int(number))
    return f"{number:g}".replace(".", ",")


def _bounds_message(item: Item) -> str:
    assert item.bounds is not None
    low, high = item.bounds
    unit = f" {item.unit}" if item.unit else ""
    return f"Verdien må være mellom {_fmt(low)} og {_fmt(high)}{unit}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_bounds(item: Item, value: float) -> None:
    if item.bounds is not None and not item.bounds[0] <= value <= item.bounds[1]:
        raise _Invalid({"value": [_bounds_message(item)]})


def _boolean(item: Item, value: Any) -> AnswerValue:
    if not isinstance(value, bool):
        raise _Invalid({"value": ["Svaret må være ja (true) eller nei (false)"]})
    return value


def _number(item: Item, value: Any) -> AnswerValue:
    if not _is_number(value) or not math.isfinite(value):
        raise _Invalid({"value": ["Verdien må være et tall"]})
    _check_bounds(item, value)
    return value


def _integer(item: Item, value: Any) -> AnswerValue:
    if _is_number(value) and isinstance(value, float) and value.is_integer():
        value = int(value)
    # A count is of things (never below 0) unless its bounds say otherwise: a floor below
    # street level is 0 or less.
    negative_allowed = item.bounds is not None and item.bounds[0] < 0
    if not _is_number(value) or not isinstance(value, int):
        problem = "et heltall" if negative_allowed else "et heltall som ikke er negativt"
        raise _Invalid({"value": [f"Verdien må være {problem}"]})
    if value < 0 and not negative_allowed:
        raise _Invalid({"value": ["Verdien må være et heltall som ikke er negativt"]})
    _check_bounds(item, value)
    return value


def _choice(item: Item, value: Any) -> AnswerValue:
    keys = [choice.key for choice in item.choices]
    if not isinstance(value, str) or value not in keys:
        raise _Invalid({"value": [f"Ugyldig valg, gyldige valg er: {', '.join(keys)}"]})
    return value


def _text(item: Item, value: Any) -> AnswerValue:
    if not isinstance(value, str):
        raise _Invalid({"value": ["Verdien må være tekst"]})
    if len(value) > MAX_TEXT_LENGTH:
        raise _Invalid({"value": [f"Teksten kan ha høyst {MAX_TEXT_LENGTH} tegn"]})
    return value


# Per value kind (answer_types.VALUE_KINDS): check a value and return it typed.
_BY_KIND: dict[str, Callable[[Item, Any], AnswerValue]] = {
    "boolean": _boolean,
    "number": _number,
    "integer": _integer,
    "choice": _choice,
    "text": _text,
}
# Per answer type, resolved once: the table says what kind of value each type takes.
_PARSERS = {name: _BY_KIND[kind.value] for name, kind in ANSWER_TYPES.items()}


def _parse_value(item: Item, value: Any) -> AnswerValue:
    """Check one value against the item's answer type and bounds; return the typed value."""
    return _PARSERS[item.type](item, value)


def _parse(item: Item, raw: dict[str, Any]) -> ItemAnswer:
    not_applicable = raw.get("not_applicable", False)
    if not isinstance(not_applicable, bool):
        raise _Invalid({"not_applicable": ["Må være true eller false"]})
    if not_applicable:
        problems: dict[str, list[str]] = {}
        if not item.not_applicable_allowed:
            problems["not_applicable"] = [
                f"Punktet {item.id} kan ikke besvares med «ikke relevant»"
            ]
        if raw.get("value") is not None:
            problems["value"] = ["Et svar kan ikke både ha en verdi og være «ikke relevant»"]
        if problems:
            raise _Invalid(problems)
        return ItemAnswer(not_applicable=True)
    if raw.get("value") is None:
        raise _Invalid({"value": ["Verdi mangler"]})
    return ItemAnswer(value=_parse_value(item, raw["value"]))


def validate_answer(item: Item, raw: dict[str, Any]) -> ItemAnswer:
    """Validate one raw answer for `item`; raise Unprocessable with {field: [messages]}."""
    try:
        return _parse(item, raw)
    except _Invalid as exc:
        raise Unprocessable(f"Ugyldig svar på punkt {item.id}", errors=exc.problems) from None


def _item_id_of(entry: Any) -> str:
    item_id = entry.get("item_id") if isinstance(entry, dict) else None
    return item_id if isinstance(item_id, str) and item_id else "?"


def validate_answers(checklist: Checklist, raw: list[dict[str, Any]]) -> dict[str, ItemAnswer]:
    """Validate a batch of raw answers; every problem is named by index and item id.

    Raises Unprocessable with errors={"answers": {"<index>": {field: [messages]}}}; the
    detail lists the bad entries as "index (item id)".
    """
    if not isinstance(raw, list):
        raise Unprocessable("Ugyldige svar", errors={"answers": ["Svarene må være en liste"]})
    items = checklist.items
    answers: dict[str, ItemAnswer] = {}
    seen: dict[str, int] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            errors[str(index)] = {"_schema": ["Svaret må være et objekt"]}
            continue
        item_id = entry.get("item_id")
        if not isinstance(item_id, str) or not item_id:
            errors[str(index)] = {"item_id": ["Punkt-id mangler"]}
            continue
        item = items.get(item_id)
        if item is None:
            errors[str(index)] = {"item_id": [f"Ukjent punkt: {item_id}"]}
            continue
        if item_id in seen:
            errors[str(index)] = {
                "item_id": [f"Punktet {item_id} er besvart to ganger (også i svar {seen[item_id]})"]
            }
            continue
        seen[item_id] = index
        try:
            answers[item_id] = _parse(item, entry)
        except _Invalid as exc:
            errors[str(index)] = {
                k: [f"{item_id}: {m}" for m in v] for k, v in exc.problems.items()
            }
    if errors:
        named = ", ".join(f"{index} ({_item_id_of(raw[int(index)])})" for index in errors)
        raise Unprocessable(f"Ugyldige svar: {named}", errors={"answers": errors})
    return answers
