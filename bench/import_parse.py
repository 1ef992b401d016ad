"""Benchmark: parse + validate a 12,000-unit register file, as a ratio to a bare read.

CSV: `parse_file` (decode, sniff, read, validate) against `csv.reader` over the same bytes.
XLSX: the same against a bare openpyxl read-only pass over the same workbook.
Both are run interleaved in the same process, so machine noise hits them alike.

    .venv/bin/python bench/import_parse.py [units] [rounds]
"""

from __future__ import annotations

import csv
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook

from app.units.importing import parse_file

DISTRICTS = ["Sentrum", "Brødløs", "Tistedal", "Idd", "Berg", "Iddefjord", "Rokke", "Kornsjø"]
HEADER = [
    "FDV bygg-id", "Byggnavn", "Adresse", "Postnr", "Poststed", "Bydel", "Etasjer", "Heis",
    "Byggeår", "FDV-id", "Bruksenhetsnr", "Antall rom", "Soverom", "BRA (m²)", "Eierform",
    "Status",
]  # fmt: skip


def rows(units: int) -> list[list[object]]:
    """Realistic rows: 12 units per building, Norwegian letters, decimal commas."""
    out = []
    for n in range(units):
        building, index = divmod(n, 12)
        floor, number = divmod(index, 4)
        out.append([
            f"B-{building}", f"Bygg {building}", f"Øvre Særgate {building}",
            f"{1760 + building % 30}", "Halden", DISTRICTS[building % len(DISTRICTS)], "3",
            "ja" if building % 2 else "nei",
            str(1950 + building % 70), f"E-{n}", f"H{floor + 1:02d}{number + 1:02d}",
            str(2 + n % 3), str(1 + n % 3), f"{40 + n % 60},5", "eid", "utleid",
        ])  # fmt: skip
    return out


def csv_data(units: int) -> bytes:
    lines = [";".join(HEADER)] + [";".join(map(str, row)) for row in rows(units)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def xlsx_data(units: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Boligregister"])
    sheet.append(HEADER)
    for row in rows(units):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bare_csv(data: bytes) -> int:
    return len(list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";")))


def bare_xlsx(data: bytes) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def timed(func, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def compare(name: str, data: bytes, baseline, filename: str, units: int, rounds: int) -> None:  # type: ignore[no-untyped-def]
    """Time baseline and parse alternately; print medians and the median per-round ratio."""
    result = parse_file(data, filename, DISTRICTS)
    assert result.ok and len(result.rows) == units, result.problems[:3]
    base, ours = [], []
    for _ in range(rounds):
        base.append(timed(baseline, data))
        ours.append(timed(parse_file, data, filename, DISTRICTS))
    ratios = [o / b for o, b in zip(ours, base, strict=True)]
    print(
        f"{name}: {units} units, {len(data) / 1e6:.2f} MB | baseline median "
        f"{statistics.median(base) * 1000:.0f} ms | parse+validate median "
        f"{statistics.median(ours) * 1000:.0f} ms (min {min(ours) * 1000:.0f}, max "
        f"{max(ours) * 1000:.0f}) | ratio median {statistics.median(ratios):.1f}x"
    )


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 12_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    compare("CSV (cp1252, ;)", csv_data(units), bare_csv, "register.csv", units, rounds)
    compare("XLSX (title row)", xlsx_data(units), bare_xlsx, "register.xlsx", units, rounds)


if __name__ == "__main__":
    main()
