"""Backup and restore: a real instance with data and photo files goes into one archive and
comes back whole into an empty instance; damaged archives and full targets are refused."""

from __future__ import annotations

import io
import json
import shutil
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.backup import services as backup
from app.extensions import db
from tests.databases import on_postgresql, scratch_database
from tests.reliability.fixtures import build_app, seed_inspection_with_photos

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
        seed_inspection_with_photos(app, answers=True)
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
