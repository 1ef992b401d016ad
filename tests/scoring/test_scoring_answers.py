"""Validation of raw API answers against the item definitions."""

from __future__ import annotations

import pytest

from app.errors import Unprocessable
from app.scoring import ItemAnswer, validate_answer, validate_answers
from tests.scoring.scoring_builders import CHECKLIST

ITEMS = CHECKLIST.items


@pytest.mark.parametrize(
    ("item_id", "value", "expected"),
    [
        ("step_free_entrance", True, ItemAnswer(True)),
        ("step_free_entrance", False, ItemAnswer(False)),
        ("door_width", 860, ItemAnswer(860)),
        ("door_width", 859.5, ItemAnswer(859.5)),
        ("bedrooms", 3, ItemAnswer(3)),
        ("bedrooms", 3.0, ItemAnswer(3)),
        ("floor_surface", "smooth", ItemAnswer("smooth")),
        ("notes", "Trang gang", ItemAnswer("Trang gang")),
    ],
)
def test_valid_values(item_id, value, expected):
    answer = validate_answer(ITEMS[item_id], {"item_id": item_id, "value": value, "note": "x"})
    assert answer == expected
    assert type(answer.value) is type(expected.value)


@pytest.mark.parametrize(
    ("item_id", "value", "message"),
    [
        ("step_free_entrance", 1, "Svaret må være ja (true) eller nei (false)"),
        ("step_free_entrance", "true", "Svaret må være ja (true) eller nei (false)"),
        ("door_width", 86, "Verdien må være mellom 300 og 3000 mm"),  # centimetres
        ("door_width", 86000, "Verdien må være mellom 300 og 3000 mm"),  # micrometres
        ("door_width", "860", "Verdien må være et tall"),
        ("door_width", True, "Verdien må være et tall"),
        ("door_width", float("nan"), "Verdien må være et tall"),
        ("bedrooms", -1, "Verdien må være et heltall som ikke er negativt"),
        ("bedrooms", 2.5, "Verdien må være et heltall som ikke er negativt"),
        ("bedrooms", 21, "Verdien må være mellom 0 og 20"),
        ("floor_surface", "wood", "Ugyldig valg, gyldige valg er: matt, smooth, loose"),
        ("notes", 5, "Verdien må være tekst"),
        ("notes", "x" * 2001, "Teksten kan ha høyst 2000 tegn"),
        ("notes", None, "Verdi mangler"),
    ],
)
def test_invalid_values(item_id, value, message):
    with pytest.raises(Unprocessable) as exc:
        validate_answer(ITEMS[item_id], {"item_id": item_id, "value": value})
    assert exc.value.errors == {"value": [message]}
    assert exc.value.status == 422


def test_not_applicable():
    raw = {"item_id": "stair_handrails", "not_applicable": True}
    assert validate_answer(ITEMS["stair_handrails"], raw) == ItemAnswer(None, True)
    with pytest.raises(Unprocessable) as exc:
        validate_answer(ITEMS["door_width"], {"item_id": "door_width", "not_applicable": True})
    assert exc.value.errors == {
        "not_applicable": ["Punktet door_width kan ikke besvares med «ikke relevant»"]
    }
    with pytest.raises(Unprocessable) as exc:
        validate_answer(ITEMS["stair_handrails"], {**raw, "value": True})
    assert list(exc.value.errors) == ["value"]


def test_batch_collects_every_problem_by_index_and_item():
    raw = [
        {"item_id": "door_width", "value": 900},
        {"item_id": "ghost", "value": True},
        {"item_id": "door_width", "value": 800},
        {"item_id": "threshold", "value": 3000},
        "nonsense",
        {"value": True},
        {"item_id": "step_free_entrance", "value": True},
    ]
    with pytest.raises(Unprocessable) as exc:
        validate_answers(CHECKLIST, raw)
    assert exc.value.errors == {
        "answers": {
            "1": {"item_id": ["Ukjent punkt: ghost"]},
            "2": {"item_id": ["Punktet door_width er besvart to ganger (også i svar 0)"]},
            "3": {"value": ["threshold: Verdien må være mellom 0 og 300 mm"]},
            "4": {"_schema": ["Svaret må være et objekt"]},
            "5": {"item_id": ["Punkt-id mangler"]},
        }
    }
    assert (
        exc.value.detail == "Ugyldige svar: 1 (ghost), 2 (door_width), 3 (threshold), 4 (?), 5 (?)"
    )


def test_batch_returns_typed_answers():
    raw = [
        {"item_id": "door_width", "value": 900, "answered_at": "2025-01-01T00:00:00Z"},
        {"item_id": "stair_handrails", "not_applicable": True},
    ]
    assert validate_answers(CHECKLIST, raw) == {
        "door_width": ItemAnswer(900),
        "stair_handrails": ItemAnswer(None, True),
    }
    with pytest.raises(Unprocessable):
        validate_answers(CHECKLIST, {"item_id": "door_width"})  # type: ignore[arg-type]


def test_a_floor_below_street_level_is_a_valid_count():
    """The checklist's floor item allows -5..60 (U and K floors are 0 or below); other counts
    stay non-negative."""
    from pathlib import Path

    from app.checklists.loader import load_catalogue

    catalogue = load_catalogue(Path(__file__).resolve().parents[2] / "checklists")
    floor = catalogue.checklists[("uu-bolig", 2)].items["unit.floor"]
    assert validate_answer(floor, {"item_id": "unit.floor", "value": -1}).value == -1
    with pytest.raises(Unprocessable) as exc:
        validate_answer(floor, {"item_id": "unit.floor", "value": 1.5})
    assert exc.value.errors == {"value": ["Verdien må være et heltall"]}
    with pytest.raises(Unprocessable) as exc:
        validate_answer(floor, {"item_id": "unit.floor", "value": -6})
    assert exc.value.errors == {"value": ["Verdien må være mellom -5 og 60"]}
