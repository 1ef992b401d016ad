"""When an item applies: conditions, condition chains and `satisfied_by` (docs/scoring.md).

A condition evaluates to one of five outcomes:
- True: the item applies;
- False: it does not apply;
- NOT_APPLICABLE: it refers to an item that does not apply (answered "not applicable", or
  dropped out by its own condition), so neither does this one: a chain is followed to the end;
- None: undecided because a referenced item is unanswered; the item applies (missing
  information must never make a unit look better than it is);
- MISSING_FACT: undecided because a register fact it needs is missing (directly, or through a
  referenced item answered from the register); the item counts as unanswered, so a missing
  fact gives "unknown", never "unsuitable".

An item whose `satisfied_by` cannot be decided because a register fact is missing is UNSETTLED:
a passing answer is a pass either way, anything else counts as unanswered (it might be met
another way), so a missing fact never makes it a barrier.

`item_states` walks the items that carry a condition or `satisfied_by` in dependency order and
says, per item, which of the special states it is in; every other item simply applies
(`gate_outcomes` is the same walk, saying it once per group of items that share their
conditions, as the scoring engine reads it). The operators are those of the table in
app/checklists/answer_types.py; the phone evaluates them from the copy of that table its
checklist carries (app/pwa/static/js/checklist.js), on the same table of cases
(tests/scoring/condition_cases.json).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any, Final, NamedTuple

from app.checklists.answer_types import OPERATORS
from app.checklists.definitions import Condition


class _Outcome:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


NOT_APPLICABLE: Final = _Outcome("NOT_APPLICABLE")
LEFT_OUT: Final = _Outcome("LEFT_OUT")  # answered "not applicable" by hand (an item state)
MISSING_FACT: Final = _Outcome("MISSING_FACT")
SATISFIED: Final = _Outcome("SATISFIED")
UNSETTLED: Final = _Outcome("UNSETTLED")  # satisfied_by undecided for a missing fact

# Item state: NOT_APPLICABLE (by its condition), LEFT_OUT (answered "not applicable"),
# MISSING_FACT, SATISFIED or UNSETTLED; absent means "applies as answered".
States = dict[str, _Outcome]
Outcome = bool | None | _Outcome

# Python's comparison for the outcomes an operator holds for (answer_types.Operator.holds).
_BY_HOLDS: dict[tuple[int, ...], Callable[[Any, Any], bool]] = {
    (0,): operator.eq,
    (-1, 1): operator.ne,
    (1,): operator.gt,
    (0, 1): operator.ge,
    (-1,): operator.lt,
    (-1, 0): operator.le,
}
# Read from the table once: the operators that compare with one value, by name; those that
# take a list (a value holds when it equals one of its members); those that only tell equal
# from unequal.
_OPS = {name: _BY_HOLDS[o.holds] for name, o in OPERATORS.items() if o.takes == "value"}
_LISTS = frozenset(name for name, o in OPERATORS.items() if o.takes == "list")
_EQUALITY = frozenset(name for name, o in OPERATORS.items() if not o.orders)


def compare(actual: Any, op: str, expected: Any) -> bool | None:
    """One comparison; None when the value is missing or of a type the operator cannot take."""
    if actual is None:
        return None
    if op in _LISTS:
        if not isinstance(expected, list | tuple):
            return None
        return any(compare(actual, "eq", choice) for choice in expected)
    if op in _EQUALITY:
        # bool is an int in Python: keep True from equalling 1 in a condition.
        if isinstance(actual, bool) != isinstance(expected, bool):
            return 0 not in OPERATORS[op].holds  # unequal: ne holds, eq does not
        return _OPS[op](actual, expected)
    if isinstance(actual, bool) or isinstance(expected, bool):
        return None
    try:
        return bool(_OPS[op](actual, expected))
    except TypeError:
        return None


def comparison(op: str, expected: Any) -> Callable[[Any], bool | None]:
    """`compare(actual, op, expected)` for a fixed operator and value, for actual not None.

    Conditions are compiled once per checklist version and evaluated for every inspection,
    so the operator's dispatch is done here. Results are those of `compare`."""
    if op in _LISTS:
        if not isinstance(expected, list | tuple):
            return lambda _actual: None
        choices = tuple(expected)
        if all(type(choice) is str for choice in choices):
            # A str equals a choice exactly when it is in the set; other values take the
            # general rule (never equal to a str, unless a type says otherwise).
            names = frozenset(choices)
            return lambda actual: (
                actual in names
                if type(actual) is str
                else any(compare(actual, "eq", choice) for choice in choices)
            )
        return lambda actual: any(compare(actual, "eq", choice) for choice in choices)
    if op in _EQUALITY and isinstance(expected, bool):
        # Only a bool can equal a bool here (True is not 1): equality is identity (as a
        # partial of operator.is_, the most common test costs no Python call).
        if 0 in OPERATORS[op].holds:
            return partial(operator.is_, expected)
        return partial(operator.is_not, expected)
    fn = _OPS.get(op)
    if fn is None:
        return lambda actual: compare(actual, op, expected)
    if op in _EQUALITY:
        differ = 0 not in OPERATORS[op].holds  # a bool never equals a value that is not a bool
        return lambda actual: differ if isinstance(actual, bool) else fn(actual, expected)
    if isinstance(expected, bool):
        return lambda _actual: None

    def ordered(actual: Any) -> bool | None:
        if isinstance(actual, bool):
            return None
        try:
            return bool(fn(actual, expected))
        except TypeError:
            return None

    return ordered


