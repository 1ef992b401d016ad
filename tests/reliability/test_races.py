"""Races through real HTTP against gunicorn on PostgreSQL, one bearer token per actor or device,
each race repeated for ROUNDS rounds. Every round counts status codes, final states and audit
events: exactly one winner, every time.

SQLite serialises writers (write requests begin IMMEDIATE); the in-process races in
test_concurrency.py cover it. Here the point is PostgreSQL's row locks and compare-and-set."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import create_engine, select, text

from app.auth.models import ApiToken
from app.auth.tokens import digest
from app.extensions import db
from app.inspections.models import Answer, AnswerChange, Inspection
from app.inspections.photos.services import photo_items
from app.inspections.services import missing_items
from tests.databases import on_postgresql, scratch_database
from tests.factories import jpeg_bytes, make_unit, passing_answers
from tests.reliability.fixtures import build_app
from tests.reliability.races import Call, Server, devices, losers_are_problems, statuses
from tests.reliability.servers import Gunicorn

pytestmark = pytest.mark.skipif(
    not on_postgresql(),
    reason="race tests run gunicorn on PostgreSQL (set TEST_DATABASE_URL); on SQLite writers "
    "are serialised and test_concurrency.py races them in-process",
)

ROUNDS = 10
BARRIER_ITEM = "access.step_free_route"  # "no" is a barrier that requires a photo
WIDTH = "access.route_width_mm"
API = "/api/v1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("races")
    with scratch_database(tmp, "uu_races") as url:
        app = build_app(url, tmp)
        env = {
            "APP_ENV": "testing",
            "DATABASE_URL": url,
            "PHOTO_STORAGE_PATH": str(tmp / "photos"),
            "SECRET_KEY": "r" * 40,
        }
        gunicorn = Gunicorn(env, workers=3, threads=8).start()
        try:
            yield Server(app, gunicorn.url)
        finally:
            gunicorn.stop()
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="module")
def answers(server):
    with server.app.app_context():
        return passing_answers()


def draft(server: Server, inspector: dict, answers: list[dict]) -> str:
    with server.app.app_context():
        unit_id = make_unit().id
        db.session.remove()
    created = server.ok(
        Call("POST", f"{API}/inspections", inspector, {"unit_id": unit_id, "checklist_version": 1})
    )
    path = f"{API}/inspections/{created['id']}"
    server.ok(Call("PUT", f"{path}/answers", inspector, {"answers": answers}))
    return created["id"]


def submitted(server: Server, inspector: dict, answers: list[dict]) -> str:
    inspection_id = draft(server, inspector, answers)
    server.ok(Call("POST", f"{API}/inspections/{inspection_id}/submit", inspector))
    return inspection_id


def inspection_row(server: Server, inspection_id: str) -> Inspection:
    with server.app.app_context():
        row = db.session.get(Inspection, uuid.UUID(inspection_id))
        db.session.expunge(row)
        db.session.remove()
    return row


# -- transitions -------------------------------------------------------------------------


def test_approve_and_return_at_the_same_moment_one_wins(server, answers):
    inspector = devices(server.app, "inspector")[0]
    admins, managers = devices(server.app, "admin", 2), devices(server.app, "facility_manager", 2)
    outcomes = []
    for _ in range(ROUNDS):
        inspection_id = submitted(server, inspector, answers)
        path = f"{API}/inspections/{inspection_id}"
        back = {"comment": "Mål døren på nytt."}
        calls = [
            Call("POST", f"{path}/approve", admins[0]),
            Call("POST", f"{path}/return", managers[0], back),
            Call("POST", f"{path}/approve", managers[1]),
            Call("POST", f"{path}/return", admins[1], back),
        ]
        responses = server.at_once(calls)
        assert statuses(responses) == [200, 409, 409, 409]
        losers_are_problems(responses, 409)
        winner = next(c for c, r in zip(calls, responses, strict=True) if r.status_code == 200)
        approved = server.events("inspection.approved", inspection_id)
        returned = server.events("inspection.returned", inspection_id)
        final = inspection_row(server, inspection_id)
        if winner.path.endswith("/approve"):
            assert (final.status, approved, returned) == ("approved", 1, 0)
        else:
            assert (final.status, approved, returned) == ("draft", 0, 1)
        outcomes.append(final.status)
    assert len(outcomes) == ROUNDS


def test_ten_parallel_submits_exactly_one_succeeds(server, answers):
    phones = devices(server.app, "inspector", 10)
    for _ in range(ROUNDS):
        inspection_id = draft(server, phones[0], answers)
        before = inspection_row(server, inspection_id).version
        path = f"{API}/inspections/{inspection_id}/submit"
        responses = server.at_once([Call("POST", path, phone) for phone in phones])
        assert statuses(responses) == [200] + [409] * 9
        losers_are_problems(responses, 409)
        final = inspection_row(server, inspection_id)
        assert (final.status, final.version) == ("submitted", before + 1)
        assert server.events("inspection.submitted", inspection_id) == 1


def test_four_parallel_returns_exactly_one_succeeds(server, answers):
    inspector = devices(server.app, "inspector")[0]
    managers = devices(server.app, "facility_manager", 2) + devices(server.app, "admin", 2)
    for round_ in range(ROUNDS):
        inspection_id = submitted(server, inspector, answers)
        path = f"{API}/inspections/{inspection_id}/return"
        calls = [Call("POST", path, m, {"comment": f"Runde {round_}, leder {n}"})
                 for n, m in enumerate(managers)]  # fmt: skip
        responses = server.at_once(calls)
        assert statuses(responses) == [200, 409, 409, 409]
        assert inspection_row(server, inspection_id).status == "draft"
        assert server.events("inspection.returned", inspection_id) == 1


def test_answer_sync_beside_submit_never_submits_a_barrier_without_its_photo(server, answers):
    phone, tablet = devices(server.app, "inspector", 2)
    for _ in range(ROUNDS):
        inspection_id = draft(server, phone, answers)
        path = f"{API}/inspections/{inspection_id}"
        barrier = {"answers": [{"item_id": BARRIER_ITEM, "value": False}]}
        submit, sync = server.at_once(
            [Call("POST", f"{path}/submit", phone), Call("PUT", f"{path}/answers", tablet, barrier)]
        )
        outcome = (submit.status_code, sync.status_code)
        # Either the submit came first (the sync is refused) or the sync did (the submit then
        # finds the barrier without its photo); never both.
        assert outcome in {(200, 409), (422, 200)}, (outcome, submit.text, sync.text)
        with server.app.app_context():
            row = db.session.get(Inspection, uuid.UUID(inspection_id))
            if row.status == "submitted":
                assert missing_items(row, photo_items(row)) == {}
            else:
                assert submit.json()["missing"]
            db.session.remove()


def test_photo_delete_beside_submit_never_submits_a_barrier_without_its_photo(server, answers):
    phone, tablet = devices(server.app, "inspector", 2)
    with_barrier = [{**a, "value": False} if a["item_id"] == BARRIER_ITEM else a for a in answers]
    for round_ in range(ROUNDS):
        inspection_id = draft(server, phone, with_barrier)
        path = f"{API}/inspections/{inspection_id}"
        photo_id = uuid.uuid4()
        upload = requests.post(
            f"{server.url}{path}/photos",
            data={"id": str(photo_id), "item_id": BARRIER_ITEM},
            files={"file": ("bilde.jpg", jpeg_bytes((round_ * 20, 90, 90)), "image/jpeg")},
            headers=phone,
            timeout=30,
        )
        assert upload.status_code == 201, upload.text
        submit, delete = server.at_once(
            [
                Call("POST", f"{path}/submit", phone),
                Call("DELETE", f"{API}/photos/{photo_id}", tablet),
            ]
        )
        outcome = (submit.status_code, delete.status_code)
        assert outcome in {(200, 409), (422, 204)}, (outcome, submit.text, delete.text)
        with server.app.app_context():
            row = db.session.get(Inspection, uuid.UUID(inspection_id))
            assert row.status == ("submitted" if outcome[0] == 200 else "draft")
            assert missing_items(row, photo_items(row)) == (
                {} if outcome[0] == 200 else submit.json()["missing"]
            )
            db.session.remove()


def test_newest_answer_wins_among_twenty_parallel_batches(server, answers):
    phones = devices(server.app, "inspector", 20)
    start = datetime.now(UTC) + timedelta(minutes=1)
    for _ in range(ROUNDS):
        inspection_id = draft(server, phones[0], answers)
        path = f"{API}/inspections/{inspection_id}/answers"
        batches = [
            {"item_id": WIDTH, "value": 1600 + n, "answered_at": (start + timedelta(seconds=n))}
            for n in range(20)
        ]
        order = random.sample(range(20), 20)
        calls = [
            Call("PUT", path, phones[n], {"answers": [{**batches[n], "answered_at":
                 batches[n]["answered_at"].isoformat()}]})
            for n in order
        ]  # fmt: skip
        responses = server.at_once(calls)
        assert statuses(responses) == [200] * 20
        with server.app.app_context():
            answer = db.session.scalar(
                select(Answer).where(
                    Answer.inspection_id == uuid.UUID(inspection_id), Answer.item_id == WIDTH
                )
            )
            assert answer.value == 1619
            history = db.session.scalars(
                select(AnswerChange.new)
                .where(AnswerChange.inspection_id == uuid.UUID(inspection_id))
                .where(AnswerChange.item_id == WIDTH)
                .order_by(AnswerChange.id)
            ).all()
            assert history[-1]["value"] == 1619
            values = [h["value"] for h in history[1:]]
            assert values == sorted(values)  # every accepted write was newer than the last
            db.session.remove()


# -- If-Match ----------------------------------------------------------------------------


def _race_one_etag(server: Server, actors: list[dict], path: str, method: str, bodies):
    """Ten writes with one ETag at once: one 200, nine 412; the version moved by one."""
    current = server.ok(Call("GET", path, actors[0]))
    etag = current["etag"]
    calls = [
        Call(method, path, {**actor, "If-Match": etag}, body)
        for actor, body in zip(actors, bodies, strict=True)
    ]
    responses = server.at_once(calls)
    assert statuses(responses) == [200] + [412] * 9
    losers_are_problems(responses, 412)
    after = server.ok(Call("GET", path, actors[0]))
    winner = next(r for r in responses if r.status_code == 200)
    assert after["etag"] == winner.headers["ETag"] != etag
    return current, after


def test_if_match_holds_for_ten_concurrent_patches_of_an_applicant(server):
    officers = devices(server.app, "allocation_officer", 10)
    for round_ in range(ROUNDS):
        body = {"case_reference": f"2026/{uuid.uuid4().hex[:8]}", "min_bedrooms": 1}
        created = server.ok(Call("POST", f"{API}/applicants", officers[0], body))
        path = f"{API}/applicants/{created['id']}"
        bodies = [{"notes": f"Runde {round_}, enhet {n}"} for n in range(10)]
        before, after = _race_one_etag(server, officers, path, "PATCH", bodies)
        assert after["version"] == before["version"] + 1
        assert server.events("applicant.updated", created["id"]) == 1


@pytest.mark.parametrize("kind", ["units", "buildings"])
def test_if_match_holds_for_ten_concurrent_patches_of_the_register(server, kind):
    managers = devices(server.app, "facility_manager", 5) + devices(server.app, "admin", 5)
    action = "unit.saved" if kind == "units" else "building.saved"
    for round_ in range(ROUNDS):
        with server.app.app_context():
            unit = make_unit()
            object_id = unit.id if kind == "units" else unit.building_id
            db.session.remove()
        path = f"{API}/{kind}/{object_id}"
        bodies = [{"notes": f"Runde {round_}, enhet {n}"} for n in range(10)]
        events = server.events(action, object_id)
        before, after = _race_one_etag(server, managers, path, "PATCH", bodies)
        assert after["version"] == before["version"] + 1
        assert server.events(action, object_id) == events + 1


def test_if_match_holds_for_ten_concurrent_answer_syncs(server, answers):
    phones = devices(server.app, "inspector", 10)
    for _ in range(ROUNDS):
        inspection_id = draft(server, phones[0], answers)
        path = f"{API}/inspections/{inspection_id}"
        bodies = [{"answers": [{"item_id": WIDTH, "value": 1700 + n}]} for n in range(10)]
        current = server.ok(Call("GET", path, phones[0]))
        calls = [
            Call("PUT", f"{path}/answers", {**phone, "If-Match": current["etag"]}, body)
            for phone, body in zip(phones, bodies, strict=True)
        ]
        responses = server.at_once(calls)
        assert statuses(responses) == [200] + [412] * 9
        losers_are_problems(responses, 412)
        with server.app.app_context():
            changes = db.session.scalars(
                select(AnswerChange.new)
                .where(AnswerChange.inspection_id == uuid.UUID(inspection_id))
                .where(AnswerChange.item_id == WIDTH)
            ).all()
            row = db.session.get(Inspection, uuid.UUID(inspection_id))
            assert len(changes) == 2  # the first answer, then exactly one of the ten
            assert row.version == current["version"] + 1
            db.session.remove()


# -- the bearer token row ----------------------------------------------------------------


def test_a_request_does_not_wait_for_its_token_row(server):
    """Another transaction holds the token row: the request must not wait for it (a request
    that writes last_used_at in its own transaction would, and so would one token's requests
    wait for each other)."""
    header = devices(server.app, "facility_manager")[0]
    secret = header["Authorization"].removeprefix("Bearer ")
    with server.app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        token_id = db.session.scalar(
            select(ApiToken.id).where(ApiToken.token_hash == digest(secret))
        )
        db.session.remove()
    engine = create_engine(url)
    try:
        with engine.connect() as holder:
            holder.execute(
                text("SELECT id FROM api_tokens WHERE id = :id FOR UPDATE"), {"id": token_id}
            )
            for _ in range(3):
                response = requests.get(f"{server.url}{API}/units", headers=header, timeout=4)
                assert response.status_code == 200
            holder.rollback()
    finally:
        engine.dispose()
