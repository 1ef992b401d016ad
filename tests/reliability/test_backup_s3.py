"""Backup and restore with the photos in an S3 bucket (moto's server on loopback): the objects
go into the archive where the folder keeps its files, and come back into an empty bucket, or
into a folder; a bucket that holds photos counts as data."""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from tests.databases import on_postgresql, scratch_database
from tests.reliability.fixtures import build_app, seed_inspection_with_photos
from tests.s3_server import Bucket

pytestmark = pytest.mark.skipif(
    on_postgresql() and not shutil.which("pg_dump"),
    reason="PostgreSQL backups need pg_dump/pg_restore on PATH",
)


def another_bucket(bucket: Bucket) -> Bucket:
    name = f"uu-gjenopprettet-{uuid.uuid4().hex[:8]}"
    bucket.client.create_bucket(Bucket=name)
    return Bucket(name, bucket.endpoint, bucket.client, prefix="annet/")


@pytest.fixture
def source(tmp_path, bucket):
    """An instance on the bucket with committed data: an inspection with two photos."""
    with scratch_database(tmp_path, "uu_backup_s3_src") as url:
        app = build_app(url, tmp_path / "src", **bucket.config())
        seed_inspection_with_photos(app)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def empty_database(tmp_path):
    with scratch_database(tmp_path, "uu_backup_s3_dst") as url:
        yield url


def rows(app) -> dict:
    with app.app_context():
        found = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            found[table.name] = [
                tuple(r) for r in db.session.execute(select(table).order_by(*order))
            ]
        db.session.remove()
    return found


def contents(bucket: Bucket) -> dict[str, str]:
    """Each photo key in the bucket, with the SHA-256 of its bytes."""
    found = {}
    for name in bucket.objects():
        data = bucket.client.get_object(Bucket=bucket.name, Key=name)["Body"].read()
        found[name.removeprefix(bucket.prefix)] = hashlib.sha256(data).hexdigest()
    return found


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["backup", *args])


def test_round_trip_from_a_bucket_into_an_empty_bucket(
    source,
    bucket,
    empty_database,
    tmp_path,
):
    archive = tmp_path / "backup.tar.gz"
    result = cli(source, "create", "--output", str(archive))
    assert result.exit_code == 0, result.output
    photos = contents(bucket)
    assert len(photos) == 4  # display + thumbnail of two photos
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    archived = {f["path"]: f["sha256"] for f in manifest["files"] if f["path"].startswith("ph")}
    assert archived == {f"photos/{k[:2]}/{k[2:4]}/{k}": digest for k, digest in photos.items()}

    target = another_bucket(bucket)
    empty = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, **target.config()})
    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "og 4 bilder" in result.output
    assert contents(target) == photos
    assert all(name.startswith("annet/") for name in target.objects())
    assert rows(empty) == rows(source)

    again = cli(empty, "restore", str(archive))  # the bucket now holds photos: data
    assert again.exit_code != 0 and "--force" in again.output
    assert cli(empty, "restore", "--force", str(archive)).exit_code == 0
    assert contents(target) == photos
    with empty.app_context():
        db.engine.dispose()


def test_a_bucket_archive_restores_into_a_folder(source, empty_database, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert cli(source, "create", "--output", str(archive)).exit_code == 0
    folder = tmp_path / "mappe"
    empty = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "PHOTO_STORAGE_PATH": folder})
    result = cli(empty, "restore", str(archive))
    assert result.exit_code == 0, result.output
    restored = sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*.jpg"))
    with tarfile.open(archive) as opened:
        names = sorted(m.name.removeprefix("photos/") for m in opened if m.name[:7] == "photos/")
    assert restored == names and len(restored) == 4
    with empty.app_context():
        db.engine.dispose()
