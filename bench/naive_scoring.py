"""Scoring model 2 (docs/scoring.md) read literally: a plain, unoptimised reading, written
apart from the engine. The property tests compare the engine with it, and bench/scoring.py uses
it as the naive baseline."""

from __future__ import annotations

import dataclasses


def _compare(actual, op, expected):
    if op == "in":
        return any(_compare(actual, "eq", e) for e in expected)
    if op in ("eq", "ne"):
        same = isinstance(actual, bool) == isinstance(expected, bool) and actual == expected
        return same if op == "eq" else not same
    if isinstance(actual, bool) or isinstance(expected, bool):
        return "U"
    return {"gt": actual > expected, "ge": actual >= expected, "lt": actual < expected}.get(
        op, actual <= expected
    )


def _normalised(it, items):
    """The model's reading of {item: X, eq: false} on a rated yes_no X: satisfied by X."""
    c = it.condition
    if c is None or it.satisfied_by is not None or c.kind != "item":
        return it.condition, it.satisfied_by
    target = items.get(c.target)
    flips = (c.op, c.value) in (("eq", False), ("ne", True))
    if flips and target and target.type == "yes_no" and target.severity:
        return None, dataclasses.replace(c, op="eq", value=True)
    return it.condition, it.satisfied_by


def reference(cat, answers, unit_facts, keys):
    """docs/scoring.md read literally, one limitation at a time over the nested definitions:
    {key: (score, class, coverage, problem score)} for `keys` and "general".

    Condition outcomes: T, F, NA (refers to an item that does not apply), U (an unanswered
    item), M (a missing register fact)."""
    checklist, profiles, measures = cat
    items = checklist.items
    memo = {}

    def outcome(c):
        if c.kind == "not":
            inner = outcome(c.children[0])
            return {"T": "F", "F": "T"}.get(inner, inner)
        if c.kind in ("all", "any"):
            got = [outcome(child) for child in c.children]
            order = ("F", "NA", "M", "U", "T") if c.kind == "all" else ("T", "M", "U", "F", "NA")
            return next(o for o in order if o in got)
        if c.kind == "fact":
            value = unit_facts.get(c.target)
        else:
            if state(c.target) in ("NA", "M"):
                return state(c.target)
            a = answers.get(c.target)
            if a is not None and a.not_applicable:
                return "NA"
            if a is None:
                register = items[c.target].register
                if not register:
                    return "U"
                value = unit_facts.get(register)
            else:
                value = a.value
        if value is None:
            return "M"
        result = _compare(value, c.op, c.value)
        return result if result == "U" else ("T" if result else "F")

    def state_by_condition(item_id):
        it = items[item_id]
        condition, _ = _normalised(it, items)
        return "NA" if condition is not None and outcome(condition) in ("F", "NA") else "A"

    def state(item_id):
        if item_id not in memo:
            it = items[item_id]
            condition, satisfied_by = _normalised(it, items)
            got = "T" if condition is None else outcome(condition)
            a = answers.get(item_id)
            if got in ("F", "NA") or (a is not None and a.not_applicable and got != "M"):
                memo[item_id] = "NA"
            elif got == "M":
                memo[item_id] = "M"
            elif satisfied_by is not None and (met := outcome(satisfied_by)) in ("T", "M"):
                memo[item_id] = "S" if met == "T" else "SM"  # SM: a missing fact decides
            else:
                memo[item_id] = "A"
        return memo[item_id]

    def removes(m, it, value):
        """Feasible here (feasible_when on the facts, else the default) and within reach."""
        if m.feasible_when is not None and outcome(m.feasible_when) == "F":
            return False
        if not m.feasible_by_default:
            return False
        limit = m.limits.get(it.id)
        if limit is None or isinstance(value, bool):
            return True
        below = it.requirement is not None and it.requirement.min is not None
        return value >= limit if below else value <= limit

    out = {}
    for key in (*keys, "general"):
        applicable = answered = penalty = minor = left_out = 0
        severe_unanswered = severe = stuck = False
        rated = False
        for it in items.values():
            full = it.severity.get(key, 0)
            if not full:
                continue
            rated = True
            st_ = state(it.id)
            if st_ == "NA":
                a = answers.get(it.id)
                if a is not None and a.not_applicable and state_by_condition(it.id) != "NA":
                    left_out += full  # answered "not applicable": asked and answered
                continue
            applicable += full
            if st_ == "S":
                answered += full
                continue
            a = answers.get(it.id)
            if st_ == "M":
                value = None
            elif a is not None:
                value = a.value
            else:
                value = unit_facts.get(it.register) if it.register else None
            if value is None or (st_ == "SM" and _fails(it, value)):
                # Unanswered, or a failing answer perhaps met another way: not a barrier.
                severe_unanswered |= full >= 3
                continue
            answered += full
            sev = _severity(it, value, key, full)
            penalty += sev
            if sev >= 3:
                severe = True
            elif sev:
                minor += sev
            if sev == 4:
                removers = [m for m in measures.measures if it.id in m.removes]
                stuck |= not any(removes(m, it, value) for m in removers)
        s = 100 * (1 - penalty / answered) if answered else 100
        asked = applicable + left_out
        coverage = (answered + left_out) / asked if asked else 1
        if (
            severe_unanswered
            or coverage < profiles.min_coverage
            or (key == "general" and not rated)
        ):
            klass = "unknown"
        elif stuck:
            klass = "unsuitable"
        elif severe or minor > profiles.tolerance:
            klass = "adaptable"
        else:
            klass = "suitable"
        out[key] = (round(s, 6), klass, round(coverage, 6), penalty)
    return out


def _severity(it, value, key: str, full: int) -> int:
    """The answer's severity for `key` (0: a pass)."""
    if it.type == "yes_no":
        return 0 if value else full
    if it.type == "choice":
        choice = next(c for c in it.choices if c.key == value)
        if choice.passes:
            return 0
        return full if choice.severity is None else min(choice.severity.get(key, 0), full)
    if it.type in ("measurement", "count") and not it.requirement.passes(value):
        below = it.requirement.min is not None and value < it.requirement.min
        for band in it.bands:
            if (value >= band.limit) if below else (value <= band.limit):
                return min(band.severity.get(key, 0), full)
        return full
    return 0


def _fails(it, value) -> bool:
    """The answer is a barrier for some group or other."""
    return any(_severity(it, value, key, full) for key, full in it.severity.items() if full)
