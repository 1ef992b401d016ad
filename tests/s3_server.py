"""A real S3 HTTP API on loopback for the bucket backend's tests: moto's standalone server in a
thread of the test process, started once per session (per xdist worker).

If it cannot start, the tests that need it fail; nothing is skipped. Each test gets a bucket
of its own, so rolled-back rows never meet another test's objects.
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from botocore.awsrequest import AWSResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends
from moto.server import ThreadedMotoServer

from app.inspections.photos.s3 import S3Storage, make_s3_client

REGION = "us-east-1"
_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The server's URL. Credentials go in the environment, as boto3's standard chain reads
    them in production too (never real ones: the server is on 127.0.0.1)."""
    saved = {name: os.environ.get(name) for name in _CREDENTIALS}
    os.environ.update(_CREDENTIALS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Bucket:
    """One test's bucket on the moto server, with a client of the test's own (its event
    hooks, for faults, reach no other test)."""

    name: str
    endpoint: str
    client: object
    prefix: str = "bilder/"

    def storage(self, prefix: str | None = None) -> S3Storage:
        return S3Storage(self.name, self.client, prefix=self.prefix if prefix is None else prefix)

    def objects(self) -> list[str]:
        """Every object key in the bucket, whatever its prefix."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def uploads(self) -> list[str]:
        """The keys of incomplete multipart uploads."""
        found = self.client.list_multipart_uploads(Bucket=self.name).get("Uploads", [])
        return sorted(upload["Key"] for upload in found)

    def backdate(self, name: str, seconds: float) -> None:
        """Make an object look `seconds` older (moto's state lives in this process; a real
        store has no such switch, as the folder has os.utime)."""
        stored = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets[self.name].keys[name]
        stored.last_modified -= datetime.timedelta(seconds=seconds)

    def config(self) -> dict:
        """The app settings that put the photos in this bucket."""
        return {
            "PHOTO_STORAGE": "s3",
            "PHOTO_S3_BUCKET": self.name,
            "PHOTO_S3_ENDPOINT_URL": self.endpoint,
            "PHOTO_S3_REGION": REGION,
            "PHOTO_S3_PREFIX": self.prefix,
        }


@pytest.fixture
def bucket(moto_endpoint) -> Bucket:
    name = f"uu-bilder-{uuid.uuid4().hex[:12]}"
    client = make_s3_client(moto_endpoint, REGION)  # the app's settings, a client of its own
    client.create_bucket(Bucket=name)
    return Bucket(name, moto_endpoint, client)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_):
        yield self.data


def answer_puts_with(client, status: int, code: str, *, after: int = 0) -> None:
    """Let `after` PutObject requests through, then answer each with an S3 error document
    (as MinIO answers 507 XMinioStorageFull) without sending it."""
    passed = [0]

    def respond(request, **_):
        if passed[0] < after:
            passed[0] += 1
            return None
        body = f"<Error><Code>{code}</Code><Message>{code}</Message></Error>".encode()
        return AWSResponse(request.url, status, {"Content-Type": "application/xml"}, _Body(body))

    client.meta.events.register("before-send.s3.PutObject", respond)


def damage_puts(client) -> None:
    """Flip one bit of every PutObject body after Content-MD5 was computed: damage on the way."""

    def damage(request, **_):
        body = request.body.read() if hasattr(request.body, "read") else bytes(request.body)
        request.body = body[:-1] + bytes([body[-1] ^ 1])

    client.meta.events.register("before-send.s3.PutObject", damage)
