"""Where photo files live: a small interface, and the default filesystem backend (the other
one, S3-compatible object storage, is in s3.py; services.storage() picks one by configuration).

Ordering that keeps files and rows consistent (the caller's side):
1. `store_photo` writes every file atomically (temporary name, fsync, rename);
2. then the database row is inserted and committed;
3. if the commit fails, the caller deletes the keys (or `sweep` removes them later);
4. deleting a photo commits the row deletion first, then deletes the files.
A reader therefore never sees a half-written file, and a row never points at a missing file.
"""

from __future__ import annotations

import errno
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from app.errors import NotFound, ServiceUnavailable

if TYPE_CHECKING:
    from app.inspections.photos.processing import ProcessedPhoto

# Keys are made here from a UUID, never taken from a client, and checked again on every access.
_KEY = re.compile(r"[0-9a-f]{32}-[a-z0-9]{1,16}\.[a-z0-9]{2,5}")
_TEMP_SUFFIX = ".part"
_TEMP_PREFIX = "."
_DEFAULT_GRACE_SECONDS = 3600.0  # longer than any upload takes to go from file to committed row

ORIGINAL_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
}

MSG_STORAGE_FULL = "Lagringsplassen for bilder er full. Prøv igjen senere."
MSG_NOT_FOUND = "Bildefilen finnes ikke."


class StorageFull(ServiceUnavailable):
    """The disk (or quota) is full: the upload can be retried later, nothing was kept."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    """One stored file as listed by a backend, for the sweep."""

    key: str
    size: int
    modified: float  # seconds since the epoch


@dataclass(frozen=True, slots=True)
class PhotoKeys:
    """The storage keys of one photo's files; `original` only when originals are kept."""

    display: str
    thumbnail: str
    original: str | None = None

    def all(self) -> tuple[str, ...]:
        """Every key of this photo, for deletion."""
        return tuple(k for k in (self.display, self.thumbnail, self.original) if k is not None)


