"""Unit-register import: file bytes in, typed unit rows and a per-row report out.

`read_table` reads CSV or XLSX; `parse_rows` validates it against the configured districts.
No database and no Flask here: the upsert and the endpoint build on these results.
"""

from app.units.importing.reading import MAX_ROWS, Table, read_table
from app.units.importing.records import (
    DEFAULT_OWNERSHIP,
    DEFAULT_STATUS,
    BuildingRow,
    Ownership,
    ParseResult,
    RowProblem,
    UnitRow,
    UnitStatus,
    building_key,
    normalise_address,
)
from app.units.importing.rows import parse_rows


def parse_file(data: bytes, filename: str, districts: list[str]) -> ParseResult:
    """Read and validate an uploaded file in one call (what the endpoint and CLI both use)."""
    return parse_rows(read_table(data, filename), districts)


__all__ = [
    "DEFAULT_OWNERSHIP",
    "DEFAULT_STATUS",
    "MAX_ROWS",
    "BuildingRow",
    "Ownership",
    "ParseResult",
    "RowProblem",
    "Table",
    "UnitRow",
    "UnitStatus",
    "building_key",
    "normalise_address",
    "parse_file",
    "parse_rows",
    "read_table",
]
