"""Photos in an S3 bucket (moto's server on loopback): configuration, the API round trip
(upload, serving with ETag and 304, deletion after commit, who may see them, the sweep), a
store that is down, and `flask photos copy-to-s3` from the folder."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import ConfigError, load_config
from app.extensions import db
from app.inspections.photos import s3, services
from app.inspections.photos.cli import photos_cli
from app.inspections.photos.models import Photo
from app.inspections.photos.s3 import S3Storage
from app.inspections.photos.storage import FilesystemStorage, make_key
from tests.factories import jpeg_bytes, upload_photo
from tests.helpers import assert_problem
from tests.s3_server import REGION, answer_puts_with

ITEM = "entrance.door_clear_width_mm"


@pytest.fixture
def on_s3(app, bucket, monkeypatch):
    """The session's app with its photos in this test's bucket (put back afterwards), through
    the test's own client, so that a fault put on it reaches no other test."""
    for name, value in bucket.config().items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(s3._clients, (bucket.endpoint, REGION), bucket.client)
    return bucket


# -- configuration -----------------------------------------------------------------------


def test_the_folder_is_the_default_and_s3_needs_a_bucket(tmp_path):
    config = load_config(str(tmp_path), {"APP_ENV": "testing"})
    assert config["PHOTO_STORAGE"] == "folder" and config["PHOTO_S3_BUCKET"] is None
    with pytest.raises(ConfigError, match="PHOTO_S3_BUCKET must be set"):
        load_config(str(tmp_path), {"APP_ENV": "testing", "PHOTO_STORAGE": "s3"})
    with pytest.raises(ConfigError, match="folder or s3"):
        load_config(str(tmp_path), {"APP_ENV": "testing", "PHOTO_STORAGE": "ftp"})
    config = load_config(
        str(tmp_path),
        {
            "APP_ENV": "testing",
            "PHOTO_STORAGE": "S3",
            "PHOTO_S3_BUCKET": "uu-bilder",
            "PHOTO_S3_ENDPOINT_URL": "http://minio:9000",
            "PHOTO_S3_REGION": "eu-north-1",
            "PHOTO_S3_PREFIX": "halden/",
        },
    )
    assert config["PHOTO_STORAGE"] == "s3" and config["PHOTO_S3_PREFIX"] == "halden/"


def test_the_factory_picks_the_backend(app, on_s3, monkeypatch):
    chosen = services.storage()
    assert isinstance(chosen, S3Storage)
    assert (chosen.bucket, chosen.prefix) == (on_s3.name, on_s3.prefix)
    monkeypatch.setitem(app.config, "PHOTO_STORAGE", "folder")
    assert isinstance(services.storage(), FilesystemStorage)
    monkeypatch.setitem(app.config, "PHOTO_STORAGE", "s3")
    monkeypatch.setitem(app.config, "PHOTO_S3_BUCKET", None)
    with pytest.raises(ConfigError, match="PHOTO_S3_BUCKET"):
        services.storage()


# -- the API -----------------------------------------------------------------------------


def test_upload_serve_and_delete_through_the_bucket(app, on_s3, inspector, inspection):
    response = upload_photo(inspector, inspection, ITEM, jpeg_bytes((200, 30, 30)))
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()
    row = db.session.get(Photo, uuid.UUID(photo["id"]))
    assert on_s3.objects() == sorted(f"{on_s3.prefix}{k}" for k in row.storage_keys())
    assert _folder_files(app) == []

    for url, key in ((photo["url"], row.display_key), (photo["thumbnail_url"], row.thumbnail_key)):
        with inspector.get(url) as served:
            assert served.status_code == 200 and served.mimetype == "image/jpeg"
            assert served.headers["Cache-Control"] == "private, no-store"
            assert served.data == services.storage().read(key)
            assert served.content_length == len(served.data)
            tag = served.headers["ETag"]
        with inspector.get(url, headers={"If-None-Match": tag}) as cached:
            assert cached.status_code == 304 and cached.data == b""

    assert inspector.delete(photo["url"]).status_code == 204
    assert on_s3.objects() == []  # removed once the deletion was committed
    assert_problem(inspector.get(photo["url"]), 404)


