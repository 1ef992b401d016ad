"""Inspection lifecycle and offline-safe answer sync. Services flush; the request commits.

Sync rules: a batch is validated whole before anything is written. Per answer, the newer
device time (`answered_at`) wins, so replays and out-of-order deliveries converge on the same
state; with If-Match the whole batch is refused when the inspection changed meanwhile.

Repeated sections: an answer names its instance (`instance`, 1 where a section does not
repeat); the batch refuses an instance the inspection does not have. Instances are created,
renamed, moved and deleted one by one (`save_instance`, `delete_instance`); see
app/inspections/instances.py for which ones an inspection has.

Concurrency: every write (answers, instances, photos, submit, approve, return) first locks the
inspection row (`get_inspection(..., lock=True)`, see app.locking) and only then reads its
status, answers and version, so two writers take turns and the second sees what the first
committed. The version moves in the UPDATE itself (the mapper's version counter, a
compare-and-set).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple

from flask import current_app
from sqlalchemy import delete, insert, select

from app.audit import services as audit
from app.auth.models import User
from app.auth.roles import ADMIN, INSPECTOR
from app.checklists import services as checklists
from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import Catalogue, Checklist, Section
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.extensions import db
from app.inspections import signals
from app.inspections.carryover import carry_over
from app.inspections.comments import replace_comments
from app.inspections.instances import (
    instance_facts,
    instance_problem,
    instances_of,
    named,
    numbers_of,
    prefilled_instances,
    rows_by_section,
    section_by_item,
)
from app.inspections.models import Answer, AnswerChange, Inspection, ItemComment, SectionInstance
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
    """The inspection's verdicts as its answers stand, on its unit's facts and overrides.
    Repeated sections count with their instance 1 (`Inspection.answers`) until scoring reads
    every instance (`answers_by_instance`)."""
    catalogue = catalogue or checklists.catalogue()
    return score(
        prepared_for(catalogue, inspection),
        answers_of(inspection.answers),
        facts_of(inspection.unit),
        feasibility=overrides_for(inspection.unit),
        explain=explain,
    )


class InstanceAnswers(NamedTuple):
    """One instance of a repeated section with its answers by item id."""

    number: int
    label: str
    answers: dict[str, Answer]


class AnswersByInstance(NamedTuple):
    """An inspection's answers as a scoring of instances reads them."""

    single: dict[str, Answer]  # by item id: the sections that do not repeat, and instance 1
    repeated: dict[str, list[InstanceAnswers]]  # by section id: every instance, in order


def answers_by_instance(inspection: Inspection) -> AnswersByInstance:
    """The inspection's answers grouped for scoring: `single` is exactly what scoring reads
    today (one answer per item: instance 1 of a repeated section), `repeated` has every
    instance of each repeated section (position, then number) with its label and answers.
    An instance without answers is listed with none."""
    checklist = checklist_of(inspection)
    sections = section_by_item(checklist)
    by_instance: dict[tuple[str, int], dict[str, Answer]] = {}
    single = {}
    for answer in inspection.all_answers:
        section = sections.get(answer.item_id)
        if answer.instance == 1:
            single[answer.item_id] = answer
        if section is not None and section.repeat is not None:
            by_instance.setdefault((section.id, answer.instance), {})[answer.item_id] = answer
    repeated = {
        section_id: [
            InstanceAnswers(i.number, i.label, by_instance.get((section_id, i.number), {}))
            for i in found
        ]
        for section_id, found in instances_of(inspection, checklist).items()
    }
    return AnswersByInstance(single, repeated)


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
    else:
        inspection.section_instances.extend(prefilled_instances(checklist, instance_facts(unit)))
    _fill_from_register(inspection, unit, checklist)
    db.session.flush()
    db.session.expire(inspection, ["all_answers"])  # carried instances above 1: rows of their own
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
    """Apply a batch of answers whole or not at all; returns an outcome per answer. Each
    answer is one item of one instance (`instance`, 1 when left out, as older phones send)."""
    require_draft(inspection)
    checklist = checklist_of(inspection)
    items, sections = checklist.items, section_by_item(checklist)
    numbers = numbers_of(inspection, checklist)
    errors, parsed, seen = {}, [], set()
    for index, entry in enumerate(entries):
        item = items.get(entry["item_id"])
        if item is None:
            errors[str(index)] = {"item_id": [f"Ukjent punkt: {entry['item_id']}"]}
            continue
        number, section = entry.get("instance", 1), sections[item.id]
        problem = instance_problem(section, item.id, number, numbers)
        if problem:
            errors[str(index)] = {"instance": [problem]}
            continue
        if (item.id, number) in seen:
            errors[str(index)] = {
                "item_id": [f"Punktet {named(item.id, number, section)} er med to ganger"]
            }
            continue
        seen.add((item.id, number))
        try:
            parsed.append((entry, number, section, validate_answer(item, entry)))
        except Unprocessable as error:
            errors[str(index)] = error.errors
    if errors:
        raise Unprocessable(
            f"{len(errors)} svar er ugyldige; ingen svar er lagret.", errors={"answers": errors}
        )

    current = {(a.item_id, a.instance): a for a in inspection.all_answers}
    outcomes, inserts, history = [], [], []
    for entry, number, section, answer in parsed:
        at = as_utc(entry.get("answered_at") or utcnow())
        key = (entry["item_id"], number)
        outcome, change = _apply(actor, inspection, current, key, entry, answer, at, inserts)
        if change:
            history.append(change)
        outcomes.append(_outcome(entry["item_id"], number, section, outcome))
    if history:
        inspection.updated_at = utcnow()  # the UPDATE also bumps the version
    db.session.flush()
    # New answers and the history go in as two multi-row inserts, not one object each.
    if inserts:
        db.session.execute(insert(Answer), inserts)
        db.session.expire(inspection, ["answers", "all_answers"])
    if history:
        db.session.execute(insert(AnswerChange), history)
    return outcomes


