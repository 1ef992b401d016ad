"""The shared table of condition cases (condition_cases.json), run against the server's rules.

tests/e2e/test_condition_cases.py runs the same table through the phone's checklist.js."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.checklists.definitions import Checklist, Condition, MeasureCatalogue, Section
from app.scoring import ItemAnswer, prepare
from app.scoring.conditions import item_states
from tests.scoring.scoring_builders import PROFILES, item

CASES = json.loads((Path(__file__).parent / "condition_cases.json").read_text(encoding="utf-8"))
_OPS = ("eq", "ne", "gt", "ge", "lt", "le", "in")


def condition(data: dict | None) -> Condition | None:
    """A condition in the file's shape, as the loader builds it."""
    if data is None:
        return None
    for kind in ("all", "any"):
        if kind in data:
            return Condition(kind, children=tuple(condition(c) for c in data[kind]))
    if "not" in data:
        return Condition("not", children=(condition(data["not"]),))
    kind = "item" if "item" in data else "fact"
    op = next(o for o in _OPS if o in data)
    value = tuple(data[op]) if op == "in" else data[op]
    return Condition(kind, target=data[kind], op=op, value=value)


def states_of(case: dict) -> dict[str, str]:
    items = tuple(
        item(
            spec["id"],
            spec["type"],
            condition=condition(spec.get("condition")),
            satisfied_by=condition(spec.get("satisfied_by")),
            register=spec.get("register"),
            severity=spec.get("severity", {}),
            bounds=(0, 5000) if spec["type"] == "measurement" else None,
        )
        for spec in case["items"]
    )
    checklist = Checklist("cases", 1, items[0].question, (Section("s", items[0].question, items),))
    prepared = prepare(checklist, PROFILES, MeasureCatalogue(1, ()))
    answers = {
        item_id: ItemAnswer(None, True) if a.get("not_applicable") else ItemAnswer(a["value"])
        for item_id, a in case["answers"].items()
    }
    got = item_states(prepared.gates, prepared.condition_refs, answers, case["facts"])
    # The phone calls an item answered "not applicable" (LEFT_OUT here) not_applicable too,
    # and asks an UNSETTLED item like any other (only scoring reads the difference).
    names = {"left_out": "not_applicable", "unsettled": "applies"}
    states = {k: v.name.lower() for k, v in got.items()}
    return {
        spec["id"]: names.get(states.get(spec["id"], "applies"), states.get(spec["id"], "applies"))
        for spec in case["items"]
    }


def test_every_operator_is_covered():
    text = json.dumps(CASES)
    for op in (*_OPS, "all", "any", "not", "satisfied_by", "register", "not_applicable"):
        assert f'"{op}"' in text, op


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_condition_case(case):
    assert states_of(case) == case["expected"]
