"""Photo files are written atomically, found only by server-made keys, and swept when orphaned:
the same suite for both backends, the folder and an S3 bucket (moto's server on loopback)."""

from __future__ import annotations

import errno
import os
import socket
import time
import uuid
from pathlib import Path

import pytest

from app.errors import NotFound, ServiceUnavailable
from app.inspections.photos import storage as storage_module
from app.inspections.photos.processing import process_photo
from app.inspections.photos.s3 import MSG_DAMAGED, S3Storage, _etag_is_md5, make_s3_client
from app.inspections.photos.storage import (
    FilesystemStorage,
    StorageFull,
    delete_photo_files,
    make_key,
    photo_keys,
    store_photo,
    sweep,
    validate_key,
)
from tests.inspections.photos.photo_files import jpeg_bytes, quadrants
from tests.s3_server import REGION, Bucket, answer_puts_with, damage_puts

PHOTO_ID = uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
KEY = make_key(PHOTO_ID, "display", "jpg")


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def age(root: Path, name: str, seconds: float) -> None:
    """Backdate a file as if it had been written `seconds` ago."""
    path = next(root.rglob(name))
    then = time.time() - seconds
    os.utime(path, (then, then))


def fail_writes_after(monkeypatch: pytest.MonkeyPatch, budget: int, code: int) -> None:
    """Make os.write behave like a disk that fills up after `budget` more bytes."""
    real_write = os.write
    left = [budget]

    def write(fd: int, data: bytes | memoryview) -> int:
        if left[0] <= 0:
            raise OSError(code, os.strerror(code))
        written = real_write(fd, bytes(data[: left[0]]))
        left[0] -= written
        return written

    monkeypatch.setattr(storage_module.os, "write", write)


class Folder:
    """The folder backend, and how a test looks behind its interface."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = FilesystemStorage(root)

    def stored(self) -> list[str]:
        """Everything that lies in the store, temporaries included."""
        return files_under(self.root)

    def place(self, key: str) -> str:
        return f"{key[:2]}/{key[2:4]}/{key}"

    def age(self, key: str, seconds: float) -> None:
        age(self.root, key, seconds)

    def leave_temporary(self, key: str) -> str:
        """What a crash between write and rename leaves, an hour and more ago."""
        name = f".{key}.dead.part"
        (self.root / self.place(key)).with_name(name).write_bytes(b"half")
        age(self.root, name, 7200)
        return name

    def leave_foreign(self, key: str) -> None:
        (self.root / self.place(key)).with_name("README").write_text("not a photo")

    def fill_up(self, monkeypatch: pytest.MonkeyPatch, after_puts: int) -> None:
        """The disk is full once `after_puts` more files are written (mid-write: ENOSPC)."""
        real_put, done = self.store.put, [0]

        def put(key: str, data: bytes) -> None:
            if done[0] >= after_puts:
                fail_writes_after(monkeypatch, 10, errno.ENOSPC)
            done[0] += 1
            real_put(key, data)

        monkeypatch.setattr(self.store, "put", put)

    def empty(self) -> FilesystemStorage:
        return FilesystemStorage(self.root / "never-created")


class InBucket:
    """The S3 backend on moto's server, and how a test looks behind its interface."""

    def __init__(self, bucket: Bucket) -> None:
        self.bucket = bucket
        self.store = bucket.storage()

    def stored(self) -> list[str]:
        """Every object, and every incomplete multipart upload (S3's nearest to a temporary)."""
        return self.bucket.objects() + [f"upload:{k}" for k in self.bucket.uploads()]

    def place(self, key: str) -> str:
        return f"{self.bucket.prefix}{key}"

    def age(self, key: str, seconds: float) -> None:
        self.bucket.backdate(self.place(key), seconds)

    def leave_temporary(self, key: str) -> str:
        """An upload begun and never completed (moto dates every upload in 2010: stale)."""
        started = self.bucket.client.create_multipart_upload(
            Bucket=self.bucket.name, Key=self.place(key)
        )
        return f"{key}?uploadId={started['UploadId']}"

    def leave_foreign(self, key: str) -> None:
        client, name = self.bucket.client, self.bucket.name
        client.put_object(Bucket=name, Key=f"{self.bucket.prefix}README", Body=b"not a photo")
        client.put_object(Bucket=name, Key=f"elsewhere/{key}", Body=b"another app's")
        client.create_multipart_upload(Bucket=name, Key=f"{self.bucket.prefix}README")

    def fill_up(self, monkeypatch: pytest.MonkeyPatch, after_puts: int) -> None:
        """The store answers 507 XMinioStorageFull (as MinIO does) after `after_puts` puts."""
        answer_puts_with(self.bucket.client, 507, "XMinioStorageFull", after=after_puts)

    def empty(self) -> S3Storage:
        return self.bucket.storage(prefix="never-used")


