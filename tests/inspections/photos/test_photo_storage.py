"""Photo files are written atomically, found only by server-made keys, and swept when orphaned."""

from __future__ import annotations

import errno
import os
import time
import uuid
from pathlib import Path

import pytest

from app.errors import NotFound
from app.inspections.photos import storage as storage_module
from app.inspections.photos.processing import process_photo
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


def test_put_read_open_exists_delete(tmp_path: Path) -> None:
    store = FilesystemStorage(tmp_path)
    assert not store.exists(KEY)
    store.put(KEY, b"bildedata")

    assert files_under(tmp_path) == [f"0f/1e/{KEY}"]
    assert store.exists(KEY)
    assert store.read(KEY) == b"bildedata"
    with store.open(KEY) as file:
        assert file.read() == b"bildedata"

    store.put(KEY, b"nytt innhold")  # replacing is atomic too
    assert store.read(KEY) == b"nytt innhold"
    store.delete(KEY)
    store.delete(KEY)  # already gone: fine
    assert not store.exists(KEY)
    with pytest.raises(NotFound):
        store.read(KEY)


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
def test_only_server_made_keys_reach_the_filesystem(tmp_path: Path, key: str) -> None:
    store = FilesystemStorage(tmp_path / "photos")
    with pytest.raises(ValueError, match="invalid photo storage key"):
        validate_key(key)
    for operation in (store.exists, store.read, store.delete, lambda k: store.put(k, b"x")):
        with pytest.raises(ValueError):
            operation(key)
    assert not (tmp_path / "photos").exists()


def test_disk_full_leaves_no_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FilesystemStorage(tmp_path)
    store.put(KEY, b"forrige versjon")
    fail_writes_after(monkeypatch, 1000, errno.ENOSPC)

    with pytest.raises(StorageFull) as caught:
        store.put(KEY, bytes(5000))

    assert caught.value.status == 503
    assert "full" in caught.value.detail
    assert files_under(tmp_path) == [f"0f/1e/{KEY}"]  # the temporary is gone
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


def test_store_photo_writes_all_files_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FilesystemStorage(tmp_path)
    original = jpeg_bytes(quadrants((800, 600)))
    photo = process_photo(original)

    keys = store_photo(store, PHOTO_ID, photo, original=original)
    assert keys == photo_keys(PHOTO_ID, "image/jpeg", keep_original=True)
    assert store.read(keys.display) == photo.display
    assert store.read(keys.thumbnail) == photo.thumbnail
    assert keys.original is not None and store.read(keys.original) == original
    delete_photo_files(store, keys.all())
    assert files_under(tmp_path) == []

    # The disk fills up while the thumbnail is written: the display file is removed again.
    fail_writes_after(monkeypatch, len(photo.display) + 10, errno.ENOSPC)
    with pytest.raises(StorageFull):
        store_photo(store, PHOTO_ID, photo)
    assert files_under(tmp_path) == []


def test_keys_without_the_original() -> None:
    keys = photo_keys(PHOTO_ID, "image/heic", keep_original=False)
    assert keys.all() == (f"{PHOTO_ID.hex}-display.jpg", f"{PHOTO_ID.hex}-thumb.jpg")
    kept = photo_keys(PHOTO_ID, "image/heic", keep_original=True)
    assert kept.original == f"{PHOTO_ID.hex}-original.heic"


def test_sweep_removes_unreferenced_old_files_and_stale_temporaries(tmp_path: Path) -> None:
    store = FilesystemStorage(tmp_path)
    referenced = make_key(uuid.uuid4(), "display", "jpg")
    orphan = make_key(uuid.uuid4(), "display", "jpg")
    fresh_orphan = make_key(uuid.uuid4(), "thumb", "jpg")  # its row may not be committed yet
    for key in (referenced, orphan, fresh_orphan):
        store.put(key, b"data")
    shard = tmp_path / orphan[:2] / orphan[2:4]
    (shard / f".{orphan}.dead.part").write_bytes(b"half")  # a crash between write and rename
    (shard / f".{orphan}.live.part").write_bytes(b"half")  # a write in progress
    (shard / "README").write_text("not a photo")
    for name in (referenced, orphan, f".{orphan}.dead.part"):
        age(tmp_path, name, 7200)

    assert sorted(e.key for e in store.entries()) == sorted([referenced, orphan, fresh_orphan])
    removed = sweep(store, {referenced}, older_than_seconds=3600)

    assert removed == [orphan, f".{orphan}.dead.part"]
    assert store.exists(referenced)
    assert store.exists(fresh_orphan)
    assert not store.exists(orphan)
    assert (shard / f".{orphan}.live.part").exists()
    assert (shard / "README").exists()  # not ours to judge
    assert sweep(store, {referenced, fresh_orphan}, older_than_seconds=0, now=time.time() + 1) == [
        f".{orphan}.live.part"
    ]


def test_an_empty_or_missing_root_has_no_entries(tmp_path: Path) -> None:
    assert list(FilesystemStorage(tmp_path / "never-created").entries()) == []
    assert sweep(FilesystemStorage(tmp_path / "never-created"), set()) == []


def test_photo_files_are_readable_by_the_owner_only(tmp_path):
    store = FilesystemStorage(tmp_path)
    key = make_key(uuid.uuid4(), "display", "jpg")
    store.put(key, b"jpeg")
    [written] = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written.stat().st_mode & 0o777 == 0o600
