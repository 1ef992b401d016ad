"""Import columns: the fields a unit-register file can carry and the header names for each.

Headers are matched by name, not position, with Norwegian and English aliases, ignoring case,
spaces and punctuation (``"BRA (m²)"``, ``"bra m2"`` and ``"BRA"`` are the same column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Field key -> (label used in messages when the file has no such column, aliases).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "building_external_id": (
        "bygg-id",
        (
            "bygg-id",
            "bygg id fdv",
            "fdv bygg-id",
            "byggnummer",
            "byggnr",
            "ekstern bygg-id",
            "bygning-id",
            "building id",
            "building external id",
        ),
    ),
    "building_name": (
        "byggnavn",
        (
            "byggnavn",
            "bygg",
            "bygning",
            "bygningsnavn",
            "eiendom",
            "eiendomsnavn",
            "navn",
            "building",
            "building name",
            "name",
        ),
    ),
    "address": (
        "adresse",
        ("adresse", "gateadresse", "besøksadresse", "address", "street address", "street"),
    ),
    "postal_code": (
        "postnr",
        ("postnr", "postnummer", "postal code", "postcode", "zip", "zip code"),
    ),
    "place": ("poststed", ("poststed", "sted", "place", "city", "town")),
    "district": (
        "bydel",
        ("bydel", "krets", "distrikt", "sone", "område", "district", "zone"),
    ),
    "latitude": ("breddegrad", ("breddegrad", "bredde", "lat", "latitude")),
    "longitude": ("lengdegrad", ("lengdegrad", "lengde", "lon", "lng", "long", "longitude")),
    "gnr": ("gnr", ("gnr", "gårdsnummer", "gardsnummer")),
    "bnr": ("bnr", ("bnr", "bruksnummer")),
    "fnr": ("fnr", ("fnr", "festenummer")),
    "snr": ("snr", ("snr", "seksjonsnummer")),
    "storeys": (
        "antall etasjer",
        (
            "etasjer",
            "antall etasjer",
            "ant etasjer",
            "storeys",
            "floors",
            "number of storeys",
            "number of floors",
        ),
    ),
    "building_type": (
        "bygningstype",
        ("bygningstype", "byggtype", "type bygg", "boligtype", "building type"),
    ),
    "has_lift": ("heis", ("heis", "har heis", "lift", "has lift", "elevator")),
    "year_built": (
        "byggeår",
        ("byggeår", "byggår", "byggeaar", "byggaar", "year built", "built"),
    ),
    "unit_external_id": (
        "ekstern id",
        (
            "ekstern id",
            "fdv-id",
            "enhet-id",
            "enhetsid",
            "bolig-id",
            "boenhet-id",
            "external id",
            "unit id",
            "unit external id",
        ),
    ),
    "unit_number": (
        "bruksenhetsnummer",
        (
            "bruksenhetsnummer",
            "bruksenhetsnr",
            "bruksenhet",
            "leilighetsnr",
            "leilighetsnummer",
            "h-nummer",
            "unit number",
            "dwelling number",
        ),
    ),
    "floor": ("etasje", ("etasje", "etg", "etasjenr", "etasjenummer", "floor")),
    "rooms": ("antall rom", ("antall rom", "ant rom", "rom", "rooms", "number of rooms")),
    "bedrooms": (
        "soverom",
        ("soverom", "antall soverom", "ant soverom", "bedrooms", "number of bedrooms"),
    ),
    "bathrooms": ("bad", ("bad", "antall bad", "ant bad", "bathrooms", "number of bathrooms")),
    "area": (
        "BRA",
        (
            "bra",
            "bra m2",
            "bra-i",
            "bra-i m2",
            "areal",
            "areal m2",
            "bruksareal",
            "bruksareal m2",
            "area",
            "area m2",
        ),
    ),
    "ownership": ("eierform", ("eierform", "eierskap", "eie", "ownership")),
    "status": ("status", ("status", "utleiestatus", "boligstatus")),
    "building_notes": (
        "merknad bygg",
        ("merknad bygg", "byggmerknad", "bygg merknad", "building notes"),
    ),
    "unit_notes": (
        "merknad",
        ("merknad", "merknader", "kommentar", "notat", "notes", "note", "comment"),
    ),
}

REQUIRED = ("address", "unit_number", "district")


def normalise_header(name: object) -> str:
    """Fold a header cell to its matching form: lower case, letters and digits only."""
    text = str(name).casefold().replace("²", "2")
    return "".join(ch for ch in text if ch.isalnum())


ALIASES: dict[str, str] = {
    normalise_header(alias): field for field, (_, aliases) in FIELDS.items() for alias in aliases
}


def label(field: str) -> str:
    """The Norwegian column name used when a message must name a column the file lacks."""
    return FIELDS[field][0]


def known_count(cells: Sequence[object]) -> int:
    """How many cells of a row are known column names; picks the header row of a file."""
    return sum(1 for cell in cells if cell is not None and normalise_header(cell) in ALIASES)


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Which column index holds which field, and what in the header was not understood."""

    indexes: dict[str, int]
    names: dict[str, str]  # field -> the header text as written in the file
    unknown: tuple[str, ...]
    repeated: tuple[tuple[str, str], ...]  # (header text, field) seen a second time
    width: int  # cells up to the last named one; data beyond it has no column


def match_header(header: Sequence[object]) -> HeaderMatch:
    """Map header cells to fields; blank header cells are ignored, unknown ones listed."""
    indexes: dict[str, int] = {}
    names: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[tuple[str, str]] = []
    width = 0
    for index, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        width = index + 1
        field = ALIASES.get(normalise_header(text))
        if field is None:
            unknown.append(text)
        elif field in indexes:
            repeated.append((text, field))
        else:
            indexes[field] = index
            names[field] = text
    return HeaderMatch(indexes, names, tuple(unknown), tuple(repeated), width)
