"""A burst of parallel wrong passwords against one account gets exactly as far as the same
guesses one after another (threads, each request in its own app context and transaction,
against a committed database): the sign-in counters are updated atomically."""

from __future__ import annotations

import threading

import pytest

from app.auth import services as auth
from app.extensions import db
from tests.databases import on_postgresql, scratch_database
from tests.reliability.fixtures import build_app

FREE = 3
BURST = 12


@pytest.fixture
def committed(tmp_path):
    with scratch_database(tmp_path, "uu_burst") as url:
        app = build_app(url, tmp_path, LOGIN_FREE_FAILURES_PER_ACCOUNT=FREE)
        yield app
        with app.app_context():
            db.engine.dispose()


def burst(app, body: dict, count: int) -> list[int]:
    barrier, statuses = threading.Barrier(count), [0] * count

    def run(index):
        client = app.test_client()
        barrier.wait()
        statuses[index] = client.post("/api/v1/auth/login", json=body).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def test_parallel_wrong_passwords_do_not_overshoot(committed):
    with committed.app_context():
        auth.create_user("burst@kommune.no", "inspector", "et-langt-passord-123")
        db.session.commit()
    statuses = burst(committed, {"email": "burst@kommune.no", "password": "feil"}, BURST)
    # In a row: FREE failures without delay, one more that sets the first delay, then waits.
    if on_postgresql():
        assert statuses.count(401) == FREE + 1, statuses
        assert set(statuses) <= {401, 429}, statuses
    else:  # SQLite serialises writers; one that waits past its busy timeout gets 503
        assert 1 <= statuses.count(401) <= FREE + 1, statuses
        assert set(statuses) <= {401, 429, 503}, statuses