def combine_all(results: list[Outcome]) -> Outcome:
    if False in results:
        return False
    for outcome in (NOT_APPLICABLE, MISSING_FACT, None):
        if any(r is outcome for r in results):
            return outcome
    return True


def combine_any(results: list[Outcome]) -> Outcome:
    if True in results:
        return True
    for outcome in (MISSING_FACT, None):
        if any(r is outcome for r in results):
            return outcome
    return False if False in results else NOT_APPLICABLE


def negate(result: Outcome) -> Outcome:
    return not result if isinstance(result, bool) else result


# A compiled condition: (answers, facts, states) -> an outcome.
Compiled = Callable[[Mapping[str, Any], Mapping[str, Any], States], Outcome]


def compile_condition(condition: Condition, registers: Mapping[str, str | None]) -> Compiled:
    """Turn a condition into a closure over answers, facts and the item states so far.

    `registers` maps item id to the unit fact that answers it when it is unanswered.
    """
    kind, op, expected = condition.kind, condition.op, condition.value
    if kind in ("item", "fact"):
        test = comparison(op, expected)
    if kind == "item":
        target, register = condition.target, registers.get(condition.target)

        def item(answers: Mapping[str, Any], facts: Mapping[str, Any], states: States) -> Outcome:
            state = states.get(target)
            if state is not None:
                if state is NOT_APPLICABLE or state is LEFT_OUT:
                    return NOT_APPLICABLE
                if state is MISSING_FACT:
                    return state
            answer = answers.get(target)
            if answer is None:
                if not register:
                    return None
                value = facts.get(register)
                if value is None:
                    return MISSING_FACT
            elif answer.not_applicable:
                return NOT_APPLICABLE
            else:
                value = answer.value
                if value is None:
                    return None
            return test(value)

        return item
    if kind == "fact":
        target = condition.target

        def fact(_answers: Mapping[str, Any], facts: Mapping[str, Any], _states: States):
            value = facts.get(target)
            return MISSING_FACT if value is None else test(value)

        return fact
    children = tuple(compile_condition(child, registers) for child in condition.children)
    if kind == "not":
        (child,) = children
        return lambda answers, facts, states: negate(child(answers, facts, states))
    if kind == "all":
        return lambda answers, facts, states: combine_all(
            [c(answers, facts, states) for c in children]
        )
    if kind == "any":
        return lambda answers, facts, states: combine_any(
            [c(answers, facts, states) for c in children]
        )
    raise ValueError(f"unknown condition kind {kind!r}")


class Gate(NamedTuple):
    """The items that share one condition and one `satisfied_by` (either may be None).

    Many items share a condition (a dozen lift items read entrance.lift_to_unit_floor); equal
    conditions share one closure, so they are evaluated once per inspection for the group.
    """

    condition: Compiled | None
    satisfied_by: Compiled | None
    item_ids: tuple[str, ...]
    dropped: Mapping[str, _Outcome]  # every item NOT_APPLICABLE, for dict.update
    undecided: Mapping[str, _Outcome]  # every item MISSING_FACT, for dict.update
    referenced: tuple[str, ...]  # its items that some condition reads (see gate_outcomes)