def _outcome(item_id: str, number: int, section: Section, outcome: str) -> dict:
    """An answer's outcome; an item of a repeated section names its instance."""
    if section.repeat is None:
        return {"item_id": item_id, "outcome": outcome}
    return {"item_id": item_id, "instance": number, "outcome": outcome}


def _apply(actor, inspection, current, key, entry, answer, at: datetime, inserts: list):
    """Decide one answer of one (item, instance): returns (outcome, history row or None);
    updates or queues it."""
    item_id, number = key
    new = {
        "value": None if answer.not_applicable else answer.value,
        "not_applicable": answer.not_applicable,
        "note": entry.get("note"),
        "carried_over": False,
    }
    row = current.get(key)
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
                "item_id": item_id,
                "instance": number,
                "value": new["value"],
                "not_applicable": new["not_applicable"],
                "note": new["note"],
                "answered_at": at,
                "answered_by_id": actor.id,
                "source": "inspector",
                "carried_over": False,
            }
        )
    return "saved", _change(inspection, actor, key, old, new, at)


def _change(inspection, actor, key, old, new, at: datetime) -> dict:
    """A history row (answer_changes) of one (item, instance)."""
    item_id, number = key
    return {
        "inspection_id": inspection.id,
        "item_id": item_id,
        "instance": number,
        "old": old,
        "new": new,
        "changed_by_id": actor.id,
        "changed_at": utcnow(),
        "answered_at": at,
    }


# -- instances of repeated sections ------------------------------------------------------

# The history's `new` for an answer that went with its deleted instance.
DELETED = {
    "value": None,
    "not_applicable": False,
    "note": None,
    "carried_over": False,
    "deleted": True,
}


def repeated_section(checklist: Checklist, section_id: str, number: int) -> Section:
    """The repeated section `section_id` of which `number` can be an instance; 404 for a
    section the checklist does not have, 422 for one that does not repeat or a number
    outside 1..max."""
    section = next((s for s in checklist.sections if s.id == section_id), None)
    if section is None:
        raise NotFound(f"Sjekklisten har ingen seksjon {section_id}.")
    if section.repeat is None:
        raise Unprocessable(
            f"Seksjonen «{section.title.nb}» gjentas ikke; den har bare én instans.",
            errors={"section_id": [f"Seksjonen {section_id} gjentas ikke."]},
        )
    if not 1 <= number <= section.repeat.max:
        raise Unprocessable(
            f"Seksjonen «{section.title.nb}» kan ha instans 1 til {section.repeat.max}, "
            f"ikke {number}.",
            errors={"number": [f"Må være fra og med 1 til og med {section.repeat.max}."]},
        )
    return section


