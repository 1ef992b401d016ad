"""Norwegian (bokmål) wording of numbers, money, dates, answers, requirements and sources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import Item

NBSP = "\u00a0"
MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
UNITS = {"m2": "m²", "m3": "m³"}

# Labels, icons and colours of the suitability classes (the same words as the app's).
CLASSES = {
    "suitable": ("Egnet", "✓"),
    "adaptable": ("Egnet etter tilpasning", "◐"),
    "unsuitable": ("Ikke egnet", "✗"),
    "unknown": ("Ikke vurdert", "?"),
}
SEVERITIES = {1: "liten", 2: "moderat", 3: "alvorlig", 4: "hindrer bruk"}
REFERENCE_KINDS = {
    "regulation": "forskrift",
    "guidance": "veiledning",
    "recommendation": "anbefaling",
}
SCOPES = {"unit": "per bolig", "building": "for hele bygget", "flight": "per trappeløp"}
BUILDING_TYPES = {
    "block": "Blokk",
    "terraced": "Rekkehus",
    "semi_detached": "Tomannsbolig",
    "detached": "Enebolig",
    "care_housing": "Omsorgsbolig",
    "other": "Annet",
}
STATUSES = {"draft": "Utkast", "submitted": "Sendt inn", "approved": "Godkjent"}


def num(value: Any) -> str:
    """1234.5 -> "1 234,5" (no-break space between thousands); None -> "–"."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    number = float(value)
    text = f"{int(number):,}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", NBSP).replace(".", ",").replace("-", "−")


def kr(value: Any) -> str:
    return "–" if value is None else f"{num(value)}{NBSP}kr"


def day(moment: datetime | None) -> str:
    """A date as "2. desember 2026" (UTC date)."""
    if moment is None:
        return "–"
    return f"{moment.day}. {MONTHS[moment.month - 1]} {moment.year}"


def unit_text(unit: str | None) -> str:
    return UNITS.get(unit, unit) if unit else ""


def with_unit(value: Any, unit: str | None) -> str:
    shown = unit_text(unit)
    text = num(value)
    if not shown or text == "–":
        return text
    return f"{text}{NBSP}{shown}"


def answer_text(item: Item | None, value: Any, unit: str | None = None) -> str:
    """What was found: "Ja"/"Nei", a choice's label, or a number with its unit."""
    if value is None:
        return "–"
    if item is not None and ANSWER_TYPES[item.type].value == "choice":  # a choice's key
        for choice in item.choices:
            if choice.key == value:
                return choice.label.nb
        return str(value)
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, int | float):
        return with_unit(value, unit if unit is not None else (item.unit if item else None))
    return str(value)


def requirement_text(item: Item | None, unit: str | None, requirement: dict | None) -> str:
    """What the rule asks for, e.g. "krav ≥ 860 mm (anbefalt 900 mm)" or "krav: Ja"."""
    if requirement:
        low, high = requirement.get("min"), requirement.get("max")
        if low is not None and high is not None:
            text = f"krav {num(low)}–{with_unit(high, unit)}"
        elif low is not None:
            text = f"krav ≥ {with_unit(low, unit)}"
        elif high is not None:
            text = f"krav ≤ {with_unit(high, unit)}"
        else:
            text = "krav ikke tallfestet"
        if requirement.get("recommended") is not None:
            text += f" (anbefalt {with_unit(requirement['recommended'], unit)})"
        return text
    if item is None:
        return "krav: se kilde"
    judged_by = ANSWER_TYPES[item.type].judged_by
    if judged_by == "yes":
        return "krav: Ja"
    if judged_by == "choice":  # the choices that pass
        passing = [c.label.nb for c in item.choices if c.passes]
        return "krav: " + " eller ".join(passing) if passing else "krav: se kilde"
    return "krav: se kilde"


def reference_text(reference: dict | None) -> str:
    """ "TEK17 §12-13 (forskrift)"."""
    if not reference:
        return "–"
    name = " ".join(part for part in (reference.get("source"), reference.get("clause")) if part)
    kind = REFERENCE_KINDS.get(reference.get("kind") or "", "")
    return f"{name} ({kind})" if kind else name
