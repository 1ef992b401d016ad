"""Offers of a unit to a household: offered, then accepted, declined or withdrawn.

The household's and the unit's statuses follow the offer: while it is open the household is
`offered` and the unit `reserved` (no other household is offered it); accepted, the household
is `housed` and the unit `let`; declined or withdrawn, both are free again (`waiting`,
`vacant`). Every step is audited, without the household's needs.
"""

from __future__ import annotations

from sqlalchemy import select

from app.applicants.models import OPEN, Applicant, Offer
from app.assessments import derived
from app.audit import services as audit
from app.errors import Conflict, NotFound
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import Unit
from app.units.services import get_unit

# What a decision does to the household's and the unit's status.
OUTCOMES = {
    "accepted": ("housed", "let"),
    "declined": ("waiting", "vacant"),
    "withdrawn": ("waiting", "vacant"),
}


def _set_status(row, status: str) -> None:
    if row.status != status:
        row.status = status  # the version moves with the UPDATE (version_id_col)


def _set_applicant(applicant: Applicant, status: str) -> None:
    if applicant.status != status:
        applicant.status_changed_at = utcnow()
    _set_status(applicant, status)


def _set_unit(unit: Unit, status: str) -> None:
    _set_status(unit, status)
    db.session.flush()
    derived.sync_register([unit.id])  # matching reads the status from its own rows


def _record(action: str, offer: Offer, applicant: Applicant, **details) -> None:
    details = {"case": applicant.case_reference, "unit_id": offer.unit_id, **details}
    audit.record(action, "offer", offer.id, details=details)


def offers_of(applicant: Applicant) -> list[Offer]:
    stmt = select(Offer).where(Offer.applicant_id == applicant.id)
    return db.session.scalars(stmt.order_by(Offer.offered_at.desc(), Offer.id.desc())).all()


def get_offer(applicant: Applicant, offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None or offer.applicant_id != applicant.id:
        raise NotFound("Tilbudet finnes ikke.")
    return offer


def make_offer(actor, applicant: Applicant, unit_id: int) -> Offer:
    """Offer a vacant unit to a waiting household."""
    if applicant.status != "waiting":
        raise Conflict("Bare husstander som venter, kan få tilbud om bolig.")
    # Lock the unit row: of two offers of the same unit at once, the second waits, then
    # sees it reserved (the unique open_unit_id refuses it on SQLite, which has no locks).
    db.session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update())
    unit = get_unit(unit_id)
    db.session.refresh(unit)
    if unit.status != "vacant":
        raise Conflict("Boligen er ikke ledig og kan ikke tilbys.", unit_status=unit.status)
    offer = Offer(
        applicant_id=applicant.id,
        unit_id=unit.id,
        status=OPEN,
        open_unit_id=unit.id,
        open_applicant_id=applicant.id,
        offered_by_id=actor.id,
    )
    db.session.add(offer)
    _set_applicant(applicant, "offered")
    _set_unit(unit, "reserved")
    db.session.flush()
    _record("offer.created", offer, applicant)
    return offer


def decide(actor, applicant: Applicant, offer: Offer, status: str, reason: str | None) -> Offer:
    """Close an open offer: accepted, declined (with a reason) or withdrawn."""
    if offer.status != OPEN:
        raise Conflict("Tilbudet er allerede avgjort.", offer_status=offer.status)
    offer.status = status
    offer.reason = reason
    offer.open_unit_id = offer.open_applicant_id = None
    offer.decided_by_id = actor.id if actor is not None else None
    offer.decided_at = utcnow()
    offer.version += 1
    household, unit = OUTCOMES[status]
    _set_applicant(applicant, household)
    _set_unit(offer.unit, unit)
    db.session.flush()
    _record(f"offer.{status}", offer, applicant)
    return offer


def release(applicant: Applicant) -> None:
    """Before a household is erased: its open offer's unit becomes vacant again."""
    for offer in offers_of(applicant):
        if offer.status == OPEN:
            decide(None, applicant, offer, "withdrawn", "Husstanden er slettet.")
