"""Races in-process against a committed database (threads, each request in its own app
context and transaction, one bearer token per actor or device): one result, no duplicates.
On PostgreSQL the row lock / advisory lock make the second wait; on SQLite a write request
begins IMMEDIATE, so it waits for the write lock before reading and the loser gets the same
clean 409 as on PostgreSQL (a deferred transaction would fail with 503 or act on what it read
before the winner committed). The races through gunicorn are in test_races.py."""

from __future__ import annotations

import io
import threading
import uuid

import pytest
from sqlalchemy import func, select

from app.assessments.models import UnitAssessment
from app.audit.models import AuditEvent
from app.auth import services as auth
from app.extensions import db
from app.inspections.models import Inspection
from app.units.models import Building, Unit
from tests.databases import scratch_database
from tests.factories import make_unit, passing_answers
from tests.reliability.fixtures import build_app
from tests.reliability.races import devices

REGISTER = (
    "FDV-id;Adresse;Postnr;Poststed;Bydel;Bruksenhetsnummer;Antall rom;Soverom;BRA;Heis;Status\n"
    + "".join(
        f"K{n};Kongens gate {n // 4 + 1};1771;Halden;Sentrum;H0{n % 4 + 1}01;3;2;54,5;ja;ledig\n"
        for n in range(40)
    )
)


@pytest.fixture
def committed(tmp_path):
    with scratch_database(tmp_path, "uu_race") as url:
        app = build_app(url, tmp_path)
        yield app
        with app.app_context():
            db.engine.dispose()


def token_for(app, role: str) -> dict:
    with app.app_context():
        user = auth.create_user(f"{role}@race.kommune.no", role, "et-langt-passord-123")
        _, secret = auth.issue_token(user, "race")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def at_once(app, request, headers: list[dict]) -> list:
    """Run `request(client, headers)` in one thread per headers, released together."""
    count = len(headers)
    barrier, results = threading.Barrier(count), [None] * count

    def run(index):
        client = app.test_client()
        barrier.wait()
        results[index] = request(client, headers[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def submitted_inspection(app, inspector: dict) -> str:
    with app.app_context():
        unit_id = make_unit().id
        answers = passing_answers()
    client = app.test_client()
    created = client.post(
        "/api/v1/inspections", json={"unit_id": unit_id, "checklist_version": 1}, headers=inspector
    )
    inspection_id = created.get_json()["id"]
    url = f"/api/v1/inspections/{inspection_id}"
    assert (
        client.put(f"{url}/answers", json={"answers": answers}, headers=inspector).status_code
        == 200
    )
    response = client.post(f"{url}/submit", headers=inspector)
    assert response.status_code == 200, response.get_data(as_text=True)
    return inspection_id


def test_two_approvals_at_once_approve_once(committed):
    inspector = token_for(committed, "inspector")
    managers = [token_for(committed, "admin"), token_for(committed, "facility_manager")]
    for _ in range(3):  # a few rounds: the race must lose every time
        inspection_id = submitted_inspection(committed, inspector)
        url = f"/api/v1/inspections/{inspection_id}/approve"
        responses = at_once(committed, lambda c, h, url=url: c.post(url, headers=h), managers)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 409], statuses
        with committed.app_context():
            approved = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "inspection.approved")
                .where(AuditEvent.object_id == str(inspection_id))
            )
            inspection = db.session.get(Inspection, uuid.UUID(inspection_id))
            assessment = db.session.get(UnitAssessment, inspection.unit_id)
            assert approved == 1
            assert inspection.status == "approved" and assessment.inspection_id == inspection.id
            db.session.remove()


def test_approve_and_return_at_once_one_wins(committed):
    inspector = token_for(committed, "inspector")
    admin, manager = devices(committed, "admin")[0], devices(committed, "facility_manager")[0]
    for _ in range(5):
        inspection_id = submitted_inspection(committed, inspector)
        url = f"/api/v1/inspections/{inspection_id}"

        def act(client, headers, url=url):
            if headers is admin:
                return client.post(f"{url}/approve", headers=headers)
            return client.post(f"{url}/return", json={"comment": "Mål på nytt."}, headers=headers)

        responses = at_once(committed, act, [admin, manager])
        assert sorted(r.status_code for r in responses) == [200, 409]
        with committed.app_context():
            inspection = db.session.get(Inspection, uuid.UUID(inspection_id))
            expected = "approved" if responses[0].status_code == 200 else "draft"
            assert inspection.status == expected
            db.session.remove()


def test_parallel_submits_from_several_devices_submit_once(committed):
    phones = devices(committed, "inspector", 6)
    for _ in range(3):
        with committed.app_context():
            unit_id = make_unit().id
            answers = passing_answers()
        client = committed.test_client()
        created = client.post(
            "/api/v1/inspections",
            json={"unit_id": unit_id, "checklist_version": 1},
            headers=phones[0],
        )
        url = f"/api/v1/inspections/{created.get_json()['id']}"
        client.put(f"{url}/answers", json={"answers": answers}, headers=phones[0])
        responses = at_once(committed, lambda c, h, u=url: c.post(f"{u}/submit", headers=h), phones)
        assert sorted(r.status_code for r in responses) == [200] + [409] * 5
        with committed.app_context():
            submitted = db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "inspection.submitted")
                .where(AuditEvent.object_id == created.get_json()["id"])
            )
            assert submitted == 1
            db.session.remove()


def test_two_imports_at_once_create_each_unit_once(committed):
    managers = [token_for(committed, "admin"), token_for(committed, "facility_manager")]

    def upload(client, headers):
        data = {"file": (io.BytesIO(REGISTER.encode("cp1252")), "eksport.csv")}
        return client.post("/api/v1/units/import", data=data, headers=headers)

    responses = at_once(committed, upload, managers)
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 200 and statuses[1] in {200, 503}, statuses
    summaries = [r.get_json()["summary"] for r in responses if r.status_code == 200]
    assert sum(s["create"] for s in summaries) == 40
    with committed.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unit)) == 40
        assert db.session.scalar(select(func.count()).select_from(Building)) == 10
        db.session.remove()
