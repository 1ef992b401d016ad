"""Small, valid catalogue files for tests, built as data and dumped to real YAML text."""

from __future__ import annotations

import copy
from typing import Any

import yaml

LIMITATIONS: dict[str, Any] = {
    "version": 1,
    "limitations": [
        {
            "key": "wheelchair_manual",
            "label": {"nb": "Manuell rullestol", "en": "Manual wheelchair"},
            "group": "bevegelse",
        },
        {"key": "deaf", "label": {"nb": "Døv", "en": "Deaf"}, "group": "hørsel"},
    ],
}

PROFILES: dict[str, Any] = {
    "version": 1,
    "suitable_threshold": 85,
    "min_coverage": 0.9,
    "profiles": [
        {"key": "adult", "label": {"nb": "Voksen", "en": "Adult"}, "weights": {}},
        {
            "key": "wheel",
            "label": {"nb": "Rullestol", "en": "Wheelchair"},
            "weights": {"wheelchair_manual": 1},
        },
    ],
}


def yes_no(item_id: str, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": item_id,
        "type": "yes_no",
        "question": {"nb": "Spørsmål?", "en": "Question?"},
        "help": {"nb": "Hjelp.", "en": "Help."},
        "reference": {"source": "TEK17", "clause": "§12-7", "kind": "regulation"},
        "severity": {"wheelchair_manual": 4, "deaf": 2},
    }
    item.update(fields)
    return item


def measurement(item_id: str = "room.width_mm", **fields: Any) -> dict[str, Any]:
    item = yes_no(item_id, type="measurement", unit="mm", bounds=[100, 3000])
    item.update(
        requirement={"min": 860},
        bands=[{"at_least": 800, "severity": {"wheelchair_manual": 1}}],
        severity={"wheelchair_manual": 4},
    )
    item.update(fields)
    return item


def items() -> list[dict[str, Any]]:
    return [yes_no(f"room.{name}") for name in "abcde"] + [measurement()]


def checklist(item_list: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "key": "test",
        "version": 1,
        "title": {"nb": "Test", "en": "Test"},
        "sections": [
            {"id": "room", "title": {"nb": "Rom", "en": "Room"}, "items": item_list or items()}
        ],
    }


def measures(removes: list[str] | None = None, **fields: Any) -> dict[str, Any]:
    measure: dict[str, Any] = {
        "id": "fix_all",
        "name": {"nb": "Fiks alt", "en": "Fix everything"},
        "removes": removes
        if removes is not None
        else [f"room.{n}" for n in "abcde"] + ["room.width_mm"],
        "cost": {"low": 1000, "typical": 2000, "high": 3000, "basis": "Test"},
        "scope": "unit",
        "feasible_by_default": True,
        "ns3451": "244",
    }
    measure.update(fields)
    return {"version": 1, "measures": [measure]}


def dump(data: Any) -> str:
    return yaml.safe_dump(copy.deepcopy(data), sort_keys=False, allow_unicode=True)


def sources(overrides: dict[str, Any] | None = None) -> dict[str, str]:
    """A full, valid set of files keyed as in checklists/; overrides replace files' data."""
    files: dict[str, Any] = {
        "limitations.yaml": LIMITATIONS,
        "profiles.yaml": PROFILES,
        "measures.yaml": measures(),
        "test/v1.yaml": checklist(),
    }
    files.update(overrides or {})
    return {name: value if isinstance(value, str) else dump(value) for name, value in files.items()}


def line_containing(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]
