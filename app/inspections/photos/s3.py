"""Photo files in S3-compatible object storage (AWS S3, MinIO, Ceph RGW, ...).

The same contract as the folder (`storage.PhotoStorage`), so the ordering in storage.py holds
unchanged: a single PutObject is atomic (readers see the whole new object or the old state,
never a part), so files are complete before the row is committed, and deleted after.

Every request carries Content-MD5, which the store checks before it keeps the object; the
returned ETag is compared too where it is an MD5 (not under SSE-KMS or SSE-C), so an upload
damaged on the way is refused even by a store that ignores Content-MD5.

Credentials come from boto3's standard chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
a profile, an instance role); nothing here reads them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.errors import NotFound, ServiceUnavailable
from app.inspections.photos.storage import (
    MSG_NOT_FOUND,
    MSG_STORAGE_FULL,
    StorageFull,
    StoredFile,
    is_key,
    validate_key,
)

log = logging.getLogger(__name__)

MSG_UNAVAILABLE = "Bildelageret svarer ikke akkurat nå. Prøv igjen om litt."
MSG_DAMAGED = "Bildet ble skadet på vei til lageret. Prøv igjen."
RETRY_AFTER = {"Retry-After": "5"}

_MISSING = {"NoSuchKey", "404", "NotFound"}
# Quota or disk full: Ceph RGW says QuotaExceeded, MinIO XMinioStorageFull, others HTTP 507.
_FULL = {
    "QuotaExceeded",
    "XMinioStorageFull",
    "InsufficientStorage",
    "XMinioAdminBucketQuotaExceeded",
}
_NOT_MD5_ETAG = {"aws:kms", "aws:kms:dsse"}  # ETags under these are not the content's MD5

# Third-party stores differ in which of the newer flexible checksums they accept; Content-MD5
# is understood by all of them, so boto3 adds no checksum of its own.
_CLIENT_CONFIG = Config(
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
    retries={"max_attempts": 3, "mode": "standard"},
    connect_timeout=5,
    read_timeout=30,
)

_clients: dict[tuple[str | None, str | None], Any] = {}
_clients_lock = threading.Lock()


def s3_client(endpoint_url: str | None = None, region: str | None = None):
    """A client per endpoint and region, made once per process: making one costs tens of
    milliseconds, and clients are thread-safe."""
    with _clients_lock:
        client = _clients.get((endpoint_url, region))
        if client is None:
            client = _clients[(endpoint_url, region)] = make_s3_client(endpoint_url, region)
        return client


def make_s3_client(endpoint_url: str | None = None, region: str | None = None):
    """A new boto3 S3 client. With an endpoint URL (MinIO, Ceph) the bucket goes in the
    path: those stores seldom have a DNS name per bucket."""
    config = _CLIENT_CONFIG
    if endpoint_url:
        config = config.merge(Config(s3={"addressing_style": "path"}))
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint_url or None, region_name=region or None, config=config
    )


def normalise_prefix(prefix: str | None) -> str:
    """'' or 'some/folder/': the keys then live under it, never at a path of the client's."""
    prefix = (prefix or "").strip().strip("/")
    return f"{prefix}/" if prefix else ""


