"""Helpers for the reliability tests: an app migrated onto a database of their own
(tests/databases.py)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.checklists import services as checklists
from app.extensions import db


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
