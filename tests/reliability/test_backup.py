"""Backup and restore: a real instance with data and photo files goes into one archive and
comes back whole into an empty instance; damaged archives and full targets are refused."""

from __future__ import annotations

import io
import json
import shutil
import stat
import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth import services as auth
from app.backup import services as backup
from app.extensions import db
from tests.databases import on_postgresql, scratch_database
from tests.factories import jpeg_bytes, make_unit, passing_answers
from tests.reliability.fixtures import build_app

needs_pg_tools = pytest.mark.skipif(
    on_postgresql() and not shutil.which("pg_dump"),
    reason="PostgreSQL backups need pg_dump/pg_restore on PATH",
)
pytestmark = needs_pg_tools


@pytest.fixture
def source(tmp_path):
    """An instance with committed data: a unit, an inspection with answers and two photos."""
    with scratch_database(tmp_path, "uu_backup_src") as url:
        app = build_app(url, tmp_path / "src")
        with app.app_context():
            user = auth.create_user("befarer@kommune.no", "inspector", "et-langt-passord-123")
            _, token = auth.issue_token(user, "test")
            unit_id = make_unit().id
            db.session.commit()
        client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
        inspection = client.post(
            "/api/v1/inspections",
            json={"unit_id": unit_id, "checklist_version": 1},
            headers=headers,
        )
        inspection_id = inspection.get_json()["id"]
        with app.app_context():
            answers = passing_answers()
        response = client.put(
            f"/api/v1/inspections/{inspection_id}/answers",
            json={"answers": answers},
            headers=headers,
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        for colour in ((10, 20, 30), (200, 100, 0)):
            form = {
                "id": str(uuid.uuid4()),
                "file": (io.BytesIO(jpeg_bytes(colour)), "bilde.jpg"),
            }
            response = client.post(
                f"/api/v1/inspections/{inspection_id}/photos", data=form, headers=headers
            )
            assert response.status_code == 201, response.get_data(as_text=True)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def empty(tmp_path):
    """An instance with an empty database (no tables) and no photos."""
    with scratch_database(tmp_path, "uu_backup_dst") as url:
        from app import create_app

        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "PHOTO_STORAGE_PATH": str(tmp_path / "dst")}
        )
        yield app
        with app.app_context():
            db.engine.dispose()


def snapshot(app) -> tuple[dict, dict]:
    """Every row of every table, and every photo file's checksum."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows[table.name] = [
                tuple(r) for r in db.session.execute(select(table).order_by(*order))
            ]
        db.session.remove()
    root = Path(app.config["PHOTO_STORAGE_PATH"])
    files = {
        p.relative_to(root).as_posix(): backup.sha256_of(p) for p in root.rglob("*") if p.is_file()
    }
    return rows, files


def cli(app, *args):
    result = app.test_cli_runner().invoke(args=["backup", *args])
    return result


def test_round_trip_into_an_empty_instance(source, empty, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    result = cli(source, "create", "--output", str(archive))
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert manifest["revision"] and manifest["created_at"] and manifest["dialect"]
    assert sum(f["path"].startswith("photos/") for f in manifest["files"]) == 4  # display + thumb

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data: owner only

    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 0, result.output
    restored = [p for p in Path(empty.config["PHOTO_STORAGE_PATH"]).rglob("*") if p.is_file()]
    assert len(restored) == 4 and {stat.S_IMODE(p.stat().st_mode) for p in restored} == {0o600}
    before, after = snapshot(source), snapshot(empty)
    assert before[0]["answers"] and before[0]["photos"] and len(before[1]) == 4
    assert after == before


def test_a_damaged_archive_is_refused_before_anything_is_touched(source, empty, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert cli(source, "create", "--output", str(archive)).exit_code == 0
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as old, tarfile.open(damaged, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name.startswith("photos/") and member.name.endswith("display.jpg"):
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit flipped
            new.addfile(member, io.BytesIO(data))
    result = cli(empty, "restore", str(damaged))
    assert result.exit_code != 0 and "Sjekksummen stemmer ikke" in result.output
    assert cli(empty, "verify", str(damaged)).exit_code != 0
    assert not any(Path(empty.config["PHOTO_STORAGE_PATH"]).rglob("*"))
    with empty.app_context():
        assert not backup.target_has_data(db.engine, Path(empty.config["PHOTO_STORAGE_PATH"]))


def test_a_target_with_data_needs_force(source, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert cli(source, "create", "--output", str(archive)).exit_code == 0
    before = snapshot(source)
    result = cli(source, "restore", str(archive))
    assert result.exit_code != 0 and "--force" in result.output
    result = cli(source, "restore", "--force", str(archive))
    assert result.exit_code == 0, result.output
    assert snapshot(source) == before


def test_an_archive_with_a_path_outside_is_refused(empty, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as archive:
        info = tarfile.TarInfo("../../outside.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    result = cli(empty, "restore", str(evil))
    assert result.exit_code != 0 and "kan ikke leses" in result.output
    assert not (tmp_path.parent / "outside.txt").exists()