def save_instance(actor: User, inspection: Inspection, section_id: str, number: int, data: dict):
    """Create or change (label, position) one instance of a repeated section; the same request
    again changes nothing (the phone replays it when it syncs). Returns True when created.
    `inspection` is locked. A section's first change also writes down its implicit instance 1,
    which stays as it was."""
    require_draft(inspection)
    section = repeated_section(checklist_of(inspection), section_id, number)
    rows = rows_by_section(inspection).get(section_id, {})
    row = rows.get(number)
    if row is not None and row.deleted_at is not None:
        raise Conflict(
            f"Instans {number} av «{section.title.nb}» er slettet, og nummeret brukes ikke igjen. "
            f"Bruk nummer {max(rows) + 1}.",
            section_id=section_id,
            number=number,
            next_number=max(rows) + 1,
        )
    if not rows and number != 1:
        implicit = SectionInstance(
            section_id=section_id, number=1, label=section.repeat.default_label(1), position=1
        )
        inspection.section_instances.append(implicit)
    label, position = data["label"], data["position"]
    created = row is None
    if created:
        row = SectionInstance(section_id=section_id, number=number, label=label, position=position)
        inspection.section_instances.append(row)
    elif (row.label, row.position) == (label, position):
        return False
    else:
        row.label, row.position = label, position
    inspection.updated_at = utcnow()  # the UPDATE also bumps the version
    db.session.flush()
    details = {"section_id": section_id, "number": number, "position": position}
    action = "inspection.instance_created" if created else "inspection.instance_changed"
    audit.record(action, "inspection", inspection.id, details=details)
    return created


def delete_instance(actor: User, inspection: Inspection, section_id: str, number: int) -> list:
    """Delete one instance of a repeated section with its answers and item comments (the
    history keeps what they were, and a row saying they were deleted); its number is not used
    again. Refused below the section's `min`. Deleting it again changes nothing. Returns the
    section's item ids when something was deleted (their photos of this instance go too), else
    []. `inspection` is locked."""
    require_draft(inspection)
    section = repeated_section(checklist_of(inspection), section_id, number)
    rows = rows_by_section(inspection).get(section_id, {})
    row = rows.get(number)
    if row is not None and row.deleted_at is not None:
        return []
    if row is None and (rows or number != 1):
        raise NotFound(f"Seksjonen «{section.title.nb}» har ingen instans {number}.")
    count = sum(1 for r in rows.values() if r.deleted_at is None) if rows else 1
    if count - 1 < section.repeat.min:  # so the implicit instance (no rows) is never deleted
        raise Conflict(
            f"Seksjonen «{section.title.nb}» må ha minst {section.repeat.min} "
            f"{'instans' if section.repeat.min == 1 else 'instanser'}; "
            f"instans {number} kan ikke slettes.",
            section_id=section_id,
            number=number,
        )
    item_ids = [item.id for item in section.items]
    counts = _drop_instance_rows(actor, inspection, item_ids, number)
    row.deleted_at = utcnow()
    inspection.updated_at = utcnow()  # the UPDATE also bumps the version
    db.session.flush()
    details = {"section_id": section_id, "number": number, **counts}
    audit.record("inspection.instance_deleted", "inspection", inspection.id, details=details)
    return item_ids


def _drop_instance_rows(actor, inspection, item_ids: list[str], number: int) -> dict:
    """Delete the answers and item comments of one instance, recording each answer's end in
    the history."""
    answers = [a for a in inspection.all_answers if a.instance == number and a.item_id in item_ids]
    at = utcnow()
    history = [
        _change(inspection, actor, (a.item_id, number), answer_state(a), DELETED, at)
        for a in answers
    ]
    if history:
        db.session.execute(insert(AnswerChange), history)
    db.session.execute(
        delete(Answer).where(
            Answer.inspection_id == inspection.id,
            Answer.instance == number,
            Answer.item_id.in_(item_ids),
        )
    )
    comments = db.session.execute(
        delete(ItemComment).where(
            ItemComment.inspection_id == inspection.id,
            ItemComment.instance == number,
            ItemComment.item_id.in_(item_ids),
        )
    ).rowcount
    db.session.expire(inspection, ["answers", "all_answers", "item_comments"])
    return {"answers": len(answers), "comments": comments}


