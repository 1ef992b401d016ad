"""The photo tests' fixtures: an inspector with a draft inspection (the S3 server and a
bucket per test come from tests/s3_server.py, a plugin of tests/conftest.py)."""

import pytest

from tests.factories import make_unit


@pytest.fixture
def inspection(inspector):
    unit = make_unit()
    return inspector.post(
        "/api/v1/inspections", json={"unit_id": unit.id, "checklist_version": 1}
    ).get_json()["id"]