def group_gates(
    ordered: Iterable[tuple[str, Compiled | None, Compiled | None]],
    referenced: frozenset[str],
) -> tuple[Gate, ...]:
    """Group (item id, condition, satisfied_by), parents before children, by the pair of
    closures; each group takes the place of its first item. `referenced` are the item ids
    that some condition reads.

    That keeps parents first: the items of a group read the same items, all placed before
    its first item; and an item that reads a member of the group comes after that member,
    so after the group's place too."""
    groups: dict[tuple[Compiled | None, Compiled | None], list[str]] = {}
    for item_id, condition, satisfied_by in ordered:
        groups.setdefault((condition, satisfied_by), []).append(item_id)
    return tuple(
        Gate(
            condition,
            satisfied_by,
            tuple(ids),
            dict.fromkeys(ids, NOT_APPLICABLE),
            dict.fromkeys(ids, MISSING_FACT),
            tuple(item_id for item_id in ids if item_id in referenced),
        )
        for (condition, satisfied_by), ids in groups.items()
    )


def gate_outcomes(
    gates: tuple[Gate, ...], answers: Mapping[str, Any], facts: Mapping[str, Any]
) -> list[_Outcome | None]:
    """The state of each gate's items, in the order of `gates`: NOT_APPLICABLE (dropped by
    the condition), MISSING_FACT, SATISFIED, UNSETTLED, or None (they apply as answered).

    Items answered "not applicable" are not told apart (the item states call them LEFT_OUT).
    Only the states that conditions read are kept on the way: NOT_APPLICABLE and
    MISSING_FACT of the items some condition refers to. LEFT_OUT reads as the "not
    applicable" answer it stands for, and conditions never read SATISFIED or UNSETTLED, so
    every condition has the outcome it has in `item_states`.
    """
    states: States = {}
    outcomes: list[_Outcome | None] = []
    for condition, satisfied_by, _ids, _dropped, _undecided, referenced in gates:
        if condition is not None:
            outcome = condition(answers, facts, states)
            if outcome is False or outcome is NOT_APPLICABLE or outcome is MISSING_FACT:
                state = MISSING_FACT if outcome is MISSING_FACT else NOT_APPLICABLE
                for item_id in referenced:
                    states[item_id] = state
                outcomes.append(state)
                continue
        if satisfied_by is None:
            outcomes.append(None)
            continue
        # Conditions have no side effects: evaluating satisfied_by also for items answered
        # "not applicable" (which stay LEFT_OUT) changes nothing.
        met = satisfied_by(answers, facts, states)
        outcomes.append(SATISFIED if met is True else UNSETTLED if met is MISSING_FACT else None)
    return outcomes


def item_states(
    gates: tuple[Gate, ...],
    referenced: frozenset[str],
    answers: Mapping[str, Any],
    facts: Mapping[str, Any],
    left_out: bool = True,
) -> States:
    """The state of every item that does not simply apply (see the module docstring).

    `gates` are the groups of items with a condition or `satisfied_by` (see `group_gates`),
    parents before children; `referenced` the items some condition reads (their "not
    applicable" answers matter). With `left_out=False` items answered "not applicable" need
    not get their LEFT_OUT state, for callers that read the answers themselves (as conditions
    do); every other state is the same.
    """
    states: States = {}
    if left_out:
        for item_id in referenced:
            answer = answers.get(item_id)
            if answer is not None and answer.not_applicable:
                states[item_id] = LEFT_OUT
    for gate, mark in zip(gates, gate_outcomes(gates, answers, facts), strict=True):
        if mark is NOT_APPLICABLE:
            states.update(gate.dropped)
            continue
        if mark is MISSING_FACT:
            states.update(gate.undecided)
            continue
        if mark is None and not left_out:
            continue
        for item_id in gate.item_ids:
            answer = answers.get(item_id)
            if answer is not None and answer.not_applicable:
                states[item_id] = LEFT_OUT
            elif mark is not None:
                states[item_id] = mark
    return states
