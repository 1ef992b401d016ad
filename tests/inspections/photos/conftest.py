"""The photo tests' fixtures: an inspector with a draft inspection, and for the bucket
backend's half, the S3 server and a bucket per test."""

import pytest

from tests.factories import make_unit
from tests.s3_server import bucket, moto_endpoint  # noqa: F401  (fixtures)


@pytest.fixture
def inspector(as_role):
    return as_role("inspector")


@pytest.fixture
def inspection(inspector):
    unit = make_unit()
    return inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()["id"]
