"""Applicant households: create, read, update, erase, all audited; retention purge.

Every read and write records an audit event naming the applicant (by id and case reference)
and the kind of access, never the needs themselves.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.applicants.models import CLOSED, Applicant
from app.audit import services as audit
from app.checklists import services as checklists
from app.errors import Conflict, NotFound, Unprocessable
from app.extensions import db
from app.locking import get_locked
from app.timeutil import utcnow


def _check_needs(needs: list[dict]) -> None:
    keys = {x.key for x in checklists.catalogue().limitations}
    errors = {}
    seen = set()
    for index, need in enumerate(needs):
        if need["limitation"] not in keys:
            errors[str(index)] = {
                "limitation": [f"Ukjent funksjonsnedsettelse: {need['limitation']}"]
            }
        elif need["limitation"] in seen:
            errors[str(index)] = {"limitation": ["Behovet er oppgitt to ganger."]}
        seen.add(need["limitation"])
    if errors:
        raise Unprocessable("Ugyldige behov.", errors={"needs": errors})


def _unique_reference(reference: str, applicant_id: int | None) -> None:
    clash = db.session.scalar(select(Applicant.id).where(Applicant.case_reference == reference))
    if clash is not None and clash != applicant_id:
        raise Conflict("Det finnes allerede en søker med dette saksnummeret.")


def create(data: dict) -> Applicant:
    _check_needs(data.get("needs", []))
    _unique_reference(data["case_reference"], None)
    applicant = Applicant(**data)
    db.session.add(applicant)
    db.session.flush()
    audit.record(
        "applicant.created", "applicant", applicant.id, details={"case": applicant.case_reference}
    )
    return applicant


def get(applicant_id: int, *, action: str = "applicant.read", lock: bool = False) -> Applicant:
    """`lock`: for an update; the row is held until the request commits (app.locking)."""
    applicant = (
        get_locked(Applicant, applicant_id) if lock else db.session.get(Applicant, applicant_id)
    )
    if applicant is None:
        raise NotFound("Søkeren finnes ikke.")
    audit.record(action, "applicant", applicant.id, details={"case": applicant.case_reference})
    return applicant


def listed(applicants: list[Applicant]) -> list[Applicant]:
    """Record that these applicants were shown in a list."""
    for applicant in applicants:
        audit.record(
            "applicant.listed",
            "applicant",
            applicant.id,
            details={"case": applicant.case_reference},
        )
    return applicants


def update(applicant: Applicant, data: dict) -> Applicant:
    if "needs" in data:
        _check_needs(data["needs"])
    if "case_reference" in data:
        _unique_reference(data["case_reference"], applicant.id)
    changed = sorted(k for k, v in data.items() if getattr(applicant, k) != v)
    if "status" in changed:
        applicant.status_changed_at = utcnow()
    for name in changed:
        setattr(applicant, name, data[name])
    db.session.flush()  # the UPDATE compares and bumps the version (412 when it moved)
    details = {"case": applicant.case_reference, "fields": changed}
    audit.record("applicant.updated", "applicant", applicant.id, details=details)
    return applicant


def erase(applicant: Applicant, *, reason: str = "deleted") -> None:
    """Delete for real; the audit log keeps only the reference."""
    from app.applicants.offers import release

    release(applicant)
    details = {"case": applicant.case_reference, "reason": reason}
    audit.record("applicant.erased", "applicant", applicant.id, details=details)
    db.session.delete(applicant)
    db.session.flush()


def purge(now=None) -> int:
    """Erase housed or withdrawn applicants whose status is older than the retention period."""
    days = current_app.config["APPLICANT_RETENTION_DAYS"]
    cutoff = (now or utcnow()) - timedelta(days=days)
    expired = db.session.scalars(
        select(Applicant).where(Applicant.status.in_(CLOSED), Applicant.status_changed_at < cutoff)
    ).all()
    for applicant in expired:
        erase(applicant, reason=f"retention {days} days")
    return len(expired)