class PhotoStorage(Protocol):
    """What the photo service needs from a place to keep files (a folder, or a bucket)."""

    def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key` atomically: readers see the old state or all of it."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open a stored file for streaming; NotFound if it is missing."""
        ...

    def read(self, key: str) -> bytes:
        """Return a stored file's bytes; NotFound if it is missing."""
        ...

    def delete(self, key: str) -> None:
        """Remove a stored file; a missing file is not an error."""
        ...

    def exists(self, key: str) -> bool:
        """Tell whether a file is stored under `key`."""
        ...

    def entries(self) -> Iterator[StoredFile]:
        """List every stored file (complete files only, never temporaries)."""
        ...

    def remove_stale_temporaries(self, older_than_seconds: float) -> list[str]:
        """Remove temporaries left by interrupted writes; return their names."""
        ...


def validate_key(key: str) -> str:
    """Return `key` if it is a server-made key, else raise ValueError (never a client path)."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"invalid photo storage key: {key!r}")
    return key


def is_key(name: str) -> bool:
    """Tell whether a listed name is a photo key (listings skip anything else: not ours)."""
    return isinstance(name, str) and _KEY.fullmatch(name) is not None


def folder_path(key: str) -> str:
    """Where the folder backend keeps `key` below its root: ab/cd/<key> by the key's first
    four hex digits (backup archives use the same places for either backend)."""
    return f"{key[:2]}/{key[2:4]}/{key}"


def make_key(photo_id: uuid.UUID, variant: str, extension: str) -> str:
    """Build the storage key of one file of a photo, e.g. '<hex>-display.jpg'."""
    return validate_key(f"{photo_id.hex}-{variant}.{extension}")


def photo_keys(photo_id: uuid.UUID, media_type: str, *, keep_original: bool) -> PhotoKeys:
    """Return the keys a photo's files are stored under."""
    original = None
    if keep_original:
        original = make_key(photo_id, "original", ORIGINAL_EXTENSIONS[media_type])
    return PhotoKeys(
        display=make_key(photo_id, "display", "jpg"),
        thumbnail=make_key(photo_id, "thumb", "jpg"),
        original=original,
    )


def store_photo(
    storage: PhotoStorage,
    photo_id: uuid.UUID,
    photo: ProcessedPhoto,
    original: bytes | None = None,
) -> PhotoKeys:
    """Write a processed photo's files (and the original if given); all or nothing."""
    keys = photo_keys(photo_id, photo.media_type, keep_original=original is not None)
    planned = [(keys.display, photo.display), (keys.thumbnail, photo.thumbnail)]
    if keys.original is not None and original is not None:
        planned.append((keys.original, original))
    written: list[str] = []
    try:
        for key, data in planned:
            storage.put(key, data)
            written.append(key)
    except BaseException:
        delete_photo_files(storage, written)
        raise
    return keys


def delete_photo_files(storage: PhotoStorage, keys: Iterable[str]) -> None:
    """Delete files of a photo whose row is gone (or was never committed)."""
    for key in keys:
        storage.delete(key)


def sweep(
    storage: PhotoStorage,
    referenced_keys: set[str],
    older_than_seconds: float = _DEFAULT_GRACE_SECONDS,
    *,
    now: float | None = None,
) -> list[str]:
    """Remove files no row references, and stale temporaries; return what was removed.

    Files younger than `older_than_seconds` are kept: their row may not be committed yet.
    """
    cutoff = (time.time() if now is None else now) - older_than_seconds
    removed = [
        entry.key
        for entry in storage.entries()
        if entry.key not in referenced_keys and entry.modified < cutoff
    ]
    for key in removed:
        storage.delete(key)
    return removed + storage.remove_stale_temporaries(older_than_seconds)


class FilesystemStorage:
    """Files under `root`, sharded as root/ab/cd/<key> by the key's first four hex digits."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def put(self, key: str, data: bytes) -> None:
        """Write to a temporary file beside the target, fsync, then rename it into place."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f"{_TEMP_PREFIX}{key}.{uuid.uuid4().hex}{_TEMP_SUFFIX}")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # owner only
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, target)
        except BaseException as exc:
            temp.unlink(missing_ok=True)
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageFull(MSG_STORAGE_FULL) from exc
            raise
        _fsync_directory(target.parent)  # make the rename itself survive a power cut

    def open(self, key: str) -> BinaryIO:
        """Open a stored file for reading in binary mode."""
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise NotFound(MSG_NOT_FOUND) from exc

    def read(self, key: str) -> bytes:
        """Return a stored file's bytes."""
        with self.open(key) as file:
            return file.read()

    def delete(self, key: str) -> None:
        """Remove a stored file if present."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """Tell whether `key` is stored."""
        return self._path(key).is_file()

    def entries(self) -> Iterator[StoredFile]:
        """Walk the two shard levels and yield the files whose names are valid keys."""
        for first in _subdirectories(self.root):
            for second in _subdirectories(first):
                with os.scandir(second) as files:
                    for file in files:
                        if _KEY.fullmatch(file.name) and file.is_file(follow_symlinks=False):
                            stat = file.stat(follow_symlinks=False)
                            yield StoredFile(file.name, stat.st_size, stat.st_mtime)

    def remove_stale_temporaries(self, older_than_seconds: float) -> list[str]:
        """Delete temporaries older than the grace period (a crash between write and rename)."""
        cutoff = time.time() - older_than_seconds
        removed = []
        for first in _subdirectories(self.root):
            for second in _subdirectories(first):
                for path in second.glob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}"):
                    if path.stat().st_mtime < cutoff:
                        path.unlink(missing_ok=True)
                        removed.append(path.name)
        return removed

    def _path(self, key: str) -> Path:
        validate_key(key)
        return self.root / folder_path(key)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte; os.write may write less than asked."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _subdirectories(path: Path) -> Iterator[Path]:
    """Yield the two-hex-digit shard directories under `path` (nothing if it does not exist)."""
    try:
        with os.scandir(path) as children:
            shards = [c.path for c in children if len(c.name) == 2 and c.is_dir()]
    except FileNotFoundError:
        return
    for shard in sorted(shards):
        yield Path(shard)
