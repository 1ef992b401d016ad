"""Writes are compare-and-set on the row's version: the UPDATE says `WHERE version = :read`, so
a writer that commits between a request's read and its write turns the request into a 412
problem with nothing written, even when its If-Match matched what it read.

`another_writer` plays that writer inside the request: just before the request's first flush
it bumps the version in SQL, as a concurrent commit would. The gunicorn race tests in
tests/reliability/test_races.py do the same with real parallel requests on PostgreSQL."""

from __future__ import annotations

import contextlib
import uuid

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from app.applicants.models import Applicant
from app.audit.models import AuditEvent
from app.extensions import db
from app.inspections.models import Answer, Inspection
from app.units.models import Building, Unit
from tests.factories import make_unit, passing_answers
from tests.helpers import assert_problem


@contextlib.contextmanager
def another_writer(model, row_id):
    """Bump the row's version once, in SQL, right before the flush that writes the row."""
    bumped = []
    table = model.__table__

    def bump(session, _context, _instances):
        writing = any(isinstance(row, model) and row.id == row_id for row in session.dirty)
        if writing and not bumped:
            bumped.append(True)
            session.connection().execute(
                update(table).where(table.c.id == row_id).values(version=table.c.version + 1)
            )

    event.listen(Session, "before_flush", bump)
    try:
        yield bumped
    finally:
        event.remove(Session, "before_flush", bump)


def events(action: str, object_id) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.object_id == str(object_id))
    )


@pytest.mark.parametrize("send_if_match", [True, False])
def test_unit_update_overtaken_between_read_and_write_is_412(as_role, send_if_match):
    manager = as_role("facility_manager")
    unit = make_unit(notes="før")
    url = f"/api/v1/units/{unit.id}"
    headers = {"If-Match": manager.get(url).headers["ETag"]} if send_if_match else {}
    with another_writer(Unit, unit.id) as bumped:
        response = manager.patch(url, json={"notes": "etter"}, headers=headers)
    assert bumped
    assert_problem(response, 412)
    db.session.expire_all()
    row = db.session.get(Unit, unit.id)
    assert (row.notes, row.version) == ("før", 1)
    assert events("unit.saved", unit.id) == 0


def test_building_update_overtaken_between_read_and_write_is_412(as_role):
    manager = as_role("admin")
    building_id = make_unit().building_id
    url = f"/api/v1/buildings/{building_id}"
    etag = manager.get(url).headers["ETag"]
    with another_writer(Building, building_id) as bumped:
        response = manager.patch(url, json={"notes": "Ny heis 2027"}, headers={"If-Match": etag})
    assert bumped
    assert_problem(response, 412)
    db.session.expire_all()
    assert db.session.get(Building, building_id).notes is None


def test_applicant_update_overtaken_between_read_and_write_is_412(as_role):
    officer = as_role("allocation_officer")
    created = officer.post(
        "/api/v1/applicants", json={"case_reference": "2026/7001", "min_bedrooms": 1}
    )
    url = f"/api/v1/applicants/{created.get_json()['id']}"
    with another_writer(Applicant, created.get_json()["id"]) as bumped:
        response = officer.patch(
            url, json={"min_bedrooms": 3}, headers={"If-Match": created.headers["ETag"]}
        )
    assert bumped
    assert_problem(response, 412)
    db.session.expire_all()
    assert db.session.get(Applicant, created.get_json()["id"]).min_bedrooms == 1
    assert events("applicant.updated", created.get_json()["id"]) == 0


def test_answer_sync_overtaken_between_read_and_write_is_412(as_role):
    inspector = as_role("inspector")
    unit = make_unit()
    inspection = inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    )
    inspection_id = uuid.UUID(inspection.get_json()["id"])
    url = f"/api/v1/inspections/{inspection_id}/answers"
    body = {"answers": passing_answers()[:3]}
    with another_writer(Inspection, inspection_id) as bumped:
        response = inspector.put(url, json=body, headers={"If-Match": inspection.headers["ETag"]})
    assert bumped
    assert_problem(response, 412)
    db.session.expire_all()
    stored = db.session.scalars(
        select(Answer.item_id).where(
            Answer.inspection_id == inspection_id, Answer.source == "inspector"
        )
    ).all()
    assert stored == []


def test_a_write_that_is_not_overtaken_moves_the_version_by_one(as_role):
    manager = as_role("facility_manager")
    unit = make_unit()
    url = f"/api/v1/units/{unit.id}"
    first = manager.patch(url, json={"notes": "a"}, headers={"If-Match": f'"unit-{unit.id}-v1"'})
    assert first.status_code == 200 and first.headers["ETag"] == f'"unit-{unit.id}-v2"'
    again = manager.patch(url, json={"notes": "a"}, headers={"If-Match": first.headers["ETag"]})
    assert again.headers["ETag"] == f'"unit-{unit.id}-v2"'  # nothing changed, no new version
    assert again.get_json()["version"] == 2
