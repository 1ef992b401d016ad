"""Plan exports for the facility-management system: CSV (semicolon, UTF-8 with BOM, so
Norwegian Excel opens it right) and XLSX, one row per measure, with NS 3451 codes and costs."""

from __future__ import annotations

from app import spreadsheets

COLUMNS = [
    "Rang", "Bolig-ID", "Adresse", "Bruksenhetsnr", "Bydel", "Tiltak-ID", "Tiltak", "NS 3451",
    "Omfang", "Kostnad lav", "Kostnad typisk", "Kostnad høy", "Kumulativ kostnad",
    "Blir egnet for",
]  # fmt: skip


def rows(plan: dict) -> list[list]:
    """One row per measure bought, in the plan's order, named and priced from `measures`."""
    described = {}
    for measure_id, m in plan["measures"].items():
        scope = {"building": "bygg", "flight": "trappeløp"}.get(m["scope"], "bolig")
        cost = m["cost"]
        described[measure_id] = [m["id"], m["name"]["nb"], m["ns3451"], scope]
        described[measure_id] += [cost["low"], cost["typical"], cost["high"]]
    out = []
    for step in plan["steps"]:
        place = [
            step["rank"],
            step["unit_id"],
            step["address"],
            step["unit_number"],
            step["district"],
        ]
        needs = ", ".join(step["needs"])
        for ref in step["measures"]:
            out.append([*place, *described[ref["id"]], step["cumulative_cost"], needs])
    return out


def to_csv(plan: dict) -> bytes:
    return spreadsheets.to_csv(COLUMNS, rows(plan))


def to_xlsx(plan: dict) -> bytes:
    return spreadsheets.to_xlsx("Tiltaksplan", COLUMNS, rows(plan))