def _folder_files(app) -> list:
    root = Path(app.config["PHOTO_STORAGE_PATH"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_only_those_who_may_see_the_inspection_see_its_photos(
    client, as_role, on_s3, inspector, inspection
):
    photo = upload_photo(inspector, inspection, ITEM).get_json()
    assert_problem(client.get(photo["url"]), 401)
    assert_problem(as_role("inspector").get(photo["url"]), 404)
    assert_problem(as_role("facility_manager").delete(photo["url"]), 403)
    with as_role("allocation_officer").get(photo["thumbnail_url"]) as served:
        assert served.status_code == 200
    assert len(on_s3.objects()) == 2


def test_sweep_removes_orphan_objects_only(app, on_s3, inspector, inspection):
    upload_photo(inspector, inspection, ITEM)
    referenced = on_s3.objects()
    orphan = make_key(uuid.uuid4(), "display", "jpg")
    services.storage().put(orphan, b"x")
    on_s3.backdate(f"{on_s3.prefix}{orphan}", 7200)
    result = app.test_cli_runner().invoke(photos_cli, ["sweep"])
    assert result.exit_code == 0 and "Fjernet 1 filer" in result.output
    assert on_s3.objects() == referenced


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_store_that_is_down_gives_503_and_keeps_nothing(
    app, on_s3, inspector, inspection, monkeypatch
):
    photo = upload_photo(inspector, inspection, ITEM).get_json()
    monkeypatch.setitem(app.config, "PHOTO_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")

    refused = upload_photo(inspector, inspection, ITEM, jpeg_bytes((1, 2, 3)))
    body = assert_problem(refused, 503)
    assert "Bildelageret svarer ikke" in body["detail"]
    assert refused.headers["Retry-After"] == "5"
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
    assert_problem(inspector.get(photo["url"]), 503)


def test_a_full_store_gives_503_and_keeps_nothing(app, on_s3, inspector, inspection):
    answer_puts_with(on_s3.client, 507, "XMinioStorageFull", after=1)  # refuses the thumbnail
    body = assert_problem(upload_photo(inspector, inspection, ITEM), 503)
    assert "full" in body["detail"]
    assert on_s3.objects() == []  # the display image written first is removed again
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0


# -- copy-to-s3 --------------------------------------------------------------------------


def folder_with_photos(app, count: int) -> dict[str, bytes]:
    folder = services.folder_storage()
    stored = {}
    for number in range(count):
        key = make_key(uuid.uuid4(), "display", "jpg")
        stored[key] = jpeg_bytes((number * 40 % 256, 10, 10))
        folder.put(key, stored[key])
    return stored


def copy(app):
    return app.test_cli_runner().invoke(photos_cli, ["copy-to-s3"], catch_exceptions=False)


def test_copy_to_s3_copies_verifies_and_runs_again(app, bucket, monkeypatch):
    for name, value in bucket.config().items():
        if name != "PHOTO_STORAGE":  # the copy is made while the service runs on the folder
            monkeypatch.setitem(app.config, name, value)
    stored = folder_with_photos(app, 3)
    target = S3Storage(bucket.name, bucket.client, prefix=bucket.prefix)
    target.put(next(iter(stored)), b"an older, different version")

    first = copy(app)
    assert first.exit_code == 0, first.output
    assert "Kopierte 3 filer, 0 lå der allerede med samme innhold, 0 avvik." in first.output
    assert {key: target.read(key) for key in stored} == stored
    again = copy(app)
    assert again.exit_code == 0, again.output
    assert "Kopierte 0 filer, 3 lå der allerede med samme innhold, 0 avvik." in again.output


def test_copy_to_s3_reports_an_object_that_does_not_match(app, bucket, monkeypatch):
    for name, value in bucket.config().items():
        monkeypatch.setitem(app.config, name, value)
    stored = folder_with_photos(app, 2)
    damaged = sorted(stored)[0]
    real_put = S3Storage.put

    def put_silently_damaged(self, key, data):
        """A store that keeps other bytes than it was given, and says nothing."""
        if key != damaged:
            return real_put(self, key, data)
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data[:-1])
        return None

    monkeypatch.setattr(S3Storage, "put", put_silently_damaged)
    result = app.test_cli_runner().invoke(photos_cli, ["copy-to-s3"])
    assert result.exit_code != 0
    assert f"Sjekksummen stemmer ikke for {damaged}." in result.output
    assert "1 filer i bøtta har feil sjekksum" in result.output
    assert "Kopierte 1 filer, 0 lå der allerede med samme innhold, 1 avvik." in result.output


def test_copy_to_s3_needs_a_bucket(app, monkeypatch):
    monkeypatch.setitem(app.config, "PHOTO_S3_BUCKET", None)
    result = app.test_cli_runner().invoke(photos_cli, ["copy-to-s3"])
    assert result.exit_code != 0 and "PHOTO_S3_BUCKET må være satt" in result.output
