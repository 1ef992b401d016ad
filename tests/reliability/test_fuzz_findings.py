"""Regression tests for what the API fuzzing (test_fuzz.py) found; each was a real bug."""

from __future__ import annotations

import json

from tests.factories import make_unit
from tests.helpers import assert_problem

HUGE = 10**23


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_reference_in_the_spec_resolves(client):
    """Views named `UNPROCESSABLE_CONTENT`, a name Python 3.11's HTTPStatus does not know."""
    spec = client.get("/api/openapi.json").get_json()
    for ref in set(_refs(spec)):
        _, section, kind, name = ref.split("/")
        assert name in spec[section][kind], ref


def test_problem_documents_may_carry_extension_members(client, as_role):
    """A 422 with `missing` (RFC 9457 extension member) contradicted the documented schema."""
    spec = client.get("/api/openapi.json").get_json()
    assert spec["components"]["schemas"]["Problem"].get("additionalProperties") is not False


def test_unit_area_is_a_json_number_as_documented(as_role):
    """A Decimal reached the client as the string "96.5" where the spec says number."""
    manager = as_role("facility_manager")
    unit = make_unit()
    response = manager.patch(f"/api/v1/units/{unit.id}", json={"area": 96.46})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["area"] == 96.5
    spec = manager.get("/api/openapi.json").get_json()
    area = json.dumps(spec["components"]["schemas"]["Unit"]["properties"]["area"])
    assert '"maximum": 999' in area and '"999' not in area  # bounds are numbers, not strings


def test_huge_integer_in_a_body_is_a_validation_error(as_role):
    """{"unit_id": -4.7e22} overflowed the database driver: 500."""
    body = assert_problem(
        as_role("inspector").post("/api/v1/inspections", json={"unit_id": -HUGE}), 422
    )
    assert "unit_id" in body["errors"]


def test_huge_page_number_is_an_empty_page(as_role):
    """?page=1.7e31 overflowed the OFFSET: 500. A page past the end is empty."""
    response = as_role("inspector").get(f"/api/v1/units?page={HUGE}&page_size=10")
    assert response.status_code == 200
    assert response.get_json() == []


def test_huge_id_in_a_path_is_not_found(as_role):
    caller = as_role("admin")
    for url in (f"/api/v1/units/{HUGE}", f"/api/v1/buildings/{HUGE}", f"/api/v1/users/{HUGE}"):
        method = "PATCH" if "users" in url else "GET"
        assert_problem(
            caller.client.open(url, method=method, headers=caller._headers(None), json={}), 404
        )
