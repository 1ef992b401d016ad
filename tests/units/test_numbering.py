"""Bruksenhetsnummer parsing, normalisation and the floor convention."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.units.numbering import (
    InvalidUnitNumber,
    UnitNumber,
    floor_from_unit_number,
    normalise_unit_number,
    parse_unit_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H0201", UnitNumber("H", 2, 1)),
        ("h 0201", UnitNumber("H", 2, 1)),
        (" H02-01 ", UnitNumber("H", 2, 1)),
        ("u0103", UnitNumber("U", 1, 3)),
        ("K0210", UnitNumber("K", 2, 10)),
        ("L0101", UnitNumber("L", 1, 1)),
    ],
)
def test_parse_tolerates_case_and_spacing(text: str, expected: UnitNumber) -> None:
    assert parse_unit_number(text) == expected


@pytest.mark.parametrize(
    "text", ["X12", "H201", "H02011", "A0201", "H0001", "H0200", "", "H02O1", "H０２０１"]
)
def test_parse_rejects_malformed_numbers_naming_them(text: str) -> None:
    with pytest.raises(InvalidUnitNumber) as error:
        parse_unit_number(text)
    assert str(error.value) == (
        f"Ugyldig bruksenhetsnummer «{text.strip()}»: forventet H, U, K eller L "
        "fulgt av fire sifre, f.eks. H0201"
    )


@pytest.mark.parametrize(
    ("text", "floor"),
    [("H0101", 1), ("H0305", 3), ("U0101", 0), ("U0201", -1), ("K0101", -1), ("K0202", -2)],
)
def test_floor_convention(text: str, floor: int) -> None:
    assert floor_from_unit_number(text) == floor


def test_loft_floor_is_not_derived() -> None:
    assert floor_from_unit_number("L0101") is None


def test_normalise() -> None:
    assert normalise_unit_number(" h 02.01") == "H0201"


@given(
    prefix=st.sampled_from("HUKL"),
    floor=st.integers(1, 99),
    number=st.integers(1, 99),
    lower=st.booleans(),
)
def test_str_round_trips(prefix: str, floor: int, number: int, lower: bool) -> None:
    text = f"{prefix}{floor:02d}{number:02d}"
    parsed = parse_unit_number(text.lower() if lower else text)
    assert str(parsed) == text
    assert parse_unit_number(str(parsed)) == parsed