# -- lifecycle ---------------------------------------------------------------------------


def missing_items(inspection: Inspection, photo_items: set[tuple] | None = None) -> dict:
    """What blocks submission, by section: unanswered applicable items, unconfirmed carried-over
    answers, and barriers whose item requires a photo that is missing. `photo_items` are the
    (item id, instance) pairs that have a photo. A repeated section is checked per instance,
    each as if it were the section's only one (its conditions read the same instance), and
    its entries name the instance."""
    checklist = checklist_of(inspection)
    grouped = answers_by_instance(inspection)
    judged = _Judged(inspection, photo_items is not None)
    missing: dict[str, list[dict]] = {}
    for section in checklist.sections:
        if section.repeat is None:
            views = [(1, grouped.single)]
        else:
            own = {item.id for item in section.items}
            others = {k: a for k, a in grouped.single.items() if k not in own}
            views = [(i.number, {**others, **i.answers}) for i in grouped.repeated[section.id]]
        for number, answers in views:
            for item_id, reason in _missing_in(section, number, answers, judged, photo_items):
                entry = {"item_id": item_id, "reason": reason}
                if section.repeat is not None:
                    entry = {"item_id": item_id, "instance": number, "reason": reason}
                missing.setdefault(section.id, []).append(entry)
    return missing


def _missing_in(section: Section, number: int, answers: dict, judged, photo_items):
    """(item id, reason) of what blocks submission in one instance of a section."""
    view = 1 if number == 1 else (section.id, number)  # instance 1 sees what scoring reads
    states = judged.states(view, answers)
    for item in section.items:
        answer = answers.get(item.id)
        if not ANSWER_TYPES[item.type].required:  # free text: a submission goes without
            continue
        if answer is None or answer.carried_over:
            # Not applicable, met another way, or undecidable for a missing register fact:
            # nothing the inspector can answer. An UNSETTLED item is asked: a pass decides.
            if states.get(item.id) in (None, UNSETTLED):
                yield item.id, "carried_over" if answer is not None else "unanswered"
        elif (
            photo_items is not None
            and item.photo == "required_on_barrier"
            and item.id in judged.barriers(view, answers)
            and (item.id, number) not in photo_items
        ):
            yield item.id, "photo_required"


class _Judged:
    """Item states and barriers of an inspection's answers as one instance sees them (the
    other sections' answers and this instance's), each worked out once. Instance 1 sees
    exactly the answers scoring reads (`Inspection.answers`)."""

    def __init__(self, inspection: Inspection, with_barriers: bool):
        self.inspection = inspection
        self.prepared = prepared_for(checklists.catalogue(), inspection)
        self.facts = facts_of(inspection.unit)
        # By view: 1, or (section id, number) of an instance above 1.
        self._states: dict = {}
        self._barriers: dict = {}
        if with_barriers:
            self._barriers[1] = barrier_items(inspection)

    def states(self, view, answers: dict) -> dict:
        if view not in self._states:
            given = answers_of(a for a in answers.values() if not a.carried_over)
            prepared = self.prepared
            self._states[view] = item_states(
                prepared.gates, prepared.condition_refs, given, self.facts
            )
        return self._states[view]

    def barriers(self, view, answers: dict) -> set[str]:
        if view not in self._barriers:
            result = score(
                self.prepared,
                answers_of(answers.values()),
                self.facts,
                feasibility=overrides_for(self.inspection.unit),
                explain=True,
            )
            self._barriers[view] = {b.item_id for b in result.barriers}
        return self._barriers[view]


def missing_report(inspection: Inspection, photo_items: set[tuple]) -> dict:
    missing = missing_items(inspection, photo_items) if inspection.status == "draft" else {}
    return {"missing": missing, "count": sum(len(v) for v in missing.values())}


def barrier_items(inspection: Inspection) -> set[str]:
    """The items that are barriers as the inspection is scored (instance 1)."""
    result = score_inspection(inspection, explain=True)
    return {b.item_id for b in result.barriers}


def submit(actor: User, inspection: Inspection, photo_items: set[tuple]) -> Inspection:
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
