"""Gather a report's data through the other domains' services, render it, audit the download.

The verdicts and barriers are the accessibility API's explanation (`assessments.explain`):
for a unit, its current assessment; for an inspection, the same when it is the unit's current
assessment, else its stored answers scored under the newest definitions (a submitted or a
superseded inspection). The report's date is that of the result it shows, so the same inputs
give the same bytes and the ETag (a hash of everything the report prints) is strong.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from app.assessments import explain
from app.assessments import services as assessments
from app.audit import services as audit
from app.auth.models import User
from app.checklists import services as checklists
from app.errors import Conflict
from app.extensions import db
from app.inspections import services as inspections
from app.inspections.models import Inspection
from app.inspections.photos.services import photos_of, storage
from app.inspections.starting import changes_since_previous
from app.reports import content
from app.reports.render import fingerprint, render_pdf
from app.timeutil import utcnow
from app.units.models import Unit
from app.units.services import get_unit

MODEL_VERSION = 1  # the scoring model of results that do not state theirs


@dataclass
class Report:
    kind: str  # "unit" or "inspection"
    object_id: str
    unit_id: int
    context: dict
    photo_keys: dict[str, str]  # photo id -> storage key of its display image
    etag: str

    @property
    def filename(self) -> str:
        if self.kind == "unit":
            return f"tilgjengelighet-bolig-{self.unit_id}.pdf"
        return f"befaring-{self.object_id}.pdf"


def unit_report(unit_id: int) -> Report:
    """The report of a unit's current accessibility; 409 while it has no assessment."""
    unit = get_unit(unit_id)
    body = explain.accessibility(unit)
    if not body["assessed"]:
        raise Conflict("Boligen er ikke vurdert ennå, så det finnes ingen rapport.")
    inspection = db.session.get(Inspection, uuid.UUID(body["inspection_id"]))
    assessment = assessments.current_assessment(unit.id)
    return _report("unit", str(unit.id), unit, inspection, body, assessment.scored_at)


def inspection_report(actor: User, inspection_id: uuid.UUID) -> Report:
    """The report of a submitted or approved inspection; 409 for a draft."""
    inspection = inspections.get_inspection(actor, inspection_id)
    if inspection.status == "draft":
        raise Conflict(
            "Befaringen er et utkast; rapporten finnes når den er sendt inn.",
            status_value=inspection.status,
        )
    unit = inspection.unit
    assessment = assessments.current_assessment(unit.id)
    if assessment is not None and assessment.inspection_id == inspection.id:
        body = explain.accessibility(unit)
        scored_at = assessment.scored_at
    else:
        catalogue = checklists.catalogue()
        result = inspections.score_inspection(inspection, catalogue=catalogue)
        body = explain.explained(result, inspection.id)
        body["checklist"] = {
            "key": inspection.checklist_key,
            "version": inspection.checklist_version,
        }
        body["profiles_version"] = catalogue.profiles.version
        body["measures_version"] = catalogue.measures.version
        scored_at = inspection.approved_at or inspection.submitted_at or utcnow()
    return _report("inspection", str(inspection.id), unit, inspection, body, scored_at)


def _report(kind, object_id, unit: Unit, inspection: Inspection, body, scored_at) -> Report:
    catalogue = checklists.catalogue(body["profiles_version"], body["measures_version"])
    checklist = catalogue.checklists[(body["checklist"]["key"], body["checklist"]["version"])]
    photos = photos_of(inspection.id)
    files = storage()
    missing = {str(p.id) for p in photos if not files.exists(p.display_key)}
    context = content.build(
        kind=kind,
        dwelling=_dwelling(unit),
        inspection={
            **_people(inspection),
            "checklist_key": checklist.key,
            "checklist_version": checklist.version,
            "checklist_title": checklist.title.nb,
            "model_version": body.get("model_version", MODEL_VERSION),
            "profiles_version": body["profiles_version"],
            "measures_version": body["measures_version"],
            "scored_at": scored_at,
        },
        explanation=body,
        catalogue=catalogue,
        checklist=checklist,
        photos=[
            {
                "id": str(p.id),
                "item_id": p.item_id,
                "caption": p.caption,
                "width": p.width,
                "height": p.height,
                "missing": str(p.id) in missing,
            }
            for p in photos
        ],
        changes=_changes(inspection),
        issued=scored_at,
    )
    keys = {str(p.id): p.display_key for p in photos if str(p.id) not in missing}
    digest = hashlib.sha256(fingerprint().encode())
    digest.update(json.dumps(context, sort_keys=True, default=str).encode())
    for photo in photos:
        digest.update(photo.sha256.encode())
    etag = f'"report-{digest.hexdigest()[:40]}"'
    return Report(kind, object_id, unit.id, context, keys, etag)


def pdf_of(report: Report) -> bytes:
    """The PDF, not audited: for a caller that records the download itself (the district
    ZIP records one event for all its reports)."""
    files = storage()
    return render_pdf(
        report.context, {pid: files.read(key) for pid, key in report.photo_keys.items()}
    )


def render(report: Report) -> bytes:
    """The PDF, with its download recorded in the audit log (SHA-256 of the bytes)."""
    pdf = pdf_of(report)
    audit.record(
        "report.downloaded",
        report.kind,
        report.object_id,
        details={
            "unit_id": report.unit_id,
            "sha256": hashlib.sha256(pdf).hexdigest(),
            "bytes": len(pdf),
        },
    )
    return pdf


def _dwelling(unit: Unit) -> dict:
    building = unit.building
    cadastre = ", ".join(
        f"{label} {value}"
        for label, value in (
            ("gnr.", building.gnr),
            ("bnr.", building.bnr),
            ("fnr.", building.fnr),
            ("snr.", building.snr),
        )
        if value is not None
    )
    postal = " ".join(p for p in (building.postal_code, building.place) if p)
    return {
        "address": building.address,
        "postal_place": postal,
        "unit_number": unit.unit_number,
        "district": building.district,
        "cadastre": cadastre,
        "building_type": getattr(building, "building_type", None),
        "year_built": building.year_built,
        "storeys": building.storeys,
        "floor": unit.floor,
        "has_lift": building.has_lift,
        "area": unit.area,
        "rooms": unit.rooms,
        "bedrooms": unit.bedrooms,
    }


def _name(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id is not None else None
    return (user.name or user.email) if user is not None else None


def _people(inspection: Inspection) -> dict:
    return {
        "id": inspection.id,
        "status": inspection.status,
        "inspector": _name(inspection.inspector_id),
        "submitted_at": inspection.submitted_at,
        "reviewer": _name(inspection.approved_by_id),
        "approved_at": inspection.approved_at,
    }


def _changes(inspection: Inspection) -> dict | None:
    """What changed since the unit's previous approved inspection; None for a first one."""
    changes = changes_since_previous(inspection)
    previous = (
        db.session.get(Inspection, changes["previous_inspection_id"])
        if changes["previous_inspection_id"]
        else None
    )
    if previous is None or (
        inspection.approved_at is not None and previous.approved_at >= inspection.approved_at
    ):
        return None
    return {**changes, "previous_approved_at": previous.approved_at}
