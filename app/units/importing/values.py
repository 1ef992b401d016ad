"""Cell parsers: one raw cell (text from CSV, typed value from XLSX) to one typed value.

Each parser returns None for a blank cell and raises ValueError with the Norwegian reason
(what was expected) for a bad one; the caller names the column and the value.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from app.units.importing.records import Ownership, UnitStatus

_SPACES = str.maketrans("", "", " \u00a0\u202f\t")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+(?:[.,]0*)?", re.ASCII)
_AREA_UNIT = re.compile(r"(?:m2|m²|kvm)$", re.IGNORECASE)

_BOOLEANS = {
    **dict.fromkeys(("ja", "j", "yes", "y", "true", "sann", "1", "x"), True),
    **dict.fromkeys(("nei", "n", "no", "false", "usann", "0"), False),
}
_OWNERSHIP = {
    **dict.fromkeys(
        ("eid", "eie", "eiet", "kommunal", "kommunalt eid", "selveid", "owned", "own"),
        Ownership.OWNED,
    ),
    **dict.fromkeys(("leid", "leie", "innleid", "innleie", "leased", "lease"), Ownership.LEASED),
}
_STATUS = {
    **dict.fromkeys(("ledig", "vacant", "ledig for utleie"), UnitStatus.VACANT),
    **dict.fromkeys(("utleid", "let", "bebodd", "occupied", "rented"), UnitStatus.LET),
    **dict.fromkeys(
        (
            "rehabilitering",
            "under rehabilitering",
            "renovation",
            "under oppussing",
            "oppussing",
            "renovering",
            "under renovering",
        ),
        UnitStatus.RENOVATION,
    ),
    **dict.fromkeys(("inaktiv", "inactive", "utgått", "ikke i bruk"), UnitStatus.INACTIVE),
}


def text(cell: object) -> str | None:
    """Trimmed single-spaced text, or None when blank; integral floats lose their ".0"."""
    if cell is None:
        return None
    if isinstance(cell, str):
        value = " ".join(cell.split())
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        if value[:2] == '="' and value[-1:] == '"':
            value = value[2:-1].strip()  # Excel's ="0150" trick to keep leading zeros
        return value or None
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def long_text(cell: object) -> str | None:
    """Like text() but keeps line breaks inside the value (for notes)."""
    if isinstance(cell, str):
        value = unicodedata.normalize("NFC", cell.strip())
        return value or None
    return text(cell)


def fold(value: str) -> str:
    """NFC, lower case and single spaces, for matching a value against a vocabulary."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def decimal(cell: object) -> Decimal | None:
    """A decimal number; accepts decimal comma, spaces as thousands separators and "m²"."""
    if cell is None:
        return None
    if isinstance(cell, bool | datetime | date):
        raise ValueError("forventet et tall")
    if isinstance(cell, int | float):
        value = Decimal(str(cell))
    else:
        raw = str(cell).translate(_SPACES).replace("\u2212", "-")
        raw = _AREA_UNIT.sub("", raw)
        if not raw:
            return None
        if "," in raw and "." in raw:
            # Both present: the last one is the decimal mark, the other groups thousands.
            if raw.rfind(",") > raw.rfind("."):
                raw = raw.replace(".", "").replace(",", ".")
            else:
                raw = raw.replace(",", "")
        else:
            raw = raw.replace(",", ".")
        if not _DECIMAL.fullmatch(raw):
            raise ValueError("forventet et tall, f.eks. 54,5")
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:
            raise ValueError("forventet et tall, f.eks. 54,5") from exc
    if not value.is_finite():
        raise ValueError("forventet et tall")
    return value


def integer(cell: object) -> int | None:
    """A whole number; "3", 3, 3.0 and "3,0" are all 3."""
    if cell is None:
        return None
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, float):
        if cell.is_integer():
            return int(cell)
        raise ValueError("forventet et heltall")
    if isinstance(cell, str):
        if cell.isdigit() and cell.isascii():
            return int(cell)
        raw = cell.translate(_SPACES)
        if not raw:
            return None
        if _INTEGER.fullmatch(raw):
            return int(re.split(r"[.,]", raw, maxsplit=1)[0])
    raise ValueError("forventet et heltall")


def boolean(cell: object) -> bool | None:
    """Yes/no in Norwegian or English, 1/0 or an "x" mark; blank is unknown (None)."""
    if cell is None or isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    value = text(cell)
    if value is None:
        return None
    result = _BOOLEANS.get(value.casefold())
    if result is None:
        raise ValueError("bruk ja eller nei")
    return result


def postal_code(cell: object) -> str | None:
    """Four digits; pads "150" to "0150" because spreadsheets drop the leading zero."""
    value = text(cell)
    if value is None:
        return None
    value = value.replace(" ", "")
    if not value.isdigit() or not value.isascii() or len(value) > 4:
        raise ValueError("forventet fire sifre, f.eks. 0150")
    return value.zfill(4)


def ownership(cell: object) -> Ownership | None:
    """Owned or leased, from Norwegian or English words."""
    value = text(cell)
    if value is None:
        return None
    result = _OWNERSHIP.get(fold(value))
    if result is None:
        raise ValueError("bruk eid eller leid")
    return result


def status(cell: object) -> UnitStatus | None:
    """Letting status from Norwegian or English words."""
    value = text(cell)
    if value is None:
        return None
    result = _STATUS.get(fold(value))
    if result is None:
        raise ValueError("bruk ledig, utleid, rehabilitering eller inaktiv")
    return result


# Building types in the words of Norwegian registers and exports -> the stable keys.
_BUILDING_TYPES = {
    **dict.fromkeys(("blokk", "boligblokk", "leilighetsbygg", "block", "apartment block"), "block"),
    **dict.fromkeys(
        ("rekkehus", "kjedehus", "terraced", "terraced house", "row house"), "terraced"
    ),
    **dict.fromkeys(("tomannsbolig", "semi-detached", "semi detached", "duplex"), "semi_detached"),
    **dict.fromkeys(("enebolig", "detached", "detached house", "house"), "detached"),
    **dict.fromkeys(
        ("omsorgsbolig", "omsorgsboliger", "bofellesskap", "care housing", "sheltered housing"),
        "care_housing",
    ),
    **dict.fromkeys(("annet", "annen", "other"), "other"),
}


def building_type(cell: object) -> str | None:
    """The building type (blokk, rekkehus, tomannsbolig, enebolig, omsorgsbolig, annet)."""
    value = text(cell)
    if value is None:
        return None
    result = _BUILDING_TYPES.get(fold(value))
    if result is None:
        raise ValueError("bruk blokk, rekkehus, tomannsbolig, enebolig, omsorgsbolig eller annet")
    return result


def in_range(value: int | Decimal | None, low: int | Decimal, high: int | Decimal) -> None:
    """Raise ValueError naming the bounds when a value lies outside [low, high]."""
    if value is not None and not low <= value <= high:
        raise ValueError(f"må være mellom {low} og {high}")
