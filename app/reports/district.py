"""All unit reports of a district as one ZIP, built synchronously within a configured limit.

There is no job queue in this product: the ZIP is rendered in the request, so the number of
reports is capped by `REPORT_ZIP_MAX_UNITS` (about 1-2 s of rendering each) and a larger
district is refused with a count the caller can act on. Every PDF comes from the same path as
the single download (`services.unit_report` + `services.pdf_of`), so the bytes are identical;
the download is audited once, for the ZIP, with its SHA-256 and the units it holds. Units
without an approved assessment are named in `les-meg.txt` rather than silently left out.
Nothing personal is added: file names and the read-me carry addresses and unit numbers only.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from flask import current_app
from sqlalchemy import select

from app.assessments.models import UnitAssessment
from app.audit import services as audit
from app.errors import Conflict, Unprocessable
from app.extensions import db
from app.reports import services
from app.reports.format import day
from app.timeutil import utcnow
from app.units.models import Building, Unit

README_NAME = "les-meg.txt"
# The ZIP stays in memory up to this size and moves to a temporary file beyond it.
SPOOL_BYTES = 8 * 1024 * 1024
# Norwegian letters written the conventional way in ASCII file names.
TRANSLITERATE = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})


@dataclass
class DistrictZip:
    file: IO[bytes]  # positioned at the start
    size: int
    filename: str


def safe_name(text: str, *, limit: int = 80) -> str:
    """ASCII letters, digits, '.', '_' and '-' only: "Brødløs gate 3/5" -> "Broedloes-gate-3-5".
    No path separators, no leading dot, nothing a file system or unzip tool could misread."""
    text = unicodedata.normalize("NFKC", text).translate(TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip(".-_")
    return text[:limit].rstrip(".-_") or "uten-navn"


def _units(district: str) -> list[tuple[Unit, bool]]:
    """The district's units in address order, each with whether it has a current assessment."""
    rows = db.session.execute(
        select(Unit, UnitAssessment.unit_id.is_not(None))
        .join(Unit.building)
        .outerjoin(UnitAssessment, UnitAssessment.unit_id == Unit.id)
        .where(Building.district == district)
        .order_by(Building.address_key, Unit.unit_number, Unit.id)
    )
    return [(unit, bool(assessed)) for unit, assessed in rows]


def _entry_name(unit: Unit, taken: set[str]) -> str:
    name = f"{safe_name(unit.building.address)}_{safe_name(unit.unit_number, limit=10)}.pdf"
    if name in taken:  # two buildings registered with the same address
        name = f"{name.removesuffix('.pdf')}_{unit.id}.pdf"
    taken.add(name)
    return name


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _label(unit: Unit) -> str:
    return f"{unit.building.address}, bolig {unit.unit_number} (bolig-id {unit.id})"


def _readme(district: str, included: list[tuple[str, Unit]], left_out: list[Unit]) -> str:
    lines = [
        f"Tilgjengelighetsrapporter for bydelen {district}",
        f"Laget {day(utcnow())}.",
        "",
        "Hver PDF er den samme rapporten som lastes ned for én bolig: boligens gjeldende,",
        "godkjente vurdering.",
        "",
        f"Rapporter i denne filen ({len(included)}):",
        *(f"- {name}: {_label(unit)}" for name, unit in included),
        "",
    ]
    if left_out:
        lines += [
            f"Boliger uten godkjent vurdering, og derfor uten rapport ({len(left_out)}):",
            *(f"- {_label(unit)}" for unit in left_out),
        ]
    else:
        lines.append("Alle boligene i bydelen har en godkjent vurdering.")
    return "\r\n".join(lines) + "\r\n"  # CRLF: readable in Notepad too


def zip_name(district: str) -> str:
    return f"tilgjengelighetsrapporter-{safe_name(district)}.zip"


def check_district_zip(district: str) -> tuple[list[tuple[Unit, bool]], list[Unit]]:
    """The district's units and the assessed ones, if a ZIP of them may be built: 422 above
    `REPORT_ZIP_MAX_UNITS` reports, 409 when no unit of the district has an approved
    assessment. Nothing is rendered."""
    units = _units(district)
    assessed = [unit for unit, ok in units if ok]
    limit = current_app.config["REPORT_ZIP_MAX_UNITS"]
    if not assessed:
        raise Conflict(
            f"Ingen boliger i bydelen {district} har en godkjent vurdering, så det finnes "
            f"ingen rapporter å laste ned ({_count(len(units), 'bolig', 'boliger')} i bydelen).",
            units=len(units),
            reports=0,
        )
    if len(assessed) > limit:
        message = (
            f"Bydelen {district} har {len(assessed)} boliger med godkjent vurdering, men en "
            f"ZIP-fil kan ha høyst {_count(limit, 'rapport', 'rapporter')}. Last ned "
            "rapportene én og én fra hver bolig i stedet."
        )
        raise Unprocessable(
            message, errors={"district": [message]}, reports=len(assessed), limit=limit
        )
    return units, assessed


def district_zip(district: str) -> DistrictZip:
    """The ZIP of every assessed unit's report in `district` (a configured district), after
    `check_district_zip`."""
    units, assessed = check_district_zip(district)
    # Not a `with`: the file goes out with the response, which closes it when sent.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    included: list[tuple[str, Unit]] = []
    left_out = [unit for unit, ok in units if not ok]
    taken = {README_NAME}
    try:
        with zipfile.ZipFile(spool, "w") as archive:
            for unit in assessed:
                try:
                    report = services.unit_report(unit.id)
                except Conflict:  # its assessment went away since the list was read
                    left_out.append(unit)
                    continue
                name = _entry_name(unit, taken)
                # PDFs are compressed already: stored, not deflated again.
                archive.writestr(name, services.pdf_of(report), zipfile.ZIP_STORED)
                included.append((name, unit))
            if not included:
                raise Conflict(f"Ingen boliger i bydelen {district} har en godkjent vurdering.")
            left_out.sort(key=lambda u: (u.building.address_key, u.unit_number, u.id))
            archive.writestr(
                README_NAME, _readme(district, included, left_out), zipfile.ZIP_DEFLATED
            )
        size = spool.tell()
        spool.seek(0)
        digest = hashlib.file_digest(spool, "sha256").hexdigest()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    audit.record(
        "report.zip_downloaded",
        "district",
        district[:64],
        details={
            "district": district,
            "unit_ids": [unit.id for _, unit in included],
            "not_assessed_unit_ids": [unit.id for unit in left_out],
            "sha256": digest,
            "bytes": size,
        },
    )
    return DistrictZip(spool, size, zip_name(district))
