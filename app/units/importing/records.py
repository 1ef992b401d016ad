"""What an import yields: typed building and unit rows, problems, and the keys that match them.

The keys are public so the upsert can compute the same ones for rows already stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Ownership(StrEnum):
    """Whether the municipality owns the unit or leases it from someone else."""

    OWNED = "owned"
    LEASED = "leased"


class UnitStatus(StrEnum):
    """Letting status; only `vacant` units are offered to applicants."""

    VACANT = "vacant"
    LET = "let"
    RENOVATION = "renovation"
    INACTIVE = "inactive"


# A unit's status when the file does not say: `let`, not `vacant`, so that a gap in the
# export never offers an occupied dwelling to applicants.
DEFAULT_STATUS = UnitStatus.LET
DEFAULT_OWNERSHIP = Ownership.OWNED

BuildingKey = tuple[str, ...]

_HOUSE_LETTER = re.compile(r"(\d)\s+([a-zæøå])\b")


def normalise_address(address: str) -> str:
    """Fold an address for matching: NFC, lower case, single spaces, "12 b" -> "12b"."""
    text = " ".join(unicodedata.normalize("NFC", address).casefold().split())
    return _HOUSE_LETTER.sub(r"\1\2", text).strip(" ,.")


def building_key(external_id: str | None, address: str, postal_code: str | None) -> BuildingKey:
    """Identify a building: by its external id if it has one, else by address + postal code."""
    if external_id:
        return ("id", external_id)
    return ("address", normalise_address(address), postal_code or "")


@dataclass(frozen=True, slots=True)
class BuildingRow:
    """A building as the file describes it (merged over all its rows), first seen on `line`."""

    key: BuildingKey
    line: int
    external_id: str | None
    name: str | None
    address: str
    postal_code: str | None
    place: str | None
    district: str
    latitude: float | None
    longitude: float | None
    gnr: int | None
    bnr: int | None
    fnr: int | None
    snr: int | None
    storeys: int | None
    building_type: str | None
    has_lift: bool | None
    year_built: int | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One valid unit row: its line in the file, its building and its typed unit fields."""

    line: int
    building: BuildingRow
    external_id: str | None
    unit_number: str
    floor: int | None
    rooms: int | None
    bedrooms: int | None
    bathrooms: int | None
    area: Decimal | None
    ownership: Ownership
    status: UnitStatus
    notes: str | None

    @property
    def address_key(self) -> tuple[str, str, str]:
        """Matches a stored unit when there is no external id: address, postal code, number."""
        building = self.building
        return (
            normalise_address(building.address),
            building.postal_code or "",
            self.unit_number,
        )


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One report line: the file line, the column as named in the file (if any), a message."""

    line: int
    column: str | None
    message: str


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Valid rows, the buildings they belong to, and every problem found, in line order."""

    header_line: int
    rows: tuple[UnitRow, ...]
    buildings: tuple[BuildingRow, ...]
    problems: tuple[RowProblem, ...]
    unknown_columns: tuple[str, ...]
    rows_read: int

    @property
    def ok(self) -> bool:
        """True when nothing is wrong, so a real run may write."""
        return not self.problems

    @property
    def error_rows(self) -> int:
        """How many data lines have at least one problem (for the report summary)."""
        return len({p.line for p in self.problems if p.line != self.header_line})
