"""The S3 server and a bucket per test, for the bucket backend's half of the photo tests."""

from tests.s3_server import bucket, moto_endpoint  # noqa: F401  (fixtures)