@pytest.fixture(params=["folder", "s3"])
def backend(request, tmp_path):
    if request.param == "folder":
        return Folder(tmp_path / "photos")
    return InBucket(request.getfixturevalue("bucket"))


def test_put_read_open_exists_delete(backend) -> None:
    store = backend.store
    assert not store.exists(KEY)
    store.put(KEY, b"bildedata")

    assert backend.stored() == [backend.place(KEY)]
    assert store.exists(KEY)
    assert store.read(KEY) == b"bildedata"
    with store.open(KEY) as file:
        assert file.read() == b"bildedata"

    store.put(KEY, b"nytt innhold")  # replacing is atomic too
    assert store.read(KEY) == b"nytt innhold"
    store.delete(KEY)
    store.delete(KEY)  # already gone: fine
    assert not store.exists(KEY)
    for missing in (store.read, store.open):
        with pytest.raises(NotFound) as caught:
            missing(KEY)
        assert caught.value.detail == "Bildefilen finnes ikke."
    assert backend.stored() == []


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../../etc/passwd",
        "/etc/passwd",
        f"{PHOTO_ID.hex}/display.jpg",
        f"{PHOTO_ID.hex}-display.jpg/..",
        f"{PHOTO_ID.hex.upper()}-display.jpg",
        f"{PHOTO_ID.hex}-display.jpg\x00.png",
        f"{PHOTO_ID.hex}-display",
        f".{PHOTO_ID.hex}-display.jpg.part",
        "bilde.jpg",
    ],
)
def test_only_server_made_keys_reach_the_store(backend, key: str) -> None:
    store = backend.store
    with pytest.raises(ValueError, match="invalid photo storage key"):
        validate_key(key)
    for operation in (
        store.exists,
        store.read,
        store.open,
        store.delete,
        lambda k: store.put(k, b"x"),
    ):
        with pytest.raises(ValueError):
            operation(key)
    assert backend.stored() == []


def test_a_full_store_keeps_nothing_of_the_write(backend, monkeypatch) -> None:
    store = backend.store
    store.put(KEY, b"forrige versjon")
    backend.fill_up(monkeypatch, after_puts=0)

    with pytest.raises(StorageFull) as caught:
        store.put(KEY, bytes(5000))

    assert caught.value.status == 503
    assert "full" in caught.value.detail
    assert backend.stored() == [backend.place(KEY)]  # no temporary, no part
    assert store.read(KEY) == b"forrige versjon"  # readers never saw a half-file


def test_other_write_errors_propagate_and_clean_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FilesystemStorage(tmp_path)
    fail_writes_after(monkeypatch, 10, errno.EIO)
    with pytest.raises(OSError) as caught:
        store.put(KEY, bytes(100))
    assert not isinstance(caught.value, StorageFull)
    assert files_under(tmp_path) == []


def test_store_photo_writes_all_files_or_none(backend, monkeypatch) -> None:
    store = backend.store
    original = jpeg_bytes(quadrants((800, 600)))
    photo = process_photo(original)

    keys = store_photo(store, PHOTO_ID, photo, original=original)
    assert keys == photo_keys(PHOTO_ID, "image/jpeg", keep_original=True)
    assert store.read(keys.display) == photo.display
    assert store.read(keys.thumbnail) == photo.thumbnail
    assert keys.original is not None and store.read(keys.original) == original
    delete_photo_files(store, keys.all())
    assert backend.stored() == []

    # The store fills up while the thumbnail is written: the display file is removed again.
    backend.fill_up(monkeypatch, after_puts=1)
    with pytest.raises(StorageFull):
        store_photo(store, PHOTO_ID, photo)
    assert backend.stored() == []


def test_keys_without_the_original() -> None:
    keys = photo_keys(PHOTO_ID, "image/heic", keep_original=False)
    assert keys.all() == (f"{PHOTO_ID.hex}-display.jpg", f"{PHOTO_ID.hex}-thumb.jpg")
    kept = photo_keys(PHOTO_ID, "image/heic", keep_original=True)
    assert kept.original == f"{PHOTO_ID.hex}-original.heic"


