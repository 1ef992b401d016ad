"""Validate a read table into typed unit rows and a per-row problem report.

Every problem names the file line, the column as the file spells it and the offending value,
in Norwegian. A row with any problem is left out of the valid rows; the caller decides that a
real import with problems writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.units.importing import values
from app.units.importing.columns import REQUIRED, HeaderMatch, label, match_header
from app.units.importing.reading import RawRow, Table
from app.units.importing.records import (
    DEFAULT_OWNERSHIP,
    DEFAULT_STATUS,
    BuildingKey,
    BuildingRow,
    ParseResult,
    RowProblem,
    UnitRow,
    building_key,
    normalise_address,
)
from app.units.numbering import InvalidUnitNumber, UnitNumber, parse_unit_number

MIN_YEAR_BUILT = 1600
MAX_AREA = Decimal(1000)
_TENTH = Decimal("0.1")

# The longest text each column may hold (the database's column sizes); others, MAX_CELL_LENGTH.
MAX_LENGTH = {
    "building_external_id": 64,
    "unit_external_id": 64,
    "building_name": 200,
    "address": 200,
    "place": 100,
    "district": 100,
}
MAX_CELL_LENGTH = 4000  # notes, as the API allows
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")

# Building fields checked for agreement between rows of one building, with their names.
_BUILDING_FIELDS = {
    "external_id": "Bygg-id",
    "name": "Byggnavn",
    "address": "Adresse",
    "postal_code": "Postnummer",
    "place": "Poststed",
    "district": "Bydel",
    "latitude": "Breddegrad",
    "longitude": "Lengdegrad",
    "gnr": "Gårdsnummer",
    "bnr": "Bruksnummer",
    "fnr": "Festenummer",
    "snr": "Seksjonsnummer",
    "storeys": "Antall etasjer",
    "building_type": "Bygningstype",
    "has_lift": "Heis",
    "year_built": "Byggeår",
    "notes": "Merknad bygg",
}
# Building attribute -> the import column it comes from, where the two names differ.
_SOURCE = {
    "external_id": "building_external_id",
    "name": "building_name",
    "notes": "building_notes",
}


@dataclass(slots=True)
class _Parsed:
    """A row on its way through validation, before buildings are merged."""

    line: int
    building: dict[str, Any]
    unit: dict[str, Any]
    key: BuildingKey | None = None


class _RowReader:
    """Reads typed values out of one raw row, collecting a problem for each bad cell."""

    __slots__ = ("bad", "cell", "line", "match", "problems")

    def __init__(self, raw: RawRow, match: HeaderMatch, problems: list[RowProblem]) -> None:
        cells, width = raw.cells, len(raw.cells)
        found = {name: cells[index] for name, index in match.indexes.items() if index < width}
        self.line = raw.line
        self.match = match
        self.problems = problems
        self.bad: set[str] = set()
        for name, cell in found.items():
            if isinstance(cell, str) and (message := _bad_text(name, cell)):
                self.report(name, message)
                self.bad.add(name)
        for name in self.bad:
            found[name] = None  # reported once; later checks see an empty cell
        self.cell = found.get

    def column(self, name: str) -> str:
        return self.match.names.get(name) or label(name)

    def report(self, name: str, message: str) -> None:
        self.problems.append(RowProblem(self.line, self.column(name), message))

    def value(self, name: str, parse: Any, noun: str, low: Any = None, high: Any = None) -> Any:
        cell = self.cell(name)
        if cell is None or cell == "":
            return None
        try:
            result = parse(cell)
            if low is not None:
                values.in_range(result, low, high)
        except ValueError as exc:
            self.report(name, f"Ugyldig {noun} «{_shown(cell)}»: {exc}")
            return None
        return result

    def required(self, name: str) -> str | None:
        result = values.text(self.cell(name))
        if result is None and name not in self.bad:
            self.report(name, f"{label(name)[0].upper()}{label(name)[1:]} mangler")
        return result


def _bad_text(name: str, cell: str) -> str | None:
    """What the database would refuse in a text cell (and so a real import would fail on):
    NUL, lone surrogates, or more characters than the column holds. Checked while parsing so
    the dry run reports exactly what the real import refuses."""
    if _BAD_CHARACTERS.search(cell):
        return "Verdien inneholder ugyldige tegn (NUL eller ugyldig Unicode)"
    limit = MAX_LENGTH.get(name, MAX_CELL_LENGTH)
    if len(cell) <= limit:  # trimming only shortens: the common case needs no more work
        return None
    stored = values.long_text(cell) if name.endswith("notes") else values.text(cell)
    length = len(stored or "")
    if length > limit:
        return f"Verdien er for lang: {length} tegn, høyst {limit}"
    return None


def _shown(cell: object) -> str:
    shown = values.text(cell)
    return str(cell) if shown is None else shown


def _display(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return str(value)


def parse_rows(
    table: Table, districts: list[str], *, current_year: int | None = None
) -> ParseResult:
    """Validate every row of `table`; districts is the configured list of valid districts."""
    match = match_header(table.header)
    header_line = table.header_line
    problems = [
        RowProblem(
            header_line,
            text,
            f"Kolonnen «{text}» er oppgitt to ganger; bare «{match.names[name]}» brukes",
        )
        for text, name in match.repeated
    ]
    missing = [name for name in REQUIRED if name not in match.indexes]
    if missing:
        problems += [
            RowProblem(header_line, label(name), f"Mangler påkrevd kolonne «{label(name)}»")
            for name in missing
        ]
        return ParseResult(header_line, (), (), tuple(problems), match.unknown, len(table.rows))
    if not table.rows:
        problems.append(
            RowProblem(header_line, None, "Filen har ingen rader under overskriftsraden")
        )
    lookup = {values.fold(name): name for name in districts}
    year = current_year or date.today().year
    cache: _BuildingCache = {}
    parsed = [_parse_row(raw, match, lookup, year, problems, cache) for raw in table.rows]
    _check_duplicates(parsed, match, problems)
    buildings = _merge_buildings(parsed, match, problems)
    failed_lines = {problem.line for problem in problems}
    rows = tuple(
        UnitRow(line=row.line, building=buildings[row.key], **row.unit)
        for row in parsed
        if row.key is not None and row.line not in failed_lines
    )
    used = {row.building.key: row.building for row in rows}
    position = {match.names[name]: index for name, index in match.indexes.items()}
    problems.sort(key=lambda problem: (problem.line, position.get(problem.column or "", -1)))
    return ParseResult(
        header_line,
        rows,
        tuple(used.values()),
        tuple(problems),
        match.unknown,
        len(table.rows),
    )


_BUILDING_COLUMNS = (
    "building_external_id",
    "building_name",
    "address",
    "postal_code",
    "place",
    "district",
    "latitude",
    "longitude",
    "gnr",
    "bnr",
    "fnr",
    "snr",
    "storeys",
    "building_type",
    "has_lift",
    "year_built",
    "building_notes",
)

# Building cells as written -> the values parsed from them and the problems found (with the
# line they were first found on). Export files repeat a building's cells on each of its units.
_BuildingCache = dict[tuple[object, ...], tuple[dict[str, Any], list[RowProblem]]]


def _parse_row(
    raw: RawRow,
    match: HeaderMatch,
    districts: dict[str, str],
    year: int,
    problems: list[RowProblem],
    cache: _BuildingCache,
) -> _Parsed:
    """Parse one row's cells into building and unit values, reporting each bad cell."""
    r = _RowReader(raw, match, problems)
    if any(values.text(cell) is not None for cell in raw.cells[match.width :]):
        problems.append(
            RowProblem(
                raw.line,
                None,
                "Raden har flere verdier enn overskriftsraden har kolonner; "
                "sjekk skilletegn og anførselstegn",
            )
        )
    cells = tuple(r.cell(name) for name in _BUILDING_COLUMNS)
    cached = cache.get(cells)
    if cached is None:
        r.problems = []
        cached = cache[cells] = (_parse_building(r, districts, year), r.problems)
        r.problems = problems
    building, found = cached
    problems.extend(RowProblem(raw.line, p.column, p.message) for p in found)

    number_text = r.required("unit_number")
    unit_number = None
    if number_text is not None:
        try:
            unit_number = parse_unit_number(number_text)
        except InvalidUnitNumber as exc:
            r.report("unit_number", str(exc))
    row = _Parsed(raw.line, building, _parse_unit(r, unit_number))
    if building["address"] is not None and unit_number is not None:
        row.key = building_key(
            building["external_id"], building["address"], building["postal_code"]
        )
    return row


