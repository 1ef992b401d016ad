"""The phone applies the same condition rules as the server: every case of
tests/scoring/condition_cases.json run through checklist.js's itemStates in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "scoring" / "condition_cases.json").read_text("utf-8")
)

pytestmark = pytest.mark.browser


def test_the_phone_agrees_with_the_server_on_every_case(phone, live_app):
    phone.goto(f"{live_app.url}/healthz")  # same origin, without the whole app shell
    got = phone.evaluate(
        """async (cases) => {
          const { itemStates } = await import("/pwa/js/checklist.js");
          return cases.map((c) => {
            const answers = Object.fromEntries(Object.entries(c.answers).map(([id, a]) => [
              id, { item_id: id, value: a.value ?? null, not_applicable: !!a.not_applicable },
            ]));
            return itemStates(c.items, answers, c.facts);
          });
        }""",
        CASES,
    )
    assert len(got) == len(CASES)
    for case, states in zip(CASES, got, strict=True):
        assert states == case["expected"], case["name"]
