"""Inspection lifecycle and offline-safe answer sync. Services flush; the request commits.

Sync rules: a batch is validated whole before anything is written. Per answer, the newer
device time (`answered_at`) wins, so replays and out-of-order deliveries converge on the same
state; with If-Match the whole batch is refused when the inspection changed meanwhile.

Concurrency: every write (answers, photos, submit, approve, return) first locks the inspection
row (`get_inspection(..., lock=True)`, see app.locking) and only then reads its status, answers
and version, so two writers take turns and the second sees what the first committed. The
version moves in the UPDATE itself (the mapper's version counter, a compare-and-set).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import insert, select

from app.audit import services as audit
from app.auth.models import User
from app.auth.roles import ADMIN, INSPECTOR
from app.checklists import services as checklists
from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import Catalogue, Checklist
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.extensions import db
from app.inspections import signals
from app.inspections.carryover import carry_over
from app.inspections.comments import replace_comments
from app.inspections.models import Answer, AnswerChange, Inspection
from app.locking import get_locked
from app.scoring import Result, score, validate_answer
from app.scoring.conditions import UNSETTLED, item_states
from app.scoring.inputs import answers_of, prepared_for
from app.timeutil import as_utc, utcnow
from app.units.facts import facts_of
from app.units.feasibility import overrides_for
from app.units.models import Unit
from app.webhooks import events
from app.webhooks import services as webhooks


def checklist_of(inspection: Inspection) -> Checklist:
    return checklists.catalogue().checklists[
        (inspection.checklist_key, inspection.checklist_version)
    ]


def score_inspection(
    inspection: Inspection, *, explain: bool = True, catalogue: Catalogue | None = None
) -> Result:
    """The inspection's verdicts as its answers stand, on its unit's facts and overrides."""
    catalogue = catalogue or checklists.catalogue()
    return score(
        prepared_for(catalogue, inspection),
        answers_of(inspection.answers),
        facts_of(inspection.unit),
        feasibility=overrides_for(inspection.unit),
        explain=explain,
    )


def answer_state(answer: Answer) -> dict:
    return {
        "value": answer.value,
        "not_applicable": answer.not_applicable,
        "note": answer.note,
        "carried_over": answer.carried_over,
    }


# -- reading -----------------------------------------------------------------------------


def get_inspection(
    actor: User, inspection_id: uuid.UUID, *, write: bool = False, lock: bool = False
) -> Inspection:
    """Inspectors reach only their own inspections; 404 hides other people's. `lock` holds
    the row until the request commits and reads it fresh: every state change asks for it."""
    if lock:
        inspection = get_locked(Inspection, inspection_id)
    else:
        inspection = db.session.get(Inspection, inspection_id)
    if inspection is None or (actor.role == INSPECTOR and inspection.inspector_id != actor.id):
        raise NotFound("Befaringen finnes ikke.")
    if write and actor.role not in (ADMIN, INSPECTOR):
        raise Forbidden("Bare befareren kan endre svarene.")
    return inspection


def list_query(actor: User, query: dict):
    stmt = select(Inspection).order_by(Inspection.created_at.desc(), Inspection.id)
    if actor.role == INSPECTOR or query.get("assigned_to") == "me":
        stmt = stmt.where(Inspection.inspector_id == actor.id)
    if "unit_id" in query:
        stmt = stmt.where(Inspection.unit_id == query["unit_id"])
    if "status" in query:
        stmt = stmt.where(Inspection.status == query["status"])
    return stmt


# -- creating ----------------------------------------------------------------------------


def latest_approved(unit_id: int) -> Inspection | None:
    return db.session.scalar(
        select(Inspection)
        .where(Inspection.unit_id == unit_id, Inspection.status == "approved")
        .order_by(Inspection.approved_at.desc())
        .limit(1)
    )


def open_draft_of(unit_id: int, inspector_id: int) -> Inspection | None:
    return db.session.scalar(
        select(Inspection).where(
            Inspection.unit_id == unit_id,
            Inspection.inspector_id == inspector_id,
            Inspection.status == "draft",
        )
    )


def create_inspection(actor: User, data: dict) -> tuple[Inspection, bool]:
    """Create (or, for a repeated client UUID, return) an inspection. Returns (row, created)."""
    inspection_id = data.get("id") or uuid.uuid4()
    existing = db.session.get(Inspection, inspection_id)
    if existing is not None:
        if existing.unit_id != data["unit_id"]:
            raise Conflict("Denne ID-en er allerede brukt for en befaring av en annen bolig.")
        get_inspection(actor, existing.id)  # same visibility rules as reading
        return existing, False

    unit = db.session.get(Unit, data["unit_id"])
    if unit is None:
        raise Unprocessable("Ugyldige data.", errors={"unit_id": ["Boligen finnes ikke."]})
    inspector_id = data.get("inspector_id") or actor.id
    if actor.role == INSPECTOR and inspector_id != actor.id:
        raise Forbidden("Befarere kan bare opprette befaringer for seg selv.")
    inspector = db.session.get(User, inspector_id)
    if inspector is None or inspector.role not in (INSPECTOR, ADMIN) or not inspector.active:
        raise Unprocessable("Ugyldige data.", errors={"inspector_id": ["Ingen aktiv befarer."]})

    open_draft = open_draft_of(unit.id, inspector_id)
    if open_draft is not None:
        raise Conflict(
            "Det finnes allerede en åpen befaring av denne boligen for denne befareren. "
            "Åpne den i stedet for å starte en ny.",
            open_draft_id=str(open_draft.id),
        )

    catalogue = checklists.catalogue()
    key = data.get("checklist_key", "uu-bolig")
    versions = sorted(v for (k, v) in catalogue.checklists if k == key)
    if not versions:
        raise Unprocessable("Ugyldige data.", errors={"checklist_key": ["Ukjent sjekkliste."]})
    version = data.get("checklist_version") or versions[-1]
    if (key, version) not in catalogue.checklists:
        raise Unprocessable("Ugyldige data.", errors={"checklist_version": ["Ukjent versjon."]})

    inspection = Inspection(
        id=inspection_id,
        unit_id=unit.id,
        checklist_key=key,
        checklist_version=version,
        inspector_id=inspector_id,
        created_by_id=actor.id,
    )
    db.session.add(inspection)
    previous = latest_approved(unit.id)
    checklist = catalogue.checklists[(key, version)]
    if previous is not None and data.get("carry_over", True):
        inspection.previous_id = previous.id
        carry_over(inspection, previous, checklist, catalogue.mappings)
    _fill_from_register(inspection, unit, checklist)
    db.session.flush()
    audit.record("inspection.created", "inspection", inspection.id, details={"unit_id": unit.id})
    return inspection, True


def _fill_from_register(inspection: Inspection, unit: Unit, checklist: Checklist) -> None:
    facts = facts_of(unit)
    present = {a.item_id for a in inspection.answers}
    for item in checklist.items.values():
        if item.register and item.register in facts and item.id not in present:
            try:
                answer = validate_answer(item, {"item_id": item.id, "value": facts[item.register]})
            except Unprocessable:
                continue  # a register value outside the item's range is left for the inspector
            inspection.answers.append(
                Answer(
                    item_id=item.id,
                    value=answer.value,
                    answered_at=utcnow(),
                    source="register",
                )
            )


# -- answers -----------------------------------------------------------------------------


def require_draft(inspection: Inspection) -> None:
    if inspection.status != "draft":
        raise Conflict(
            "Befaringen er sendt inn og kan ikke endres.", status_value=inspection.status
        )


def upsert_answers(actor: User, inspection: Inspection, entries: list[dict]) -> list[dict]:
    """Apply a batch of answers whole or not at all; returns an outcome per answer."""
    require_draft(inspection)
    checklist = checklist_of(inspection)
    items = checklist.items
    errors, parsed, seen = {}, [], set()
    for index, entry in enumerate(entries):
        item = items.get(entry["item_id"])
        if item is None:
            errors[str(index)] = {"item_id": [f"Ukjent punkt: {entry['item_id']}"]}
            continue
        if item.id in seen:
            errors[str(index)] = {"item_id": [f"Punktet {item.id} er med to ganger"]}
            continue
        seen.add(item.id)
        try:
            parsed.append((entry, validate_answer(item, entry)))
        except Unprocessable as error:
            errors[str(index)] = error.errors
    if errors:
        raise Unprocessable(
            f"{len(errors)} svar er ugyldige; ingen svar er lagret.", errors={"answers": errors}
        )

    current = {a.item_id: a for a in inspection.answers}
    outcomes, inserts, history = [], [], []
    for entry, answer in parsed:
        at = as_utc(entry.get("answered_at") or utcnow())
        outcome, change = _apply(actor, inspection, current, entry, answer, at, inserts)
        if change:
            history.append(change)
        outcomes.append({"item_id": entry["item_id"], "outcome": outcome})
    if history:
        inspection.updated_at = utcnow()  # the UPDATE also bumps the version
    db.session.flush()
    # New answers and the history go in as two multi-row inserts, not one object each.
    if inserts:
        db.session.execute(insert(Answer), inserts)
        db.session.expire(inspection, ["answers"])
    if history:
        db.session.execute(insert(AnswerChange), history)
    return outcomes


def _apply(actor, inspection, current, entry, answer, at: datetime, inserts: list):
    """Decide one answer: returns (outcome, history row or None); updates or queues it."""
    new = {
        "value": None if answer.not_applicable else answer.value,
        "not_applicable": answer.not_applicable,
        "note": entry.get("note"),
        "carried_over": False,
    }
    row = current.get(entry["item_id"])
    old = None
    if row is not None:
        if as_utc(row.answered_at) > at:
            return "stale", None  # an older write never overwrites a newer one
        old = answer_state(row)
        if old == new:
            return "unchanged", None
        row.value, row.not_applicable, row.note = new["value"], new["not_applicable"], new["note"]
        row.carried_over, row.source = False, "inspector"
        row.answered_at, row.answered_by_id = at, actor.id
    else:
        inserts.append(
            {
                "inspection_id": inspection.id,
                "item_id": entry["item_id"],
                "value": new["value"],
                "not_applicable": new["not_applicable"],
                "note": new["note"],
                "answered_at": at,
                "answered_by_id": actor.id,
                "source": "inspector",
                "carried_over": False,
            }
        )
    change = {
        "inspection_id": inspection.id,
        "item_id": entry["item_id"],
        "old": old,
        "new": new,
        "changed_by_id": actor.id,
        "changed_at": utcnow(),
        "answered_at": at,
    }
    return "saved", change


# -- lifecycle ---------------------------------------------------------------------------


def missing_items(inspection: Inspection, photo_items: set[str] | None = None) -> dict:
    """What blocks submission, by section: unanswered applicable items, unconfirmed carried-over
    answers, and barriers whose item requires a photo that is missing."""
    checklist = checklist_of(inspection)
    answers = {a.item_id: a for a in inspection.answers}
    prepared = prepared_for(checklists.catalogue(), inspection)
    given = answers_of(a for a in answers.values() if not a.carried_over)
    states = item_states(prepared.gates, prepared.condition_refs, given, facts_of(inspection.unit))
    barriers = barrier_items(inspection) if photo_items is not None else set()
    missing: dict[str, list[dict]] = {}
    for section in checklist.sections:
        for item in section.items:
            answer = answers.get(item.id)
            reason = None
            if not ANSWER_TYPES[item.type].required:  # free text: a submission goes without
                continue
            if answer is None or answer.carried_over:
                # Not applicable, met another way, or undecidable for a missing register fact:
                # nothing the inspector can answer. An UNSETTLED item is asked: a pass decides.
                if states.get(item.id) in (None, UNSETTLED):
                    reason = "carried_over" if answer is not None else "unanswered"
            elif (
                photo_items is not None
                and item.photo == "required_on_barrier"
                and item.id in barriers
                and item.id not in photo_items
            ):
                reason = "photo_required"
            if reason:
                missing.setdefault(section.id, []).append({"item_id": item.id, "reason": reason})
    return missing


def missing_report(inspection: Inspection, photo_items: set[str]) -> dict:
    missing = missing_items(inspection, photo_items) if inspection.status == "draft" else {}
    return {"missing": missing, "count": sum(len(v) for v in missing.values())}


def barrier_items(inspection: Inspection) -> set[str]:
    result = score_inspection(inspection, explain=True)
    return {b.item_id for b in result.barriers}


def submit(actor: User, inspection: Inspection, photo_items: set[str]) -> Inspection:
    """`inspection` is locked (get_inspection(lock=True)) and `photo_items` read after that."""
    require_draft(inspection)
    missing = missing_items(inspection, photo_items)
    if missing:
        count = sum(len(v) for v in missing.values())
        raise Unprocessable(
            f"Befaringen mangler {count} punkter og kan ikke sendes inn.", missing=missing
        )
    inspection.status = "submitted"
    inspection.submitted_at = utcnow()
    audit.record("inspection.submitted", "inspection", inspection.id)
    db.session.flush()
    return inspection


def _four_eyes(actor: User, inspection: Inspection) -> None:
    """Whoever carried out an inspection does not approve it too (APPROVAL_FOUR_EYES)."""
    if current_app.config["APPROVAL_FOUR_EYES"] and inspection.inspector_id == actor.id:
        raise Forbidden("Du kan ikke godkjenne en befaring du har utført selv.")


def approve(actor: User, inspection: Inspection) -> Inspection:
    """Make the inspection the unit's current assessment (scored and stored). `inspection` is
    locked: of an approval and a return at once, the second waits and then gets 409."""
    _four_eyes(actor, inspection)
    if inspection.status != "submitted":
        raise Conflict("Bare innsendte befaringer kan godkjennes.")
    inspection.status = "approved"
    inspection.approved_at = utcnow()
    inspection.approved_by_id = actor.id
    signals.approved.send(inspection)  # the unit's assessment is stored (app.assessments)
    audit.record("inspection.approved", "inspection", inspection.id)
    webhooks.emit(
        events.ASSESSMENT_APPROVED,
        {
            "inspection_id": str(inspection.id),
            "unit_id": inspection.unit_id,
            "building_id": inspection.unit.building_id,
            "checklist_key": inspection.checklist_key,
            "checklist_version": inspection.checklist_version,
        },
    )
    db.session.flush()
    return inspection


def return_to_draft(
    actor: User, inspection: Inspection, comment: str | None, item_comments: list[dict] = ()
) -> Inspection:
    """Back to the inspector as a draft, with a comment on the whole and/or per item.
    `inspection` is locked, as for approve."""
    if inspection.status != "submitted":
        raise Conflict("Bare innsendte befaringer kan sendes tilbake.")
    other = open_draft_of(inspection.unit_id, inspection.inspector_id)
    if other is not None:
        raise Conflict(
            "Befareren har allerede en åpen befaring av denne boligen; "
            "den må sendes inn eller slettes før denne kan sendes tilbake.",
            open_draft_id=str(other.id),
        )
    replace_comments(actor, inspection, checklist_of(inspection), list(item_comments))
    inspection.status = "draft"
    inspection.return_comment = comment
    details = {"comment": comment, "items": sorted(c["item_id"] for c in item_comments)}
    audit.record("inspection.returned", "inspection", inspection.id, details=details)
    # The comments stay here: free text may name people or their health.
    webhooks.emit(
        events.INSPECTION_RETURNED,
        {"inspection_id": str(inspection.id), "unit_id": inspection.unit_id},
    )
    db.session.flush()
    return inspection
