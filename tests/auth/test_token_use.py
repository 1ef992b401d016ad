"""A bearer token's `last_used_at` is recorded coarsely (at most once a minute) and after the
request's own transaction, so one token's requests never queue on the token row. (That they
really run side by side on PostgreSQL is tested through gunicorn in
tests/reliability/test_races.py.)"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.auth.models import ApiToken
from app.auth.tokens import digest
from app.extensions import db
from app.timeutil import as_utc, utcnow


def last_used(caller):
    db.session.expire_all()
    return db.session.scalar(
        select(ApiToken.last_used_at).where(ApiToken.token_hash == digest(caller.token))
    )


def test_first_use_is_recorded(as_role):
    manager = as_role("facility_manager")
    assert last_used(manager) is None
    assert manager.get("/api/v1/units").status_code == 200
    assert as_utc(last_used(manager)) > utcnow() - timedelta(minutes=1)


def test_uses_within_a_minute_write_nothing(as_role):
    manager = as_role("facility_manager")
    manager.get("/api/v1/units")
    first = last_used(manager)
    for _ in range(3):
        assert manager.get("/api/v1/units").status_code == 200
        assert manager.post("/api/v1/buildings", json={}).status_code == 422
    assert last_used(manager) == first


def test_a_use_after_a_minute_is_recorded_again(as_role):
    manager = as_role("facility_manager")
    earlier = utcnow() - timedelta(minutes=2)
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.token_hash == digest(manager.token))
        .values(last_used_at=earlier)
    )
    db.session.commit()
    assert manager.get("/api/v1/units").status_code == 200
    assert as_utc(last_used(manager)) > earlier + timedelta(minutes=1)


def test_a_refused_request_still_counts_as_a_use(as_role):
    inspector = as_role("inspector")
    assert inspector.post("/api/v1/buildings", json={"address": "x"}).status_code == 403
    assert last_used(inspector) is not None
