"""Helpers for the reliability tests: an app migrated onto a database of their own
(tests/databases.py)."""

from __future__ import annotations

import io
import os
import uuid
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.auth import services as auth
from app.checklists import services as checklists
from app.extensions import db
from tests.factories import jpeg_bytes, make_unit, passing_answers


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


def seed_inspection_with_photos(app: Flask, *, answers: bool = False) -> None:
    """Committed data to back up, written through the API: a unit, an inspection by a new
    inspector (with every answer passing when `answers`) and two photos."""
    with app.app_context():
        user = auth.create_user("befarer@kommune.no", "inspector", "et-langt-passord-123")
        _, token = auth.issue_token(user, "test")
        unit_id = make_unit().id
        db.session.commit()
    client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    inspection = client.post(
        "/api/v1/inspections", json={"unit_id": unit_id, "checklist_version": 1}, headers=headers
    ).get_json()["id"]
    if answers:
        with app.app_context():
            given = passing_answers()
        response = client.put(
            f"/api/v1/inspections/{inspection}/answers", json={"answers": given}, headers=headers
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    for colour in ((10, 20, 30), (200, 100, 0)):
        form = {"id": str(uuid.uuid4()), "file": (io.BytesIO(jpeg_bytes(colour)), "bilde.jpg")}
        response = client.post(
            f"/api/v1/inspections/{inspection}/photos", data=form, headers=headers
        )
        assert response.status_code == 201, response.get_data(as_text=True)
