"""Bruksenhetsnummer: parse, normalise and derive the floor of a unit number.

A Norwegian unit number is a floor letter, a two-digit storey and a two-digit running number,
e.g. ``H0201`` = second main storey, unit 01. Letters (Kartverket's convention):
H = hovedetasje, U = underetasje, K = kjeller, L = loft.

Floor convention used in the register (``floor`` on a unit), chosen so that 1 is street level
and lower numbers are further down:

- ``H`` storeys count from street level: H01 -> 1, H02 -> 2, ...
- ``U`` is the partly sunken storey just below H01: U01 -> 0, U02 -> -1, ...
- ``K`` is a basement: K01 -> -1, K02 -> -2, ...
- ``L`` (loft) sits above the top main storey, which the number alone does not tell, so its
  floor is not derived (None); an explicit floor in the import overrides this as for any unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIXES = ("H", "U", "K", "L")

_STRIP = re.compile(r"[\s\-.]+")
_PATTERN = re.compile(r"([HUKL])(\d\d)(\d\d)", re.ASCII)


class InvalidUnitNumber(ValueError):
    """The text is not a bruksenhetsnummer; the message is user-facing Norwegian."""


@dataclass(frozen=True, slots=True)
class UnitNumber:
    """A parsed bruksenhetsnummer, e.g. H0201 = prefix H, floor_number 2, number 1."""

    prefix: str
    floor_number: int
    number: int

    def __str__(self) -> str:
        return f"{self.prefix}{self.floor_number:02d}{self.number:02d}"

    @property
    def floor(self) -> int | None:
        """The register floor (1 = street level) or None for a loft; see the module docstring."""
        if self.prefix == "H":
            return self.floor_number
        if self.prefix == "U":
            return 1 - self.floor_number
        if self.prefix == "K":
            return -self.floor_number
        return None


def normalise_unit_number(text: str) -> str:
    """Upper-case and drop spaces, hyphens and dots: ``" h 02-01"`` -> ``"H0201"``."""
    return _STRIP.sub("", text).upper()


def parse_unit_number(text: str) -> UnitNumber:
    """Parse a bruksenhetsnummer, tolerating case and spacing; raise InvalidUnitNumber if wrong."""
    match = _PATTERN.fullmatch(normalise_unit_number(text))
    if match is None or match[2] == "00" or match[3] == "00":
        raise InvalidUnitNumber(
            f"Ugyldig bruksenhetsnummer «{text.strip()}»: forventet H, U, K eller L "
            "fulgt av fire sifre, f.eks. H0201"
        )
    return UnitNumber(match[1], int(match[2]), int(match[3]))


def floor_from_unit_number(text: str) -> int | None:
    """The floor a unit number implies (H0201 -> 2, U0101 -> 0, K0101 -> -1, L0101 -> None)."""
    return parse_unit_number(text).floor
