"""Backup and restore: the database and the photo files in one .tar.gz with a manifest.

The archive holds `manifest.json` (format, created_at, app version, schema revision, dialect,
and every other file with its size and sha256), the database (`database.sqlite3`, taken with
SQLite's online backup API, or `database.dump`, a `pg_dump` custom-format dump), and the
photo files under `photos/` as they lie in the folder (`photos/ab/cd/<key>`). A bucket's
objects go into the same places, so an archive of either backend restores into either.

Restore unpacks into a temporary folder and checks every checksum before it touches anything;
it refuses a target that already holds data unless forced.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import URL, Engine, make_url

from app.errors import NotFound
from app.inspections.photos.storage import PhotoStorage, folder_path
from app.timeutil import utcnow

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
PHOTOS = "photos"
_CHUNK = 1024 * 1024
_PYPROJECT = Path(__file__).resolve().parent.parent.parent / "pyproject.toml"


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message tells the operator why (bokmål)."""


# The folder is given as a Path and read as files, as it always was; a bucket through the
# photo storage interface.
Photos = Path | PhotoStorage


@dataclass(frozen=True)
class Restored:
    files: int
    revision: str | None


# -- create ------------------------------------------------------------------------------


def create_backup(engine: Engine, photos: Photos, target: Path) -> dict:
    """Write a backup archive to `target` (atomically) and return its manifest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    with tempfile.TemporaryDirectory(prefix="uu-backup-") as tmp:
        dump = _dump_database(engine, Path(tmp))
        files = [_describe(dump, dump.name)]
        try:
            with (
                _private_file(partial) as handle,
                tarfile.open(fileobj=handle, mode="w:gz") as archive,
            ):
                archive.add(dump, arcname=dump.name)
                files += _add_photos(archive, photos)
                manifest = {
                    "format": FORMAT,
                    "created_at": utcnow().isoformat(),
                    "app_version": _app_version(),
                    "revision": _revision(engine),
                    "dialect": engine.dialect.name,
                    "database": dump.name,
                    "files": files,
                }
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(utcnow().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _private_file(path: Path):
    """Open `path` for writing, readable and writable by the service's user only (0600):
    archives and photos hold personal data (a leftover file from a crash is truncated and
    its mode corrected, whatever it was)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _dump_database(engine: Engine, folder: Path) -> Path:
    if engine.dialect.name == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(engine.url.database)
        try:
            with sqlite3.connect(target) as copy:
                source.backup(copy)  # consistent snapshot while the app keeps writing
            copy.close()
        finally:
            source.close()
        return target
    if engine.dialect.name == "postgresql":
        target = folder / PG_FILE
        args = ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
        _run_pg("pg_dump", engine.url, args)
        return target
    raise BackupError(f"Databasetypen {engine.dialect.name} støttes ikke.")


def _add_photos(archive: tarfile.TarFile, photos: Photos) -> list[dict]:
    if not isinstance(photos, Path):
        return _add_stored_photos(archive, photos)
    entries = []
    for path in _photo_files(photos):
        entry = _add_file(archive, path, f"{PHOTOS}/{path.relative_to(photos).as_posix()}")
        if entry is not None:
            entries.append(entry)
    return entries


