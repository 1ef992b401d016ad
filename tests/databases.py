"""Databases of their own for tests: a SQLite file, or a fresh PostgreSQL database beside
TEST_DATABASE_URL that is dropped afterwards."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_BASE = os.environ.get("TEST_DATABASE_URL")


def on_postgresql() -> bool:
    return bool(PG_BASE) and PG_BASE.startswith("postgresql")


@contextlib.contextmanager
def scratch_database(tmp_path: Path, prefix: str = "uu_rel") -> Iterator[str]:
    """A database of its own: a SQLite file, or a new PostgreSQL database dropped afterwards."""
    if not on_postgresql():
        yield f"sqlite:///{tmp_path / f'{prefix}.db'}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_BASE).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def session_database(tmp_path: Path) -> Iterator[str]:
    """The shared test database: TEST_DATABASE_URL itself, or, when pytest-xdist runs the
    suite in several processes, a database of each worker's own beside it; SQLite otherwise."""
    if PG_BASE and os.environ.get("PYTEST_XDIST_WORKER") and on_postgresql():
        with scratch_database(tmp_path, prefix="uu_test") as url:
            yield url
    else:
        yield PG_BASE or f"sqlite:///{tmp_path / 'test.db'}"
