"""The phone applies the same condition rules as the server: every case of
tests/scoring/condition_cases.json run through checklist.js's itemStates in Chromium, with the
table of answer types and operators a checklist definition carries (answer_types.shipped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.checklists.answer_types import shipped

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "scoring" / "condition_cases.json").read_text("utf-8")
)

pytestmark = pytest.mark.browser


def test_the_phone_agrees_with_the_server_on_every_case(phone, live_app):
    phone.goto(f"{live_app.url}/healthz")  # same origin, without the whole app shell
    got = phone.evaluate(
        """async ([cases, table]) => {
          const { itemStates, useTable } = await import("/pwa/js/checklist.js");
          useTable(table);
          return cases.map((c) => {
            const answers = Object.fromEntries(Object.entries(c.answers).map(([id, a]) => [
              id, { item_id: id, value: a.value ?? null, not_applicable: !!a.not_applicable },
            ]));
            return itemStates(c.items, answers, c.facts);
          });
        }""",
        [CASES, shipped()],
    )
    assert len(got) == len(CASES)
    for case, states in zip(CASES, got, strict=True):
        assert states == case["expected"], case["name"]


def _samples(item) -> list:
    """Values that pass and fail each kind of judging: yes/no, every choice, and either side
    of each requirement limit."""
    req = item.requirement
    if item.choices:
        return [choice.key for choice in item.choices]
    if req is None:
        return [True, False]
    limits = [v for v in (req.min, req.max) if v is not None]
    return [v + d for v in limits for d in (-1, 0, 1)]


def test_the_phone_judges_every_rated_item_as_the_server_does(phone, live_app):
    """For every rated item of the shipped checklists, the phone's judge (dispatching on the
    shipped table) says pass where the server's judging finds no barrier, fail where it does."""
    from app.checklists.loader import load_catalogue, measures_for_item
    from app.checklists.serialize import item_to_dict
    from app.scoring import prepare

    catalogue = load_catalogue(Path(__file__).resolve().parents[2] / "checklists")
    rows, expected = [], []
    for checklist in catalogue.checklists.values():
        prepared = prepare(checklist, catalogue.profiles, catalogue.measures)
        removers = measures_for_item(catalogue)
        for pi in prepared.items:
            for value in _samples(pi.item):
                passes = value is True if pi.judge is None else pi.judge(value) is None
                rows.append([item_to_dict(pi.item, removers.get(pi.id, ())), value])
                expected.append(passes)
    phone.goto(f"{live_app.url}/healthz")
    got = phone.evaluate(
        """async ([rows, table]) => {
          const { judge, useTable } = await import("/pwa/js/checklist.js");
          useTable(table);
          return rows.map(([item, value]) => judge(item, { value }).pass);
        }""",
        [rows, shipped()],
    )
    assert len(rows) > 200
    mismatches = [
        (row[0]["id"], row[1], want, have)
        for row, want, have in zip(rows, expected, got, strict=True)
        if want != have
    ]
    assert not mismatches, mismatches[:10]
