"""Helpers for the reliability tests: a database of their own (a SQLite file, or a fresh
PostgreSQL database beside TEST_DATABASE_URL) and an app migrated onto it."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.checklists import services as checklists
from app.extensions import db

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


def build_app(url: str, instance: Path, **overrides) -> Flask:
    """An app on `url`, migrated to the newest revision, with the checklists published."""
    os.environ["APP_ENV"] = "testing"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PHOTO_STORAGE_PATH": str(instance / "photos"),
            "SERVER_NAME": "localhost",
            **overrides,
        }
    )
    with app.app_context():
        upgrade()
        checklists.publish(Path(app.config["CHECKLISTS_PATH"]))
        db.session.commit()
    return app
