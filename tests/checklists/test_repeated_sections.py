"""A section may be repeated (a bathroom and a WC, three bedrooms): the `repeat` block is read
and checked, with every problem named at once."""

from __future__ import annotations

import pytest

from app.checklists.definitions import Repeat, Text
from app.checklists.loader import CatalogueError, parse_checklist, parse_limitations
from tests.checklists.checklist_builders import LIMITATIONS, checklist, dump, items, yes_no

LIMS = parse_limitations(dump(LIMITATIONS), "limitations.yaml")
BATH = {"label": {"nb": "Bad {n}", "en": "Bathroom {n}"}, "rule": "any"}


def with_bathroom(repeat, bath_items=None, room_items=None) -> str:
    data = checklist(room_items or items())
    data["sections"].append(
        {
            "id": "bath",
            "title": {"nb": "Bad", "en": "Bathroom"},
            "repeat": repeat,
            "items": bath_items or [yes_no("bath.grab_bar"), yes_no("bath.shower")],
        }
    )
    return dump(data)


def problems(text: str) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_checklist(text, "test/v1.yaml", LIMS)
    return [f.message for f in info.value.findings]


def test_a_repeated_section_is_read_with_its_defaults():
    parsed = parse_checklist(with_bathroom(BATH), "test/v1.yaml", LIMS)
    assert parsed.repeated["bath"].repeat == Repeat(Text("Bad {n}", "Bathroom {n}"), "any")
    assert parsed.repeated["bath"].repeat.default_label(2) == "Bad 2"
    assert "room" not in parsed.repeated
    full = {**BATH, "rule": "every", "min": 2, "max": 3, "prefill": "bathrooms"}
    repeat = parse_checklist(with_bathroom(full), "test/v1.yaml", LIMS).repeated["bath"].repeat
    assert (repeat.rule, repeat.min, repeat.max, repeat.prefill) == ("every", 2, 3, "bathrooms")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rule": "some"}, "regelen «some» må være en av any, every"),
        ({"min": 3, "max": 2}, "må ha 1 <= min <= max <= 20 (fikk 3 og 2)"),
        ({"min": 0}, "må ha 1 <= min <= max"),
        ({"max": 21}, "må ha 1 <= min <= max"),
        ({"prefill": "floors"}, "«floors» må være en av bathrooms, bedrooms"),
        ({"label": {"nb": "Bad", "en": "Bathroom"}}, "navnet må ha {n}"),
        ({"counts": "any"}, "ukjent felt «counts» i repeat"),
    ],
)
def test_a_wrong_repeat_is_named(change, message):
    found = problems(with_bathroom({**BATH, **change}))
    assert any(message in p for p in found), found


def test_a_repeat_that_is_no_block_is_named():
    assert any("repeat må være en blokk" in p for p in problems(with_bathroom("yes")))


def test_outside_items_may_not_read_a_repeated_section_but_its_own_items_may():
    inside = [
        yes_no("bath.present"),
        yes_no("bath.shower", condition={"item": "bath.present", "eq": True}),
        yes_no("bath.step_free", condition={"item": "room.a", "eq": True}),
    ]
    parse_checklist(with_bathroom(BATH, bath_items=inside), "test/v1.yaml", LIMS)
    outside = [*items(), yes_no("room.f", condition={"item": "bath.present", "eq": True})]
    found = problems(with_bathroom(BATH, bath_items=inside, room_items=outside))
    assert found == [
        "betingelsen viser til «bath.present» i den gjentatte seksjonen «bath»; "
        "bare punkter i samme seksjon kan lese den"
    ]
