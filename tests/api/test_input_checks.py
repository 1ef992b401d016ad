"""What no request may carry gives a problem+json 4xx, never a 500 (app/api/input.py)."""

import json

import pytest

from tests.factories import make_unit
from tests.helpers import assert_problem

JSON = {"Content-Type": "application/json"}
LOGIN = "/api/v1/auth/login"
SCORE = "/api/v1/checklists/uu-bolig/versions/1/score"


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager")


@pytest.mark.parametrize(
    "raw",
    [
        '{"email": "a\\u0000@kommune.no", "password": "passord-passord"}',
        '{"email": "\\ud800@kommune.no", "password": "passord-passord"}',
        '{"email": "a@kommune.no", "password": "x\\udfff"}',
        '{"email\\u0000": "a@kommune.no", "password": "x"}',
    ],
)
def test_nul_and_lone_surrogates_in_an_anonymous_login_are_422(client, raw):
    body = assert_problem(client.post(LOGIN, data=raw, headers=JSON), 422)
    assert body["errors"]


def test_nul_and_surrogates_in_body_fields_are_named(manager):
    raw = '{"address": "Storgata\\u0000 1", "district": "Sentrum", "postal_code": "\\udc00"}'
    body = assert_problem(manager.post("/api/v1/buildings", data=raw, headers=JSON), 422)
    assert set(body["errors"]) == {"address", "postal_code"}


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "district=Idd%00"])
def test_nul_in_query_filters_is_422(manager, query):
    body = assert_problem(manager.get(f"/api/v1/buildings?{query}"), 422)
    assert query.split("=")[0] in body["errors"]


def test_nul_in_a_path_parameter_is_404(manager):
    assert_problem(manager.get("/api/v1/checklists/uu%00bolig/versions/1"), 404)


@pytest.mark.parametrize("depth", [100, 1000, 5000])
def test_deep_nesting_is_refused(client, depth):
    raw = '{"email": ' + "[" * depth + "]" * depth + ', "password": "x"}'
    response = client.post(LOGIN, data=raw, headers=JSON)
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)


def test_numbers_beyond_range_are_refused(manager):
    huge = "9" * 5000  # more digits than Python converts: the parser refuses it
    answers = '{"answers": [{"item_id": "entrance.door_clear_width_mm", "value": %s}]}'
    assert_problem(manager.post(SCORE, data=answers % huge, headers=JSON), 400)
    body = assert_problem(manager.post(SCORE, data=answers % ("9" * 400), headers=JSON), 422)
    assert "answers.0.value" in body["errors"]
    body = assert_problem(manager.post(SCORE, data=answers % "1e999", headers=JSON), 422)
    assert "answers.0.value" in body["errors"]
    body = assert_problem(manager.post(SCORE, data=answers % "NaN", headers=JSON), 422)


def test_huge_page_numbers_are_422(as_role, manager):
    officer = as_role("allocation_officer")
    made = officer.post(
        "/api/v1/applicants",
        json={"case_reference": "S-1", "needs": [{"limitation": "wheelchair_manual"}]},
    ).get_json()
    for page in ("1e17", "100000000000000000"):
        url = f"/api/v1/applicants/{made['id']}/matches?page={page}"
        assert "page" in assert_problem(officer.get(url), 422)["errors"]
    assert manager.get("/api/v1/units?page=100000000000000000").status_code in (200, 422)


def test_score_limits_answers_and_body_size(app, manager):
    many = {"answers": [{"item_id": "entrance.door_clear_width_mm", "value": 900}] * 1001}
    assert "1000" in str(assert_problem(manager.post(SCORE, json=many), 422)["errors"]["answers"])
    limit = app.config["JSON_MAX_BYTES"]
    padding = {"answers": [], "facts": {}, "profiles": {"p": {"x" * limit: 1.0}}}
    assert_problem(manager.post(SCORE, data=json.dumps(padding), headers=JSON), 413)


def test_unknown_query_parameters_are_named(manager):
    body = assert_problem(manager.get("/api/v1/units?status=vacant&colour=red&x=1"), 422)
    assert set(body["errors"]) == {"colour", "x"}
    unit = make_unit()
    assert (
        "verbose"
        in assert_problem(manager.get(f"/api/v1/units/{unit.id}?verbose=1"), 422)["errors"]
    )
    assert manager.get("/api/v1/units?status=vacant&page=1&page_size=5").status_code == 200


def test_patch_without_a_body_is_422(manager):
    unit = make_unit()
    url = f"/api/v1/units/{unit.id}"
    etag = manager.get(url).headers["ETag"]
    for kwargs in ({}, {"json": {}}, {"data": "", "headers": JSON}):
        headers = {"If-Match": etag, **kwargs.pop("headers", {})}
        assert_problem(manager.patch(url, headers=headers, **kwargs), 422)
