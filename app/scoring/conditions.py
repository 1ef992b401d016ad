"""Three-valued evaluation of item conditions against answers and unit facts.

A condition is True, False, or None when it cannot be decided (a referenced answer or fact is
missing). The engine treats None as "applies": missing information must never make a unit
look better than it is.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from app.checklists.model import Condition

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


def _compare(actual: Any, op: str, expected: Any) -> bool | None:
    if actual is None:
        return None
    if op == "in":
        try:
            return actual in expected
        except TypeError:
            return None
    if op in ("eq", "ne"):
        # bool is an int in Python: keep True from equalling 1 in a condition.
        if isinstance(actual, bool) != isinstance(expected, bool):
            return op == "ne"
        return _OPS[op](actual, expected)
    try:
        return bool(_OPS[op](actual, expected))
    except TypeError:
        return None


def evaluate(
    condition: Condition, values: Mapping[str, Any], facts: Mapping[str, Any]
) -> bool | None:
    """Evaluate `condition`; `values` maps item id to its answer value (absent: unanswered)."""
    kind = condition.kind
    if kind == "item":
        return _compare(values.get(condition.target), condition.op, condition.value)
    if kind == "fact":
        return _compare(facts.get(condition.target), condition.op, condition.value)
    results = [evaluate(child, values, facts) for child in condition.children]
    if kind == "not":
        return None if results[0] is None else not results[0]
    if kind == "all":
        if False in results:
            return False
        return None if None in results else True
    if kind == "any":
        if True in results:
            return True
        return None if None in results else False
    raise ValueError(f"unknown condition kind {kind!r}")


# A compiled condition: (answers, facts) -> True, False or None (undecided).
Compiled = Callable[[Mapping[str, Any], Mapping[str, Any]], bool | None]


def compile_condition(condition: Condition, registers: Mapping[str, str | None]) -> Compiled:
    """Turn a condition into a closure that reads answers and facts directly (same logic).

    `registers` maps item id to the unit fact that answers it when unanswered.
    """
    kind, op, expected = condition.kind, condition.op, condition.value
    if kind == "item":
        target, register = condition.target, registers.get(condition.target)

        def item(answers: Mapping[str, Any], facts: Mapping[str, Any]) -> bool | None:
            answer = answers.get(target)
            if answer is None:
                value = facts.get(register) if register else None
            else:
                value = None if answer.not_applicable else answer.value
            return _compare(value, op, expected)

        return item
    if kind == "fact":
        target = condition.target
        return lambda _answers, facts: _compare(facts.get(target), op, expected)
    children = tuple(compile_condition(child, registers) for child in condition.children)
    if kind == "not":
        (child,) = children

        def negate(answers: Mapping[str, Any], facts: Mapping[str, Any]) -> bool | None:
            result = child(answers, facts)
            return None if result is None else not result

        return negate
    if kind not in ("all", "any"):
        raise ValueError(f"unknown condition kind {kind!r}")
    decisive = kind == "any"  # the child result that decides the whole: True for any

    def combine(answers: Mapping[str, Any], facts: Mapping[str, Any]) -> bool | None:
        undecided = False
        for child in children:
            result = child(answers, facts)
            if result is decisive:
                return decisive
            if result is None:
                undecided = True
        return None if undecided else not decisive

    return combine