def _add_stored_photos(archive: tarfile.TarFile, storage: PhotoStorage) -> list[dict]:
    """Each object read whole (photos are small), hashed, and added where the folder keeps
    it; one deleted since the listing is skipped, like a file deleted meanwhile."""
    entries = []
    for key in sorted(entry.key for entry in storage.entries()):
        try:
            data = storage.read(key)
        except NotFound:
            continue
        info = tarfile.TarInfo(f"{PHOTOS}/{folder_path(key)}")
        info.size, info.mtime, info.mode = len(data), int(utcnow().timestamp()), 0o600
        archive.addfile(info, io.BytesIO(data))
        entries.append(
            {"path": info.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        )
    return entries


def _photo_files(root: Path) -> list[Path]:
    """Complete photo files only: temporaries of interrupted writes start with a dot."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict | None:
    """Add one file and return its manifest entry; a file deleted meanwhile is skipped."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    with handle:
        info = archive.gettarinfo(fileobj=handle, arcname=name)
        hashing = _HashingReader(handle)
        archive.addfile(info, hashing)
    return {"path": name, "size": info.size, "sha256": hashing.digest.hexdigest()}


class _HashingReader(io.RawIOBase):
    """Hashes what tarfile reads, so a photo is read once."""

    def __init__(self, handle) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _describe(path: Path, name: str) -> dict:
    return {"path": name, "size": path.stat().st_size, "sha256": sha256_of(path)}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def _app_version() -> str | None:
    try:
        return tomllib.loads(_PYPROJECT.read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


# -- verify and restore ------------------------------------------------------------------


def verify(archive_path: Path, folder: Path) -> dict:
    """Unpack `archive_path` into `folder` and check it whole; return the manifest."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(folder, filter="data")  # refuses absolute paths, `..`, devices
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Arkivet kan ikke leses: {error}") from error
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError("Arkivet mangler en lesbar manifest.json.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Ukjent arkivformat: {manifest.get('format')!r}.")
    listed = {entry["path"] for entry in manifest["files"]}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    if unlisted := sorted(present - listed - {MANIFEST}):
        raise BackupError(f"Arkivet har filer som ikke står i manifestet: {unlisted[:5]}")
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if not path.is_file():
            raise BackupError(f"Filen {entry['path']} mangler i arkivet.")
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"Sjekksummen stemmer ikke for {entry['path']}.")
    if manifest["database"] not in listed:
        raise BackupError("Arkivet mangler databasen.")
    return manifest


def target_has_data(engine: Engine, photos: Photos) -> bool:
    """True when any table (but the migration marker) has a row, or any photo file exists."""
    if _has_photos(photos):
        return True
    with engine.connect() as connection:
        tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
        return any(
            connection.execute(select(text("1")).select_from(text(f'"{t}"')).limit(1)).first()
            for t in tables
        )


def _has_photos(photos: Photos) -> bool:
    if isinstance(photos, Path):
        return bool(_photo_files(photos))
    return next(iter(photos.entries()), None) is not None


def restore_backup(
    archive_path: Path, engine: Engine, photos: Photos, *, force: bool = False
) -> Restored:
    """Verify the archive, then replace the database and add the photo files."""
    with tempfile.TemporaryDirectory(prefix="uu-restore-") as tmp:
        folder = Path(tmp)
        manifest = verify(archive_path, folder)
        if manifest["dialect"] != engine.dialect.name:
            raise BackupError(
                f"Arkivet er fra {manifest['dialect']}, målet er {engine.dialect.name}."
            )
        if not force and target_has_data(engine, photos):
            raise BackupError("Målet har allerede data. Bruk --force for å overskrive.")
        stored = [e["path"] for e in manifest["files"] if e["path"].startswith(f"{PHOTOS}/")]
        if not isinstance(photos, Path):
            keys = [_key_of(name) for name in stored]  # all checked before anything is touched
        engine.dispose()  # no pooled connection may hold the old database open
        _restore_database(engine, folder / manifest["database"])
        engine.dispose()
        if isinstance(photos, Path):
            for name in stored:
                _place(folder / name, photos / name.removeprefix(f"{PHOTOS}/"))
        else:
            for name, key in zip(stored, keys, strict=True):
                _put(photos, key, (folder / name).read_bytes())
    return Restored(files=len(stored), revision=manifest.get("revision"))


def _key_of(name: str) -> str:
    """The storage key of an archived photo, which must lie where the folder keeps it."""
    key = name.rsplit("/", 1)[-1]
    if name != f"{PHOTOS}/{folder_path(key)}":
        raise BackupError(f"Arkivet har en bildefil på et ukjent sted: {name}")
    return key


def _put(storage: PhotoStorage, key: str, data: bytes) -> None:
    """One atomic write through the storage (a bucket's PutObject is all or nothing)."""
    try:
        storage.put(key, data)
    except ValueError as error:  # not a photo key: the storage refuses any other name
        raise BackupError(f"Arkivet har en bildefil med ugyldig navn: {key}") from error


def _restore_database(engine: Engine, dump: Path) -> None:
    if engine.dialect.name == "sqlite":
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(dump)
        try:
            with sqlite3.connect(engine.url.database) as target:
                source.backup(target)  # replaces every page of the target, atomically
            target.close()
        finally:
            source.close()
        return
    args = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    _run_pg("pg_restore", engine.url, [*args, str(dump)])


def _place(source: Path, target: Path) -> None:
    """Copy beside the target, fsync, then rename: a crash never leaves a half photo."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.restore.part")
    with source.open("rb") as src, _private_file(temp) as dst:
        shutil.copyfileobj(src, dst, _CHUNK)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(temp, target)


def _run_pg(program: str, url: URL, args: list[str]) -> None:
    """Run pg_dump/pg_restore; the password goes in the environment, not the command line."""
    if shutil.which(program) is None:
        raise BackupError(f"{program} finnes ikke på PATH (PostgreSQL-klientverktøyene).")
    url = make_url(url)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    connection = [f"--dbname={url.database}"]
    if url.host:
        connection.append(f"--host={url.host}")
    if url.port:
        connection.append(f"--port={url.port}")
    if url.username:
        connection.append(f"--username={url.username}")
    result = subprocess.run(
        [program, *connection, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} feilet: {result.stderr.strip()[:2000]}")
