"""Result types of the scoring engine and their API JSON shape.

Every score comes with its explanation: the barriers behind it and the unanswered items that
hold its coverage down. `result_to_dict` gives the "accessibility result" of the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from app.checklists.model import Cost, Text

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
    measures: tuple[MeasureOption, ...]
    photo_ids: tuple[str, ...] = ()


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


def _text(text: Text) -> dict[str, str]:
    return {"nb": text.nb, "en": text.en}


def _measure(option: MeasureOption) -> dict[str, Any]:
    cost = option.cost
    return {
        "id": option.id,
        "name": _text(option.name),
        "cost": {"low": cost.low, "typical": cost.typical, "high": cost.high},
        "feasible": option.feasible,
    }


def _barrier(barrier: Barrier) -> dict[str, Any]:
    return {
        "item_id": barrier.item_id,
        "question": _text(barrier.question),
        "answer": barrier.value,
        "severity": barrier.severity,
        "photo_ids": list(barrier.photo_ids),
        "measures": [_measure(option) for option in barrier.measures],
    }


def _common(result: LimitationResult | ProfileResult) -> dict[str, Any]:
    return {
        "score": round(result.score, 1),
        "class": result.suitability,
        "coverage": round(result.coverage, 3),
        "problem_score": result.problem_score,
        "barriers": [_barrier(barrier) for barrier in result.barriers],
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
    """API JSON: {"limitations": {KEY: R}, "profiles": {KEY: R}, "general": R}."""
    return {
        "limitations": {key: _common(r) for key, r in result.limitations.items()},
        "profiles": {
            key: profile_to_dict(r, result.limitations) for key, r in result.profiles.items()
        },
        "general": _common(result.general),
    }