def _parse_building(r: _RowReader, districts: dict[str, str], year: int) -> dict[str, Any]:
    """The building values of one row; problems go to the reader."""
    address = r.required("address")
    district_text = r.required("district")
    district = None
    if district_text is not None:
        district = districts.get(values.fold(district_text))
        if district is None:
            valid = ", ".join(districts.values()) or "ingen bydeler er satt opp"
            r.report("district", f"Ukjent bydel «{district_text}»: gyldige verdier er {valid}")
    building = {
        "external_id": values.text(r.cell("building_external_id")),
        "name": values.text(r.cell("building_name")),
        "address": address,
        "postal_code": r.value("postal_code", values.postal_code, "postnummer"),
        "place": values.text(r.cell("place")),
        "district": district,
        "latitude": r.value("latitude", values.decimal, "breddegrad", 57, 82),
        "longitude": r.value("longitude", values.decimal, "lengdegrad", -10, 35),
        "gnr": r.value("gnr", values.integer, "gårdsnummer", 1, 99_999),
        "bnr": r.value("bnr", values.integer, "bruksnummer", 1, 9_999),
        "fnr": r.value("fnr", values.integer, "festenummer", 0, 9_999),
        "snr": r.value("snr", values.integer, "seksjonsnummer", 0, 9_999),
        "storeys": r.value("storeys", values.integer, "antall etasjer", 1, 99),
        "building_type": r.value("building_type", values.building_type, "bygningstype"),
        "has_lift": r.value("has_lift", values.boolean, "verdi for heis"),
        "year_built": r.value("year_built", values.integer, "byggeår", MIN_YEAR_BUILT, year),
        "notes": values.long_text(r.cell("building_notes")),
    }
    for given, other in (("latitude", "longitude"), ("longitude", "latitude")):
        if building[given] is not None and values.text(r.cell(other)) is None:
            r.report(other, "Breddegrad og lengdegrad må oppgis sammen")
    for coordinate in ("latitude", "longitude"):
        if building[coordinate] is not None:
            building[coordinate] = float(building[coordinate])
    return building


