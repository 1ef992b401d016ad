"""Test fixtures: one app per session with the schema built by the migrations, and each
test isolated in a transaction that is rolled back (requests commit to a savepoint).

The database comes from TEST_DATABASE_URL (PostgreSQL in CI; one per process when pytest-xdist
runs the suite in several); SQLite in a temp dir otherwise.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from flask_sqlalchemy.session import Session

from app import create_app
from app.auth import passwords, services
from app.auth.models import User
from app.checklists import services as checklists
from app.extensions import db
from tests.databases import session_database

# The S3 server and a bucket per test (tests/s3_server.py), for the photo storage's bucket
# backend wherever a test asks for them.
pytest_plugins = ["tests.s3_server"]

PASSWORD = "riktig-hemmelig-passord"
_HASH = passwords.hash_password(PASSWORD)
_counter = itertools.count(1)


class _BoundSession(Session):
    """Flask-SQLAlchemy's session picks engines by bind key; tests pin it to one connection."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("instance")
    with session_database(tmp) as url:
        os.environ["APP_ENV"] = "testing"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "PHOTO_STORAGE_PATH": str(tmp / "photos"),
                "SERVER_NAME": "localhost",
            }
        )
        with app.app_context():
            downgrade(revision="base")  # a reused PostgreSQL database starts clean
            upgrade()
            checklists.publish(Path(app.config["CHECKLISTS_PATH"]))
            db.session.commit()
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolated(request):
    """Every test that uses the app runs inside a transaction that is rolled back afterwards."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    # Rolled-back rows must not meet another test's files: photos get a folder per test.
    app.config["PHOTO_STORAGE_PATH"] = str(request.getfixturevalue("tmp_path") / "photos")
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": _BoundSession,
            }
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def make_user(app):
    def make(role: str = "inspector", email: str | None = None, **fields) -> User:
        user = User(
            email=email or f"{role}{next(_counter)}@test.kommune.no",
            role=role,
            name=fields.pop("name", role),
            password_hash=_HASH,
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@dataclass
class Caller:
    """A client signed in with a bearer token: convenient for role scenarios."""

    client: object
    user: User
    token: str

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, url, headers=None, **kw):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def post(self, url, headers=None, **kw):
        return self.client.post(url, headers=self._headers(headers), **kw)

    def put(self, url, headers=None, **kw):
        return self.client.put(url, headers=self._headers(headers), **kw)

    def patch(self, url, headers=None, **kw):
        return self.client.patch(url, headers=self._headers(headers), **kw)

    def delete(self, url, headers=None, **kw):
        return self.client.delete(url, headers=self._headers(headers), **kw)

    def head(self, url, headers=None, **kw):
        return self.client.head(url, headers=self._headers(headers), **kw)


@pytest.fixture
def as_role(app, client, make_user):
    """as_role("admin") -> a Caller with a fresh user of that role and a bearer token."""

    def make(role: str, **fields) -> Caller:
        user = make_user(role, **fields)
        _, secret = services.issue_token(user, "test")
        db.session.commit()
        return Caller(client, user, secret)

    return make


def pytest_terminal_summary(terminalreporter, config):
    """Name the shuffle's seed at the end too: -q hides pytest-randomly's header line, and
    `--randomly-seed=N` replays a failing order."""
    seed = config.getoption("randomly_seed", None)
    if seed is not None:
        terminalreporter.write_line(f"Using --randomly-seed={seed}")
