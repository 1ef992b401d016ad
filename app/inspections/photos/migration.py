"""Copy every photo file from one storage to another and prove each copy by its checksum.

Used to move from the folder to a bucket (`flask photos copy-to-s3`). Works on the storage
interface only, so it runs again safely: a key already in the target with the same bytes is
left alone, one with other bytes is written again. Every key is read back from the target and
its SHA-256 compared with the source's; an ETag alone would not do (under SSE-KMS, or for a
multipart upload, it is not the content's MD5).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from app.errors import NotFound
from app.inspections.photos.storage import PhotoStorage


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)  # deleted from the source meanwhile

    @property
    def ok(self) -> bool:
        return not self.mismatched


def copy_all(source: PhotoStorage, target: PhotoStorage) -> CopyReport:
    """Copy and verify each file of `source` in `target`; a mismatch is reported, not raised,
    so one bad object does not hide the state of the others."""
    report = CopyReport()
    for entry in source.entries():
        try:
            data = source.read(entry.key)
        except NotFound:
            report.vanished.append(entry.key)
            continue
        wanted = _sha256(data)
        if _digest_in(target, entry.key) == wanted:
            report.unchanged.append(entry.key)
            continue
        target.put(entry.key, data)
        if _digest_in(target, entry.key) == wanted:
            report.copied.append(entry.key)
        else:
            report.mismatched.append(entry.key)
    return report


def _digest_in(storage: PhotoStorage, key: str) -> str | None:
    """The SHA-256 of the stored bytes, read back; None if the key is not there."""
    try:
        return _sha256(storage.read(key))
    except NotFound:
        return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
