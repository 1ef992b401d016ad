"""The reliability tests' `app`: a session app on a database of its own, so these tests
never disturb the shared test database. The per-test rollback, `make_user` and `as_role`
are the shared ones from tests/conftest.py, and use this app here."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.databases import scratch_database
from tests.reliability.fixtures import build_app


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reliability")
    with scratch_database(tmp) as url:
        app = build_app(url, tmp)
        yield app
        with app.app_context():
            db.engine.dispose()