class S3Storage:
    """Photo files as objects `<prefix><key>` in one bucket (flat: the store shards itself)."""

    def __init__(self, bucket: str, client, prefix: str | None = None) -> None:
        self.bucket = bucket
        self.client = client
        self.prefix = normalise_prefix(prefix)

    def put(self, key: str, data: bytes) -> None:
        """One PutObject with Content-MD5; a stored object whose MD5-ETag differs is removed
        again and the upload refused (the caller keeps the photo and retries)."""
        name = self._name(key)
        md5 = hashlib.md5(data, usedforsecurity=False)
        with _translated(key):
            response = self.client.put_object(
                Bucket=self.bucket,
                Key=name,
                Body=data,
                ContentMD5=base64.b64encode(md5.digest()).decode("ascii"),
                ContentType="application/octet-stream",
            )
        if _etag_is_md5(response) and _etag(response) != md5.hexdigest():
            log.error("photo %s: ETag %s is not the MD5 of what was sent", key, _etag(response))
            self.delete(key)
            raise ServiceUnavailable(MSG_DAMAGED, headers=dict(RETRY_AFTER))

    def open(self, key: str) -> BinaryIO:
        """The whole object in memory: photos are small (display at most 2048 px), and a
        store that fails mid-way then gives a 503 before any header is sent, not a cut
        response; the server also knows the length (and can answer ranges)."""
        return io.BytesIO(self.read(key))

    def read(self, key: str) -> bytes:
        """Return an object's bytes; NotFound if there is none."""
        name = self._name(key)
        with _translated(key):
            response = self.client.get_object(Bucket=self.bucket, Key=name)
            with response["Body"] as body:
                return body.read()

    def delete(self, key: str) -> None:
        """DeleteObject answers success for a missing key too: idempotent as the folder's."""
        name = self._name(key)
        with _translated(key):
            self.client.delete_object(Bucket=self.bucket, Key=name)

    def exists(self, key: str) -> bool:
        """HeadObject: found, or a 404."""
        name = self._name(key)
        try:
            with _translated(key):
                self.client.head_object(Bucket=self.bucket, Key=name)
        except NotFound:
            return False
        return True

    def entries(self) -> Iterator[StoredFile]:
        """Every object under the prefix whose name is a photo key (others are not ours)."""
        paginator = self.client.get_paginator("list_objects_v2")
        with _translated(None):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    key = item["Key"][len(self.prefix) :]
                    if is_key(key):
                        yield StoredFile(key, item["Size"], item["LastModified"].timestamp())

    def remove_stale_temporaries(self, older_than_seconds: float) -> list[str]:
        """S3 has no temporary files: a PutObject that fails leaves nothing. The nearest thing
        is an incomplete multipart upload (this class never starts one, but a copy made with
        other tools may), whose parts are billed until aborted: abort those of photo keys
        begun before the grace period. Returned as '<key>?uploadId=<id>'."""
        cutoff = time.time() - older_than_seconds
        removed = []
        paginator = self.client.get_paginator("list_multipart_uploads")
        with _translated(None):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for upload in page.get("Uploads", []):
                    key = upload["Key"][len(self.prefix) :]
                    if is_key(key) and upload["Initiated"].timestamp() < cutoff:
                        self.client.abort_multipart_upload(
                            Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                        )
                        removed.append(f"{key}?uploadId={upload['UploadId']}")
        return removed

    def _name(self, key: str) -> str:
        return self.prefix + validate_key(key)


class _translated:
    """Turn the store's errors into the domain's: a missing key is NotFound, a full store
    StorageFull, anything else (unreachable, timeouts, 5xx, refused credentials, a missing
    bucket) ServiceUnavailable with the cause in the log; never a 500 for the client."""

    def __init__(self, key: str | None) -> None:
        self.key = key

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, ClientError):
            code = str(error.response.get("Error", {}).get("Code", ""))
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if self.key is not None and code in _MISSING:
                raise NotFound(MSG_NOT_FOUND) from error
            if code in _FULL or status == 507:
                raise StorageFull(MSG_STORAGE_FULL) from error
            log.error("photo storage: %s (HTTP %s) for %s", code, status, self.key)
            raise ServiceUnavailable(MSG_UNAVAILABLE, headers=dict(RETRY_AFTER)) from error
        if isinstance(error, BotoCoreError):
            log.error("photo storage unreachable: %s", error)
            raise ServiceUnavailable(MSG_UNAVAILABLE, headers=dict(RETRY_AFTER)) from error
        return False


def _etag(response: dict) -> str:
    return str(response.get("ETag", "")).strip('"').lower()


def _etag_is_md5(response: dict) -> bool:
    """S3 documents the ETag of a single-part object as its MD5 unless it is encrypted with
    KMS or a customer key; stores that send no ETag are trusted with their Content-MD5 check."""
    if response.get("ServerSideEncryption") in _NOT_MD5_ETAG:
        return False
    if response.get("SSECustomerAlgorithm"):
        return False
    etag = _etag(response)
    return len(etag) == 32 and all(c in "0123456789abcdef" for c in etag)
