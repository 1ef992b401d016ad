"""Scoring core: answers and unit facts in, scores, classes and explanations out."""

from app.scoring.answers import ItemAnswer, validate_answer, validate_answers
from app.scoring.engine import MODEL_VERSION, classes_after, score
from app.scoring.results import (
    Barrier,
    LimitationResult,
    MeasureOption,
    ProfileResult,
    Result,
    Unanswered,
    result_to_dict,
)
from app.scoring.table import LIMITATION_KEYS, Prepared, prepare

__all__ = [
    "LIMITATION_KEYS",
    "MODEL_VERSION",
    "Barrier",
    "ItemAnswer",
    "LimitationResult",
    "MeasureOption",
    "Prepared",
    "ProfileResult",
    "Result",
    "Unanswered",
    "classes_after",
    "prepare",
    "result_to_dict",
    "score",
    "validate_answer",
    "validate_answers",
]
