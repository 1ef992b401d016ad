"""What scoring reads, as the rest of the app stores it: answers from inspection rows or from
an assessment's stored inputs, and the impact table of the checklist version a record pinned.
Pure: the rows are read by attribute only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.checklists.definitions import Catalogue
from app.scoring.answers import ItemAnswer
from app.scoring.table import Prepared, prepare

_NOT_APPLICABLE = ItemAnswer(None, True)
_YES = ItemAnswer(True)  # most answers: one shared record instead of a hundred new ones


def answers_of(rows: Iterable[Any]) -> dict[str, ItemAnswer]:
    """Stored answer rows (item_id, value, not_applicable) as the scoring core takes them;
    unconfirmed carried-over ones count."""
    return {a.item_id: _NOT_APPLICABLE if a.not_applicable else ItemAnswer(a.value) for a in rows}


def inputs_of(answers: Mapping[str, ItemAnswer], facts: dict, feasibility: dict) -> dict:
    """What an assessment is scored from, as stored JSON (see `answers_from`)."""
    return {
        "answers": {k: a.value for k, a in answers.items() if not a.not_applicable},
        "not_applicable": sorted(k for k, a in answers.items() if a.not_applicable),
        "facts": facts,
        "feasibility": feasibility,
    }


def answers_from(inputs: dict) -> dict[str, ItemAnswer]:
    answers = {k: _YES if v is True else ItemAnswer(v) for k, v in inputs["answers"].items()}
    answers.update(dict.fromkeys(inputs["not_applicable"], _NOT_APPLICABLE))
    return answers


def prepared_for(catalogue: Catalogue, pinned) -> Prepared:
    """The impact table of the checklist version an inspection or assessment pinned."""
    checklist = catalogue.checklists[(pinned.checklist_key, pinned.checklist_version)]
    return prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)
