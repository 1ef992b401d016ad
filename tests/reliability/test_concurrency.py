"""Two approvals of one inspection, and two imports, at the same moment against a committed
database (threads, each request in its own app context and transaction): one result, no
duplicates. On PostgreSQL the row lock / advisory lock make the second wait; SQLite
serialises writers and the loser gets a clean 409 or 503 to retry."""

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
from tests.factories import make_unit, passing_answers
from tests.reliability.fixtures import build_app, on_postgresql, scratch_database

LOSER = {409} if on_postgresql() else {409, 503}
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
    created = client.post("/api/v1/inspections", json={"unit_id": unit_id}, headers=inspector)
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
        assert statuses[0] == 200 and statuses[1] in LOSER, statuses
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
