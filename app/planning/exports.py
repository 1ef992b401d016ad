"""Plan exports for the facility-management system and for reading in Excel.

CSV: the measures, one row per measure bought, separated by semicolons, UTF-8 with a byte
order mark and decimal commas: what Excel in Norwegian (nb-NO, where the list separator is
";" and the decimal sign ",") opens by double-click with every column and number right.
XLSX: the same measures, then one sheet per unit and per district, and a short guide; with
`kr` number formats, column widths, an autofilter and a frozen header row on every table.

Every cell value goes through `cell()` and every file through `write_csv` / `write_xlsx`,
so a rule for all exported text (such as neutralising spreadsheet formulas) has one place.
Needs appear by their Norwegian names (`labels`), never by key. No formulas are written.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter

from app.spreadsheets import safe_cell

KR = '#,##0 "kr"'
INTEGER = "0"
SHARE = "0.0 %"
SCOPE = {"building": "Bygget", "unit": "Boligen", "flight": "Trappeløp"}
# Needs that are no limitation or age group: the general score applies to every resident.
GENERAL_LABEL = "Alle beboere"


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # characters
    number_format: str | None = None


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]
    rows: list[list]


COLUMNS = (
    Column("Rang", 7, INTEGER),
    Column("Bolig-ID", 10, INTEGER),
    Column("Adresse", 28),
    Column("Bruksenhetsnr", 14),
    Column("Bydel", 14),
    Column("Tiltak-ID", 24),
    Column("Tiltak", 40),
    Column("NS 3451", 10),
    Column("Omfang", 10),
    Column("Kostnad lav", 14, KR),
    Column("Kostnad typisk", 15, KR),
    Column("Kostnad høy", 14, KR),
    Column("Kumulativ kostnad", 18, KR),
    Column("Blir egnet for", 50),
)


def need_labels(catalogue) -> dict[str, str]:
    """Norwegian names of every need key a plan can name: limitations, age groups, general."""
    names = {x.key: x.label.nb for x in catalogue.limitations}
    names.update({p.key: p.label.nb for p in catalogue.profiles.profiles})
    names["general"] = GENERAL_LABEL
    return names


def _needs(keys, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(key, key) for key in keys)


def step_rows(plan: dict, labels: dict[str, str]) -> list[list]:
    """One row per measure bought, in the plan's order, named and priced from `measures`."""
    described = {}
    for measure_id, m in plan["measures"].items():
        cost = m["cost"]
        described[measure_id] = [m["id"], m["name"]["nb"], m["ns3451"], SCOPE[m["scope"]]]
        described[measure_id] += [cost["low"], cost["typical"], cost["high"]]
    out = []
    for step in plan["steps"]:
        place = [step["rank"], step["unit_id"], step["address"], step["unit_number"]]
        place.append(step["district"])
        needs = _needs(step["needs"], labels)
        for ref in step["measures"]:
            out.append([*place, *described[ref["id"]], step["cumulative_cost"], needs])
    return out


def _unit_sheet(plan: dict, labels: dict[str, str]) -> Sheet:
    rows: dict[int, list] = {}
    needs: dict[int, dict] = defaultdict(dict)
    for step in plan["steps"]:
        row = rows.get(step["unit_id"])
        if row is None:
            row = rows[step["unit_id"]] = [step["unit_id"], step["address"]]
            row += [step["unit_number"], step["district"], 0, 0, ""]
        row[4] += len(step["measures"])
        row[5] += step["cost"]["typical"]
        needs[step["unit_id"]].update(dict.fromkeys(step["needs"]))
    for unit_id, row in rows.items():
        row[6] = _needs(needs[unit_id], labels)
    columns = (
        Column("Bolig-ID", 10, INTEGER),
        Column("Adresse", 28),
        Column("Bruksenhetsnr", 14),
        Column("Bydel", 14),
        Column("Antall tiltak", 13, INTEGER),
        Column("Kostnad typisk", 15, KR),
        Column("Blir egnet for", 60),
    )
    return Sheet("Per bolig", columns, list(rows.values()))


def _district_sheet(plan: dict, labels: dict[str, str]) -> Sheet:
    cost: dict[str, int] = defaultdict(int)
    for step in plan["steps"]:
        cost[step["district"]] += step["cost"]["typical"]
    totals = sorted(plan["totals"]["districts"], key=lambda t: (t["district"], t["need"]))
    rows = [
        [
            *(t["district"], labels.get(t["need"], t["need"]), t["units"], t["current"]),
            *(t["baseline"], t["after"], t["after"] / t["units"] if t["units"] else 0),
            cost[t["district"]],
        ]
        for t in totals
    ]
    columns = (
        Column("Bydel", 14),
        Column("Behov", 34),
        Column("Boliger", 10, INTEGER),
        Column("Egnet i dag", 12, INTEGER),
        Column("Egnet etter vedtatte tiltak", 16, INTEGER),
        Column("Egnet etter planen", 14, INTEGER),
        Column("Andel egnet etter planen", 16, SHARE),
        Column("Planens kostnad i bydelen", 18, KR),
    )
    return Sheet("Per bydel", columns, rows)


def _guide(plan: dict) -> Sheet:
    lines = [
        ["Tiltak", "Tiltakene i prioritert rekkefølge, én rad per tiltak. «Rang» er "
         "rekkefølgen; «Kumulativ kostnad» er sum typisk kostnad til og med steget."],
        ["Per bolig", "Hver bolig planen gjør noe med: antall tiltak, typisk kostnad og "
         "behovene boligen blir egnet for."],
        ["Per bydel", "Per bydel og behov: hvor mange boliger som er egnet i dag, etter "
         "tiltak som alt er vedtatt, og etter planen."],
        ["Kostnader", "Indikative kostnader i kroner (lav, typisk, høy) fra "
         "tiltakskatalogen; ikke anbud."],
        ["Budsjett", plan["budget"]],
        ["Brukt (typisk)", plan["spent"]["typical"]],
        ["Filter", "Hver tabell har filter i overskriftsraden; raden står fast når du "
         "blar."],
    ]  # fmt: skip
    return Sheet("Slik leser du dette", (Column("Hva", 18), Column("Forklaring", 90)), lines)


def sheets(plan: dict, labels: dict[str, str]) -> list[Sheet]:
    """The plan as tables: the steps first, then per unit, per district, and the guide."""
    return [
        Sheet("Tiltak", COLUMNS, step_rows(plan, labels)),
        _unit_sheet(plan, labels),
        _district_sheet(plan, labels),
        _guide(plan),
    ]


def cell(value):
    """Every exported value passes here: text a spreadsheet would read as a formula is made
    inert (see app/spreadsheets.py)."""
    return safe_cell(value)


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")  # nb-NO reads a decimal comma
    return str(value)


def write_csv(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell(c.title) for c in sheet.columns])
    writer.writerows([_csv_text(cell(v)) for v in row] for row in sheet.rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(tables: list[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append([cell(c.title) for c in table.columns])
        for row in table.rows:
            sheet.append([cell(v) for v in row])
            for target in sheet[sheet.max_row]:
                if isinstance(target.value, str):
                    target.data_type = TYPE_STRING  # text, never a formula
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            if column.number_format:
                for (target,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    target.number_format = column.number_format
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(plan: dict, labels: dict[str, str]) -> bytes:
    """The measures table as CSV (the file the facility-management system imports)."""
    return write_csv(Sheet("Tiltak", COLUMNS, step_rows(plan, labels)))


def to_xlsx(plan: dict, labels: dict[str, str]) -> bytes:
    return write_xlsx(sheets(plan, labels))