def test_sweep_removes_unreferenced_old_files_and_stale_temporaries(backend) -> None:
    store = backend.store
    referenced = make_key(uuid.uuid4(), "display", "jpg")
    orphan = make_key(uuid.uuid4(), "display", "jpg")
    fresh_orphan = make_key(uuid.uuid4(), "thumb", "jpg")  # its row may not be committed yet
    for key in (referenced, orphan, fresh_orphan):
        store.put(key, b"data")
    dead = backend.leave_temporary(orphan)  # a write that never finished
    backend.leave_foreign(orphan)
    for key in (referenced, orphan):
        backend.age(key, 7200)
    foreign = [name for name in backend.stored() if "README" in name or "elsewhere" in name]

    assert sorted(e.key for e in store.entries()) == sorted([referenced, orphan, fresh_orphan])
    assert {e.key: e.size for e in store.entries()}[orphan] == 4
    removed = sweep(store, {referenced}, older_than_seconds=3600)

    assert removed == [orphan, dead]
    assert store.exists(referenced)
    assert store.exists(fresh_orphan)
    assert not store.exists(orphan)
    assert dead not in backend.stored()
    assert all(name in backend.stored() for name in foreign)  # not ours to judge
    assert sweep(store, {referenced, fresh_orphan}, older_than_seconds=3600) == []


def test_sweep_keeps_a_temporary_being_written(tmp_path: Path) -> None:
    store = FilesystemStorage(tmp_path)
    key = make_key(uuid.uuid4(), "display", "jpg")
    store.put(key, b"data")
    live = tmp_path / key[:2] / key[2:4] / f".{key}.live.part"
    live.write_bytes(b"half")  # a write in progress
    assert sweep(store, {key}, older_than_seconds=3600) == []
    assert live.exists()
    assert sweep(store, {key}, older_than_seconds=0, now=time.time() + 1) == [live.name]


def test_an_empty_or_missing_store_has_no_entries(backend) -> None:
    assert list(backend.empty().entries()) == []
    assert sweep(backend.empty(), set()) == []


def test_photo_files_are_readable_by_the_owner_only(tmp_path):
    store = FilesystemStorage(tmp_path)
    key = make_key(uuid.uuid4(), "display", "jpg")
    store.put(key, b"jpeg")
    [written] = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written.stat().st_mode & 0o777 == 0o600


# -- the bucket only ---------------------------------------------------------------------


def test_an_upload_damaged_on_the_way_is_refused_and_removed(bucket) -> None:
    store = bucket.storage()
    damage_puts(bucket.client)
    with pytest.raises(ServiceUnavailable) as caught:
        store.put(KEY, b"bildedata som blir skadet")
    assert caught.value.detail == MSG_DAMAGED
    assert bucket.objects() == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_store_is_unavailable_not_an_error(bucket) -> None:
    client = make_s3_client(f"http://127.0.0.1:{closed_port()}", REGION)
    store = S3Storage(bucket.name, client)
    operations = (
        lambda: store.put(KEY, b"x"),
        lambda: store.read(KEY),
        lambda: store.exists(KEY),
        lambda: store.delete(KEY),
        lambda: list(store.entries()),
        lambda: store.remove_stale_temporaries(0),
    )
    for operation in operations:
        with pytest.raises(ServiceUnavailable) as caught:
            operation()
        assert not isinstance(caught.value, StorageFull)
        assert caught.value.status == 503 and "Prøv igjen" in caught.value.detail
        assert caught.value.extra["headers"] == {"Retry-After": "5"}


@pytest.mark.parametrize(
    ("status", "code", "full"),
    [(500, "InternalError", False), (403, "AccessDenied", False), (403, "QuotaExceeded", True)],
)
def test_store_errors_become_problems(bucket, status, code, full) -> None:
    store = bucket.storage()
    answer_puts_with(bucket.client, status, code)
    with pytest.raises(ServiceUnavailable) as caught:
        store.put(KEY, b"x")
    assert isinstance(caught.value, StorageFull) is full and caught.value.status == 503


def test_a_missing_bucket_is_unavailable(bucket) -> None:
    store = S3Storage("finnes-ikke", bucket.client)
    with pytest.raises(ServiceUnavailable):
        store.read(KEY)
    with pytest.raises(ServiceUnavailable):
        store.put(KEY, b"x")


def test_keys_live_under_the_prefix(bucket) -> None:
    for prefix, place in (("", KEY), ("/kommune/bilder/", f"kommune/bilder/{KEY}")):
        store = bucket.storage(prefix=prefix)
        store.put(KEY, b"x")
        assert place in bucket.objects()
        assert [e.key for e in store.entries()] == [KEY]
        store.delete(KEY)


def test_only_md5_etags_are_compared() -> None:
    md5 = '"5d41402abc4b2a76b9719d911017c592"'
    assert _etag_is_md5({"ETag": md5})
    assert _etag_is_md5({"ETag": md5, "ServerSideEncryption": "AES256"})
    assert not _etag_is_md5({"ETag": md5, "ServerSideEncryption": "aws:kms"})
    assert not _etag_is_md5({"ETag": md5, "SSECustomerAlgorithm": "AES256"})
    assert not _etag_is_md5({"ETag": '"5d41402abc4b2a76b9719d911017c592-2"'})  # multipart
    assert not _etag_is_md5({})