def _parse_unit(r: _RowReader, unit_number: UnitNumber | None) -> dict[str, Any]:
    """The unit values of one row; problems go to the reader."""
    floor = r.value("floor", values.integer, "etasje", -9, 99)
    rooms = r.value("rooms", values.integer, "antall rom", 1, 50)
    bedrooms = r.value("bedrooms", values.integer, "antall soverom", 0, 30)
    if rooms is not None and bedrooms is not None and bedrooms > rooms:
        r.report(
            "bedrooms",
            f"Antall soverom ({bedrooms}) kan ikke være større enn antall rom ({rooms})",
        )
    bathrooms = r.value("bathrooms", values.integer, "antall bad", 0, 10)
    area = r.value("area", values.decimal, "areal")
    if area is not None:
        if not 0 < area < MAX_AREA:
            r.report(
                "area",
                f"Ugyldig areal «{_shown(r.cell('area'))}»: "
                "må være større enn 0 og mindre enn 1000 m²",
            )
        # BRA is given to 0.1 m² (and stored so); rounding here keeps re-imports "unchanged".
        area = area.quantize(_TENTH, ROUND_HALF_UP)
    return {
        "external_id": values.text(r.cell("unit_external_id")),
        "unit_number": str(unit_number) if unit_number else None,
        "floor": floor if floor is not None or unit_number is None else unit_number.floor,
        "rooms": rooms,
        "bedrooms": bedrooms,
        "bathrooms": bathrooms,
        "area": area,
        "ownership": r.value("ownership", values.ownership, "eierform") or DEFAULT_OWNERSHIP,
        "status": r.value("status", values.status, "status") or DEFAULT_STATUS,
        "notes": values.long_text(r.cell("unit_notes")),
    }


def _check_duplicates(
    parsed: list[_Parsed], match: HeaderMatch, problems: list[RowProblem]
) -> None:
    """Report a unit that appears twice, on the later line, naming the earlier one."""
    by_number: dict[tuple[BuildingKey, str], int] = {}
    by_external_id: dict[str, int] = {}
    number_column = match.names["unit_number"]
    for row in parsed:
        if row.key is None:
            continue
        external_id = row.unit["external_id"]
        if external_id is not None:
            first = by_external_id.setdefault(external_id, row.line)
            if first != row.line:
                problems.append(
                    RowProblem(
                        row.line,
                        match.names["unit_external_id"],
                        f"Dobbel rad: ekstern id «{external_id}» står også på linje {first}",
                    )
                )
                continue
        number = row.unit["unit_number"]
        first = by_number.setdefault((row.key, number), row.line)
        if first != row.line:
            problems.append(
                RowProblem(
                    row.line,
                    number_column,
                    f"Dobbel rad: bruksenhet {number} i {row.building['address']} "
                    f"står også på linje {first}",
                )
            )


def _merge_buildings(
    parsed: list[_Parsed], match: HeaderMatch, problems: list[RowProblem]
) -> dict[BuildingKey, BuildingRow]:
    """Merge each building's values over its rows; report rows that contradict earlier ones."""
    merged: dict[BuildingKey, dict[str, Any]] = {}
    first_line: dict[BuildingKey, int] = {}
    for row in parsed:
        if row.key is None:
            continue
        known = merged.get(row.key)
        if known is None:
            merged[row.key] = dict(row.building)
            first_line[row.key] = row.line
            continue
        for name, noun in _BUILDING_FIELDS.items():
            new, old = row.building[name], known[name]
            if new is None:
                continue
            if old is None:
                known[name] = new
            elif new != old and _differs(name, new, old):
                column = match.names.get(_SOURCE.get(name, name)) or noun
                problems.append(
                    RowProblem(
                        row.line,
                        column,
                        f"{noun} «{_display(new)}» avviker fra «{_display(old)}» "
                        f"for samme bygg på linje {first_line[row.key]}",
                    )
                )
    return {
        key: BuildingRow(key=key, line=first_line[key], **fields)
        for key, fields in merged.items()
        if fields["district"] is not None
    }


def _differs(name: str, new: object, old: object) -> bool:
    if name == "address":
        return normalise_address(str(new)) != normalise_address(str(old))
    if isinstance(new, str) and isinstance(old, str):
        return values.fold(new) != values.fold(old)
    return new != old
