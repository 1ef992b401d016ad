"""Result types of the scoring engine and their API JSON shape.

Every score comes with its explanation: the barriers behind it and the unanswered items that
hold its coverage down. `result_to_dict` gives the "accessibility result" of the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import Cost, Item, Text

SuitabilityClass = Literal["suitable", "adaptable", "unsuitable", "unknown"]

# Worst first: the order a profile uses to pick the worst class of its limitations.
CLASS_ORDER: tuple[SuitabilityClass, ...] = ("unsuitable", "unknown", "adaptable", "suitable")
CLASS_RANK: dict[str, int] = {name: rank for rank, name in enumerate(CLASS_ORDER)}

# The per-inspection records are NamedTuples: as immutable and typed as frozen dataclasses,
# but six times cheaper to create (0.3 against 1.9 µs here), and scoring one inspection
# creates dozens of them; that alone is a third of the 100 µs budget.


class MeasureOption(NamedTuple):
    """A measure that removes a barrier, with its cost range and feasibility for this unit."""

    id: str
    name: Text
    cost: Cost
    feasible: bool


class Barrier(NamedTuple):
    """One failed item as it counts for one result (severity for that limitation or profile)."""

    item_id: str
    question: Text
    value: Any
    severity: int
    measures: tuple[MeasureOption, ...]  # cheapest feasible first
    photo_ids: tuple[str, ...] = ()
    item: Item | None = None  # the checklist item: unit, requirement and reference


class Unanswered(NamedTuple):
    """An applicable item without an answer; `weight` is what it withholds from coverage."""

    item_id: str
    question: Text
    weight: float


class LimitationResult(NamedTuple):
    """Score, class and explanation for one limitation (or the general score)."""

    key: str
    score: float
    suitability: SuitabilityClass
    coverage: float
    problem_score: int
    barriers: tuple[Barrier, ...]
    unanswered: tuple[Unanswered, ...]


class ProfileResult(NamedTuple):
    """Weighted score and class for one profile (age group or an applicant's needs)."""

    key: str
    score: float
    suitability: SuitabilityClass
    coverage: float
    problem_score: int
    barriers: tuple[Barrier, ...]
    unanswered: tuple[Unanswered, ...]
    # The profile's weights {limitation: weight > 0}; empty for the general-only profile.
    # The per-limitation breakdown is in Result.limitations (see profile_to_dict).
    weights: dict[str, float]


@dataclass(frozen=True, slots=True)
class Result:
    """Everything the engine says about one unit's answers."""

    limitations: dict[str, LimitationResult]
    profiles: dict[str, ProfileResult]
    general: LimitationResult
    barriers: tuple[Barrier, ...] = ()  # every failed item once, at its worst severity
    model_version: int = 2


def _text(text: Text) -> dict[str, str]:
    return {"nb": text.nb, "en": text.en}


def _measure(option: MeasureOption) -> dict[str, Any]:
    cost = option.cost
    return {
        "id": option.id,
        "name": _text(option.name),
        "cost": {"low": cost.low, "typical": cost.typical, "high": cost.high, "year": cost.year},
        "feasible": option.feasible,
    }


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def requirement_text(item: Item) -> dict[str, str] | None:
    """The requirement in words, e.g. {"nb": "krav ≥ 860 mm", "en": "required ≥ 860 mm"}."""
    requirement = item.requirement
    judged_by = ANSWER_TYPES[item.type].judged_by  # what passes is what is required
    if judged_by == "choice":
        passing = [c.label for c in item.choices if c.passes]
        if not passing:
            return None
        return {
            "nb": "krav: " + " eller ".join(t.nb for t in passing),
            "en": "required: " + " or ".join(t.en for t in passing),
        }
    if judged_by == "yes":
        return {"nb": "krav: ja", "en": "required: yes"}
    if requirement is None:
        return None
    unit = f" {item.unit}" if item.unit else ""
    parts = []
    if requirement.min is not None:
        parts.append(f"≥ {_number(requirement.min)}{unit}")
    if requirement.max is not None:
        parts.append(f"≤ {_number(requirement.max)}{unit}")
    joined = " og ".join(parts)
    return {"nb": f"krav {joined}", "en": "required " + joined.replace(" og ", " and ")}


def _item_facts(item: Item | None) -> dict[str, Any]:
    if item is None:
        return {"unit": None, "requirement": None, "requirement_text": None, "reference": None}
    requirement, reference = item.requirement, item.reference
    return {
        "unit": item.unit,
        "requirement": None
        if requirement is None
        else {
            "min": requirement.min,
            "max": requirement.max,
            "recommended": requirement.recommended,
        },
        "requirement_text": requirement_text(item),
        "reference": {
            "source": reference.source,
            "clause": reference.clause,
            "kind": reference.kind,
        },
    }


def barrier_to_dict(barrier: Barrier) -> dict[str, Any]:
    """API JSON of one barrier, with its unit, requirement, source and measures."""
    return {
        "item_id": barrier.item_id,
        "question": _text(barrier.question),
        "answer": barrier.value,
        "severity": barrier.severity,
        **_item_facts(barrier.item),
        "photo_ids": list(barrier.photo_ids),
        "measures": [_measure(option) for option in barrier.measures],
        "no_feasible_measure": not any(option.feasible for option in barrier.measures),
    }


def _common(result: LimitationResult | ProfileResult) -> dict[str, Any]:
    return {
        "score": round(result.score, 1),
        "class": result.suitability,
        "coverage": round(result.coverage, 3),
        "problem_score": result.problem_score,
        "barriers": [barrier_to_dict(barrier) for barrier in result.barriers],
        "unanswered": [
            {"item_id": u.item_id, "question": _text(u.question), "weight": u.weight}
            for u in result.unanswered
        ],
    }


def profile_to_dict(
    result: ProfileResult, limitations: dict[str, LimitationResult]
) -> dict[str, Any]:
    """API JSON of one profile result, with its per-limitation breakdown."""
    body = _common(result)
    body["limitations"] = {
        key: {
            "weight": weight,
            "score": round(limitations[key].score, 1),
            "class": limitations[key].suitability,
            "coverage": round(limitations[key].coverage, 3),
        }
        for key, weight in result.weights.items()
    }
    return body


def result_to_dict(result: Result) -> dict[str, Any]:
    """API JSON: {"model_version", "limitations": {KEY: R}, "profiles": {KEY: R}, "general": R,
    "barriers": [...]}."""
    return {
        "model_version": result.model_version,
        "limitations": {key: _common(r) for key, r in result.limitations.items()},
        "profiles": {
            key: profile_to_dict(r, result.limitations) for key, r in result.profiles.items()
        },
        "general": _common(result.general),
        # Every failed item once, at its worst severity: the unit's barriers for planners.
        "barriers": [barrier_to_dict(barrier) for barrier in result.barriers],
    }
